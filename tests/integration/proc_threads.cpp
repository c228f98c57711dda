#include "tests/integration/proc_threads.hpp"

#include <filesystem>
#include <fstream>
#include <thread>

namespace hakit::it {

thread_census threads_by_name(pid_t pid) {
  thread_census census;
  std::error_code error;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks, error)) {
    std::ifstream in(task.path() / "comm");
    std::string name;
    // A thread can end between listing and reading: it is simply not counted.
    if (std::getline(in, name)) ++census[name];
  }
  return census;
}

std::int64_t count_of(const thread_census& census, const std::string& name) {
  const auto it = census.find(name);
  return it == census.end() ? 0 : it->second;
}

std::pair<thread_census, bool> settle_threads(pid_t pid, std::chrono::milliseconds quiet,
                                              std::chrono::milliseconds timeout) {
  using steady = std::chrono::steady_clock;
  const auto deadline = steady::now() + timeout;
  auto last = threads_by_name(pid);
  auto stable_since = steady::now();
  while (steady::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto now = threads_by_name(pid);
    if (now != last) {
      last = std::move(now);
      stable_since = steady::now();
    } else if (steady::now() - stable_since >= quiet) {
      return {last, true};
    }
  }
  return {last, false};
}

std::string describe(const thread_census& census) {
  std::string text;
  for (const auto& [name, count] : census) text += (text.empty() ? "" : " ") + name + "=" + std::to_string(count);
  return text.empty() ? "(no threads)" : text;
}

}  // namespace hakit::it
