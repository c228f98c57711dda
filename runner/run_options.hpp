// Everything `hakit run` can be told, with the defaults of the headline run.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hakit::runner {

struct run_options {
  std::vector<std::string> scenarios{"fin-after-handshake"};
  std::vector<std::string> variants{"buggy", "fixed"};
  std::int64_t connections = 300;
  std::int64_t concurrency = 32;
  std::int64_t repeat = 1;
  std::uint64_t seed = 1;
  std::int64_t thread_ceiling = 8000;                 ///< per variant process
  std::chrono::seconds timeout{300};                  ///< the whole run
  std::chrono::milliseconds housekeeping{300};        ///< idle-timeout scenario's --housekeeping-ms
  std::chrono::milliseconds settle_window{300};
  std::chrono::milliseconds settle_timeout{15'000};
  std::chrono::milliseconds sample_interval{10};
  std::chrono::milliseconds connection_timeout{5'000};
  std::chrono::milliseconds slave_reconnect_wait{10};
  std::chrono::milliseconds slave_truncate_fail_wait{5};
  double min_completion = 0.9;
  std::filesystem::path bin_dir;                      ///< where ha-master-<variant> live
  std::filesystem::path work_dir;                     ///< per-run logs (store.log, stderr)
  std::string out;                                    ///< document path, "-" for stdout
  std::vector<std::string> reports;                   ///< md / html / junit beside the document
  bool progress = false;                              ///< progress line on stderr
  bool quiet = false;                                 ///< no summary on stdout
};

/// The options as echoed into the document's "settings".
nlohmann::json to_settings(const run_options& options);

}  // namespace hakit::runner
