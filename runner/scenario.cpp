#include "runner/scenario.hpp"

namespace hakit::runner {

const std::vector<scenario>& all_scenarios() {
  static const std::vector<scenario> catalogue = {
      {"fin-after-handshake",
       "the slave handshakes, reads the reply and closes (FIN): the post-mortem's reconnect loop", exchange::fin_after_handshake, true},
      {"rst-after-handshake", "the slave handshakes and resets the connection (RST)", exchange::rst_after_handshake, true},
      {"health-probe", "a TCP health probe connects, sends a text timestamp and closes (apache/rocketmq issue 8875)",
       exchange::health_probe, true},
      {"bad-frame", "the peer sends a frame with an unknown state ordinal; the read loop ends", exchange::bad_frame, true},
      {"idle-timeout", "the slave handshakes and goes silent until housekeeping expires the connection",
       exchange::idle_until_expiry, true},
      {"write-failure", "the master's write loop fails its first transfer write (fault injection)", exchange::write_failure, true},
      {"destroy-connections", "open connections are shut down explicitly (HAService.destroyConnections): no variant leaks",
       exchange::destroy_connections, false},
      {"slave-reconnect", "a real slave whose epochs never match reconnects in a loop (the post-mortem's ~7 s cadence, compressed)",
       exchange::slave_reconnect, true},
  };
  return catalogue;
}

std::optional<scenario> find_scenario(std::string_view name) {
  for (const auto& s : all_scenarios())
    if (s.name == name) return s;
  return std::nullopt;
}

std::string scenario_names() {
  std::string names;
  for (const auto& s : all_scenarios()) names += (names.empty() ? "" : ", ") + s.name;
  return names;
}

}  // namespace hakit::runner
