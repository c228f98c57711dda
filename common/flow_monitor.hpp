// Ports org.apache.rocketmq.store.ha.FlowMonitor: once a second, turns the bytes
// transferred into a bytes-per-second figure and answers the flow-control cap.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "common/service_thread.hpp"

namespace hakit {

class flow_monitor final : public service_thread, public std::enable_shared_from_this<flow_monitor> {
 public:
  /// Kernel thread name, as the JVM shows the Java thread's name.
  static constexpr const char* kThreadName = "FlowMonitor";

  /// Always created shared: its thread keeps it alive while it runs, so a monitor
  /// nobody stopped (the leak) owns only its own state.
  static std::shared_ptr<flow_monitor> create(bool flow_control_enable, std::int64_t max_bytes_per_second);
  ~flow_monitor() override;

  /// Moves the bytes counted so far into the per-second figure.
  void calculate_speed();
  /// Bytes still allowed this second (INT32_MAX when flow control is off).
  [[nodiscard]] std::int32_t can_transfer_max_byte_num() const;
  /// Counts bytes sent or received.
  void add_byte_count_transferred(std::int64_t count);
  /// The figure of the last whole second.
  [[nodiscard]] std::int64_t transferred_byte_in_second() const;
  /// The configured cap.
  [[nodiscard]] std::int64_t max_transfer_byte_in_second() const { return max_bytes_per_second_; }

 private:
  struct token {};

 public:
  /// Use create(); public only so make_shared can reach it.
  flow_monitor(token, bool flow_control_enable, std::int64_t max_bytes_per_second);

 protected:
  void run() override;
  std::shared_ptr<void> lifetime_anchor() override { return shared_from_this(); }

 private:
  const bool flow_control_enable_;
  const std::int64_t max_bytes_per_second_;
  std::atomic<std::int64_t> transferred_byte_{0};
  std::atomic<std::int64_t> transferred_byte_in_second_{0};
};

}  // namespace hakit
