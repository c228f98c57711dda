#include "common/ha_client.hpp"

#include <algorithm>
#include <utility>

#include "common/store_log.hpp"
#include "hakit_variant.hpp"

namespace hakit {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using protocol::ha_state;

namespace {
constexpr const char* kJavaName = "AutoSwitchHAClient";
constexpr std::size_t kReadBufferSize = protocol::kMasterTransferHeaderSize + protocol::kMaxMasterBodySize;

std::string describe(const net::endpoint& where) { return where.host + ":" + std::to_string(where.port); }

std::int64_t millis_since(clock_type::time_point then) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - then).count();
}
}  // namespace

ha_client::ha_client(ha_config config, net::endpoint master, std::int64_t broker_id, epoch_cache local_epochs)
    : service_thread("HAClient"),
      config_(config),
      master_(std::move(master)),
      broker_id_(broker_id),
      local_epochs_(std::move(local_epochs)),
      flow_monitor_(flow_monitor::create(config.flow_control_enable, config.max_transfer_bytes_per_second)),
      buffer_(kReadBufferSize),
      last_read_(clock_type::now()),
      last_write_(clock_type::now()) {}

ha_client::~ha_client() { stop_and_join_for_destruction(); }

void ha_client::stop() {
  change_state(ha_state::shutdown);
  flow_monitor_->shutdown();
  shutdown(true);
  close_master();
}

ha_client_stats ha_client::stats() const {
  return {std::string(protocol::to_string(state_.load())), connects_.load(), handshakes_.load(),
          truncate_failures_.load(), max_offset_.load(), reported_offset_.load(), corrupt_bytes_.load()};
}

void ha_client::on_interrupt() {
  std::lock_guard lock(socket_mutex_);
  net::shutdown_both(socket_.get());
}

void ha_client::change_state(ha_state state) { state_.store(state); }

void ha_client::run() {
  store_log::info(kJavaName, std::string(kJavaName) + " service started");
  flow_monitor_->start();
  while (!is_stopped()) {
    try {
      switch (state_.load()) {
        case ha_state::shutdown:
          // A line apache/rocketmq PR 6227 added in AutoSwitchHAClient.run().
          if constexpr (variant::kStopFlowMonitorOnServiceEnd) flow_monitor_->shutdown(true);
          return;
        case ha_state::ready:
          if (!connect_master()) {
            store_log::warn(kJavaName, "AutoSwitchHAClient connect to master " + describe(master_) + " failed");
            wait_for_running(config_.reconnect_wait);
          }
          continue;
        case ha_state::handshake:
          handshake_with_master();
          continue;
        case ha_state::transfer:
          if (!transfer_from_master()) {
            close_master_and_wait();
            continue;
          }
          break;
        default:
          wait_for_running(5s);
          continue;
      }
      const auto idle = millis_since(last_read_);
      if (idle > config_.housekeeping_interval.count()) {
        store_log::warn(kJavaName, "AutoSwitchHAClient, housekeeping, found this connection[" + describe(master_) +
                                       "] expired, " + std::to_string(idle));
        close_master();
      }
    } catch (const std::exception& e) {
      store_log::warn(kJavaName, std::string(kJavaName) + " service has exception: " + e.what());
      close_master_and_wait();
    }
  }
  // The other line apache/rocketmq PR 6227 added in AutoSwitchHAClient.run().
  if constexpr (variant::kStopFlowMonitorOnServiceEnd) flow_monitor_->shutdown(true);
  store_log::info(kJavaName, std::string(kJavaName) + " service end");
}

bool ha_client::connect_master() {
  if (socket_) return true;
  std::error_code error;
  auto socket = net::connect_to(master_, 3s, error);
  if (!socket) return false;
  {
    std::lock_guard lock(socket_mutex_);
    socket_ = std::move(socket);
  }
  filled_ = 0;
  connects_.fetch_add(1);
  store_log::info(kJavaName, "AutoSwitchHAClient connect to master " + describe(master_));
  change_state(ha_state::handshake);
  last_read_ = clock_type::now();
  return true;
}

void ha_client::close_master() {
  {
    std::lock_guard lock(socket_mutex_);
    if (!socket_) return;
    socket_.reset();
  }
  store_log::info(kJavaName, "AutoSwitchHAClient close connection with master " + describe(master_));
  if (state_.load() != ha_state::shutdown) change_state(ha_state::ready);
  filled_ = 0;
}

void ha_client::close_master_and_wait() {
  close_master();
  wait_for_running(config_.reconnect_wait);
}

