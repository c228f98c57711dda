// Ports the parts of AutoSwitchHAService / DefaultHAService the leak lives in:
// the accept service, the connection list, the connection count and
// destroyConnections(). It also owns the threads the Java GC would have
// collected: a connection whose loops ended is joined and freed by the reaper.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "common/commit_log.hpp"
#include "common/ha_config.hpp"
#include "common/socket_io.hpp"

namespace hakit {

class ha_connection;

/// What the `stats` command reports about the service.
struct ha_service_stats {
  std::int64_t connections_in_list = 0;  ///< connectionList.size()
  std::int64_t connection_count = 0;     ///< connectionCount (decremented by the read loop's end)
  std::int64_t accepted = 0;             ///< connections accepted since start
  std::int64_t awaiting_reap = 0;        ///< removed from the list, threads not yet joined
};

class ha_service {
 public:
  ha_service(ha_config config, std::shared_ptr<const commit_log> store);
  /// Calls shutdown().
  ~ha_service();

  ha_service(const ha_service&) = delete;
  ha_service& operator=(const ha_service&) = delete;

  /// Binds the HA port and starts the accept service; returns the bound port.
  std::uint16_t start(const net::endpoint& where);
  /// Stops accepting, destroys every connection and joins every thread it owns.
  /// Leaked FlowMonitors of the buggy variant are not its to stop: nobody references them.
  void shutdown();

  /// Adds a started connection (upstream adds after start(); see PR 8876).
  void add_connection(std::shared_ptr<ha_connection> connection);
  /// Removes a connection from the list and hands it to the reaper; a no-op if absent.
  void remove_connection(ha_connection& connection);
  /// Explicitly shuts down every listed connection and clears the list; returns how many.
  std::size_t destroy_connections();
  /// Joins and frees removed connections whose loops have ended.
  void reap_finished();

  [[nodiscard]] ha_service_stats stats() const;
  [[nodiscard]] const ha_config& config() const { return config_; }
  [[nodiscard]] const commit_log& store() const { return *store_; }
  /// connectionCount: incremented by a new connection, decremented by its read loop's end.
  std::atomic<std::int64_t>& connection_count() { return connection_count_; }

 private:
  class accept_socket_service;
  friend class accept_socket_service;

  const ha_config config_;
  const std::shared_ptr<const commit_log> store_;
  std::atomic<std::int64_t> connection_count_{0};
  std::atomic<std::int64_t> accepted_{0};
  mutable std::mutex mutex_;  // guards connections_ and retired_
  std::vector<std::shared_ptr<ha_connection>> connections_;
  std::vector<std::shared_ptr<ha_connection>> retired_;
  std::unique_ptr<accept_socket_service> accept_;
};

}  // namespace hakit
