// The text report: what `hakit run` prints when it finishes.
#include <cstdint>
#include <sstream>

#include "runner/report.hpp"
#include "runner/verdict.hpp"

namespace hakit::runner {
namespace {

/// Columns count characters, not bytes ("±" is two bytes in UTF-8).
std::size_t display_width(const std::string& s) {
  std::size_t n = 0;
  for (const char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++n;
  }
  return n;
}

std::string pad(const std::string& s, std::size_t width, bool right) {
  const std::size_t w = display_width(s);
  if (w >= width) return s;
  const std::string fill(width - w, ' ');
  return right ? fill + s : s + fill;
}

}  // namespace

std::string render_text(const model::document& doc) {
  std::ostringstream out;
  out << "hakit " << (doc.kit.version.empty() ? "?" : doc.kit.version);
  if (!doc.kit.commit.empty()) out << " (" << doc.kit.commit << ")";
  out << "  host: " << doc.host.cpus << " cpus, kernel " << (doc.host.kernel.empty() ? "?" : doc.host.kernel)
      << ", pid_max " << doc.host.pid_max;
  if (!doc.started_at.empty()) out << "  run " << doc.started_at << " .. " << doc.finished_at;
  out << "\n\n";

  const std::vector<std::string> header = {"scenario", "variant", "closed", "leaked", "slope/conn",
                                           "expected", "observed", "cycles/s", "leaked by name"};
  const std::vector<bool> right = {false, false, true, true, true, false, false, true, false};
  struct line {
    std::vector<std::string> cells;  // empty: a full-width note instead
    std::string note;
  };
  std::vector<line> lines;
  const double min_completion = min_completion_of(doc);
  bool any_mark = false;
  for (const auto& s : doc.scenarios) {
    bool first = true;
    for (const auto& name : variant_order(s)) {
      const auto& v = s.variants.at(name);
      std::string observed = v.observed.empty() ? observe(v) : v.observed;
      if (check_variant(s, name, v, min_completion).status != cell_status::as_expected) {
        observed += " !";
        any_mark = true;
      }
      lines.push_back({{first ? s.name : std::string(), name, std::to_string(v.closed), std::to_string(v.leaked.threads),
                        per_connection_text(v), v.expected, observed, cycles_text(v),
                        describe_by_name(v.leaked.by_name, v.closed)},
                       {}});
      first = false;
    }
    if (s.variants.empty()) lines.push_back({{s.name, "-", "", "", "", "", "", "", "no variant ran"}, {}});
    lines.push_back({{}, "  -> " + (s.outcome.status.empty() ? std::string("not judged") : s.outcome.status) +
                             (s.outcome.reason.empty() ? std::string() : ": " + s.outcome.reason)});
  }

  std::vector<std::size_t> widths(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) widths[c] = display_width(header[c]);
  for (const auto& l : lines) {
    for (std::size_t c = 0; c < l.cells.size(); ++c) widths[c] = std::max(widths[c], display_width(l.cells[c]));
  }
  const auto emit = [&](const std::vector<std::string>& cells) {
    std::string row;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) row += "  ";
      // The last column is free text: no trailing padding.
      row += c + 1 == cells.size() ? cells[c] : pad(cells[c], widths[c], right[c]);
    }
    while (!row.empty() && row.back() == ' ') row.pop_back();
    out << row << "\n";
  };
  emit(header);
  for (const auto& l : lines) {
    if (l.cells.empty()) {
      out << l.note << "\n";
    } else {
      emit(l.cells);
    }
  }
  if (doc.scenarios.empty()) out << "(no scenario ran)\n";
  if (any_mark) out << "(! marks a cell that is not as expected)\n";

  out << "\nverdict: " << (doc.outcome.status.empty() ? std::string("not judged") : doc.outcome.status)
      << " (exit " << doc.exit_code << ")\n";
  if (!doc.outcome.reason.empty()) out << "  " << doc.outcome.reason << "\n";
  return out.str();
}

}  // namespace hakit::runner
