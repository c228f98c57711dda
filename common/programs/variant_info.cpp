#include "common/programs/variant_info.hpp"

#include <unistd.h>

#include <string>

#include "hakit_variant.hpp"

namespace hakit::programs {

nlohmann::json describe_variant() {
  // The places PR 6227 touched, with the port's file for each; both variants list
  // them, and kStopFlowMonitorOnServiceEnd says whether they stop the monitor.
  const auto sites = nlohmann::json::array({
      {{"upstream", "AutoSwitchHAConnection.ReadSocketService.run() end"},
       {"port", "common/ha_connection.cpp read_socket_service::end_of_loop"}},
      {{"upstream", "AutoSwitchHAConnection.WriteSocketService.run() end"},
       {"port", "common/ha_connection.cpp write_socket_service::end_of_loop"}},
      {{"upstream", "AutoSwitchHAClient.run() case SHUTDOWN"}, {"port", "common/ha_client.cpp ha_client::run"}},
      {{"upstream", "AutoSwitchHAClient.run() end"}, {"port", "common/ha_client.cpp ha_client::run"}},
  });
  return {{"variant", std::string(variant::kName)},
          {"patch", std::string(variant::kPatch)},
          {"description", std::string(variant::kDescription)},
          {"stops_flow_monitor_on_service_end", variant::kStopFlowMonitorOnServiceEnd},
          {"patch_sites", sites}};
}

nlohmann::json ready_event(const std::filesystem::path& log_dir) {
  auto ready = describe_variant();
  ready.erase("patch_sites");
  ready["event"] = "ready";
  ready["pid"] = ::getpid();
  ready["log"] = (log_dir / "store.log").string();
  return ready;
}

}  // namespace hakit::programs
