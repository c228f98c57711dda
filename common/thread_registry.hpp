// Live service threads by name, as the program itself sees them (the `stats`
// command reports it next to what /proc says, so the two can be cross-checked).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace hakit {

class thread_registry {
 public:
  /// The process-wide registry.
  static thread_registry& instance();
  /// Counts one more live thread named `name`.
  void add(const std::string& name);
  /// Counts one live thread named `name` less.
  void remove(const std::string& name);
  /// Live threads by name (names with zero live threads omitted).
  [[nodiscard]] std::map<std::string, std::int64_t> snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::int64_t> live_;
};

}  // namespace hakit
