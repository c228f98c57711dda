// The verdict: what the measurements of one comparison prove, in the four
// statuses of model.hpp, and the exit code `hakit run` returns for each.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runner/model.hpp"

namespace hakit::runner {

/// Default share of the requested connections that must complete for a variant to count.
inline constexpr double kDefaultMinCompletion = 0.9;

/// Roles a variant plays in the comparison (variant_result::role).
inline constexpr const char* kRoleReproducesBug = "reproduces-bug";
inline constexpr const char* kRoleCandidateFix = "candidate-fix";

/// "error" if the variant failed or hit the thread ceiling, else "leak" if threads
/// remained after settling, else "no-leak".
std::string observe(const model::variant_result& v);

/// How one scenario x variant cell fared.
enum class cell_status {
  as_expected,    ///< observed == expected in every repetition
  unexpected,     ///< a clean measurement that contradicts the expectation
  harness_error,  ///< the measurement itself is not usable (error, ceiling, too few closed, not settled)
};

struct variant_check {
  cell_status status = cell_status::as_expected;
  std::string reason;  ///< one line naming the variant and what happened; empty when as expected
};

/// The role of a variant; falls back on the names "buggy" / "fixed" when `role` is empty.
std::string role_of(const std::string& variant_name, const model::variant_result& v);

/// Checks one cell of the comparison against its expectation.
variant_check check_variant(const model::scenario_result& s, const std::string& variant_name,
                            const model::variant_result& v, double min_completion = kDefaultMinCompletion);

/// Verdict of one scenario. Within a scenario inconclusive wins, so a harness
/// failure is never reported as a fix failure; then fix-ineffective, then not-reproduced.
model::verdict judge_scenario(const model::scenario_result& s, double min_completion = kDefaultMinCompletion);

/// Overall verdict from the scenarios' verdicts (judged afresh where a scenario has none):
/// fix-ineffective if any, else inconclusive if any, else not-reproduced if any, else validated.
model::verdict judge_document(const std::vector<model::scenario_result>& scenarios);

/// Judges every scenario, then the document, and sets `exit_code` accordingly.
void apply_verdicts(model::document& doc, double min_completion = kDefaultMinCompletion);

/// Exit code of a verdict status (runner/exit_codes.hpp); kSoftware for an unknown status.
int exit_code_for(const std::string& status);

/// `value` with `decimals` digits after the point ("1.00").
std::string format_fixed(double value, int decimals);

/// Leaked threads by name with their count per closed connection:
/// "FlowMonitor 1000 (1.00/conn)"; "none" when empty.
std::string describe_by_name(const model::thread_names& by_name, std::int64_t closed);

/// Variant names in report order: "buggy", "fixed", then the others by name.
std::vector<std::string> variant_order(const model::scenario_result& s);

}  // namespace hakit::runner
