#include "common/service_thread.hpp"

#include <pthread.h>

#include <utility>

#include "common/store_log.hpp"
#include "common/thread_registry.hpp"

namespace hakit {

service_thread::service_thread(std::string name) : name_(std::move(name)) {}

service_thread::~service_thread() {
  std::thread leftover;
  {
    std::lock_guard lock(mutex_);
    leftover = std::move(thread_);
  }
  if (!leftover.joinable()) return;
  // The last owner can be the thread itself (a FlowMonitor that anchors its own
  // lifetime): it is about to return, so letting it go is the only option.
  if (leftover.get_id() == std::this_thread::get_id()) {
    leftover.detach();
    return;
  }
  // Reaching here means an owner forgot to stop the service: wait rather than
  // leave a thread running on freed memory.
  stopped_.store(true, std::memory_order_release);
  wakeup();
  leftover.join();
}

void service_thread::start() {
  if (bool expected = false; !started_.compare_exchange_strong(expected, true)) return;
  std::thread previous;
  {
    std::lock_guard lock(mutex_);
    previous = std::move(thread_);
  }
  // A restart after make_stop() may find the previous loop still finishing.
  if (previous.joinable() && previous.get_id() != std::this_thread::get_id()) previous.join();
  if (previous.joinable()) previous.detach();

  stopped_.store(false, std::memory_order_release);
  std::lock_guard lock(mutex_);
  exited_ = false;
  // Counted from here, so a `stats` right after start() already sees the thread.
  thread_registry::instance().add(name_);
  try {
    thread_ = std::thread(&service_thread::thread_main, this, lifetime_anchor());
  } catch (...) {
    // No thread (EAGAIN when the process is out of threads): the service is not started.
    thread_registry::instance().remove(name_);
    exited_ = true;
    started_.store(false, std::memory_order_release);
    throw;
  }
  // Name it from here too, so /proc never shows it under its creator's name for long.
  ::pthread_setname_np(thread_.native_handle(), name_.substr(0, 15).c_str());
}

void service_thread::thread_main(std::shared_ptr<void> anchor) {
  ::pthread_setname_np(::pthread_self(), name_.substr(0, 15).c_str());
  try {
    run();
  } catch (const std::exception& e) {
    // Upstream loops catch everything and end; an exception must never leave a thread.
    store_log::error(name_, name_ + " service has exception: " + e.what());
  } catch (...) {
    store_log::error(name_, name_ + " service has exception: not a std::exception");
  }
  thread_registry::instance().remove(name_);
  {
    std::lock_guard lock(mutex_);
    exited_ = true;
  }
  exit_cv_.notify_all();
  // `anchor` may hold the last reference to this object: release it last, after
  // every member access above.
  anchor.reset();
}

void service_thread::shutdown(bool interrupt) {
  if (bool expected = true; !started_.compare_exchange_strong(expected, false)) return;
  stopped_.store(true, std::memory_order_release);
  wakeup();
  if (interrupt) on_interrupt();

  std::thread finished;
  {
    std::unique_lock lock(mutex_);
    if (!thread_.joinable() || thread_.get_id() == std::this_thread::get_id()) return;
    if (!exit_cv_.wait_for(lock, join_timeout(), [this] { return exited_; })) {
      store_log::warn(name_, "join thread[" + name_ + "] timed out; it will be joined when its owner is destroyed");
      return;
    }
    finished = std::move(thread_);
  }
  finished.join();
}

void service_thread::make_stop() {
  if (!started_.load(std::memory_order_acquire)) return;
  stopped_.store(true, std::memory_order_release);
}

void service_thread::wakeup() {
  {
    std::lock_guard lock(mutex_);
    if (has_notified_.exchange(true)) return;
  }
  wake_cv_.notify_all();
}

void service_thread::wait_for_running(std::chrono::milliseconds interval) {
  {
    std::unique_lock lock(mutex_);
    if (!has_notified_.exchange(false)) {
      wake_cv_.wait_for(lock, interval, [this] { return has_notified_.load(); });
      has_notified_.store(false);
    }
  }
  on_wait_end();
}

bool service_thread::has_exited() const {
  std::lock_guard lock(mutex_);
  return exited_;
}

bool service_thread::join_if_done() {
  std::thread finished;
  {
    std::lock_guard lock(mutex_);
    if (!exited_) return false;
    finished = std::move(thread_);
  }
  if (finished.joinable()) finished.join();
  return true;
}

void service_thread::stop_and_join_for_destruction() {
  std::thread leftover;
  {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable() || thread_.get_id() == std::this_thread::get_id()) return;
    leftover = std::move(thread_);
  }
  stopped_.store(true, std::memory_order_release);
  wakeup();
  on_interrupt();
  leftover.join();
  started_.store(false, std::memory_order_release);
}

}  // namespace hakit
