// What a variant program says about itself (`--describe`, the ready line).
#pragma once

#include <nlohmann/json.hpp>

namespace hakit::programs {

/// {"variant", "patch", "description", "stops_flow_monitor_on_service_end", "patch_sites": [...]}
nlohmann::json describe_variant();

}  // namespace hakit::programs
