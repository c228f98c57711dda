// Flags the master and the slave programs share: timing knobs with upstream
// defaults, the log directory, and the common error handling.
#pragma once

#include <filesystem>
#include <string>

#include <boost/program_options.hpp>

#include "common/ha_config.hpp"

namespace hakit::programs {

namespace po = boost::program_options;

/// Registers --housekeeping-ms, --heartbeat-ms, --flow-control, --max-transfer-bytes-per-second,
/// --transfer-batch-bytes, --log-dir and --describe, storing into `config` and `log_dir`.
void add_common_options(po::options_description& options, ha_config& config, std::filesystem::path& log_dir);

/// Parses argv; on --help prints `usage` + options and exits 0; on a bad flag
/// prints a clear message to stderr and exits 64. On --describe prints the variant JSON and exits 0.
po::variables_map parse_or_exit(int argc, char** argv, const po::options_description& options,
                                const std::string& usage);

/// Throws po::error when a millisecond knob is not positive.
void check_positive(const char* flag, long long value);

}  // namespace hakit::programs
