// What a variant program says about itself (`--describe`, the ready line).
#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

namespace hakit::programs {

/// {"variant", "patch", "description", "stops_flow_monitor_on_service_end", "patch_sites": [...]}
nlohmann::json describe_variant();

/// The ready line: {"event":"ready","pid",...} with the variant's description and the log path.
nlohmann::json ready_event(const std::filesystem::path& log_dir);

}  // namespace hakit::programs
