#include "common/flow_monitor.hpp"

#include <algorithm>
#include <limits>

namespace hakit {

std::shared_ptr<flow_monitor> flow_monitor::create(bool flow_control_enable, std::int64_t max_bytes_per_second) {
  return std::make_shared<flow_monitor>(token{}, flow_control_enable, max_bytes_per_second);
}

flow_monitor::flow_monitor(token, bool flow_control_enable, std::int64_t max_bytes_per_second)
    : service_thread(kThreadName), flow_control_enable_(flow_control_enable), max_bytes_per_second_(max_bytes_per_second) {}

flow_monitor::~flow_monitor() { stop_and_join_for_destruction(); }

void flow_monitor::run() {
  while (!is_stopped()) {
    wait_for_running(std::chrono::milliseconds(1000));
    calculate_speed();
  }
}

void flow_monitor::calculate_speed() {
  transferred_byte_in_second_.store(transferred_byte_.exchange(0));
}

std::int32_t flow_monitor::can_transfer_max_byte_num() const {
  constexpr auto kMax = std::numeric_limits<std::int32_t>::max();
  if (!flow_control_enable_) return kMax;
  const auto left = std::max<std::int64_t>(max_bytes_per_second_ - transferred_byte_.load(), 0);
  return static_cast<std::int32_t>(std::min<std::int64_t>(left, kMax));
}

void flow_monitor::add_byte_count_transferred(std::int64_t count) { transferred_byte_.fetch_add(count); }

std::int64_t flow_monitor::transferred_byte_in_second() const { return transferred_byte_in_second_.load(); }

}  // namespace hakit
