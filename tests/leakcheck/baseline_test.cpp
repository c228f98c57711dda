// hakit::leakcheck::baseline against real threads of the test process.
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "hakit/leakcheck.hpp"
#include "parked_thread.hpp"

namespace leakcheck = hakit::leakcheck;
using hakit::test::parked_thread;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(baseline)

BOOST_AUTO_TEST_CASE(a_thread_left_running_is_reported_by_name) {
  const auto before = leakcheck::baseline::take();
  // Deliberately left running until the check has reported, then stopped.
  parked_thread leaked("hk-leaky");
  const auto report = before.check(2s, 100ms);
  leaked.stop();

  BOOST_TEST(!report.clean());
  BOOST_TEST(report.settled);
  BOOST_TEST_REQUIRE(report.leaked.size() == 1U);
  BOOST_TEST(report.leaked.front().tid == leaked.tid());
  BOOST_TEST(report.leaked.front().name == "hk-leaky");
  BOOST_TEST(report.summary() == "leaked 1 thread: hk-leaky x1");
}

BOOST_AUTO_TEST_CASE(threads_of_one_name_are_grouped_largest_first) {
  const auto before = leakcheck::baseline::take();
  std::vector<std::unique_ptr<parked_thread>> leaked;
  for (int i = 0; i < 3; ++i) {
    leaked.push_back(std::make_unique<parked_thread>("FlowMonitor"));
  }
  leaked.push_back(std::make_unique<parked_thread>("hk-other"));
  const auto report = before.check(2s, 100ms);
  leaked.clear();

  BOOST_TEST(report.leaked.size() == 4U);
  BOOST_TEST_REQUIRE(report.by_name.size() == 2U);
  BOOST_TEST(report.by_name[0].name == "FlowMonitor");
  BOOST_TEST(report.by_name[0].count == 3);
  BOOST_TEST(report.summary() == "leaked 4 threads: FlowMonitor x3, hk-other x1");
}

BOOST_AUTO_TEST_CASE(joined_threads_leave_a_clean_report) {
  const auto before = leakcheck::baseline::take();
  for (int i = 0; i < 5; ++i) {
    parked_thread joined("hk-joined");
  }
  const auto report = before.check(2s, 100ms);
  BOOST_TEST(report.clean());
  BOOST_TEST(report.settled);
  BOOST_TEST(report.summary() == "no leaked threads");
}

BOOST_AUTO_TEST_CASE(threads_that_were_there_before_are_not_reported) {
  const parked_thread older("hk-older");
  const auto before = leakcheck::baseline::take();
  BOOST_TEST(before.check(2s, 50ms).clean());
}

BOOST_AUTO_TEST_CASE(a_thread_ending_by_itself_while_settling_is_not_reported) {
  const auto before = leakcheck::baseline::take();
  std::atomic<bool> started{false};
  // The code under test ends its own thread a little after returning.
  std::thread finishing([&started] {
    pthread_setname_np(pthread_self(), "hk-finishing");
    started = true;
    std::this_thread::sleep_for(150ms);
  });
  BOOST_TEST_REQUIRE(hakit::test::eventually([&started] { return started.load(); }));
  const auto report = before.check(3s, 300ms);
  finishing.join();
  BOOST_TEST(report.clean());
  BOOST_TEST(report.settled);
}

BOOST_AUTO_TEST_CASE(filters_ignore_exact_names_and_prefixes) {
  const auto before = leakcheck::baseline::take();
  const parked_thread pooled("hk-pool-7");
  const parked_thread known("hk-known");
  const parked_thread unknown("hk-known-not");

  leakcheck::settle_options options;
  options.window = 50ms;
  options.filters.names = {"hk-known"};
  options.filters.prefixes = {"hk-pool-"};
  const auto report = before.check(options);

  BOOST_TEST_REQUIRE(report.leaked.size() == 1U);
  BOOST_TEST(report.leaked.front().name == "hk-known-not");
}

BOOST_AUTO_TEST_CASE(threads_still_changing_at_the_deadline_are_reported_unsettled) {
  const auto before = leakcheck::baseline::take();
  std::atomic<bool> stop{false};
  std::thread churn([&stop] {
    // Named like its children, which start with the creator's name before renaming.
    pthread_setname_np(pthread_self(), "hk-churn");
    while (!stop.load()) {
      std::thread([] {
        pthread_setname_np(pthread_self(), "hk-churn");
        std::this_thread::sleep_for(2ms);
      }).join();
    }
  });
  const auto unfiltered = before.check(400ms, 200ms);
  leakcheck::settle_options options;
  options.window = 200ms;
  options.deadline = 2s;
  options.filters.names = {"hk-churn"};
  const auto filtered = before.check(options);
  stop = true;
  churn.join();

  BOOST_TEST(!unfiltered.settled);
  BOOST_TEST(unfiltered.waited >= 400ms);
  BOOST_TEST(unfiltered.summary().find("still starting or ending") != std::string::npos);
  BOOST_TEST(filtered.settled);
  BOOST_TEST(filtered.clean());
}

BOOST_AUTO_TEST_SUITE_END()
