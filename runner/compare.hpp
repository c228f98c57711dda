// `hakit compare`: the same scenarios in an OLD and a NEW document, side by
// side, and whether NEW regressed (a clean variant leaks, a validated verdict
// is no longer, or throughput fell more than allowed).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runner/model.hpp"
#include "runner/report.hpp"

namespace hakit::runner {

struct compare_options {
  double max_slowdown = 0.10;  ///< largest allowed fall of cycles/s, as a fraction of OLD
};

/// One variant of one scenario on both sides (either side may be absent).
struct variant_change {
  std::string variant;
  std::optional<model::variant_result> old_result;
  std::optional<model::variant_result> new_result;
  std::vector<std::string> regressions;  ///< why this variant regressed, one line each
};

/// One scenario present on both sides.
struct scenario_change {
  std::string scenario;
  model::verdict old_verdict;
  model::verdict new_verdict;
  std::vector<variant_change> variants;
  std::vector<std::string> regressions;  ///< scenario-level regressions (verdict no longer validated)
};

struct comparison {
  compare_options options;
  model::verdict old_overall;
  model::verdict new_overall;
  std::vector<scenario_change> scenarios;  ///< common scenarios, in NEW's order
  std::vector<std::string> only_old;       ///< scenarios only OLD ran
  std::vector<std::string> only_new;       ///< scenarios only NEW ran
  std::vector<std::string> regressions;    ///< every regression, "scenario/variant: why", in order

  bool regressed() const { return !regressions.empty(); }
};

/// Compares two documents. Throws document_error (runner/document_io.hpp) when
/// either is of another schema or they share no scenario, and
/// std::invalid_argument when max_slowdown is not in [0, 1).
comparison compare_documents(const model::document& old_doc, const model::document& new_doc,
                             const compare_options& options = {});

/// The comparison as text or Markdown; std::invalid_argument for other formats.
std::string render_comparison(const comparison& c, report_format format);

/// kRegression when NEW regressed, else 0.
int exit_code_for(const comparison& c);

}  // namespace hakit::runner
