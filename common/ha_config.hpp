// The MessageStoreConfig knobs the HA code reads, with upstream defaults.
#pragma once

#include <chrono>
#include <cstdint>

namespace hakit {

struct ha_config {
  /// haHousekeepingInterval: a connection with no bytes read for this long is closed.
  std::chrono::milliseconds housekeeping_interval{20'000};
  /// haSendHeartbeatInterval: master heartbeat and slave offset report cadence.
  std::chrono::milliseconds heartbeat_interval{5'000};
  /// haFlowControlEnable.
  bool flow_control_enable = false;
  /// maxHaTransferByteInSecond (100 MiB/s upstream).
  std::int64_t max_transfer_bytes_per_second = 100LL * 1024 * 1024;
  /// haTransferBatchSize (32 KiB upstream).
  std::int32_t transfer_batch_size = 32 * 1024;

  /// Slave: the wait of closeMasterAndWait() and after a failed connect (5 s upstream).
  std::chrono::milliseconds reconnect_wait{5'000};
  /// Slave: the wait after a failed truncate before closing (2 s upstream).
  std::chrono::milliseconds truncate_fail_wait{2'000};
  /// Slave: how long a handshake waits for the master's reply (select(5000) upstream).
  std::chrono::milliseconds handshake_reply_wait{5'000};

  /// Testing only: the master's write service fails its first transfer write,
  /// so the write-side close path can be driven deterministically.
  bool inject_write_failure = false;
};

}  // namespace hakit
