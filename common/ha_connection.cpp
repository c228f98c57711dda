#include "common/ha_connection.hpp"

#include <chrono>
#include <span>
#include <stdexcept>
#include <vector>

#include "common/ha_service.hpp"
#include "common/service_thread.hpp"
#include "common/store_log.hpp"
#include "hakit_variant.hpp"

namespace hakit {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using protocol::ha_state;

namespace {

// Frames from a slave are 12 or 16 bytes; upstream's 1 MiB buffer would only cost
// memory (and page faults on every connection) here.
constexpr std::size_t kReadBufferSize = 4 * 1024;
// AbstractHAReader / HAWriter give up after three reads or writes that moved nothing.
constexpr int kMaxZeroIoTimes = 3;

std::int64_t millis_since(clock_type::time_point then) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - then).count();
}

}  // namespace

// ---------------------------------------------------------------------------
// ReadSocketService: parses the slave's handshake and offset reports.
class ha_connection::read_socket_service final : public service_thread {
 public:
  static constexpr const char* kJavaName = "ReadSocketService";
  explicit read_socket_service(ha_connection& owner) : service_thread("ReadSocketSvc"), owner_(owner), buffer_(kReadBufferSize) {}
  ~read_socket_service() override { stop_and_join_for_destruction(); }

 protected:
  void run() override;
  void on_interrupt() override { net::shutdown_both(owner_.socket_.get()); }

 private:
  bool read_available();
  bool process_frames();
  void end_of_loop();

  ha_connection& owner_;
  std::vector<std::uint8_t> buffer_;
  std::size_t filled_ = 0;
  clock_type::time_point last_read_ = clock_type::now();
};

// ---------------------------------------------------------------------------
// WriteSocketService: answers the handshake, then streams the commit log.
class ha_connection::write_socket_service final : public service_thread {
 public:
  static constexpr const char* kJavaName = "WriteSocketService";
  explicit write_socket_service(ha_connection& owner) : service_thread("WriteSocketSvc"), owner_(owner) {}
  ~write_socket_service() override { stop_and_join_for_destruction(); }

 protected:
  void run() override;
  void on_interrupt() override { net::shutdown_both(owner_.socket_.get()); }

 private:
  bool flush_pending();
  void build_handshake();
  void build_transfer_header(std::int64_t offset, std::int32_t body_size);
  bool send_heartbeat_if_needed();
  void transfer_to_slave();
  void start_transfer_if_needed();
  void end_of_loop();

  ha_connection& owner_;
  std::vector<std::uint8_t> pending_;
  std::size_t pending_at_ = 0;
  bool last_write_over_ = true;
  std::int64_t next_transfer_from_ = -1;
  std::int32_t transfer_epoch_ = -1;
  std::int64_t transfer_epoch_end_ = 0;
  clock_type::time_point last_write_ = clock_type::now();
  clock_type::time_point last_flow_control_log_{};
};

// ---------------------------------------------------------------------------

ha_connection::ha_connection(ha_service& service, net::unique_fd socket)
    : service_(service),
      socket_(std::move(socket)),
      client_address_(net::peer_address(socket_.get())),
      flow_monitor_(flow_monitor::create(service.config().flow_control_enable,
                                         service.config().max_transfer_bytes_per_second)),
      read_(std::make_unique<read_socket_service>(*this)),
      write_(std::make_unique<write_socket_service>(*this)) {
  service_.connection_count().fetch_add(1);
}

ha_connection::~ha_connection() {
  // Normally both loops ended before the owner lets go; if not, stop them now.
  write_->shutdown(true);
  read_->shutdown(true);
}

void ha_connection::start() {
  change_current_state(ha_state::handshake);
  try {
    flow_monitor_->start();
    read_->start();
    write_->start();
  } catch (...) {
    // Out of threads part-way: stop what did start, in both variants, as the
    // explicit close does; otherwise even the fixed variant would leak a monitor.
    shutdown();
    throw;
  }
}

void ha_connection::shutdown() {
  change_current_state(ha_state::shutdown);
  flow_monitor_->shutdown(true);
  write_->shutdown(true);
  read_->shutdown(true);
  net::shutdown_both(socket_.get());
}

