// The catalogue of scenarios: each is one close path of an HA connection, with
// what the master needs for it and the outcome expected of each variant.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hakit::runner {

/// How the churn reaches the master for a scenario.
enum class exchange {
  fin_after_handshake,   ///< handshake, read the reply, close (FIN)
  rst_after_handshake,   ///< handshake, read the reply, close with SO_LINGER 0 (RST)
  health_probe,          ///< send a text timestamp, close (apache/rocketmq issue 8875's probe)
  bad_frame,             ///< send a frame with an unknown state ordinal, wait for the master to close
  idle_until_expiry,     ///< handshake, then stay silent until housekeeping closes the connection
  write_failure,         ///< handshake + transfer report against a master told to fail its first write
  destroy_connections,   ///< hold connections open, then `destroy-connections` (explicit shutdown)
  slave_reconnect,       ///< a real ha-slave process in its reconnect loop (failed truncate each time)
};

struct scenario {
  std::string name;
  std::string description;
  exchange kind;
  /// Whether the bug applies: the buggy variant is expected to leak here.
  bool bug_applies;
};

/// Every scenario, in the order `--scenario all` runs them.
const std::vector<scenario>& all_scenarios();
/// The scenario called `name`, or nothing.
std::optional<scenario> find_scenario(std::string_view name);
/// "fin-after-handshake, rst-after-handshake, ..." for help and errors.
std::string scenario_names();

}  // namespace hakit::runner
