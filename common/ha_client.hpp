// Ports org.apache.rocketmq.store.ha.autoswitch.AutoSwitchHAClient: the slave's
// single HA thread (with its own FlowMonitor) that connects to the master,
// handshakes, checks its log against the master's epochs, receives data and
// reports offsets, and reconnects after every failure.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/commit_log.hpp"
#include "common/flow_monitor.hpp"
#include "common/ha_config.hpp"
#include "common/ha_protocol.hpp"
#include "common/service_thread.hpp"
#include "common/socket_io.hpp"

namespace hakit {

/// What the slave's `stats` command reports.
struct ha_client_stats {
  std::string state;                   ///< HAConnectionState name
  std::int64_t connects = 0;           ///< successful connects to the master
  std::int64_t handshakes = 0;         ///< master handshakes received
  std::int64_t truncate_failures = 0;  ///< handshakes whose epochs did not match
  std::int64_t max_offset = 0;         ///< local log end (bytes received and verified)
  std::int64_t reported_offset = 0;    ///< last offset reported to the master
  std::int64_t corrupt_bytes = 0;      ///< received bytes that differ from the master's log
};

class ha_client final : public service_thread {
 public:
  /// `local_epochs` seeds the slave's epoch cache; entries the master does not
  /// have make every truncate fail, which is how the post-mortem's slave looped.
  ha_client(ha_config config, net::endpoint master, std::int64_t broker_id, epoch_cache local_epochs);
  ~ha_client() override;

  /// Ports AutoSwitchHAClient.shutdown(): SHUTDOWN state, stop the flow monitor
  /// and the thread, close the connection.
  void stop();
  [[nodiscard]] ha_client_stats stats() const;

 protected:
  void run() override;
  void on_interrupt() override;

 private:
  bool connect_master();
  void close_master();
  void close_master_and_wait();
  void handshake_with_master();
  bool transfer_from_master();
  bool read_and_process();
  bool process_handshake(const protocol::master_handshake& frame);
  bool process_transfer(const protocol::master_transfer_header& header, std::span<const std::uint8_t> body);
  bool report_offset(std::int64_t offset);
  bool send(const std::vector<std::uint8_t>& bytes);
  void change_state(protocol::ha_state state);

  const ha_config config_;
  const net::endpoint master_;
  const std::int64_t broker_id_;
  epoch_cache local_epochs_;
  std::shared_ptr<flow_monitor> flow_monitor_;

  mutable std::mutex socket_mutex_;  // guards socket_ between the loop and stop()
  net::unique_fd socket_;
  std::vector<std::uint8_t> buffer_;
  std::size_t filled_ = 0;
  std::chrono::steady_clock::time_point last_read_;
  std::chrono::steady_clock::time_point last_write_;

  std::atomic<protocol::ha_state> state_{protocol::ha_state::ready};
  std::atomic<std::int64_t> connects_{0};
  std::atomic<std::int64_t> handshakes_{0};
  std::atomic<std::int64_t> truncate_failures_{0};
  std::atomic<std::int64_t> max_offset_{0};
  std::atomic<std::int64_t> reported_offset_{0};
  std::atomic<std::int64_t> corrupt_bytes_{0};
};

}  // namespace hakit
