// hakit::flow_monitor: upstream's FlowMonitorTest, flow control off, and the
// lifetime rule the leak depends on (a running monitor anchors itself).
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>

#include <boost/test/unit_test.hpp>

#include "common/flow_monitor.hpp"
#include "tests/unit/test_support.hpp"

namespace {

using namespace std::chrono_literals;
using hakit::flow_monitor;
using hakit::test::kernel_thread_count;
using hakit::test::registry_count;
using hakit::test::wait_until;

constexpr std::int32_t kInt32Max = std::numeric_limits<std::int32_t>::max();

}  // namespace

BOOST_AUTO_TEST_SUITE(flow_monitor_behaviour)

// FlowMonitorTest.testSpeed
BOOST_AUTO_TEST_CASE(calculate_speed_reports_the_bytes_of_the_last_round) {
  const auto monitor = flow_monitor::create(false, 100);
  monitor->add_byte_count_transferred(3);
  monitor->calculate_speed();
  BOOST_TEST(monitor->transferred_byte_in_second() == 3);
  monitor->add_byte_count_transferred(5);
  monitor->calculate_speed();
  BOOST_TEST(monitor->transferred_byte_in_second() == 5);
  monitor->calculate_speed();
  BOOST_TEST(monitor->transferred_byte_in_second() == 0);
}

// FlowMonitorTest.testLimit
BOOST_AUTO_TEST_CASE(flow_control_cap_is_reduced_by_transferred_bytes_and_restored_each_second) {
  const auto monitor = flow_monitor::create(true, 10);
  BOOST_TEST(monitor->max_transfer_byte_in_second() == 10);
  monitor->start();
  BOOST_TEST(monitor->can_transfer_max_byte_num() == 10);
  monitor->add_byte_count_transferred(3);
  BOOST_TEST(monitor->can_transfer_max_byte_num() == 7);
  // The monitor's own once-a-second round moves the count out of the window.
  BOOST_TEST(wait_until([&] { return monitor->can_transfer_max_byte_num() == 10; }, 3000ms));
  BOOST_TEST(monitor->transferred_byte_in_second() == 3);
  monitor->shutdown();
}

BOOST_AUTO_TEST_CASE(flow_control_cap_never_goes_negative) {
  const auto monitor = flow_monitor::create(true, 10);
  monitor->add_byte_count_transferred(15);
  BOOST_TEST(monitor->can_transfer_max_byte_num() == 0);
}

BOOST_AUTO_TEST_CASE(flow_control_cap_above_int32_is_clamped) {
  const auto monitor = flow_monitor::create(true, 10LL * kInt32Max);
  BOOST_TEST(monitor->can_transfer_max_byte_num() == kInt32Max);
}

BOOST_AUTO_TEST_CASE(flow_control_off_allows_int32_max) {
  const auto monitor = flow_monitor::create(false, 10);
  BOOST_TEST(monitor->can_transfer_max_byte_num() == kInt32Max);
  monitor->add_byte_count_transferred(1'000);
  BOOST_TEST(monitor->can_transfer_max_byte_num() == kInt32Max);
}

BOOST_AUTO_TEST_CASE(running_monitor_is_one_thread_named_FlowMonitor) {
  const auto registry_before = registry_count("FlowMonitor");
  const auto kernel_before = kernel_thread_count("FlowMonitor");
  const auto monitor = flow_monitor::create(false, 0);
  monitor->start();
  BOOST_TEST_REQUIRE(wait_until([&] { return registry_count("FlowMonitor") == registry_before + 1; }));
  BOOST_TEST(kernel_thread_count("FlowMonitor") == kernel_before + 1);
  monitor->shutdown(true);
  BOOST_TEST(registry_count("FlowMonitor") == registry_before);
  BOOST_TEST(kernel_thread_count("FlowMonitor") == kernel_before);
}

BOOST_AUTO_TEST_CASE(running_monitor_computes_speed_by_itself) {
  const auto monitor = flow_monitor::create(false, 0);
  monitor->start();
  monitor->add_byte_count_transferred(5);
  BOOST_TEST(wait_until([&] { return monitor->transferred_byte_in_second() == 5; }, 3000ms));
  monitor->shutdown();
}

// The buggy variant's leak in miniature: the owner drops its monitor without
// stopping it. The thread keeps the object alive; a weak_ptr lets the test find
// it again and stop it, so this test process does not keep the thread.
BOOST_AUTO_TEST_CASE(dropped_running_monitor_keeps_running_and_can_still_be_stopped) {
  const auto before = registry_count("FlowMonitor");
  std::weak_ptr<flow_monitor> weak;
  {
    auto monitor = flow_monitor::create(true, 100);
    monitor->start();
    weak = monitor;
  }
  BOOST_TEST_REQUIRE(wait_until([&] { return registry_count("FlowMonitor") == before + 1; }));
  BOOST_TEST(!weak.expired());
  {
    const auto revived = weak.lock();
    BOOST_TEST_REQUIRE(revived != nullptr);
    BOOST_TEST(revived->is_started());
    revived->add_byte_count_transferred(4);
    BOOST_TEST(revived->can_transfer_max_byte_num() == 96);
    revived->shutdown(true);
    BOOST_TEST(registry_count("FlowMonitor") == before);
  }
  // Stopped and joined: the thread's anchor is gone, so was the last owner ours.
  BOOST_TEST(weak.expired());
}

// A dropped monitor whose loop ends by itself is the last owner of itself: it
// must free itself on its own thread without joining itself.
BOOST_AUTO_TEST_CASE(dropped_monitor_whose_loop_ends_frees_itself) {
  const auto before = registry_count("FlowMonitor");
  std::weak_ptr<flow_monitor> weak;
  {
    auto monitor = flow_monitor::create(false, 0);
    monitor->start();
    weak = monitor;
  }
  BOOST_TEST_REQUIRE(wait_until([&] { return registry_count("FlowMonitor") == before + 1; }));
  if (const auto revived = weak.lock()) {
    revived->make_stop();
    revived->wakeup();
  }
  BOOST_TEST(wait_until([&] { return weak.expired(); }));
  BOOST_TEST(wait_until([&] { return registry_count("FlowMonitor") == before; }));
}

BOOST_AUTO_TEST_CASE(destroying_a_stopped_monitor_is_immediate) {
  auto monitor = flow_monitor::create(false, 0);
  monitor->start();
  monitor->shutdown();
  std::weak_ptr<flow_monitor> weak = monitor;
  monitor.reset();
  BOOST_TEST(weak.expired());
}

BOOST_AUTO_TEST_SUITE_END()
