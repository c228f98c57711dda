// Uses the installed hakit::leakcheck from a Boost.Test suite of another project.
#define BOOST_TEST_MODULE hakit consumer
#include <hakit/leakcheck_fixture.hpp>

#include <condition_variable>
#include <mutex>
#include <thread>

#include <boost/test/unit_test.hpp>

BOOST_FIXTURE_TEST_CASE(a_joined_thread_passes_the_installed_fixture, hakit::leakcheck::fixture) {
  std::thread([] {}).join();
  BOOST_TEST(true);
}

BOOST_AUTO_TEST_CASE(the_installed_check_reports_a_running_thread) {
  const auto before = hakit::leakcheck::baseline::take();
  bool stop = false;
  std::mutex mutex;
  std::condition_variable changed;
  std::thread running([&] {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return stop; });
  });
  const auto report = before.check(std::chrono::seconds(2), std::chrono::milliseconds(100));
  {
    const std::lock_guard lock(mutex);
    stop = true;
  }
  changed.notify_all();
  running.join();
  BOOST_TEST(report.leaked.size() == 1U);
  BOOST_TEST(hakit::census::self_pid() > 0);
}
