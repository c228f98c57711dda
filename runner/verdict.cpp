// The verdict (runner/verdict.hpp).
#include "runner/verdict.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "runner/exit_codes.hpp"

namespace hakit::runner {
namespace {

bool is_expectation(const std::string& s) { return s == "leak" || s == "no-leak"; }

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

std::string plural(std::int64_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

/// "1.00 FlowMonitor per connection" or "2.00 threads per connection".
std::string per_connection_phrase(double per_connection, const model::thread_names& by_name) {
  const std::string what = by_name.size() == 1 ? by_name.begin()->first : std::string("threads");
  return format_fixed(per_connection, 2) + " " + what + " per connection";
}

/// Threads left after settling per closed connection: the exact figure (the
/// slope in `leaked.per_connection` also carries the churn's transient threads).
double settled_per_connection(const model::variant_result& v) {
  return v.closed > 0 ? static_cast<double>(v.leaked.threads) / static_cast<double>(v.closed) : 0.0;
}

/// The leak of one variant in words: "leaked 1000 threads after settling
/// (FlowMonitor 1000 (1.00/conn)), 1.00 per connection".
std::string leak_words(const model::variant_result& v) {
  if (v.leaked.threads <= 0) {
    return "leaked no thread after settling (" + plural(v.closed, "connection") + " closed)";
  }
  return "leaked " + plural(v.leaked.threads, "thread") + " after settling over " +
         plural(v.closed, "closed connection") + ": " + describe_by_name(v.leaked.by_name, v.closed) +
         ", slope " + format_fixed(v.leaked.per_connection, 2) + " per connection";
}

/// The statuses in the order the overall verdict prefers them.
int document_rank(const std::string& status) {
  if (status == model::kFixIneffective) return 3;
  if (status == model::kInconclusive) return 2;
  if (status == model::kNotReproduced) return 1;
  if (status == model::kValidated) return 0;
  return 2;  // an unknown status is a harness problem
}


}  // namespace

std::string format_fixed(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  std::string out = buf;
  if (out.rfind("-", 0) == 0 && out.find_first_not_of("-0.") == std::string::npos) out.erase(0, 1);
  return out;
}

std::string describe_by_name(const model::thread_names& by_name, std::int64_t closed) {
  std::vector<std::string> parts;
  for (const auto& [name, count] : by_name) {
    if (count == 0) continue;
    std::string part = name + " " + std::to_string(count);
    if (closed > 0) {
      part += " (" + format_fixed(static_cast<double>(count) / static_cast<double>(closed), 2) + "/conn)";
    }
    parts.push_back(part);
  }
  return parts.empty() ? std::string("none") : join(parts, ", ");
}

std::string observe(const model::variant_result& v) {
  if (v.error || v.ceiling_hit) return "error";
  return v.leaked.threads > 0 ? "leak" : "no-leak";
}

std::string role_of(const std::string& variant_name, const model::variant_result& v) {
  if (!v.role.empty()) return v.role;
  if (variant_name == "buggy") return kRoleReproducesBug;
  if (variant_name == "fixed") return kRoleCandidateFix;
  return {};
}

variant_check check_variant(const model::scenario_result& s, const std::string& variant_name,
                            const model::variant_result& v, double min_completion) {
  // Harness failures first: a measurement that is not usable proves nothing either way.
  std::vector<std::string> harness;
  if (v.error) harness.push_back("failed: " + *v.error);
  if (v.observed == "error" && !v.error) harness.push_back("recorded as an error");
  if (v.ceiling_hit) {
    harness.push_back("was stopped at the thread ceiling (peak " + plural(v.peak_threads, "thread") + ")");
  }
  if (!is_expectation(v.expected)) {
    harness.push_back("has no valid expectation (expected \"" + v.expected + "\", must be leak or no-leak)");
  }
  if (s.connections <= 0) harness.push_back("ran a scenario that requested no connections");
  const double need = min_completion * static_cast<double>(s.connections);
  if (!v.repetitions.empty()) {
    const auto total = std::to_string(v.repetitions.size());
    std::vector<std::string> failed;
    std::vector<std::string> short_runs;
    for (std::size_t i = 0; i < v.repetitions.size(); ++i) {
      const auto& r = v.repetitions[i];
      if (r.observed == "error") failed.push_back(std::to_string(i + 1));
      if (static_cast<double>(r.closed) < need) {
        short_runs.push_back(std::to_string(i + 1) + " (" + std::to_string(r.closed) + " closed)");
      }
    }
    if (!failed.empty()) harness.push_back("failed in repetition " + join(failed, ", ") + " of " + total);
    if (!short_runs.empty()) {
      harness.push_back("closed fewer than " + format_fixed(min_completion * 100.0, 0) + " % of " +
                        std::to_string(s.connections) + " connections in repetition " + join(short_runs, ", ") +
                        " of " + total);
    }
  } else {
    const auto rounds = std::max<std::int64_t>(s.repeat, 1);
    if (static_cast<double>(v.closed) < need * static_cast<double>(rounds)) {
      harness.push_back("closed only " + std::to_string(v.closed) + " of " + std::to_string(s.connections * rounds) +
                        " connections (needs " + format_fixed(min_completion * 100.0, 0) + " %; " +
                        plural(v.failed, "connection") + " failed)");
    }
  }
  if (!v.settled_in_time) harness.push_back("did not settle: thread counts still moved at the settle deadline");
  const std::string measured = observe(v);
  if (measured != "error" && !v.observed.empty() && v.observed != "error" && v.observed != measured) {
    harness.push_back("records observed \"" + v.observed + "\" but its figures say \"" + measured + "\"");
  }
  if (!harness.empty()) {
    return {cell_status::harness_error, variant_name + " on " + s.name + " " + join(harness, "; ")};
  }

  std::vector<std::string> surprises;
  if (measured != v.expected) {
    surprises.push_back(variant_name + " " + leak_words(v) + ", expected " +
                        (v.expected == "leak" ? std::string("a leak") : std::string("no leak")));
  }
  // Repetitions that contradict the expectation, summarised: "in repetition 2, 3 of 3 it observed leak".
  std::map<std::string, std::vector<std::string>> off_by_observed;
  for (std::size_t i = 0; i < v.repetitions.size(); ++i) {
    const auto& r = v.repetitions[i];
    if (r.observed.empty() || r.observed == "error" || r.observed == v.expected) continue;
    off_by_observed[r.observed].push_back(std::to_string(i + 1) + " (" + plural(r.leaked_threads, "thread") + ")");
  }
  for (const auto& [observed, which] : off_by_observed) {
    surprises.push_back("observed " + observed + " in repetition " + join(which, ", ") + " of " +
                        std::to_string(v.repetitions.size()));
  }
  if (!surprises.empty()) {
    std::string reason = join(surprises, "; ");
    if (measured == v.expected) reason = variant_name + ": " + reason;
    return {cell_status::unexpected, reason + " on " + s.name};
  }
  return {};
}

model::verdict judge_scenario(const model::scenario_result& s, double min_completion) {
  if (s.variants.empty()) return {model::kInconclusive, "no variant ran on " + s.name};

  std::vector<std::string> harness;
  std::vector<std::string> fix_failures;
  std::vector<std::string> not_shown;
  std::vector<std::string> matched;
  bool have_bug = false;
  bool have_fix = false;
  for (const auto& name : variant_order(s)) {
    const auto& v = s.variants.at(name);
    const auto role = role_of(name, v);
    have_bug = have_bug || role == kRoleReproducesBug;
    have_fix = have_fix || role == kRoleCandidateFix;
    const auto check = check_variant(s, name, v, min_completion);
    switch (check.status) {
      case cell_status::harness_error:
        harness.push_back(check.reason);
        break;
      case cell_status::unexpected:
        if (role == kRoleCandidateFix) {
          fix_failures.push_back(check.reason);
        } else if (role == kRoleReproducesBug) {
          not_shown.push_back(check.reason);
        } else {
          harness.push_back(check.reason + " (variant " + name + " has no known role, so this cannot be judged)");
        }
        break;
      case cell_status::as_expected:
        if (v.leaked.threads > 0) {
          matched.push_back(name + " leaked " + per_connection_phrase(settled_per_connection(v), v.leaked.by_name));
        } else {
          matched.push_back(name + " leaked none");
        }
        break;
    }
  }

  if (!harness.empty()) {
    return {model::kInconclusive, "harness failure, not a verdict on the fix: " + join(harness, "; ")};
  }
  if (!fix_failures.empty()) return {model::kFixIneffective, join(fix_failures, "; ")};
  if (!not_shown.empty()) {
    return {model::kNotReproduced,
            join(not_shown, "; ") + ": the kit did not show the bug on this path, so the comparison proves nothing"};
  }
  std::string reason = join(matched, ", ") + ", as expected";
  if (!have_fix) reason += "; no candidate-fix variant was run, so this only shows the bug";
  if (!have_bug) reason += "; no reproduces-bug variant was run, so nothing shows the bug on this path";
  return {model::kValidated, reason};
}

model::verdict judge_document(const std::vector<model::scenario_result>& scenarios) {
  if (scenarios.empty()) return {model::kInconclusive, "no scenario ran"};

  std::vector<std::pair<const model::scenario_result*, model::verdict>> judged;
  for (const auto& s : scenarios) {
    judged.emplace_back(&s, s.outcome.status.empty() ? judge_scenario(s) : s.outcome);
  }
  std::string overall = model::kValidated;
  for (const auto& [s, v] : judged) {
    if (document_rank(v.status) > document_rank(overall)) overall = v.status;
  }
  const std::string of_n = " of " + std::to_string(scenarios.size()) + " scenarios";

  if (overall != model::kValidated) {
    std::vector<std::string> names;
    std::string first_reason;
    for (const auto& [s, v] : judged) {
      if (v.status != overall) continue;
      names.push_back(s->name);
      if (first_reason.empty()) first_reason = v.reason;
    }
    std::string reason = overall + " on " + std::to_string(names.size()) + of_n + " (" + join(names, ", ") +
                         "): " + first_reason;
    // Name the other non-validated statuses too, so one failure does not hide another.
    std::map<std::string, std::vector<std::string>> others;
    for (const auto& [s, v] : judged) {
      if (v.status != overall && v.status != model::kValidated) others[v.status].push_back(s->name);
    }
    for (const auto& [status, list] : others) reason += "; also " + status + " on " + join(list, ", ");
    return {overall, reason};
  }

  // Validated: summarise, per variant, where it leaked and how much.
  struct tally {
    std::vector<double> per_connection;
    std::set<std::string> names;
    std::vector<std::string> clean;
  };
  std::map<std::string, tally> by_variant;
  std::vector<std::string> order;
  for (const auto& [s, v] : judged) {
    for (const auto& name : variant_order(*s)) {
      if (by_variant.find(name) == by_variant.end()) order.push_back(name);
      auto& t = by_variant[name];
      const auto& r = s->variants.at(name);
      if (r.leaked.threads > 0) {
        t.per_connection.push_back(settled_per_connection(r));
        for (const auto& [n, c] : r.leaked.by_name) {
          if (c > 0) t.names.insert(n);
        }
      } else {
        t.clean.push_back(s->name);
      }
    }
  }
  std::stable_sort(order.begin(), order.end(), [](const std::string& a, const std::string& b) {
    const auto rank = [](const std::string& n) { return n == "buggy" ? 0 : n == "fixed" ? 1 : 2; };
    return rank(a) < rank(b);
  });
  std::vector<std::string> parts;
  for (const auto& name : order) {
    const auto& t = by_variant[name];
    if (t.per_connection.empty()) {
      parts.push_back(name + " leaked none");
      continue;
    }
    const auto [lo, hi] = std::minmax_element(t.per_connection.begin(), t.per_connection.end());
    std::string amount = format_fixed(*lo, 2);
    if (format_fixed(*hi, 2) != amount) amount += "-" + format_fixed(*hi, 2);
    const std::string what = t.names.size() == 1 ? *t.names.begin() : std::string("threads");
    std::string part = name + " leaked " + amount + " " + what + " per connection on " +
                       plural(static_cast<std::int64_t>(t.per_connection.size()), "close path");
    if (!t.clean.empty()) part += " and none on " + join(t.clean, ", ");
    parts.push_back(part);
  }
  return {model::kValidated, "validated on " + std::to_string(scenarios.size()) + of_n + ": " + join(parts, ", ")};
}

void apply_verdicts(model::document& doc, double min_completion) {
  for (auto& s : doc.scenarios) s.outcome = judge_scenario(s, min_completion);
  doc.outcome = judge_document(doc.scenarios);
  doc.exit_code = exit_code_for(doc.outcome.status);
}

int exit_code_for(const std::string& status) {
  if (status == model::kValidated) return exit_code::kValidated;
  if (status == model::kFixIneffective) return exit_code::kFixIneffective;
  if (status == model::kNotReproduced) return exit_code::kNotReproduced;
  if (status == model::kInconclusive) return exit_code::kInconclusive;
  return exit_code::kSoftware;
}

std::vector<std::string> variant_order(const model::scenario_result& s) {
  std::vector<std::string> names;
  for (const auto& [name, v] : s.variants) names.push_back(name);
  std::stable_sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    const auto rank = [](const std::string& n) { return n == "buggy" ? 0 : n == "fixed" ? 1 : 2; };
    return rank(a) < rank(b);
  });
  return names;
}

}  // namespace hakit::runner
