// Least-squares fit and spread: the two statistics the leak figures rest on.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "runner/model.hpp"

namespace hakit::runner {

/// y = slope * x + intercept, fitted by ordinary least squares.
struct linear_fit {
  double slope = 0.0;
  double intercept = 0.0;
  double r2 = 0.0;          ///< coefficient of determination; 0 when undefined (constant y, < 2 distinct x)
  std::size_t points = 0;   ///< number of (x, y) pairs used
};

/// Fits y over x. Fewer than 2 distinct x gives slope 0 and r2 0 (intercept = mean y).
/// Throws std::invalid_argument when the vectors differ in size.
linear_fit fit_line(const std::vector<double>& x, const std::vector<double>& y);

/// Threads over connections closed, from a variant's samples plus its settled
/// point (closed, settled.threads): the fit behind `leak_figures::per_connection`.
linear_fit fit_threads_over_closed(const model::variant_result& v);

/// min / max / mean / population standard deviation; all zero for no values.
model::spread spread_of(const std::vector<double>& values);

/// Spreads of the repetition figures, keyed like the repetition fields:
/// "closed", "leaked_threads", "per_connection", "rss_bytes_per_connection",
/// "cycles_per_s". Empty when there are fewer than 2 repetitions.
std::map<std::string, model::spread> spreads_of(const std::vector<model::repetition>& repetitions);

}  // namespace hakit::runner
