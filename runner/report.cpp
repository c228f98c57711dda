// Report format names, dispatch and the figures every renderer shows (runner/report.hpp).
#include "runner/report.hpp"

#include <algorithm>
#include <ostream>
#include <stdexcept>

#include "runner/verdict.hpp"

namespace hakit::runner {

report_format parse_report_format(std::string_view name) {
  if (name == "text") return report_format::text;
  if (name == "md" || name == "markdown") return report_format::md;
  if (name == "html") return report_format::html;
  if (name == "junit") return report_format::junit;
  throw std::invalid_argument("unknown report format \"" + std::string(name) + "\" (use text, md, html or junit)");
}

std::string_view format_name(report_format format) {
  switch (format) {
    case report_format::text: return "text";
    case report_format::md: return "md";
    case report_format::html: return "html";
    case report_format::junit: return "junit";
  }
  return "text";
}

std::ostream& operator<<(std::ostream& os, report_format format) { return os << format_name(format); }

std::string render_report(const model::document& doc, report_format format) {
  switch (format) {
    case report_format::text: return render_text(doc);
    case report_format::md: return render_markdown(doc);
    case report_format::html: return render_html(doc);
    case report_format::junit: return render_junit(doc);
  }
  throw std::invalid_argument("unknown report format");
}

double min_completion_of(const model::document& doc) {
  const auto it = doc.settings.find("min_completion");
  if (it != doc.settings.end() && it->is_number()) {
    const double value = it->get<double>();
    if (value >= 0.0 && value <= 1.0) return value;
  }
  return kDefaultMinCompletion;
}

double headline(const model::variant_result& v, const std::string& figure, double value) {
  const auto it = v.spreads.find(figure);
  return it == v.spreads.end() ? value : it->second.mean;
}

std::string with_spread(const model::variant_result& v, const std::string& figure, double value, int decimals,
                        double scale) {
  const auto it = v.spreads.find(figure);
  if (it == v.spreads.end()) return format_fixed(value / scale, decimals);
  return format_fixed(it->second.mean / scale, decimals) + " ± " + format_fixed(it->second.stddev / scale, decimals);
}

std::string per_connection_text(const model::variant_result& v) {
  return with_spread(v, "per_connection", v.leaked.per_connection, 2);
}

std::string rss_per_connection_text(const model::variant_result& v) {
  return with_spread(v, "rss_bytes_per_connection", v.leaked.rss_bytes_per_connection, 1, 1024.0) + " KiB";
}

std::string cycles_text(const model::variant_result& v) { return with_spread(v, "cycles_per_s", v.cycles_per_s, 0); }

}  // namespace hakit::runner
