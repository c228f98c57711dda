// Test helpers shared by the census and leakcheck tests: a thread with a chosen
// kernel name that waits until stopped, and a deadline-bounded wait on /proc.
#pragma once

#include <pthread.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "hakit/census.hpp"

namespace hakit::test {

/// Polls `condition` until it holds or `deadline` passes; /proc has no change
/// notification, so polling is the only way to wait on it. Returns the last result.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds deadline = std::chrono::seconds(5)) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    if (condition()) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= until) {
      return condition();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

/// A thread named `name` (at most 15 bytes) that sleeps until stop() or destruction.
class parked_thread {
 public:
  /// Returns once the thread sleeps under its new name, so a census sees it
  /// with its name and in state S.
  explicit parked_thread(std::string name) : name_(std::move(name)) {
    thread_ = std::thread([this] { run(); });
    int tid = 0;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return tid_ != 0; });
      tid = tid_;
    }
    static_cast<void>(eventually([tid] { return state_of(tid) == 'S'; }));
  }
  parked_thread(const parked_thread&) = delete;
  parked_thread& operator=(const parked_thread&) = delete;
  ~parked_thread() { stop(); }

  /// Wakes the thread and joins it; idempotent.
  void stop() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    if (thread_.joinable()) {
      thread_.join();
    }
  }

  /// The state letter of thread `tid` of this process, '?' when it is gone.
  static char state_of(int tid) {
    for (const auto& thread : census::list_threads(census::self_pid())) {
      if (thread.tid == tid) {
        return thread.state;
      }
    }
    return '?';
  }

  /// The kernel task id of the thread.
  [[nodiscard]] int tid() const {
    const std::lock_guard lock(mutex_);
    return tid_;
  }

 private:
  void run() {
    pthread_setname_np(pthread_self(), name_.c_str());
    std::unique_lock lock(mutex_);
    tid_ = static_cast<int>(::gettid());
    changed_.notify_all();
    changed_.wait(lock, [this] { return stopping_; });
  }

  std::string name_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  int tid_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace hakit::test
