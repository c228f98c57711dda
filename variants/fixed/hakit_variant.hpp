// Variant policy: RocketMQ with apache/rocketmq PR 6227 applied: the end of
// both service loops (and of the slave's HA client loop) stops the FlowMonitor.
#pragma once

#include <string_view>

namespace hakit::variant {

inline constexpr std::string_view kName = "fixed";
inline constexpr std::string_view kPatch = "apache/rocketmq PR 6227";
inline constexpr std::string_view kDescription =
    "Apache RocketMQ with PR 6227 (fix for issue 6226): flowMonitor.shutdown(true) at the end of "
    "ReadSocketService.run() and WriteSocketService.run(), and in AutoSwitchHAClient.run() on SHUTDOWN "
    "and at its end.";
/// Whether the end of each service loop stops the FlowMonitor (the lines PR 6227 added).
inline constexpr bool kStopFlowMonitorOnServiceEnd = true;

}  // namespace hakit::variant