bool ha_connection::services_exited() const { return read_->has_exited() && write_->has_exited(); }

void ha_connection::join_exited_services() {
  read_->join_if_done();
  write_->join_if_done();
}

void ha_connection::change_current_state(ha_state state) { state_.store(state); }

// ---------------------------------------------------------------------------

void ha_connection::read_socket_service::run() {
  store_log::info(kJavaName, std::string(kJavaName) + " service started");
  const auto housekeeping = owner_.service_.config().housekeeping_interval;
  while (!is_stopped()) {
    net::wait_readable(owner_.socket_.get(), 1000ms);
    if (!read_available()) {
      store_log::error(kJavaName, "processReadEvent error");
      break;
    }
    const auto idle = millis_since(last_read_);
    if (idle > housekeeping.count()) {
      store_log::warn(kJavaName, "ha housekeeping, found this connection[" + owner_.client_address_ + "] expired, " +
                                     std::to_string(idle));
      break;
    }
  }
  end_of_loop();
}

bool ha_connection::read_socket_service::read_available() {
  int zero_reads = 0;
  while (filled_ < buffer_.size()) {
    const auto got = net::read_some(owner_.socket_.get(), std::span(buffer_).subspan(filled_));
    if (got.bytes > 0) {
      zero_reads = 0;
      filled_ += got.bytes;
      last_read_ = clock_type::now();
      if (!process_frames()) return false;
    } else if (got.eof || got.error) {
      store_log::info(kJavaName, "read socket[" + owner_.client_address_ + "] < 0" +
                                     (got.error ? " (" + got.error.message() + ")" : std::string()));
      return false;
    } else if (++zero_reads >= kMaxZeroIoTimes) {
      break;
    }
  }
  return true;
}

bool ha_connection::read_socket_service::process_frames() {
  std::size_t at = 0;
  for (;;) {
    const auto frame = protocol::decode_slave_frame(std::span(buffer_).subspan(at, filled_ - at));
    if (frame.status == protocol::decode_status::truncated) break;
    if (!frame.ok()) {
      // Java's values()[n] throws for an unknown ordinal; the loop catches it and ends.
      store_log::error(kJavaName, std::string(kJavaName) + " service has exception: " +
                                      std::string(protocol::to_string(frame.status)) + " " +
                                      std::to_string(frame.raw_state) + " from " + owner_.client_address_);
      return false;
    }
    at += frame.size;
    ha_state slave_state = ha_state::handshake;
    if (const auto* hello = std::get_if<protocol::slave_handshake>(&frame.frame)) {
      owner_.slave_id_.store(hello->slave_broker_id);
      if (hello->sync_from_last_file) owner_.sync_from_last_file_.store(true);
      if (hello->async_learner) owner_.async_learner_.store(true);
      owner_.slave_sent_handshake_.store(true);
      store_log::info(kJavaName, "Receive slave handshake, slaveBrokerId:" + std::to_string(hello->slave_broker_id) +
                                     ", isSyncFromLastFile:" + (hello->sync_from_last_file ? "true" : "false") +
                                     ", isAsyncLearner:" + (hello->async_learner ? "true" : "false"));
    } else {
      const auto offset = std::get<protocol::slave_transfer_report>(frame.frame).max_offset;
      slave_state = ha_state::transfer;
      owner_.slave_ack_offset_.store(offset);
      std::int64_t unset = -1;
      owner_.slave_request_offset_.compare_exchange_strong(unset, offset);
    }
    if (slave_state != owner_.current_state()) {
      store_log::warn(kJavaName, "Master change state from " + std::string(protocol::to_string(owner_.current_state())) +
                                     " to " + std::string(protocol::to_string(slave_state)));
      owner_.change_current_state(slave_state);
    }
    // Upstream's write loop polls every 10 ms for this; waking it only shortens the wait.
    owner_.write_->wakeup();
  }
  if (at > 0) {
    std::copy(buffer_.begin() + static_cast<std::ptrdiff_t>(at), buffer_.begin() + static_cast<std::ptrdiff_t>(filled_),
              buffer_.begin());
    filled_ -= at;
  }
  return true;
}

