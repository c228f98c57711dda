// Variant policy: RocketMQ 5.1.0 as released. When an HA connection's read or
// write loop ends on its own, nobody stops its FlowMonitor thread.
#pragma once

#include <string_view>

namespace hakit::variant {

inline constexpr std::string_view kName = "buggy";
inline constexpr std::string_view kPatch = "none (RocketMQ 5.1.0)";
inline constexpr std::string_view kDescription =
    "Apache RocketMQ 5.1.0 behaviour: a passively closed HA connection (peer close, read or write error, "
    "bad frame, housekeeping expiry) leaves its FlowMonitor thread running (apache/rocketmq issue 6226).";
/// Whether the end of each service loop stops the FlowMonitor (the lines PR 6227 added).
inline constexpr bool kStopFlowMonitorOnServiceEnd = false;

}  // namespace hakit::variant
