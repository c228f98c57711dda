// Least-squares fit and spread (runner/fit.hpp).
#include "runner/fit.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace hakit::runner {

linear_fit fit_line(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size()) throw std::invalid_argument("fit_line: x and y differ in size");
  linear_fit fit;
  fit.points = x.size();
  if (x.empty()) return fit;

  const auto n = static_cast<double>(x.size());
  double mean_x = 0.0;
  double mean_y = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mean_x += x[i];
    mean_y += y[i];
  }
  mean_x /= n;
  mean_y /= n;

  // Centred sums: raw sums of squares lose precision at thousands of connections.
  double sxx = 0.0;
  double sxy = 0.0;
  double syy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double dx = x[i] - mean_x;
    const double dy = y[i] - mean_y;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }

  fit.intercept = mean_y;
  if (!(sxx > 0.0) || !std::isfinite(sxx)) return fit;  // fewer than 2 distinct x

  fit.slope = sxy / sxx;
  fit.intercept = mean_y - fit.slope * mean_x;
  if (syy > 0.0) {
    double ss_res = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double r = y[i] - (fit.slope * x[i] + fit.intercept);
      ss_res += r * r;
    }
    fit.r2 = std::clamp(1.0 - ss_res / syy, 0.0, 1.0);
  }
  if (!std::isfinite(fit.slope) || !std::isfinite(fit.intercept) || !std::isfinite(fit.r2)) return linear_fit{0.0, 0.0, 0.0, fit.points};
  return fit;
}

linear_fit fit_threads_over_closed(const model::variant_result& v) {
  std::vector<double> x;
  std::vector<double> y;
  x.reserve(v.samples.size() + 1);
  y.reserve(v.samples.size() + 1);
  for (const auto& s : v.samples) {
    x.push_back(static_cast<double>(s.closed));
    y.push_back(static_cast<double>(s.threads));
  }
  x.push_back(static_cast<double>(v.closed));
  y.push_back(static_cast<double>(v.settled.threads));
  return fit_line(x, y);
}

model::spread spread_of(const std::vector<double>& values) {
  model::spread s;
  if (values.empty()) return s;
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  s.min = *lo;
  s.max = *hi;
  double sum = 0.0;
  for (double v : values) sum += v;
  s.mean = sum / static_cast<double>(values.size());
  double sq = 0.0;
  for (double v : values) sq += (v - s.mean) * (v - s.mean);
  s.stddev = std::sqrt(sq / static_cast<double>(values.size()));
  return s;
}

std::map<std::string, model::spread> spreads_of(const std::vector<model::repetition>& repetitions) {
  std::map<std::string, model::spread> out;
  if (repetitions.size() < 2) return out;
  const auto collect = [&](auto field) {
    std::vector<double> values;
    values.reserve(repetitions.size());
    for (const auto& r : repetitions) values.push_back(static_cast<double>(field(r)));
    return spread_of(values);
  };
  out["closed"] = collect([](const model::repetition& r) { return r.closed; });
  out["leaked_threads"] = collect([](const model::repetition& r) { return r.leaked_threads; });
  out["per_connection"] = collect([](const model::repetition& r) { return r.per_connection; });
  out["rss_bytes_per_connection"] = collect([](const model::repetition& r) { return r.rss_bytes_per_connection; });
  out["cycles_per_s"] = collect([](const model::repetition& r) { return r.cycles_per_s; });
  return out;
}

}  // namespace hakit::runner
