// Ports the AutoSwitch HA wire format (AutoSwitchHAClient / AutoSwitchHAConnection
// frame layouts and HAConnectionState): big-endian, as Java's ByteBuffer writes it.
//
//   slave  -> master  handshake  16 B: int state=1, short syncFromLastFile, short asyncLearner, long brokerId
//   slave  -> master  transfer   12 B: int state=2, long maxOffset
//   master -> slave   handshake  20 B: int state, int bodySize, long maxPhyOffset, int lastEpoch
//                                     + bodySize/12 x (int epoch, long startOffset)
//   master -> slave   transfer   36 B: int state, int bodySize, long offset, int epoch,
//                                     long epochStartOffset, long confirmOffset + body
//                                     (bodySize 0 is the heartbeat)
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hakit::protocol {

/// HAConnectionState, by ordinal.
enum class ha_state : std::int32_t { ready = 0, handshake = 1, transfer = 2, suspend = 3, shutdown = 4 };

/// The state for an ordinal read off the wire, or nothing for an unknown one
/// (where Java's `values()[n]` throws).
std::optional<ha_state> state_from_ordinal(std::int32_t ordinal);
/// The Java enum constant's name, e.g. "TRANSFER".
std::string_view to_string(ha_state state);

inline constexpr std::size_t kSlaveHandshakeSize = 16;
inline constexpr std::size_t kSlaveTransferSize = 12;
/// Upstream looks at a slave frame only once this many bytes are buffered.
inline constexpr std::size_t kSlaveMinHeaderSize = 12;
inline constexpr std::size_t kMasterHandshakeHeaderSize = 20;
inline constexpr std::size_t kMasterTransferHeaderSize = 36;
inline constexpr std::size_t kEpochEntrySize = 12;
/// Largest body a slave accepts in one frame (its read buffer, 4 MiB upstream).
inline constexpr std::int32_t kMaxMasterBodySize = 4 * 1024 * 1024;

struct slave_handshake {
  bool sync_from_last_file = false;
  bool async_learner = false;
  std::int64_t slave_broker_id = 0;
};

struct slave_transfer_report {
  std::int64_t max_offset = 0;
};

struct epoch_entry {
  std::int32_t epoch = 0;
  std::int64_t start_offset = 0;
  friend bool operator==(const epoch_entry&, const epoch_entry&) = default;
};

struct master_handshake {
  ha_state state = ha_state::handshake;
  std::int64_t max_phy_offset = 0;
  std::int32_t last_epoch = 0;
  std::vector<epoch_entry> entries;
};

struct master_transfer_header {
  ha_state state = ha_state::transfer;
  std::int32_t body_size = 0;
  std::int64_t offset = 0;
  std::int32_t epoch = 0;
  std::int64_t epoch_start_offset = 0;
  std::int64_t confirm_offset = 0;
};

/// Why a buffer did not decode into a frame.
enum class decode_status {
  ok,
  truncated,           ///< fewer bytes than the frame needs: wait for more, or fail at EOF
  unknown_state,       ///< the state ordinal is not a HAConnectionState
  unexpected_state,    ///< a known state this side never accepts (e.g. READY from a slave)
  negative_body_size,
  oversized_body,
  misaligned_body,     ///< a handshake body that is not a whole number of epoch entries
};

/// A short English description of `status`, for logs and errors.
std::string_view to_string(decode_status status);

/// A decoded frame, or why not; `size` is the bytes the frame occupies when ok.
template <class Frame>
struct decoded {
  decode_status status = decode_status::truncated;
  Frame frame{};
  std::size_t size = 0;
  std::int32_t raw_state = 0;   ///< the ordinal read, for error messages
  [[nodiscard]] bool ok() const noexcept { return status == decode_status::ok; }
};

using slave_frame = std::variant<slave_handshake, slave_transfer_report>;
using master_frame = std::variant<master_handshake, master_transfer_header>;

/// Decodes the slave frame at the start of `bytes` (what the master's read service parses).
decoded<slave_frame> decode_slave_frame(std::span<const std::uint8_t> bytes);
/// Decodes the master frame at the start of `bytes` (what the slave's HA client parses).
/// For a transfer frame, `size` covers header and body, and the body must be present.
decoded<master_frame> decode_master_frame(std::span<const std::uint8_t> bytes);

/// Appends the encoded frame to `out`.
void encode(const slave_handshake& frame, std::vector<std::uint8_t>& out);
void encode(const slave_transfer_report& frame, std::vector<std::uint8_t>& out);
void encode(const master_handshake& frame, std::vector<std::uint8_t>& out);
/// Appends only the 36-byte header; the caller appends `body_size` bytes of body.
void encode(const master_transfer_header& frame, std::vector<std::uint8_t>& out);

}  // namespace hakit::protocol
