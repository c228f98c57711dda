// The JUnit XML report: one testsuite per scenario, one testcase per variant;
// <failure> where observed differs from expected, <error> for harness errors.
#include <sstream>

#include "runner/report.hpp"
#include "runner/verdict.hpp"

namespace hakit::runner {
namespace {

/// Text and attribute escaping; characters XML 1.0 forbids become U+FFFD.
std::string xml(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n': out += "&#10;"; break;
      case '\t': out += "&#9;"; break;
      case '\r': out += "&#13;"; break;
      default:
        if (u < 0x20U) {
          out += "\xEF\xBF\xBD";
        } else {
          out += c;
        }
    }
  }
  return out;
}

struct cell {
  std::string variant;
  const model::variant_result* result = nullptr;
  variant_check check;
};

}  // namespace

std::string render_junit(const model::document& doc) {
  const double min_completion = min_completion_of(doc);
  std::ostringstream suites;
  std::size_t total = 0;
  std::size_t failures = 0;
  std::size_t errors = 0;
  double total_time = 0.0;
  for (const auto& s : doc.scenarios) {
    std::vector<cell> cells;
    std::size_t s_failures = 0;
    std::size_t s_errors = 0;
    double s_time = 0.0;
    for (const auto& name : variant_order(s)) {
      const auto& v = s.variants.at(name);
      cells.push_back({name, &v, check_variant(s, name, v, min_completion)});
      s_failures += cells.back().check.status == cell_status::unexpected ? 1U : 0U;
      s_errors += cells.back().check.status == cell_status::harness_error ? 1U : 0U;
      s_time += v.elapsed_ms / 1000.0;
    }
    total += cells.size();
    failures += s_failures;
    errors += s_errors;
    total_time += s_time;

    suites << "  <testsuite name=\"hakit." << xml(s.name) << "\" tests=\"" << cells.size() << "\" failures=\""
           << s_failures << "\" errors=\"" << s_errors << "\" skipped=\"0\" time=\"" << format_fixed(s_time, 3)
           << "\">\n";
    suites << "    <properties>\n      <property name=\"verdict\" value=\"" << xml(s.outcome.status)
           << "\"/>\n      <property name=\"reason\" value=\"" << xml(s.outcome.reason) << "\"/>\n"
           << "      <property name=\"connections\" value=\"" << s.connections << "\"/>\n    </properties>\n";
    for (const auto& c : cells) {
      const auto& v = *c.result;
      const std::string observed = v.observed.empty() ? observe(v) : v.observed;
      suites << "    <testcase classname=\"hakit." << xml(s.name) << "\" name=\"" << xml(c.variant) << "\" time=\""
             << format_fixed(v.elapsed_ms / 1000.0, 3) << "\">\n";
      if (c.check.status == cell_status::unexpected) {
        suites << "      <failure type=\"" << xml(s.outcome.status) << "\" message=\"expected " << xml(v.expected)
               << ", observed " << xml(observed) << ": " << xml(c.check.reason) << "\">" << xml(c.check.reason)
               << "</failure>\n";
      } else if (c.check.status == cell_status::harness_error) {
        suites << "      <error type=\"harness\" message=\"" << xml(c.check.reason) << "\">" << xml(c.check.reason)
               << "</error>\n";
      }
      suites << "      <system-out>closed " << v.closed << " of " << v.attempted << " attempted; leaked "
             << v.leaked.threads << " threads (" << xml(describe_by_name(v.leaked.by_name, v.closed)) << "); "
             << xml(per_connection_text(v)) << " per connection, r2 " << format_fixed(v.leaked.r2, 3) << "; RSS "
             << xml(rss_per_connection_text(v)) << " per connection; " << xml(cycles_text(v))
             << " cycles/s</system-out>\n";
      suites << "    </testcase>\n";
    }
    suites << "  </testsuite>\n";
  }

  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  o << "<testsuites name=\"hakit\" tests=\"" << total << "\" failures=\"" << failures << "\" errors=\"" << errors
    << "\" time=\"" << format_fixed(total_time, 3) << "\">\n";
  o << suites.str();
  o << "</testsuites>\n";
  return o.str();
}

}  // namespace hakit::runner
