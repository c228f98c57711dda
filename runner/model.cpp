// JSON mapping of the comparison document (runner/model.hpp). Keys equal the
// field names, except `outcome`, which is written as "verdict".
#include "runner/model.hpp"

#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace hakit::model {
namespace {

using nlohmann::json;

/// A reading error that knows where in the document it happened, so the
/// message can say `scenarios[2].variants.buggy.closed: expected an integer`.
class field_error : public std::runtime_error {
 public:
  field_error(std::string path, std::string detail)
      : std::runtime_error(compose(path, detail)), path_(std::move(path)), detail_(std::move(detail)) {}
  const std::string& path() const { return path_; }
  const std::string& detail() const { return detail_; }

  /// The same error seen one level further out.
  field_error within(const std::string& outer) const {
    if (path_.empty()) return field_error(outer, detail_);
    const bool index = path_.front() == '[';
    return field_error(outer + (index ? "" : ".") + path_, detail_);
  }

 private:
  static std::string compose(const std::string& path, const std::string& detail) {
    return "comparison document: " + (path.empty() ? std::string("top level") : path) + ": " + detail;
  }
  std::string path_;
  std::string detail_;
};

std::string type_of(const json& j) { return j.type_name(); }

void require_object(const json& j) {
  if (!j.is_object()) throw field_error("", "expected an object, got " + type_of(j));
}

// One overload per field type; each checks the JSON type strictly, because
// nlohmann's own conversions would silently truncate 1.5 into an integer.
void convert(const json& j, std::int64_t& out) {
  if (!j.is_number_integer()) throw field_error("", "expected an integer, got " + type_of(j));
  out = j.get<std::int64_t>();
}

void convert(const json& j, int& out) {
  if (!j.is_number_integer()) throw field_error("", "expected an integer, got " + type_of(j));
  const auto wide = j.get<std::int64_t>();
  if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max()) throw field_error("", "integer out of range");
  out = static_cast<int>(wide);
}

void convert(const json& j, double& out) {
  if (!j.is_number()) throw field_error("", "expected a number, got " + type_of(j));
  out = j.get<double>();
}

void convert(const json& j, bool& out) {
  if (!j.is_boolean()) throw field_error("", "expected true or false, got " + type_of(j));
  out = j.get<bool>();
}

void convert(const json& j, std::string& out) {
  if (!j.is_string()) throw field_error("", "expected a string, got " + type_of(j));
  out = j.get<std::string>();
}

void convert(const json& j, json& out) {
  if (!j.is_object()) throw field_error("", "expected an object, got " + type_of(j));
  out = j;
}

template <class T>
  requires requires(const json& j, T& t) { from_json(j, t); }
void convert(const json& j, T& out) {
  require_object(j);
  from_json(j, out);
}

template <class T>
void convert(const json& j, std::vector<T>& out) {
  if (!j.is_array()) throw field_error("", "expected an array, got " + type_of(j));
  out.clear();
  out.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) {
    T item{};
    try {
      convert(j[i], item);
    } catch (const field_error& e) {
      throw e.within("[" + std::to_string(i) + "]");
    }
    out.push_back(std::move(item));
  }
}

template <class T>
void convert(const json& j, std::map<std::string, T>& out) {
  require_object(j);
  out.clear();
  for (const auto& [key, value] : j.items()) {
    T item{};
    try {
      convert(value, item);
    } catch (const field_error& e) {
      throw e.within(key);
    }
    out.emplace(key, std::move(item));
  }
}

/// Reads a required key into `out`.
template <class T>
void read(const json& j, const char* key, T& out) {
  const auto it = j.find(key);
  if (it == j.end()) throw field_error("", std::string("missing key \"") + key + "\"");
  try {
    convert(*it, out);
  } catch (const field_error& e) {
    throw e.within(key);
  }
}

/// Reads an optional key: absent or null leaves `out` empty.
void read_optional(const json& j, const char* key, std::optional<std::string>& out) {
  out.reset();
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  std::string value;
  try {
    convert(*it, value);
  } catch (const field_error& e) {
    throw e.within(key);
  }
  out = std::move(value);
}

}  // namespace

void to_json(json& j, const census_point& v) {
  j = json{{"threads", v.threads}, {"by_name", v.by_name}, {"rss_kb", v.rss_kb}, {"fds", v.fds}};
}

void from_json(const json& j, census_point& v) {
  require_object(j);
  read(j, "threads", v.threads);
  read(j, "by_name", v.by_name);
  read(j, "rss_kb", v.rss_kb);
  read(j, "fds", v.fds);
}

void to_json(json& j, const sample& v) {
  j = json{{"t_ms", v.t_ms}, {"closed", v.closed}, {"threads", v.threads}, {"rss_kb", v.rss_kb}, {"fds", v.fds}};
}

void from_json(const json& j, sample& v) {
  require_object(j);
  read(j, "t_ms", v.t_ms);
  read(j, "closed", v.closed);
  read(j, "threads", v.threads);
  read(j, "rss_kb", v.rss_kb);
  read(j, "fds", v.fds);
}

void to_json(json& j, const leak_figures& v) {
  j = json{{"threads", v.threads},
           {"by_name", v.by_name},
           {"per_connection", v.per_connection},
           {"r2", v.r2},
           {"rss_bytes_per_connection", v.rss_bytes_per_connection},
           {"fds_per_connection", v.fds_per_connection}};
}

