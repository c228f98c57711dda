// The churn driver: Boost.Asio clients that each perform one scenario exchange
// against a master on loopback, many in flight, bounded in count and time.
// It speaks the HA wire format with its own few lines of encoding, on purpose
// independent of the port's codec, so a codec bug cannot hide itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <set>
#include <string>

#include "runner/net.hpp"
#include "runner/scenario.hpp"

namespace hakit::runner {

struct churn_settings {
  exchange kind = exchange::fin_after_handshake;
  std::int64_t connections = 0;                      ///< exchanges to perform in total
  std::int64_t concurrency = 1;                      ///< exchanges in flight at most
  std::chrono::milliseconds per_connection_timeout{5'000};
  std::chrono::steady_clock::time_point deadline;    ///< no exchange starts after it; running ones are cut
  std::uint64_t seed = 1;
};

struct churn_counters {
  std::int64_t attempted = 0;   ///< exchanges started
  std::int64_t closed = 0;      ///< exchanges that ran to the scenario's close
  std::int64_t failed = 0;      ///< connect refused, reset too early, timeout
  std::int64_t in_flight = 0;
  std::string first_failure;    ///< the first failure, in words
};

class churn_driver {
 public:
  churn_driver(asio::io_context& io, tcp::endpoint master, churn_settings settings);

  /// Runs every exchange; completes when all are done, the deadline passed or stop() was called.
  awaitable<void> run();
  /// Starts no more exchanges and cuts the running ones short.
  void stop();
  [[nodiscard]] const churn_counters& counters() const { return counters_; }
  [[nodiscard]] bool stopped() const { return stopped_; }

 private:
  struct connection_state;
  awaitable<void> worker();
  awaitable<void> exchange_once(std::int64_t index);

  asio::io_context& io_;
  tcp::endpoint master_;
  churn_settings settings_;
  churn_counters counters_;
  std::mt19937_64 random_;
  std::int64_t next_ = 0;
  bool stopped_ = false;
  std::uint64_t generation_ = 0;  // bumped by stop() so running exchanges notice
  std::set<std::shared_ptr<connection_state>> live_;  // exchanges stop() must cut short
};

}  // namespace hakit::runner
