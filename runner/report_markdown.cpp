// The Markdown report, for a pull request: the verdict first, then one table
// of close path x variant, then one line per cell that is not as expected.
#include <sstream>

#include "runner/report.hpp"
#include "runner/verdict.hpp"

namespace hakit::runner {
namespace {

/// Cell text: a `|` would end the cell, a newline the row; `<` could open HTML.
std::string md_cell(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '|': out += "\\|"; break;
      case '\\': out += "\\\\"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\n':
      case '\r': out += ' '; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string render_markdown(const model::document& doc) {
  std::ostringstream out;
  const std::string status = doc.outcome.status.empty() ? std::string("not judged") : doc.outcome.status;
  out << "## hakit verdict: **" << md_cell(status) << "**\n\n";
  if (!doc.outcome.reason.empty()) out << md_cell(doc.outcome.reason) << "\n\n";
  out << "<sub>hakit " << md_cell(doc.kit.version);
  if (!doc.kit.commit.empty()) out << " (" << md_cell(doc.kit.commit) << ")";
  out << ", host " << doc.host.cpus << " cpus, kernel " << md_cell(doc.host.kernel) << ", exit code "
      << doc.exit_code << "</sub>\n\n";

  out << "| scenario (close path) | variant | expected | observed | slope / conn | leaked by name | RSS / conn | cycles/s |\n";
  out << "|---|---|---|---|---:|---|---:|---:|\n";
  std::vector<std::string> explanations;
  const double min_completion = min_completion_of(doc);
  for (const auto& s : doc.scenarios) {
    for (const auto& name : variant_order(s)) {
      const auto& v = s.variants.at(name);
      const auto check = check_variant(s, name, v, min_completion);
      std::string observed = md_cell(v.observed.empty() ? observe(v) : v.observed);
      if (check.status != cell_status::as_expected) {
        observed = "**" + observed + "** ✗";
        explanations.push_back("- **" + md_cell(s.name) + " / " + md_cell(name) + "** (" +
                               (check.status == cell_status::harness_error ? "harness error" : "not as expected") +
                               "): " + md_cell(check.reason));
      }
      out << "| " << md_cell(s.name) << " | " << md_cell(name) << " | " << md_cell(v.expected) << " | " << observed
          << " | " << md_cell(per_connection_text(v)) << " | " << md_cell(describe_by_name(v.leaked.by_name, v.closed))
          << " | " << md_cell(rss_per_connection_text(v)) << " | " << md_cell(cycles_text(v)) << " |\n";
    }
    if (s.variants.empty()) {
      out << "| " << md_cell(s.name) << " | – | | | | | | |\n";
      explanations.push_back("- **" + md_cell(s.name) + "**: no variant ran");
    }
  }
  out << "\n";
  if (explanations.empty()) {
    out << "Every cell is as expected.\n";
  } else {
    out << "Not as expected:\n\n";
    for (const auto& e : explanations) out << e << "\n";
  }
  return out.str();
}

}  // namespace hakit::runner
