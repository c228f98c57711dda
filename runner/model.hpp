// The comparison document: plain structs with stable snake_case JSON keys.
// Its JSON Schema is results/comparison.schema.json; bump kSchema on any breaking change.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hakit::model {

/// Schema identifier written into every document and checked on load.
inline constexpr const char* kSchema = "hakit.comparison/1";

/// Threads grouped by kernel name (`/proc/<pid>/task/*/comm`).
using thread_names = std::map<std::string, std::int64_t>;

/// One full census of a process: what `/proc` says at one instant.
struct census_point {
  std::int64_t threads = 0;     ///< `Threads:` of /proc/<pid>/status
  thread_names by_name;         ///< task comm -> count
  std::int64_t rss_kb = 0;      ///< `VmRSS:` in KiB
  std::int64_t fds = 0;         ///< entries of /proc/<pid>/fd
};

/// A cheap sample taken during churn (no by-name grouping).
struct sample {
  std::int64_t t_ms = 0;        ///< since churn started
  std::int64_t closed = 0;      ///< connections the driver saw closed so far
  std::int64_t threads = 0;
  std::int64_t rss_kb = 0;
  std::int64_t fds = 0;
};

/// What remains after settling, relative to the baseline.
struct leak_figures {
  std::int64_t threads = 0;                 ///< settled.threads - baseline.threads
  thread_names by_name;                     ///< per name, settled - baseline, only non-zero entries
  double per_connection = 0.0;              ///< least-squares slope of threads over closed (samples + settled)
  double r2 = 0.0;                          ///< coefficient of determination of that fit (0 when undefined)
  double rss_bytes_per_connection = 0.0;    ///< (settled.rss - baseline.rss) * 1024 / closed
  double fds_per_connection = 0.0;          ///< (settled.fds - baseline.fds) / closed
};

/// min / max / mean / population standard deviation of one figure over repetitions.
struct spread {
  double min = 0.0;
  double max = 0.0;
  double mean = 0.0;
  double stddev = 0.0;
};

/// The headline figures of one repetition (kept for every repetition).
struct repetition {
  std::int64_t closed = 0;
  std::int64_t leaked_threads = 0;
  double per_connection = 0.0;
  double rss_bytes_per_connection = 0.0;
  double cycles_per_s = 0.0;
  std::string observed;         ///< "leak" | "no-leak" | "error"
};

/// One variant under one scenario.
struct variant_result {
  std::string patch;            ///< e.g. "none (RocketMQ 5.1.0)" or "apache/rocketmq PR 6227"
  std::string role;             ///< "reproduces-bug" (buggy) | "candidate-fix" (fixed)
  std::string expected;         ///< "leak" | "no-leak"
  std::string observed;         ///< "leak" | "no-leak" | "error"
  std::int64_t attempted = 0;   ///< connections the driver started
  std::int64_t closed = 0;      ///< connections that completed the scenario's exchange and closed
  std::int64_t failed = 0;      ///< connections the driver could not complete (connect refused, timeout)
  census_point baseline;
  census_point settled;
  bool settled_in_time = true;  ///< false when counts still moved at the settle deadline
  std::int64_t peak_threads = 0;
  leak_figures leaked;
  std::vector<sample> samples;
  double elapsed_ms = 0.0;      ///< churn only, excluding settling
  double cycles_per_s = 0.0;    ///< closed / churn seconds
  bool ceiling_hit = false;     ///< the runner stopped the process at the thread ceiling
  std::optional<std::string> error;  ///< harness or process failure, in words
  std::vector<repetition> repetitions;           ///< one entry per --repeat
  std::map<std::string, spread> spreads;         ///< figure name -> spread (only when repetitions > 1)
};

/// Verdict statuses, in the words the document and the CLI use.
inline constexpr const char* kValidated = "validated";
inline constexpr const char* kFixIneffective = "fix-ineffective";
inline constexpr const char* kNotReproduced = "not-reproduced";
inline constexpr const char* kInconclusive = "inconclusive";

struct verdict {
  std::string status;           ///< one of the four statuses above
  std::string reason;           ///< one or two sentences a person can act on
};

/// One close path, run against every selected variant.
struct scenario_result {
  std::string name;             ///< e.g. "fin-after-handshake"
  std::string description;      ///< the close path in words
  std::int64_t connections = 0; ///< requested per variant per repetition
  std::int64_t concurrency = 0;
  std::int64_t repeat = 1;
  std::map<std::string, variant_result> variants;  ///< "buggy" / "fixed"
  verdict outcome;              ///< JSON key "verdict"
};

struct kit_info {
  std::string version;
  std::string commit;
};

struct host_info {
  std::int64_t cpus = 0;
  std::string kernel;
  std::int64_t pid_max = 0;
};

/// The whole comparison document.
struct document {
  std::string schema = kSchema;
  kit_info kit;
  host_info host;
  std::string started_at;       ///< ISO 8601 UTC
  std::string finished_at;
  nlohmann::json settings = nlohmann::json::object();  ///< the run's options, echoed for reproduction
  std::vector<scenario_result> scenarios;
  verdict outcome;              ///< JSON key "verdict"
  int exit_code = 0;            ///< the exit code `hakit run` returned for this verdict
};

void to_json(nlohmann::json& j, const census_point& v);
void from_json(const nlohmann::json& j, census_point& v);
void to_json(nlohmann::json& j, const sample& v);
void from_json(const nlohmann::json& j, sample& v);
void to_json(nlohmann::json& j, const leak_figures& v);
void from_json(const nlohmann::json& j, leak_figures& v);
void to_json(nlohmann::json& j, const spread& v);
void from_json(const nlohmann::json& j, spread& v);
void to_json(nlohmann::json& j, const repetition& v);
void from_json(const nlohmann::json& j, repetition& v);
void to_json(nlohmann::json& j, const variant_result& v);
void from_json(const nlohmann::json& j, variant_result& v);
void to_json(nlohmann::json& j, const verdict& v);
void from_json(const nlohmann::json& j, verdict& v);
void to_json(nlohmann::json& j, const scenario_result& v);
void from_json(const nlohmann::json& j, scenario_result& v);
void to_json(nlohmann::json& j, const kit_info& v);
void from_json(const nlohmann::json& j, kit_info& v);
void to_json(nlohmann::json& j, const host_info& v);
void from_json(const nlohmann::json& j, host_info& v);
void to_json(nlohmann::json& j, const document& v);
void from_json(const nlohmann::json& j, document& v);

}  // namespace hakit::model
