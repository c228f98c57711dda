#include "common/ha_protocol.hpp"

#include <bit>

namespace hakit::protocol {
namespace {

template <class T>
T read_be(std::span<const std::uint8_t> bytes, std::size_t at) {
  using unsigned_t = std::make_unsigned_t<T>;
  unsigned_t value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) value = static_cast<unsigned_t>((value << 8) | bytes[at + i]);
  return std::bit_cast<T>(value);
}

template <class T>
void write_be(std::vector<std::uint8_t>& out, T value) {
  using unsigned_t = std::make_unsigned_t<T>;
  const auto bits = std::bit_cast<unsigned_t>(value);
  for (std::size_t i = sizeof(T); i-- > 0;) out.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
}

std::int32_t ordinal(ha_state state) { return static_cast<std::int32_t>(state); }

}  // namespace

std::optional<ha_state> state_from_ordinal(std::int32_t value) {
  if (value < ordinal(ha_state::ready) || value > ordinal(ha_state::shutdown)) return std::nullopt;
  return static_cast<ha_state>(value);
}

std::string_view to_string(ha_state state) {
  switch (state) {
    case ha_state::ready: return "READY";
    case ha_state::handshake: return "HANDSHAKE";
    case ha_state::transfer: return "TRANSFER";
    case ha_state::suspend: return "SUSPEND";
    case ha_state::shutdown: return "SHUTDOWN";
  }
  return "UNKNOWN";
}

std::string_view to_string(decode_status status) {
  switch (status) {
    case decode_status::ok: return "ok";
    case decode_status::truncated: return "truncated frame";
    case decode_status::unknown_state: return "unknown state ordinal";
    case decode_status::unexpected_state: return "state not accepted here";
    case decode_status::negative_body_size: return "negative body size";
    case decode_status::oversized_body: return "body size over the limit";
    case decode_status::misaligned_body: return "handshake body not a whole number of epoch entries";
  }
  return "unknown decode status";
}

decoded<slave_frame> decode_slave_frame(std::span<const std::uint8_t> bytes) {
  decoded<slave_frame> result;
  if (bytes.size() < kSlaveMinHeaderSize) return result;
  result.raw_state = read_be<std::int32_t>(bytes, 0);
  const auto state = state_from_ordinal(result.raw_state);
  if (!state) {
    result.status = decode_status::unknown_state;
    return result;
  }
  switch (*state) {
    case ha_state::handshake: {
      if (bytes.size() < kSlaveHandshakeSize) return result;
      slave_handshake frame;
      frame.sync_from_last_file = read_be<std::int16_t>(bytes, 4) == 1;
      frame.async_learner = read_be<std::int16_t>(bytes, 6) == 1;
      frame.slave_broker_id = read_be<std::int64_t>(bytes, 8);
      result.frame = frame;
      result.size = kSlaveHandshakeSize;
      break;
    }
    case ha_state::transfer:
      result.frame = slave_transfer_report{read_be<std::int64_t>(bytes, 4)};
      result.size = kSlaveTransferSize;
      break;
    default:
      result.status = decode_status::unexpected_state;
      return result;
  }
  result.status = decode_status::ok;
  return result;
}

decoded<master_frame> decode_master_frame(std::span<const std::uint8_t> bytes) {
  decoded<master_frame> result;
  if (bytes.size() < kMasterHandshakeHeaderSize) return result;
  result.raw_state = read_be<std::int32_t>(bytes, 0);
  const auto state = state_from_ordinal(result.raw_state);
  if (!state) {
    result.status = decode_status::unknown_state;
    return result;
  }
  const auto body_size = read_be<std::int32_t>(bytes, 4);
  if (body_size < 0) {
    result.status = decode_status::negative_body_size;
    return result;
  }
  if (body_size > kMaxMasterBodySize) {
    result.status = decode_status::oversized_body;
    return result;
  }
  const auto body = static_cast<std::size_t>(body_size);
  if (*state == ha_state::handshake) {
    if (body % kEpochEntrySize != 0) {
      result.status = decode_status::misaligned_body;
      return result;
    }
    if (bytes.size() < kMasterHandshakeHeaderSize + body) return result;
    master_handshake frame;
    frame.state = *state;
    frame.max_phy_offset = read_be<std::int64_t>(bytes, 8);
    frame.last_epoch = read_be<std::int32_t>(bytes, 16);
    for (std::size_t at = kMasterHandshakeHeaderSize; at < kMasterHandshakeHeaderSize + body; at += kEpochEntrySize) {
      frame.entries.push_back({read_be<std::int32_t>(bytes, at), read_be<std::int64_t>(bytes, at + 4)});
    }
    result.frame = std::move(frame);
    result.size = kMasterHandshakeHeaderSize + body;
  } else if (*state == ha_state::transfer) {
    if (bytes.size() < kMasterTransferHeaderSize + body) return result;
    master_transfer_header frame;
    frame.state = *state;
    frame.body_size = body_size;
    frame.offset = read_be<std::int64_t>(bytes, 8);
    frame.epoch = read_be<std::int32_t>(bytes, 16);
    frame.epoch_start_offset = read_be<std::int64_t>(bytes, 20);
    frame.confirm_offset = read_be<std::int64_t>(bytes, 28);
    result.frame = frame;
    result.size = kMasterTransferHeaderSize + body;
  } else {
    result.status = decode_status::unexpected_state;
    return result;
  }
  result.status = decode_status::ok;
  return result;
}

void encode(const slave_handshake& frame, std::vector<std::uint8_t>& out) {
  write_be(out, ordinal(ha_state::handshake));
  write_be(out, static_cast<std::int16_t>(frame.sync_from_last_file ? 1 : 0));
  write_be(out, static_cast<std::int16_t>(frame.async_learner ? 1 : 0));
  write_be(out, frame.slave_broker_id);
}

void encode(const slave_transfer_report& frame, std::vector<std::uint8_t>& out) {
  write_be(out, ordinal(ha_state::transfer));
  write_be(out, frame.max_offset);
}

void encode(const master_handshake& frame, std::vector<std::uint8_t>& out) {
  write_be(out, ordinal(frame.state));
  write_be(out, static_cast<std::int32_t>(frame.entries.size() * kEpochEntrySize));
  write_be(out, frame.max_phy_offset);
  write_be(out, frame.last_epoch);
  for (const auto& entry : frame.entries) {
    write_be(out, entry.epoch);
    write_be(out, entry.start_offset);
  }
}

void encode(const master_transfer_header& frame, std::vector<std::uint8_t>& out) {
  write_be(out, ordinal(frame.state));
  write_be(out, frame.body_size);
  write_be(out, frame.offset);
  write_be(out, frame.epoch);
  write_be(out, frame.epoch_start_offset);
  write_be(out, frame.confirm_offset);
}

}  // namespace hakit::protocol