void ha_connection::read_socket_service::end_of_loop() {
  make_stop();
  owner_.change_current_state(ha_state::shutdown);
  owner_.write_->make_stop();
  // Timing only: upstream's writer notices make_stop within its 10-100 ms waits.
  owner_.write_->wakeup();
  owner_.service_.remove_connection(owner_);
  owner_.service_.connection_count().fetch_sub(1);
  net::shutdown_both(owner_.socket_.get());
  // The line apache/rocketmq PR 6227 added at the end of ReadSocketService.run().
  if constexpr (variant::kStopFlowMonitorOnServiceEnd) owner_.flow_monitor_->shutdown(true);
  store_log::info(kJavaName, std::string(kJavaName) + " service end");
}

// ---------------------------------------------------------------------------

void ha_connection::write_socket_service::run() {
  store_log::info(kJavaName, std::string(kJavaName) + " service started");
  while (!is_stopped()) {
    try {
      net::wait_writable(owner_.socket_.get(), 1000ms);
      switch (owner_.current_state()) {
        case ha_state::handshake:
          // Wait until the slave has sent its handshake.
          if (!owner_.slave_sent_handshake_.load()) {
            wait_for_running(10ms);
            continue;
          }
          if (last_write_over_) build_handshake();
          last_write_over_ = flush_pending();
          if (last_write_over_) owner_.slave_sent_handshake_.store(false);
          break;
        case ha_state::transfer:
          if (owner_.slave_request_offset_.load() == -1) {
            wait_for_running(10ms);
            continue;
          }
          start_transfer_if_needed();
          if (next_transfer_from_ != -1) transfer_to_slave();
          break;
        default:
          throw std::runtime_error("unexpected state " + std::string(protocol::to_string(owner_.current_state())));
      }
    } catch (const std::exception& e) {
      store_log::error(kJavaName, std::string(kJavaName) + " service has exception: " + e.what());
      break;
    }
  }
  end_of_loop();
}

bool ha_connection::write_socket_service::flush_pending() {
  int zero_writes = 0;
  while (pending_at_ < pending_.size()) {
    std::error_code error;
    const auto wrote = net::write_some(owner_.socket_.get(), std::span(pending_).subspan(pending_at_), error);
    if (error) throw std::system_error(error, "write to " + owner_.client_address_);
    owner_.flow_monitor_->add_byte_count_transferred(static_cast<std::int64_t>(wrote));
    if (wrote > 0) {
      pending_at_ += wrote;
      last_write_ = clock_type::now();
      zero_writes = 0;
    } else if (++zero_writes >= kMaxZeroIoTimes) {
      break;
    }
  }
  return pending_at_ == pending_.size();
}

void ha_connection::write_socket_service::build_handshake() {
  const auto& store = owner_.service_.store();
  protocol::master_handshake frame;
  frame.state = owner_.current_state();
  frame.max_phy_offset = store.max_offset();
  frame.last_epoch = store.epochs().last_epoch();
  frame.entries = store.epochs().entries();
  pending_.clear();
  pending_at_ = 0;
  protocol::encode(frame, pending_);
  store_log::info(kJavaName, "Master build handshake header: maxEpoch:" + std::to_string(frame.last_epoch) +
                                 ", maxOffset:" + std::to_string(frame.max_phy_offset));
}

void ha_connection::write_socket_service::build_transfer_header(std::int64_t offset, std::int32_t body_size) {
  const auto& store = owner_.service_.store();
  auto entry = store.epochs().entry(transfer_epoch_);
  if (!entry) {
    // A heartbeat before any transfer uses the first epoch, as upstream does.
    entry = store.epochs().empty() ? protocol::epoch_entry{} : store.epochs().entries().front();
  }
  protocol::master_transfer_header header;
  header.state = owner_.current_state();
  header.body_size = body_size;
  header.offset = offset;
  header.epoch = entry->epoch;
  header.epoch_start_offset = entry->start_offset;
  header.confirm_offset = store.max_offset();
  pending_.clear();
  pending_at_ = 0;
  protocol::encode(header, pending_);
  const auto body = store.data_from(offset).first(static_cast<std::size_t>(body_size));
  pending_.insert(pending_.end(), body.begin(), body.end());
}

