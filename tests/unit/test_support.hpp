// Helpers the unit tests share: waiting on a condition with a deadline, the
// thread registry by name, and kernel thread names read from /proc/self.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>

#include "common/thread_registry.hpp"

namespace hakit::test {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

/// Polls `condition` every few milliseconds until it holds or `timeout` passes; returns its last value.
template <class Condition>
bool wait_until(Condition condition, std::chrono::milliseconds timeout = 5000ms) {
  const auto deadline = steady::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (steady::now() >= deadline) return condition();
    std::this_thread::sleep_for(5ms);
  }
}

/// Live threads the registry counts under `name`.
inline std::int64_t registry_count(const std::string& name) {
  const auto snapshot = thread_registry::instance().snapshot();
  const auto it = snapshot.find(name);
  return it == snapshot.end() ? 0 : it->second;
}

/// The kernel name (`comm`) of thread `tid` of this process, without the newline.
inline std::string kernel_thread_name(pid_t tid) {
  std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/comm");
  std::string name;
  std::getline(in, name);
  return name;
}

/// Threads of this process by kernel name, read from /proc/self/task/*/comm.
inline std::map<std::string, std::int64_t> kernel_threads_by_name() {
  std::map<std::string, std::int64_t> counts;
  std::error_code error;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", error)) {
    std::ifstream in(task.path() / "comm");
    std::string name;
    // A thread may end between listing and reading: skip it.
    if (std::getline(in, name)) ++counts[name];
  }
  return counts;
}

inline std::int64_t kernel_thread_count(const std::string& name) {
  const auto counts = kernel_threads_by_name();
  const auto it = counts.find(name);
  return it == counts.end() ? 0 : it->second;
}

/// Waits until `sample()` returns the same value for `quiet`, or `timeout` passes; returns the last value.
template <class Sample>
auto settle(Sample sample, std::chrono::milliseconds quiet = 300ms, std::chrono::milliseconds timeout = 10'000ms) {
  const auto deadline = steady::now() + timeout;
  auto last = sample();
  auto stable_since = steady::now();
  while (steady::now() < deadline) {
    std::this_thread::sleep_for(20ms);
    auto now = sample();
    if (now != last) {
      last = now;
      stable_since = steady::now();
    } else if (steady::now() - stable_since >= quiet) {
      break;
    }
  }
  return last;
}

}  // namespace hakit::test
