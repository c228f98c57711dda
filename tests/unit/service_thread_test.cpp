// hakit::service_thread: upstream's ServiceThreadTest and the lifecycle rules the
// port adds (no self-join, no thread on freed memory, exceptions stay inside).
#include <signal.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "common/service_thread.hpp"
#include "tests/unit/test_support.hpp"

namespace {

using namespace std::chrono_literals;
using hakit::test::kernel_thread_count;
using hakit::test::kernel_thread_name;
using hakit::test::registry_count;
using hakit::test::steady;
using hakit::test::wait_until;

/// A service whose loop waits `interval` per round, or runs `body` instead when given.
class probe_service final : public hakit::service_thread {
 public:
  explicit probe_service(std::string name = "UtProbe", std::chrono::milliseconds interval = 20ms)
      : service_thread(std::move(name)), interval_(interval) {}
  ~probe_service() override { stop_and_join_for_destruction(); }

  // Exposed so a test can drive the wait from its own thread.
  using service_thread::wait_for_running;

  /// Set before start(); replaces the default loop.
  std::function<void(probe_service&)> body;
  std::chrono::milliseconds join_cap = kDefaultJoinTimeout;

  std::atomic<int> runs{0};
  std::atomic<int> interrupts{0};
  std::atomic<pid_t> tid{0};

 protected:
  void run() override {
    tid.store(::gettid());
    runs.fetch_add(1);
    if (body) {
      body(*this);
      return;
    }
    while (!is_stopped()) wait_for_running(interval_);
  }
  void on_interrupt() override { interrupts.fetch_add(1); }
  [[nodiscard]] std::chrono::milliseconds join_timeout() const override { return join_cap; }