void from_json(const json& j, leak_figures& v) {
  require_object(j);
  read(j, "threads", v.threads);
  read(j, "by_name", v.by_name);
  read(j, "per_connection", v.per_connection);
  read(j, "r2", v.r2);
  read(j, "rss_bytes_per_connection", v.rss_bytes_per_connection);
  read(j, "fds_per_connection", v.fds_per_connection);
}

void to_json(json& j, const spread& v) {
  j = json{{"min", v.min}, {"max", v.max}, {"mean", v.mean}, {"stddev", v.stddev}};
}

void from_json(const json& j, spread& v) {
  require_object(j);
  read(j, "min", v.min);
  read(j, "max", v.max);
  read(j, "mean", v.mean);
  read(j, "stddev", v.stddev);
}

void to_json(json& j, const repetition& v) {
  j = json{{"closed", v.closed},
           {"leaked_threads", v.leaked_threads},
           {"per_connection", v.per_connection},
           {"rss_bytes_per_connection", v.rss_bytes_per_connection},
           {"cycles_per_s", v.cycles_per_s},
           {"observed", v.observed}};
}

void from_json(const json& j, repetition& v) {
  require_object(j);
  read(j, "closed", v.closed);
  read(j, "leaked_threads", v.leaked_threads);
  read(j, "per_connection", v.per_connection);
  read(j, "rss_bytes_per_connection", v.rss_bytes_per_connection);
  read(j, "cycles_per_s", v.cycles_per_s);
  read(j, "observed", v.observed);
}

void to_json(json& j, const variant_result& v) {
  j = json{{"patch", v.patch},
           {"role", v.role},
           {"expected", v.expected},
           {"observed", v.observed},
           {"attempted", v.attempted},
           {"closed", v.closed},
           {"failed", v.failed},
           {"baseline", v.baseline},
           {"settled", v.settled},
           {"settled_in_time", v.settled_in_time},
           {"peak_threads", v.peak_threads},
           {"leaked", v.leaked},
           {"samples", v.samples},
           {"elapsed_ms", v.elapsed_ms},
           {"cycles_per_s", v.cycles_per_s},
           {"ceiling_hit", v.ceiling_hit},
           {"repetitions", v.repetitions},
           {"spreads", v.spreads}};
  if (v.error) j["error"] = *v.error;
}

void from_json(const json& j, variant_result& v) {
  require_object(j);
  read(j, "patch", v.patch);
  read(j, "role", v.role);
  read(j, "expected", v.expected);
  read(j, "observed", v.observed);
  read(j, "attempted", v.attempted);
  read(j, "closed", v.closed);
  read(j, "failed", v.failed);
  read(j, "baseline", v.baseline);
  read(j, "settled", v.settled);
  read(j, "settled_in_time", v.settled_in_time);
  read(j, "peak_threads", v.peak_threads);
  read(j, "leaked", v.leaked);
  read(j, "samples", v.samples);
  read(j, "elapsed_ms", v.elapsed_ms);
  read(j, "cycles_per_s", v.cycles_per_s);
  read(j, "ceiling_hit", v.ceiling_hit);
  read_optional(j, "error", v.error);
  read(j, "repetitions", v.repetitions);
  read(j, "spreads", v.spreads);
}

void to_json(json& j, const verdict& v) { j = json{{"status", v.status}, {"reason", v.reason}}; }

void from_json(const json& j, verdict& v) {
  require_object(j);
  read(j, "status", v.status);
  read(j, "reason", v.reason);
}

void to_json(json& j, const scenario_result& v) {
  j = json{{"name", v.name},
           {"description", v.description},
           {"connections", v.connections},
           {"concurrency", v.concurrency},
           {"repeat", v.repeat},
           {"variants", v.variants},
           {"verdict", v.outcome}};
}

void from_json(const json& j, scenario_result& v) {
  require_object(j);
  read(j, "name", v.name);
  read(j, "description", v.description);
  read(j, "connections", v.connections);
  read(j, "concurrency", v.concurrency);
  read(j, "repeat", v.repeat);
  read(j, "variants", v.variants);
  read(j, "verdict", v.outcome);
}

void to_json(json& j, const kit_info& v) { j = json{{"version", v.version}, {"commit", v.commit}}; }

void from_json(const json& j, kit_info& v) {
  require_object(j);
  read(j, "version", v.version);
  read(j, "commit", v.commit);
}

void to_json(json& j, const host_info& v) {
  j = json{{"cpus", v.cpus}, {"kernel", v.kernel}, {"pid_max", v.pid_max}};
}

void from_json(const json& j, host_info& v) {
  require_object(j);
  read(j, "cpus", v.cpus);
  read(j, "kernel", v.kernel);
  read(j, "pid_max", v.pid_max);
}

void to_json(json& j, const document& v) {
  j = json{{"schema", v.schema},
           {"kit", v.kit},
           {"host", v.host},
           {"started_at", v.started_at},
           {"finished_at", v.finished_at},
           {"settings", v.settings},
           {"scenarios", v.scenarios},
           {"verdict", v.outcome},
           {"exit_code", v.exit_code}};
}

void from_json(const json& j, document& v) {
  require_object(j);
  read(j, "schema", v.schema);
  read(j, "kit", v.kit);
  read(j, "host", v.host);
  read(j, "started_at", v.started_at);
  read(j, "finished_at", v.finished_at);
  read(j, "settings", v.settings);
  read(j, "scenarios", v.scenarios);
  read(j, "verdict", v.outcome);
  read(j, "exit_code", v.exit_code);
}

}  // namespace hakit::model
