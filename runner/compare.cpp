// `hakit compare` (runner/compare.hpp).
#include "runner/compare.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "runner/document_io.hpp"
#include "runner/exit_codes.hpp"
#include "runner/verdict.hpp"

namespace hakit::runner {
namespace {

std::string observed_of(const model::variant_result& v) { return v.observed.empty() ? observe(v) : v.observed; }

double cycles_of(const model::variant_result& v) { return headline(v, "cycles_per_s", v.cycles_per_s); }

std::string arrow(const std::string& a, const std::string& b) { return a == b ? a : a + " -> " + b; }

std::string side(const std::optional<model::variant_result>& v, std::string (*figure)(const model::variant_result&)) {
  return v ? figure(*v) : std::string("-");
}

std::string observed_text(const model::variant_result& v) { return observed_of(v); }

/// "+3.2 %" change of cycles/s from OLD to NEW.
std::string change_text(const variant_change& c) {
  if (!c.old_result || !c.new_result) return c.old_result ? "only in OLD" : "only in NEW";
  const double before = cycles_of(*c.old_result);
  if (!(before > 0.0)) return "";
  const double pct = (cycles_of(*c.new_result) - before) / before * 100.0;
  return (pct >= 0 ? "+" : "") + format_fixed(pct, 1) + " %";
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string md_cell(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

comparison compare_documents(const model::document& old_doc, const model::document& new_doc,
                             const compare_options& options) {
  if (!(options.max_slowdown >= 0.0 && options.max_slowdown < 1.0)) {
    throw std::invalid_argument("max slowdown must be a fraction in [0, 1), e.g. 0.10 for 10 %");
  }
  for (const auto* d : {&old_doc, &new_doc}) {
    if (d->schema != model::kSchema) {
      throw document_error(std::string(d == &old_doc ? "OLD" : "NEW") + " is schema " + d->schema +
                           ", this hakit compares " + model::kSchema);
    }
  }

  comparison c;
  c.options = options;
  c.old_overall = old_doc.outcome;
  c.new_overall = new_doc.outcome;
  const auto find = [](const model::document& d, const std::string& name) -> const model::scenario_result* {
    for (const auto& s : d.scenarios) {
      if (s.name == name) return &s;
    }
    return nullptr;
  };
  for (const auto& s : old_doc.scenarios) {
    if (!find(new_doc, s.name)) c.only_old.push_back(s.name);
  }
  for (const auto& ns : new_doc.scenarios) {
    const auto* os = find(old_doc, ns.name);
    if (!os) {
      c.only_new.push_back(ns.name);
      continue;
    }
    scenario_change sc;
    sc.scenario = ns.name;
    sc.old_verdict = os->outcome;
    sc.new_verdict = ns.outcome;
    if (os->outcome.status == model::kValidated && ns.outcome.status != model::kValidated) {
      sc.regressions.push_back(ns.name + ": verdict was validated, now " + ns.outcome.status + " (" + ns.outcome.reason + ")");
    }
    std::vector<std::string> names = variant_order(ns);
    for (const auto& name : variant_order(*os)) {
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    for (const auto& name : names) {
      variant_change vc;
      vc.variant = name;
      if (const auto it = os->variants.find(name); it != os->variants.end()) vc.old_result = it->second;
      if (const auto it = ns.variants.find(name); it != ns.variants.end()) vc.new_result = it->second;
      if (vc.old_result && vc.new_result) {
        const auto& before = *vc.old_result;
        const auto& after = *vc.new_result;
        if (observed_of(before) == "no-leak" && observed_of(after) == "leak") {
          vc.regressions.push_back(ns.name + "/" + name + ": leaked nothing before, now leaks " +
                                   std::to_string(after.leaked.threads) + " threads (" +
                                   describe_by_name(after.leaked.by_name, after.closed) + ")");
        }
        const double b = cycles_of(before);
        const double a = cycles_of(after);
        if (b > 0.0 && a < b * (1.0 - options.max_slowdown)) {
          vc.regressions.push_back(ns.name + "/" + name + ": cycles/s fell " + format_fixed((b - a) / b * 100.0, 1) +
                                   " % (" + format_fixed(b, 0) + " -> " + format_fixed(a, 0) + "), more than the " +
                                   format_fixed(options.max_slowdown * 100.0, 1) + " % allowed");
        }
      }
      sc.variants.push_back(std::move(vc));
    }
    c.regressions.insert(c.regressions.end(), sc.regressions.begin(), sc.regressions.end());
    for (const auto& vc : sc.variants) c.regressions.insert(c.regressions.end(), vc.regressions.begin(), vc.regressions.end());
    c.scenarios.push_back(std::move(sc));
  }
  if (c.scenarios.empty()) {
    throw document_error("OLD and NEW have no scenario in common (OLD ran " + std::to_string(old_doc.scenarios.size()) +
                         ", NEW ran " + std::to_string(new_doc.scenarios.size()) + "): nothing to compare");
  }
  if (old_doc.outcome.status == model::kValidated && new_doc.outcome.status != model::kValidated) {
    c.regressions.insert(c.regressions.begin(), "overall verdict was validated, now " + new_doc.outcome.status + " (" +
                                                    new_doc.outcome.reason + ")");
  }
  return c;
}

int exit_code_for(const comparison& c) { return c.regressed() ? exit_code::kRegression : exit_code::kValidated; }

std::string render_comparison(const comparison& c, report_format format) {
  if (format != report_format::text && format != report_format::md) {
    throw std::invalid_argument("hakit compare renders text or md, not " + std::string(format_name(format)));
  }
  const bool md = format == report_format::md;
  std::vector<std::vector<std::string>> rows;
  const std::vector<std::string> header = {"scenario", "variant", "verdict", "observed", "slope / conn",
                                           "RSS / conn", "cycles/s", "change"};
  for (const auto& sc : c.scenarios) {
    bool first = true;
    for (const auto& vc : sc.variants) {
      rows.push_back({first ? sc.scenario : std::string(), vc.variant,
                      first ? arrow(sc.old_verdict.status, sc.new_verdict.status) : std::string(),
                      arrow(side(vc.old_result, observed_text), side(vc.new_result, observed_text)),
                      arrow(side(vc.old_result, per_connection_text), side(vc.new_result, per_connection_text)),
                      arrow(side(vc.old_result, rss_per_connection_text), side(vc.new_result, rss_per_connection_text)),
                      arrow(side(vc.old_result, cycles_text), side(vc.new_result, cycles_text)), change_text(vc)});
      first = false;
    }
  }

  std::ostringstream o;
  const std::string headline_text = c.regressed() ? "REGRESSION: " + std::to_string(c.regressions.size()) +
                                                        " regression" + (c.regressions.size() == 1 ? "" : "s")
                                                  : std::string("no regression");
  if (md) {
    o << "## hakit compare: **" << headline_text << "**\n\n";
    o << "Overall verdict: " << md_cell(arrow(c.old_overall.status, c.new_overall.status)) << " (max slowdown "
      << format_fixed(c.options.max_slowdown * 100.0, 1) << " %)\n\n";
    o << "|";
    for (const auto& h : header) o << " " << h << " |";
    o << "\n|---|---|---|---|---:|---:|---:|---:|\n";
    for (const auto& r : rows) {
      o << "|";
      for (const auto& cell : r) o << " " << md_cell(cell) << " |";
      o << "\n";
    }
    o << "\n";
    if (!c.regressions.empty()) {
      o << "Regressions:\n\n";
      for (const auto& r : c.regressions) o << "- " << md_cell(r) << "\n";
      o << "\n";
    }
    if (!c.only_old.empty()) o << "Only in OLD: " << md_cell(join(c.only_old)) << "\n\n";
    if (!c.only_new.empty()) o << "Only in NEW: " << md_cell(join(c.only_new)) << "\n\n";
    return o.str();
  }

  o << "hakit compare: " << headline_text << "\n";
  o << "overall verdict: " << arrow(c.old_overall.status, c.new_overall.status) << "  (max slowdown "
    << format_fixed(c.options.max_slowdown * 100.0, 1) << " %)\n\n";
  std::vector<std::size_t> widths(header.size());
  const auto width = [](const std::string& s) {
    std::size_t n = 0;
    for (const char ch : s) n += (static_cast<unsigned char>(ch) & 0xC0U) != 0x80U ? 1U : 0U;
    return n;
  };
  for (std::size_t i = 0; i < header.size(); ++i) widths[i] = width(header[i]);
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], width(r[i]));
  }
  const auto emit = [&](const std::vector<std::string>& r) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (i > 0) line += "  ";
      line += r[i];
      if (i + 1 < r.size()) line += std::string(widths[i] - width(r[i]), ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    o << line << "\n";
  };
  emit(header);
  for (const auto& r : rows) emit(r);
  for (const auto& r : c.regressions) o << "regression: " << r << "\n";
  for (const auto& n : c.only_old) o << "only in OLD: " << n << "\n";
  for (const auto& n : c.only_new) o << "only in NEW: " << n << "\n";
  return o.str();
}

}  // namespace hakit::runner