 private:
  const std::chrono::milliseconds interval_;
};

std::chrono::milliseconds elapsed_since(steady::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - start);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(service_thread_semantics)

BOOST_AUTO_TEST_CASE(start_is_idempotent) {
  probe_service service("UtIdempotent");
  service.start();
  service.start();
  BOOST_TEST_REQUIRE(wait_until([&] { return service.runs.load() == 1; }));
  BOOST_TEST(service.is_started());
  BOOST_TEST(registry_count("UtIdempotent") == 1);
  BOOST_TEST(kernel_thread_count("UtIdempotent") == 1);
  service.shutdown();
  BOOST_TEST(service.runs.load() == 1);
  BOOST_TEST(registry_count("UtIdempotent") == 0);
  BOOST_TEST(kernel_thread_count("UtIdempotent") == 0);
}

BOOST_AUTO_TEST_CASE(restart_after_shutdown_runs_again) {
  probe_service service("UtRestart");
  service.start();
  BOOST_TEST_REQUIRE(wait_until([&] { return service.runs.load() == 1; }));
  service.shutdown();
  BOOST_TEST(!service.is_started());
  BOOST_TEST(service.has_exited());

  service.start();
  BOOST_TEST_REQUIRE(wait_until([&] { return service.runs.load() == 2; }));
  BOOST_TEST(service.is_started());
  BOOST_TEST(!service.is_stopped());
  BOOST_TEST(!service.has_exited());
  service.shutdown();
  BOOST_TEST(service.runs.load() == 2);
  BOOST_TEST(registry_count("UtRestart") == 0);
}

BOOST_AUTO_TEST_CASE(shutdown_twice_is_a_no_op) {
  probe_service service("UtTwice");
  service.start();
  BOOST_TEST_REQUIRE(wait_until([&] { return service.runs.load() == 1; }));
  service.shutdown(true);
  const auto start = steady::now();
  service.shutdown(true);
  BOOST_TEST(elapsed_since(start) < 1000ms);
  // Only the first shutdown got past the started CAS.
  BOOST_TEST(service.interrupts.load() == 1);
  BOOST_TEST(!service.is_started());
  BOOST_TEST(service.is_stopped());
  BOOST_TEST(service.has_exited());
}

BOOST_AUTO_TEST_CASE(shutdown_without_start_is_a_no_op) {
  probe_service service("UtNoStart");
  service.shutdown(true);
  BOOST_TEST(!service.is_started());
  BOOST_TEST(!service.is_stopped());
  BOOST_TEST(service.has_exited());
  BOOST_TEST(service.interrupts.load() == 0);
  BOOST_TEST(service.runs.load() == 0);
}

BOOST_AUTO_TEST_CASE(shutdown_calls_on_interrupt_only_when_asked) {
  probe_service quiet("UtNoInterrupt");
  quiet.start();
  quiet.shutdown(false);
  BOOST_TEST(quiet.interrupts.load() == 0);

  probe_service loud("UtInterrupt");
  loud.start();
  loud.shutdown(true);
  BOOST_TEST(loud.interrupts.load() == 1);
}

BOOST_AUTO_TEST_CASE(make_stop_ends_the_loop_without_joining) {
  std::atomic<bool> release{false};
  probe_service service("UtMakeStop");
  // The loop ends only when stopped *and* released, so the test sees the window
  // where make_stop() has returned but the thread still runs.
  service.body = [&](probe_service& self) {
    while (!self.is_stopped() || !release.load()) self.wait_for_running(5ms);
  };
  service.start();
  BOOST_TEST_REQUIRE(wait_until([&] { return service.runs.load() == 1; }));

  service.make_stop();
  BOOST_TEST(service.is_stopped());
  // Upstream's makeStop leaves `started` alone.
  BOOST_TEST(service.is_started());
  BOOST_TEST(!service.has_exited());
  BOOST_TEST(!service.join_if_done());

  release.store(true);
  BOOST_TEST_REQUIRE(wait_until([&] { return service.has_exited(); }));
  BOOST_TEST(service.join_if_done());
  BOOST_TEST(registry_count("UtMakeStop") == 0);
  BOOST_TEST(kernel_thread_count("UtMakeStop") == 0);
  // A later shutdown finds nothing to join and returns at once.
  const auto start = steady::now();
  service.shutdown();
  BOOST_TEST(elapsed_since(start) < 1000ms);
}

BOOST_AUTO_TEST_CASE(make_stop_without_start_is_a_no_op) {
  probe_service service("UtMakeStopNo");
  service.make_stop();
  BOOST_TEST(!service.is_stopped());
  BOOST_TEST(service.join_if_done());
}

BOOST_AUTO_TEST_CASE(wakeup_before_wait_returns_at_once) {
  probe_service service("UtWakeFirst");
  constexpr auto interval = 2000ms;
  service.wakeup();
  const auto start = steady::now();
  service.wait_for_running(interval);
  BOOST_TEST(elapsed_since(start) < interval / 2);
}

BOOST_AUTO_TEST_CASE(wakeup_is_consumed_by_one_wait) {
  probe_service service("UtWakeOnce");
  service.wakeup();
  service.wakeup();
  service.wait_for_running(2000ms);
  const auto start = steady::now();
  service.wait_for_running(200ms);
  BOOST_TEST(elapsed_since(start) >= 190ms);
}

BOOST_AUTO_TEST_CASE(wait_without_wakeup_waits_about_the_interval) {
  probe_service service("UtWaitFull");
  const auto start = steady::now();
  service.wait_for_running(300ms);
  BOOST_TEST(elapsed_since(start) >= 290ms);
}

BOOST_AUTO_TEST_CASE(wakeup_during_wait_ends_it_early) {
  std::atomic<bool> waiting{false};
  std::atomic<long long> waited_ms{-1};
  probe_service service("UtWakeDuring");
  service.body = [&](probe_service& self) {
    waiting.store(true);
    const auto start = steady::now();
    self.wait_for_running(20'000ms);
    waited_ms.store(elapsed_since(start).count());
  };
  service.start();
  BOOST_TEST_REQUIRE(wait_until([&] { return waiting.load(); }));
  service.wakeup();
  BOOST_TEST_REQUIRE(wait_until([&] { return waited_ms.load() >= 0; }));
  BOOST_TEST(waited_ms.load() < 10'000);
  service.shutdown();
}

BOOST_AUTO_TEST_CASE(shutdown_wakes_a_long_wait) {
  probe_service service("UtShutWake", 60'000ms);
  service.start();
  BOOST_TEST_REQUIRE(wait_until([&] { return service.runs.load() == 1; }));
  const auto start = steady::now();
  service.shutdown();
  BOOST_TEST(elapsed_since(start) < 30'000ms);
  BOOST_TEST(service.has_exited());
}

BOOST_AUTO_TEST_CASE(shutdown_from_the_service_own_thread_does_not_deadlock) {
  std::atomic<bool> returned{false};
  probe_service service("UtSelfStop");
  service.body = [&](probe_service& self) {
    self.shutdown(true);
    returned.store(true);
  };
  service.start();
  BOOST_TEST_REQUIRE(wait_until([&] { return returned.load(); }));
  BOOST_TEST_REQUIRE(wait_until([&] { return service.has_exited(); }));
  BOOST_TEST(!service.is_started());
  BOOST_TEST(service.is_stopped());
  BOOST_TEST(service.interrupts.load() == 1);
  BOOST_TEST(service.join_if_done());
  BOOST_TEST(registry_count("UtSelfStop") == 0);
}

BOOST_AUTO_TEST_CASE(kernel_name_is_the_service_name) {
  probe_service service("ReadSocketSvc");
  service.start();
  BOOST_TEST_REQUIRE(wait_until([&] { return service.tid.load() != 0; }));
  BOOST_TEST(kernel_thread_name(service.tid.load()) == "ReadSocketSvc");
  service.shutdown();
}

BOOST_AUTO_TEST_CASE(kernel_name_keeps_the_first_15_characters) {
  probe_service service("AVeryLongServiceName");
  service.start();
  BOOST_TEST_REQUIRE(wait_until([&] { return service.tid.load() != 0; }));
  BOOST_TEST(kernel_thread_name(service.tid.load()) == "AVeryLongServic");
  BOOST_TEST(service.name() == "AVeryLongServiceName");
  service.shutdown();
}

BOOST_AUTO_TEST_CASE(thread_registry_counts_live_threads_by_name) {
  std::vector<std::unique_ptr<probe_service>> services;
  for (int i = 0; i < 3; ++i) services.push_back(std::make_unique<probe_service>("UtRegistry"));
  BOOST_TEST(registry_count("UtRegistry") == 0);
  for (auto& service : services) service->start();
  BOOST_TEST_REQUIRE(wait_until([&] { return registry_count("UtRegistry") == 3; }));
  BOOST_TEST(kernel_thread_count("UtRegistry") == 3);

  services[0]->shutdown();
  BOOST_TEST(registry_count("UtRegistry") == 2);
  services[1]->make_stop();
  BOOST_TEST_REQUIRE(wait_until([&] { return services[1]->has_exited(); }));
  BOOST_TEST(registry_count("UtRegistry") == 1);
  services.clear();
  BOOST_TEST(registry_count("UtRegistry") == 0);
  // Names with no live thread are dropped, not kept at zero.
  BOOST_TEST(hakit::thread_registry::instance().snapshot().count("UtRegistry") == 0U);
}

BOOST_AUTO_TEST_CASE(exception_in_run_ends_the_thread_and_the_process_lives) {
  probe_service service("UtThrows");
  service.body = [](probe_service&) { throw std::runtime_error("boom from run()"); };
  service.start();
  BOOST_TEST_REQUIRE(wait_until([&] { return service.has_exited(); }));
  BOOST_TEST(service.runs.load() == 1);
  BOOST_TEST(registry_count("UtThrows") == 0);
  service.shutdown();
  BOOST_TEST(!service.is_started());
}

BOOST_AUTO_TEST_CASE(shutdown_gives_up_after_the_join_cap_and_the_destructor_still_joins) {
  std::atomic<bool> release{false};
  auto service = std::make_unique<probe_service>("UtStubborn");
  service->join_cap = 100ms;
  // Ignores the stop request until released, like a loop stuck in a long call.
  service->body = [&](probe_service&) {
    while (!release.load()) std::this_thread::sleep_for(5ms);
  };
  service->start();
  BOOST_TEST_REQUIRE(wait_until([&] { return service->runs.load() == 1; }));
  const auto start = steady::now();
  service->shutdown();
  const auto took = elapsed_since(start);
  BOOST_TEST(took >= 90ms);
  BOOST_TEST(took < 5000ms);
  BOOST_TEST(!service->has_exited());
  BOOST_TEST(registry_count("UtStubborn") == 1);

  release.store(true);
  service.reset();
  BOOST_TEST(registry_count("UtStubborn") == 0);
  BOOST_TEST(kernel_thread_count("UtStubborn") == 0);
}

BOOST_AUTO_TEST_CASE(destroying_a_running_service_stops_and_joins_it) {
  auto service = std::make_unique<probe_service>("UtForgotten", 60'000ms);
  service->start();
  BOOST_TEST_REQUIRE(wait_until([&] { return registry_count("UtForgotten") == 1; }));
  const auto start = steady::now();
  service.reset();
  BOOST_TEST(elapsed_since(start) < 30'000ms);
  BOOST_TEST(registry_count("UtForgotten") == 0);
  BOOST_TEST(kernel_thread_count("UtForgotten") == 0);
}

BOOST_AUTO_TEST_SUITE_END()

// Failure paths: an exception of any type in run(), and a thread that cannot be
// created. Each runs in a forked child because the failure mode, were it to come
// back, takes the process down or poisons it.
BOOST_AUTO_TEST_SUITE(service_thread_failure_paths)

namespace {

/// Runs `body` in a forked child with default fatal-signal handling; returns its wait status.
template <class Body>
int run_in_child(Body body) {
  const pid_t child = ::fork();
  BOOST_TEST_REQUIRE(child >= 0);
  if (child == 0) {
    // Boost.Test's handlers would turn the child's abort into a test failure and
    // run the remaining tests in the child: let the signal kill it instead.
    for (const int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) ::signal(sig, SIG_DFL);
    ::_exit(body());
  }
  int status = 0;
  BOOST_TEST_REQUIRE(::waitpid(child, &status, 0) == child);
  return status;
}

}  // namespace

// STYLE.md: "Exceptions never leave a thread body". thread_main catches only
// std::exception, so anything else reaches std::terminate.
BOOST_AUTO_TEST_CASE(non_std_exception_in_run_does_not_kill_the_process) {
  const int status = run_in_child([] {
    probe_service service("UtThrowsInt");
    service.body = [](probe_service&) { throw 42; };
    service.start();
    const int code = wait_until([&] { return service.has_exited(); }) ? 0 : 2;
    service.shutdown();
    return code;
  });
  const bool killed_by_signal = WIFSIGNALED(status);
  const int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  BOOST_TEST(!killed_by_signal, "the child died of signal " << (killed_by_signal ? WTERMSIG(status) : 0)
                                    << ": an exception escaped the thread body and called std::terminate");
  BOOST_TEST(exit_code == 0);
}

// The accept service expects thread creation to fail when the process runs out
// of threads (the buggy variant's leak gets there). A start() that throws must
// leave the service not started and not running.
BOOST_AUTO_TEST_CASE(failed_thread_creation_leaves_the_service_not_started) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  BOOST_TEST_MESSAGE("skipped: the sanitizers' shadow memory cannot run under a small RLIMIT_AS");
#else
  enum : int { kOk = 0, kNotProvoked = 10, kStillStarted = 11, kNotExited = 12 };
  const int status = run_in_child([] {
    probe_service service("UtNoThread");
    // A thread stack (8 MiB by default) no longer fits in the address space.
    std::ifstream in("/proc/self/status");
    std::uint64_t vm_kib = 0;
    for (std::string line; std::getline(in, line);)
      if (line.rfind("VmSize:", 0) == 0) vm_kib = std::stoull(line.substr(7));
    const rlimit limit{(vm_kib + 2048) * 1024, (vm_kib + 2048) * 1024};
    ::setrlimit(RLIMIT_AS, &limit);
    try {
      service.start();
    } catch (const std::system_error&) {
      if (service.is_started()) return static_cast<int>(kStillStarted);
      if (!service.has_exited()) return static_cast<int>(kNotExited);
      return static_cast<int>(kOk);
    }
    service.shutdown();
    return static_cast<int>(kNotProvoked);
  });
  BOOST_TEST_REQUIRE(WIFEXITED(status));
  const int code = WEXITSTATUS(status);
  if (code == kNotProvoked) {
    BOOST_TEST_MESSAGE("could not make thread creation fail here; nothing checked");
    return;
  }
  BOOST_TEST(code != static_cast<int>(kStillStarted), "start() threw but is_started() is still true");
  BOOST_TEST(code != static_cast<int>(kNotExited), "start() threw but has_exited() is false: the reaper would wait forever");
  BOOST_TEST(code == static_cast<int>(kOk));
#endif
}

BOOST_AUTO_TEST_SUITE_END()
