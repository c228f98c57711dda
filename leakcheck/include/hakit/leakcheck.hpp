// A thread-leak check for any C++ test suite: remember this process's threads,
// run the code under test, then report the threads it left behind. It sees live
// kernel threads: a thread that returned but was never joined is not reported.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "hakit/census.hpp"

namespace hakit::leakcheck {

/// Threads that are expected to outlive the code under test (pools, runtimes).
struct filters {
  std::vector<std::string> names;     ///< kernel names ignored exactly
  std::vector<std::string> prefixes;  ///< kernel names ignored when they start with one of these

  /// True when a thread called `name` is not to be reported.
  [[nodiscard]] bool ignores(std::string_view name) const;
};

/// How long to let exiting threads finish before judging.
struct settle_options {
  /// The new threads must stay the same for this long to count as settled.
  std::chrono::milliseconds window{200};
  /// Give up waiting for them to settle after this long and report what is left.
  std::chrono::milliseconds deadline{5000};
  /// Known threads that are never reported.
  leakcheck::filters filters;
};

/// What remained after the code under test.
struct report {
  std::vector<census::thread_info> leaked;  ///< new threads still alive, ordered by tid
  std::vector<census::name_count> by_name;  ///< the same, grouped, largest group first
  bool settled = false;                     ///< false when the deadline passed while threads still changed
  std::chrono::milliseconds waited{0};      ///< time spent settling

  /// True when no thread leaked.
  [[nodiscard]] bool clean() const noexcept;
  /// "no leaked threads" or "leaked 3 threads: FlowMonitor x3", plus a note when unsettled.
  [[nodiscard]] std::string summary() const;
};

/// The threads of this process at one instant, to compare later ones against.
class baseline {
 public:
  /// Takes the baseline of the calling process now. The first call starts and
  /// joins one thread so runtimes that add a thread on the first pthread_create
  /// (ThreadSanitizer) are in the baseline. Throws census::census_error.
  static baseline take();

  /// The baseline of a given set of threads; mainly for tests.
  explicit baseline(std::vector<census::thread_info> threads);

  /// Waits until the threads not in the baseline stop changing for `options.window`
  /// (or `options.deadline` passes) and reports those that remain.
  [[nodiscard]] report check(const settle_options& options = {}) const;

  /// The same with the settle figures spelled out.
  [[nodiscard]] report check(std::chrono::milliseconds deadline, std::chrono::milliseconds window,
                             const filters& ignored = {}) const;

  /// The threads recorded, ordered by tid.
  [[nodiscard]] const std::vector<census::thread_info>& threads() const noexcept;

  /// Threads of `now` that are neither in the baseline nor ignored nor already exited.
  [[nodiscard]] std::vector<census::thread_info> new_threads(const std::vector<census::thread_info>& now,
                                                             const filters& ignored) const;

 private:
  std::vector<census::thread_info> threads_;
};

}  // namespace hakit::leakcheck
