// baseline and report: the thread-leak check behind hakit::leakcheck::fixture.
#include "hakit/leakcheck.hpp"

#include <algorithm>
#include <mutex>
#include <thread>

namespace hakit::leakcheck {
namespace {

bool same_threads(const std::vector<census::thread_info>& a, const std::vector<census::thread_info>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const census::thread_info& x, const census::thread_info& y) {
                      return x.tid == y.tid && x.name == y.name;
                    });
}

/// Starts and joins one thread, once per process: some runtimes start a helper
/// thread on the first pthread_create (ThreadSanitizer's background thread,
/// named like the process), which must land in the baseline, not in a report.
void warm_up_thread_runtime() {
  static std::once_flag once;
  std::call_once(once, [] { std::thread([] {}).join(); });
}

}  // namespace

bool filters::ignores(std::string_view name) const {
  return std::find(names.begin(), names.end(), name) != names.end() ||
         std::any_of(prefixes.begin(), prefixes.end(),
                     [name](const std::string& prefix) { return name.starts_with(prefix); });
}

bool report::clean() const noexcept { return leaked.empty(); }

std::string report::summary() const {
  std::string text;
  if (leaked.empty()) {
    text = "no leaked threads";
  } else {
    text = "leaked " + std::to_string(leaked.size()) + (leaked.size() == 1 ? " thread: " : " threads: ");
    for (std::size_t i = 0; i < by_name.size(); ++i) {
      text += (i == 0 ? "" : ", ") + by_name[i].name + " x" + std::to_string(by_name[i].count);
    }
  }
  if (!settled) {
    text += " (threads still starting or ending after " + std::to_string(waited.count()) + " ms)";
  }
  return text;
}

baseline baseline::take() {
  warm_up_thread_runtime();
  return baseline(census::list_threads(census::self_pid()));
}

baseline::baseline(std::vector<census::thread_info> threads) : threads_(std::move(threads)) {
  std::sort(threads_.begin(), threads_.end(),
            [](const census::thread_info& a, const census::thread_info& b) { return a.tid < b.tid; });
}

const std::vector<census::thread_info>& baseline::threads() const noexcept { return threads_; }

std::vector<census::thread_info> baseline::new_threads(const std::vector<census::thread_info>& now,
                                                       const filters& ignored) const {
  std::vector<census::thread_info> fresh;
  for (const auto& thread : now) {
    // An exited thread no longer runs code; it only waits to be reaped.
    if (thread.state == 'Z' || thread.state == 'X' || ignored.ignores(thread.name)) {
      continue;
    }
    // Tid and name together, so a recycled tid with a new name still counts as new.
    const auto known = std::lower_bound(
        threads_.begin(), threads_.end(), thread.tid,
        [](const census::thread_info& a, int tid) { return a.tid < tid; });
    if (known != threads_.end() && known->tid == thread.tid && known->name == thread.name) {
      continue;
    }
    fresh.push_back(thread);
  }
  return fresh;
}

report baseline::check(std::chrono::milliseconds deadline, std::chrono::milliseconds window,
                       const filters& ignored) const {
  return check(settle_options{window, deadline, ignored});
}

report baseline::check(const settle_options& options) const {
  using clock = std::chrono::steady_clock;
  const int pid = census::self_pid();
  const auto start = clock::now();
  // /proc offers no notification when a thread ends, so poll; a tenth of the
  // window keeps the settle time close to the window itself.
  const auto poll = std::clamp(options.window / 10, std::chrono::milliseconds(1), std::chrono::milliseconds(20));

  report result;
  auto current = new_threads(census::list_threads(pid), options.filters);
  auto last_change = start;
  for (;;) {
    const auto now = clock::now();
    if (now - last_change >= options.window) {
      result.settled = true;
      break;
    }
    if (now - start >= options.deadline) {
      break;
    }
    std::this_thread::sleep_for(poll);
    auto next = new_threads(census::list_threads(pid), options.filters);
    if (!same_threads(current, next)) {
      current = std::move(next);
      last_change = clock::now();
    }
  }
  result.waited = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start);
  result.by_name = census::largest_first(census::count_by_name(current));
  result.leaked = std::move(current);
  return result;
}

}  // namespace hakit::leakcheck
