#include "common/thread_registry.hpp"

namespace hakit {

thread_registry& thread_registry::instance() {
  // Leaked on purpose: leaked service threads may still deregister during exit.
  static auto* registry = new thread_registry;
  return *registry;
}

void thread_registry::add(const std::string& name) {
  std::lock_guard lock(mutex_);
  ++live_[name];
}

void thread_registry::remove(const std::string& name) {
  std::lock_guard lock(mutex_);
  if (auto it = live_.find(name); it != live_.end() && --it->second == 0) live_.erase(it);
}

std::map<std::string, std::int64_t> thread_registry::snapshot() const {
  std::lock_guard lock(mutex_);
  return live_;
}

}  // namespace hakit