bool ha_connection::write_socket_service::send_heartbeat_if_needed() {
  if (millis_since(last_write_) > owner_.service_.config().heartbeat_interval.count()) {
    build_transfer_header(next_transfer_from_, 0);
    return flush_pending();
  }
  return true;
}

void ha_connection::write_socket_service::start_transfer_if_needed() {
  if (next_transfer_from_ != -1) return;
  const auto& store = owner_.service_.store();
  const auto requested = owner_.slave_request_offset_.load();
  if (requested == 0) {
    constexpr std::int64_t kMappedFileSize = 1024LL * 1024 * 1024;
    next_transfer_from_ = owner_.sync_from_last_file_.load() ? store.max_offset() - store.max_offset() % kMappedFileSize
                                                             : store.min_offset();
  } else {
    next_transfer_from_ = requested;
  }
  const auto entry = store.epochs().find_by_offset(next_transfer_from_);
  if (!entry) {
    store_log::error(kJavaName, "Failed to find an epochEntry to match nextTransferFromWhere " +
                                    std::to_string(next_transfer_from_));
    next_transfer_from_ = -1;
    send_heartbeat_if_needed();
    wait_for_running(500ms);
    return;
  }
  transfer_epoch_ = entry->epoch;
  transfer_epoch_end_ = store.epochs().end_offset(entry->epoch);
  store_log::info(kJavaName, "Master transfer data to slave " + owner_.client_address_ + ", from offset:" +
                                 std::to_string(next_transfer_from_) + ", currentEpoch:" + std::to_string(transfer_epoch_));
}

void ha_connection::write_socket_service::transfer_to_slave() {
  const auto& config = owner_.service_.config();
  if (config.inject_write_failure) throw std::runtime_error("injected write failure (--inject-write-failure, testing only)");
  last_write_over_ = last_write_over_ ? send_heartbeat_if_needed() : flush_pending();
  if (!last_write_over_) return;

  const auto available = owner_.service_.store().data_from(next_transfer_from_).size();
  if (available == 0) {
    // Upstream parks on the service-wide WaitNotifyObject for 100 ms.
    wait_for_running(100ms);
    return;
  }
  auto size = static_cast<std::int64_t>(std::min<std::size_t>(available, static_cast<std::size_t>(config.transfer_batch_size)));
  const auto allowed = owner_.flow_monitor_->can_transfer_max_byte_num();
  if (size > allowed) {
    if (clock_type::now() - last_flow_control_log_ > 1s) {
      store_log::warn(kJavaName, "Trigger HA flow control, max transfer speed " +
                                     std::to_string(owner_.flow_monitor_->max_transfer_byte_in_second() / 1024) +
                                     "KB/s, current speed: " +
                                     std::to_string(owner_.flow_monitor_->transferred_byte_in_second() / 1024) + "KB/s");
      last_flow_control_log_ = clock_type::now();
    }
    size = allowed;
  }
  if (size <= 0) {
    wait_for_running(100ms);
    return;
  }
  // Never cross an epoch boundary in one frame.
  if (transfer_epoch_end_ != -1 && next_transfer_from_ + size > transfer_epoch_end_) {
    size = transfer_epoch_end_ - next_transfer_from_;
  }
  const auto offset = next_transfer_from_;
  next_transfer_from_ += size;
  build_transfer_header(offset, static_cast<std::int32_t>(size));
  last_write_over_ = flush_pending();
}

void ha_connection::write_socket_service::end_of_loop() {
  owner_.change_current_state(ha_state::shutdown);
  make_stop();
  owner_.read_->make_stop();
  owner_.service_.remove_connection(owner_);
  net::shutdown_both(owner_.socket_.get());
  // The line apache/rocketmq PR 6227 added at the end of WriteSocketService.run().
  if constexpr (variant::kStopFlowMonitorOnServiceEnd) owner_.flow_monitor_->shutdown(true);
  store_log::info(kJavaName, std::string(kJavaName) + " service end");
}

}  // namespace hakit
