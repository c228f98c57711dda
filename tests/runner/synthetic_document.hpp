// A synthetic comparison document for the runner tests: three close paths,
// both variants, samples, judged like `hakit run` judges. Tests tweak a copy.
#pragma once

#include <cstdint>
#include <string>

#include "runner/fit.hpp"
#include "runner/model.hpp"
#include "runner/verdict.hpp"

namespace hakit::test {

/// A variant whose process starts with `base` threads and keeps `leak_per_connection`
/// FlowMonitor threads per closed connection; samples every 100 connections.
inline model::variant_result synthetic_variant(const std::string& role, const std::string& expected,
                                               std::int64_t connections, std::int64_t leak_per_connection,
                                               double cycles_per_s) {
  model::variant_result v;
  v.role = role;
  v.patch = role == runner::kRoleReproducesBug ? "none (RocketMQ 5.1.0)" : "apache/rocketmq PR 6227";
  v.expected = expected;
  v.attempted = connections;
  v.closed = connections;
  v.baseline = {3, {{"AcceptSocketSvc", 1}, {"ha-master", 1}, {"stdin-reader", 1}}, 4000, 8};
  for (std::int64_t closed = 0; closed <= connections; closed += 100) {
    v.samples.push_back({closed * 1000 / 4000, closed, 3 + closed * leak_per_connection,
                         4000 + closed * leak_per_connection * 34, 8});
  }
  v.settled = v.baseline;
  v.settled.threads += connections * leak_per_connection;
  if (leak_per_connection > 0) v.settled.by_name["FlowMonitor"] = connections * leak_per_connection;
  v.settled.rss_kb += connections * leak_per_connection * 34;
  v.peak_threads = v.settled.threads + 6;
  v.leaked.threads = v.settled.threads - v.baseline.threads;
  if (leak_per_connection > 0) v.leaked.by_name["FlowMonitor"] = connections * leak_per_connection;
  const auto fit = runner::fit_threads_over_closed(v);
  v.leaked.per_connection = fit.slope;
  v.leaked.r2 = fit.r2;
  v.leaked.rss_bytes_per_connection =
      connections > 0 ? static_cast<double>((v.settled.rss_kb - v.baseline.rss_kb) * 1024) / static_cast<double>(connections) : 0.0;
  v.cycles_per_s = cycles_per_s;
  v.elapsed_ms = cycles_per_s > 0 ? static_cast<double>(connections) / cycles_per_s * 1000.0 : 0.0;
  v.observed = runner::observe(v);
  return v;
}

inline model::scenario_result synthetic_scenario(const std::string& name, bool buggy_leaks,
                                                 std::int64_t connections = 1000) {
  model::scenario_result s;
  s.name = name;
  s.description = buggy_leaks ? "the read service ends by itself; buggy never stops its FlowMonitor"
                              : "HAService.destroyConnections() shuts every connection down explicitly";
  s.connections = connections;
  s.concurrency = 32;
  s.repeat = 1;
  s.variants["buggy"] = synthetic_variant(runner::kRoleReproducesBug, buggy_leaks ? "leak" : "no-leak", connections,
                                          buggy_leaks ? 1 : 0, 4100.0);
  s.variants["fixed"] = synthetic_variant(runner::kRoleCandidateFix, "no-leak", connections, 0, 4200.0);
  return s;
}

/// Three scenarios (two passive close paths, one explicit), judged: validated.
inline model::document synthetic_document() {
  model::document d;
  d.kit = {"0.1.0", "d021a17"};
  d.host = {2, "6.1.0-test", 32768};
  d.started_at = "2024-05-01T10:00:00Z";
  d.finished_at = "2024-05-01T10:01:00Z";
  d.settings = {{"connections", 1000}, {"concurrency", 32}, {"min_completion", 0.9}};
  d.scenarios.push_back(synthetic_scenario("fin-after-handshake", true));
  d.scenarios.push_back(synthetic_scenario("rst-after-handshake", true));
  d.scenarios.push_back(synthetic_scenario("destroy-connections", false));
  runner::apply_verdicts(d);
  return d;
}

/// Adds three repetitions with a spread to every variant of `d`.
inline void add_repetitions(model::document& d) {
  for (auto& s : d.scenarios) {
    s.repeat = 3;
    for (auto& [name, v] : s.variants) {
      // The variant-level figures stay those of one repetition; the spread covers all three.
      for (int i = 0; i < 3; ++i) {
        v.repetitions.push_back({s.connections, v.leaked.threads, v.leaked.per_connection,
                                 v.leaked.rss_bytes_per_connection, v.cycles_per_s + 50.0 * (i - 1), v.observed});
      }
      v.spreads = runner::spreads_of(v.repetitions);
    }
  }
  runner::apply_verdicts(d);
}

}  // namespace hakit::test
