// Ports org.apache.rocketmq.common.ServiceThread: a named OS thread with a
// cooperative stop flag, a one-shot wakeup and a capped join.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace hakit {

/// A service thread with upstream's semantics:
///   start()            idempotent (CAS on started), restartable after shutdown()
///   shutdown(i)        CAS started->false, stopped=true, wakeup, join with a cap
///   make_stop()        stopped=true only: nobody joins, the loop ends on its own
///   wakeup()           makes the next (or current) wait_for_running() return at once
/// The owner must call shutdown() (or make sure the loop ended and call join_if_done())
/// before destroying the object; the destructor refuses to run run() on a dead object.
class service_thread {
 public:
  /// `name` is the kernel thread name (at most 15 characters, as `comm` shows it).
  explicit service_thread(std::string name);
  virtual ~service_thread();

  service_thread(const service_thread&) = delete;
  service_thread& operator=(const service_thread&) = delete;

  /// Starts the thread unless it is already started.
  void start();
  /// Stops and joins (at most join_timeout()); `interrupt` also calls on_interrupt().
  /// A no-op when not started. Safe from any thread, including this service's own.
  void shutdown(bool interrupt = false);
  /// Asks the loop to end without waiting for it.
  void make_stop();
  /// Wakes a pending or the next wait_for_running().
  void wakeup();
  /// True once shutdown() or make_stop() asked the loop to end.
  [[nodiscard]] bool is_stopped() const noexcept { return stopped_.load(std::memory_order_acquire); }
  /// True between start() and shutdown().
  [[nodiscard]] bool is_started() const noexcept { return started_.load(std::memory_order_acquire); }
  /// True once run() has returned on the current thread (or no thread was ever started).
  [[nodiscard]] bool has_exited() const;
  /// Joins the thread if run() has already returned; returns whether it is joined now.
  bool join_if_done();
  /// The kernel thread name.
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  /// Upstream caps the join in shutdown() at 90 s.
  static constexpr std::chrono::milliseconds kDefaultJoinTimeout{90'000};

 protected:
  /// The loop body; runs on the service thread.
  virtual void run() = 0;
  /// Called by shutdown(true): unblock whatever run() may be blocked on (sockets).
  virtual void on_interrupt() {}
  /// Called after every wait_for_running().
  virtual void on_wait_end() {}
  /// What the thread itself keeps alive while it runs. Services whose thread may
  /// outlive their owner (a leaked FlowMonitor) return shared_from_this().
  virtual std::shared_ptr<void> lifetime_anchor() { return nullptr; }
  /// The join cap of shutdown(); tests shorten it.
  [[nodiscard]] virtual std::chrono::milliseconds join_timeout() const { return kDefaultJoinTimeout; }
  /// Sleeps up to `interval` unless a wakeup is pending or arrives.
  void wait_for_running(std::chrono::milliseconds interval);
  /// Derived destructors call this first so run() never outlives the derived part.
  void stop_and_join_for_destruction();

 private:
  void thread_main(std::shared_ptr<void> anchor);

  const std::string name_;
  std::atomic<bool> started_{false};
  std::atomic<bool> stopped_{false};
  std::atomic<bool> has_notified_{false};

  // Guards thread_ and exited_ and is the wakeup's condition variable mutex.
  mutable std::mutex mutex_;
  std::condition_variable wake_cv_;
  std::condition_variable exit_cv_;
  std::thread thread_;
  bool exited_ = true;
};

}  // namespace hakit