bool ha_client::send(const std::vector<std::uint8_t>& bytes) {
  std::size_t sent = 0;
  const auto deadline = clock_type::now() + 3s;
  while (sent < bytes.size()) {
    std::error_code error;
    sent += net::write_some(socket_.get(), std::span(bytes).subspan(sent), error);
    if (error || clock_type::now() > deadline) return false;
    if (sent < bytes.size()) net::wait_writable(socket_.get(), 100ms);
  }
  last_write_ = clock_type::now();
  return true;
}

void ha_client::handshake_with_master() {
  std::vector<std::uint8_t> hello;
  protocol::encode(protocol::slave_handshake{false, false, broker_id_}, hello);
  if (!send(hello)) {
    close_master_and_wait();
    return;
  }
  net::wait_readable(socket_.get(), config_.handshake_reply_wait);
  if (!read_and_process()) close_master_and_wait();
}

bool ha_client::report_offset(std::int64_t offset) {
  std::vector<std::uint8_t> report;
  protocol::encode(protocol::slave_transfer_report{offset}, report);
  if (!send(report)) return false;
  reported_offset_.store(offset);
  return true;
}

bool ha_client::transfer_from_master() {
  if (millis_since(last_write_) > config_.heartbeat_interval.count() && !report_offset(reported_offset_.load()))
    return false;
  net::wait_readable(socket_.get(), 1000ms);
  if (!read_and_process()) return false;
  if (max_offset_.load() > reported_offset_.load()) return report_offset(max_offset_.load());
  return true;
}

bool ha_client::read_and_process() {
  int zero_reads = 0;
  while (filled_ < buffer_.size()) {
    const auto got = net::read_some(socket_.get(), std::span(buffer_).subspan(filled_));
    if (got.eof || got.error) return false;
    if (got.bytes == 0) {
      if (++zero_reads >= 3) break;
      continue;
    }
    zero_reads = 0;
    filled_ += got.bytes;
    flow_monitor_->add_byte_count_transferred(static_cast<std::int64_t>(got.bytes));
    last_read_ = clock_type::now();

    std::size_t at = 0;
    for (;;) {
      const auto frame = protocol::decode_master_frame(std::span(buffer_).subspan(at, filled_ - at));
      if (frame.status == protocol::decode_status::truncated) break;
      if (!frame.ok()) {
        store_log::error(kJavaName, "bad frame from master: " + std::string(protocol::to_string(frame.status)));
        return false;
      }
      bool ok = true;
      if (const auto* hello = std::get_if<protocol::master_handshake>(&frame.frame)) {
        ok = process_handshake(*hello);
      } else {
        const auto& header = std::get<protocol::master_transfer_header>(frame.frame);
        ok = process_transfer(header, std::span(buffer_).subspan(at + protocol::kMasterTransferHeaderSize,
                                                                 static_cast<std::size_t>(header.body_size)));
      }
      at += frame.size;
      if (!ok) return false;
    }
    std::copy(buffer_.begin() + static_cast<std::ptrdiff_t>(at), buffer_.begin() + static_cast<std::ptrdiff_t>(filled_),
              buffer_.begin());
    filled_ -= at;
  }
  return true;
}

bool ha_client::process_handshake(const protocol::master_handshake& frame) {
  handshakes_.fetch_add(1);
  if (state_.load() != ha_state::handshake) return true;
  // doTruncate(): an empty local cache is a new replica; otherwise the newest
  // local epoch must also be the master's, at the same start offset.
  if (!local_epochs_.empty()) {
    const auto& newest = local_epochs_.entries().back();
    const bool consistent = std::find(frame.entries.begin(), frame.entries.end(), newest) != frame.entries.end();
    if (!consistent) {
      truncate_failures_.fetch_add(1);
      store_log::error(kJavaName, "Failed to find a consistent point between masterEpoch (last " +
                                      std::to_string(frame.last_epoch) + ") and slaveEpoch (last " +
                                      std::to_string(newest.epoch) + ")");
      wait_for_running(config_.truncate_fail_wait);
      return false;
    }
  }
  store_log::info(kJavaName, "Slave local epochCache is consistent with the master, start to transfer");
  change_state(ha_state::transfer);
  return report_offset(max_offset_.load());
}

bool ha_client::process_transfer(const protocol::master_transfer_header& header, std::span<const std::uint8_t> body) {
  if (header.body_size > 0 && header.offset != max_offset_.load()) {
    store_log::error(kJavaName, "master pushed offset " + std::to_string(header.offset) +
                                    " not equal the max phy offset in slave " + std::to_string(max_offset_.load()));
    return false;
  }
  std::int64_t corrupt = 0;
  for (std::size_t i = 0; i < body.size(); ++i)
    if (body[i] != commit_log::byte_at(header.offset + static_cast<std::int64_t>(i))) ++corrupt;
  corrupt_bytes_.fetch_add(corrupt);
  max_offset_.fetch_add(static_cast<std::int64_t>(body.size()));
  return true;
}

}  // namespace hakit
