// Ports org.apache.rocketmq.store.ha.autoswitch.AutoSwitchHAConnection: the
// master's side of one slave connection, with its three threads.
//
//   start():    FlowMonitor, ReadSocketSvc, WriteSocketSvc
//
//   ReadSocketSvc loop ends     (EOF, RST, read error, bad frame, housekeeping expiry)
//     -> write.make_stop(), remove from the list, count--, socket shut down
//     -> [PR 6227] flow_monitor.shutdown(true)
//   WriteSocketSvc loop ends    (write error, exception in the state machine)
//     -> read.make_stop(), remove from the list, socket shut down
//     -> [PR 6227] flow_monitor.shutdown(true)
//   shutdown()                  (HAService.destroyConnections, both variants)
//     -> flow_monitor, write, read: shutdown(true), socket shut down
//
// Without the bracketed steps (the buggy variant) a passively closed connection
// leaves its FlowMonitor thread running forever; it keeps only itself alive.
// The socket number is released only when the connection is destroyed, after
// both service threads were joined, so no thread ever touches a reused fd.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "common/flow_monitor.hpp"
#include "common/ha_protocol.hpp"
#include "common/socket_io.hpp"

namespace hakit {

class ha_service;

class ha_connection {
 public:
  /// Takes the accepted socket; counts the connection (connectionCount++ upstream).
  ha_connection(ha_service& service, net::unique_fd socket);
  /// Stops whatever still runs and joins it.
  ~ha_connection();

  ha_connection(const ha_connection&) = delete;
  ha_connection& operator=(const ha_connection&) = delete;

  /// Starts the flow monitor, then the read and write services.
  void start();
  /// The explicit close: stops all three threads and joins them.
  void shutdown();
  /// True once both the read and the write loops have returned.
  [[nodiscard]] bool services_exited() const;
  /// Joins the read and write threads whose loops have returned.
  void join_exited_services();

  /// "/ip:port" of the slave.
  [[nodiscard]] const std::string& client_address() const { return client_address_; }
  [[nodiscard]] protocol::ha_state current_state() const { return state_.load(); }
  [[nodiscard]] std::int64_t slave_ack_offset() const { return slave_ack_offset_.load(); }
  [[nodiscard]] std::int64_t slave_id() const { return slave_id_.load(); }
  [[nodiscard]] std::int64_t transferred_byte_in_second() const { return flow_monitor_->transferred_byte_in_second(); }

 private:
  class read_socket_service;
  class write_socket_service;

  void change_current_state(protocol::ha_state state);

  ha_service& service_;
  // Declared first so it is closed last, after every thread using it is joined.
  net::unique_fd socket_;
  const std::string client_address_;
  std::atomic<protocol::ha_state> state_{protocol::ha_state::handshake};
  std::atomic<std::int64_t> slave_request_offset_{-1};
  std::atomic<std::int64_t> slave_ack_offset_{-1};
  std::atomic<bool> slave_sent_handshake_{false};
  std::atomic<bool> sync_from_last_file_{false};
  std::atomic<bool> async_learner_{false};
  std::atomic<std::int64_t> slave_id_{-1};
  std::shared_ptr<flow_monitor> flow_monitor_;
  std::unique_ptr<read_socket_service> read_;
  std::unique_ptr<write_socket_service> write_;
};

}  // namespace hakit
