// The HTML report: one self-contained file (inline CSS and SVG, no script, no
// network), the comparison table, and per scenario a chart of threads over
// connections closed and a bar chart of the settled census by thread name.
#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "runner/report.hpp"
#include "runner/verdict.hpp"

namespace hakit::runner {
namespace {

std::string esc(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

/// SVG coordinates: short and locale-free.
std::string num(double v) { return format_fixed(std::isfinite(v) ? v : 0.0, 1); }

const char* colour_of(std::size_t index, const std::string& name) {
  if (name == "buggy") return "#c0392b";
  if (name == "fixed") return "#2471a3";
  static const char* const palette[] = {"#7d3c98", "#1e8449", "#b9770e", "#5d6d7e"};
  return palette[index % 4];
}

/// Round axis ticks covering [0, max]: 1, 2 or 5 times a power of ten.
std::vector<double> ticks_for(double max) {
  if (!(max > 0.0) || !std::isfinite(max)) return {0.0, 1.0};
  const double raw = max / 5.0;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (const double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * magnitude;
    if (raw <= step) break;
  }
  std::vector<double> ticks;
  for (double t = 0.0; t < max + step * 0.999; t += step) ticks.push_back(t);
  return ticks;
}

std::string tick_label(double v) {
  if (std::fabs(v - std::round(v)) < 1e-9) return format_fixed(v, 0);
  return format_fixed(v, 2);
}

struct frame {
  double width = 520, height = 300;
  double left = 60, right = 100, top = 30, bottom = 45;
  double plot_w() const { return width - left - right; }
  double plot_h() const { return height - top - bottom; }
};

/// Threads over connections closed: each variant's samples joined by a line,
/// its settled point as a hollow square joined by a dashed line.
std::string threads_chart(const model::scenario_result& s) {
  const frame f;
  double max_x = 0.0;
  double max_y = 0.0;
  for (const auto& [name, v] : s.variants) {
    for (const auto& p : v.samples) {
      max_x = std::max(max_x, static_cast<double>(p.closed));
      max_y = std::max(max_y, static_cast<double>(p.threads));
    }
    max_x = std::max(max_x, static_cast<double>(v.closed));
    max_y = std::max({max_y, static_cast<double>(v.settled.threads), static_cast<double>(v.baseline.threads)});
  }
  const auto xt = ticks_for(max_x);
  const auto yt = ticks_for(max_y);
  const double x_hi = xt.back() > 0.0 ? xt.back() : 1.0;
  const double y_hi = yt.back() > 0.0 ? yt.back() : 1.0;
  const auto px = [&](double x) { return f.left + x / x_hi * f.plot_w(); };
  const auto py = [&](double y) { return f.top + f.plot_h() - y / y_hi * f.plot_h(); };

  std::ostringstream o;
  o << "<svg class=\"chart threads\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << num(f.width) << "\" height=\""
    << num(f.height) << "\" viewBox=\"0 0 " << num(f.width) << " " << num(f.height) << "\" role=\"img\">";
  o << "<title>Threads over connections closed: " << esc(s.name) << "</title>";
  o << "<text x=\"" << num(f.left) << "\" y=\"18\" class=\"title\">Threads over connections closed</text>";
  for (const double t : yt) {
    o << "<line class=\"grid\" x1=\"" << num(f.left) << "\" x2=\"" << num(f.left + f.plot_w()) << "\" y1=\"" << num(py(t))
      << "\" y2=\"" << num(py(t)) << "\"/>";
    o << "<text class=\"tick\" text-anchor=\"end\" x=\"" << num(f.left - 6) << "\" y=\"" << num(py(t) + 4) << "\">"
      << tick_label(t) << "</text>";
  }
  for (const double t : xt) {
    o << "<text class=\"tick\" text-anchor=\"middle\" x=\"" << num(px(t)) << "\" y=\""
      << num(f.top + f.plot_h() + 16) << "\">" << tick_label(t) << "</text>";
  }
  o << "<line class=\"axis\" x1=\"" << num(f.left) << "\" x2=\"" << num(f.left) << "\" y1=\"" << num(f.top)
    << "\" y2=\"" << num(f.top + f.plot_h()) << "\"/>";
  o << "<line class=\"axis\" x1=\"" << num(f.left) << "\" x2=\"" << num(f.left + f.plot_w()) << "\" y1=\""
    << num(f.top + f.plot_h()) << "\" y2=\"" << num(f.top + f.plot_h()) << "\"/>";
  o << "<text class=\"label\" text-anchor=\"middle\" x=\"" << num(f.left + f.plot_w() / 2) << "\" y=\""
    << num(f.height - 6) << "\">connections closed</text>";
  o << "<text class=\"label\" text-anchor=\"middle\" transform=\"translate(14 " << num(f.top + f.plot_h() / 2)
    << ") rotate(-90)\">threads</text>";

  std::size_t index = 0;
  double legend_y = f.top + 6;
  const double legend_x = f.left + f.plot_w() + 16;
  for (const auto& name : variant_order(s)) {
    const auto& v = s.variants.at(name);
    const char* colour = colour_of(index++, name);
    auto points = v.samples;
    std::stable_sort(points.begin(), points.end(),
                     [](const model::sample& a, const model::sample& b) { return a.closed < b.closed; });
    if (!points.empty()) {
      // Wider first lines, so a later variant drawn on the same figures leaves the earlier visible.
      o << "<polyline class=\"series\" fill=\"none\" stroke-opacity=\"0.85\" stroke-width=\""
        << num(std::max(1.5, 5.0 - 2.0 * static_cast<double>(index - 1))) << "\" stroke=\"" << colour << "\" points=\"";
      for (const auto& p : points) o << num(px(static_cast<double>(p.closed))) << "," << num(py(static_cast<double>(p.threads))) << " ";
      o << "\"/>";
      const auto& last = points.back();
      o << "<line stroke-dasharray=\"4 3\" stroke=\"" << colour << "\" x1=\"" << num(px(static_cast<double>(last.closed)))
        << "\" y1=\"" << num(py(static_cast<double>(last.threads))) << "\" x2=\"" << num(px(static_cast<double>(v.closed)))
        << "\" y2=\"" << num(py(static_cast<double>(v.settled.threads))) << "\"/>";
    }
    o << "<rect class=\"settled\" fill=\"white\" stroke=\"" << colour << "\" x=\"" << num(px(static_cast<double>(v.closed)) - 4)
      << "\" y=\"" << num(py(static_cast<double>(v.settled.threads)) - 4) << "\" width=\"8\" height=\"8\"><title>"
      << esc(name) << " settled: " << v.settled.threads << " threads after " << v.closed << " closed</title></rect>";
    o << "<line stroke=\"" << colour << "\" stroke-width=\"2\" x1=\"" << num(legend_x) << "\" x2=\"" << num(legend_x + 18)
      << "\" y1=\"" << num(legend_y) << "\" y2=\"" << num(legend_y) << "\"/>";
    o << "<text class=\"legend\" x=\"" << num(legend_x + 24) << "\" y=\"" << num(legend_y + 4) << "\">" << esc(name)
      << "</text>";
    legend_y += 18;
  }
  o << "<rect fill=\"white\" stroke=\"#444\" x=\"" << num(legend_x + 5) << "\" y=\"" << num(legend_y - 4)
    << "\" width=\"8\" height=\"8\"/><text class=\"legend\" x=\"" << num(legend_x + 24) << "\" y=\""
    << num(legend_y + 4) << "\">settled</text>";
  o << "</svg>";
  return o.str();
}

/// The settled census by thread name, one bar per variant in each name's group.
std::string census_chart(const model::scenario_result& s) {
  std::set<std::string> names;
  double max_count = 0.0;
  for (const auto& [name, v] : s.variants) {
    for (const auto& [thread, count] : v.settled.by_name) {
      names.insert(thread);
      max_count = std::max(max_count, static_cast<double>(count));
    }
  }
  const auto order = variant_order(s);
  frame f;
  const double group_w = std::max(70.0, 24.0 * static_cast<double>(order.size()) + 30.0);
  f.width = std::max(520.0, f.left + f.right + group_w * static_cast<double>(std::max<std::size_t>(names.size(), 1)));
  f.bottom = 60;
  // Headroom for the value labels above the tallest bar.
  const auto yt = ticks_for(max_count * 1.1);
  const double y_hi = yt.back() > 0.0 ? yt.back() : 1.0;
  const auto py = [&](double y) { return f.top + f.plot_h() - y / y_hi * f.plot_h(); };

  std::ostringstream o;
  o << "<svg class=\"chart census\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << num(f.width) << "\" height=\""
    << num(f.height) << "\" viewBox=\"0 0 " << num(f.width) << " " << num(f.height) << "\" role=\"img\">";
  o << "<title>Settled census by thread name: " << esc(s.name) << "</title>";
  o << "<text x=\"" << num(f.left) << "\" y=\"18\" class=\"title\">Settled threads by name</text>";
  for (const double t : yt) {
    o << "<line class=\"grid\" x1=\"" << num(f.left) << "\" x2=\"" << num(f.left + f.plot_w()) << "\" y1=\"" << num(py(t))
      << "\" y2=\"" << num(py(t)) << "\"/>";
    o << "<text class=\"tick\" text-anchor=\"end\" x=\"" << num(f.left - 6) << "\" y=\"" << num(py(t) + 4) << "\">"
      << tick_label(t) << "</text>";
  }
  o << "<line class=\"axis\" x1=\"" << num(f.left) << "\" x2=\"" << num(f.left) << "\" y1=\"" << num(f.top)
    << "\" y2=\"" << num(f.top + f.plot_h()) << "\"/>";
  o << "<line class=\"axis\" x1=\"" << num(f.left) << "\" x2=\"" << num(f.left + f.plot_w()) << "\" y1=\""
    << num(f.top + f.plot_h()) << "\" y2=\"" << num(f.top + f.plot_h()) << "\"/>";
  o << "<text class=\"label\" text-anchor=\"middle\" transform=\"translate(14 " << num(f.top + f.plot_h() / 2)
    << ") rotate(-90)\">threads</text>";
  o << "<text class=\"label\" text-anchor=\"middle\" x=\"" << num(f.left + f.plot_w() / 2) << "\" y=\""
    << num(f.height - 6) << "\">thread name (settled census)</text>";
  if (names.empty()) {
    o << "<text class=\"tick\" x=\"" << num(f.left + 10) << "\" y=\"" << num(f.top + 20) << "\">no census</text>";
  }
  const double slot = f.plot_w() / static_cast<double>(std::max<std::size_t>(names.size(), 1));
  const double bar_w = std::min(22.0, (slot - 16.0) / static_cast<double>(std::max<std::size_t>(order.size(), 1)));
  std::size_t g = 0;
  for (const auto& thread : names) {
    const double x0 = f.left + slot * static_cast<double>(g) + (slot - bar_w * static_cast<double>(order.size())) / 2;
    for (std::size_t i = 0; i < order.size(); ++i) {
      const auto& v = s.variants.at(order[i]);
      const auto it = v.settled.by_name.find(thread);
      const double count = it == v.settled.by_name.end() ? 0.0 : static_cast<double>(it->second);
      const double x = x0 + bar_w * static_cast<double>(i);
      o << "<rect class=\"bar\" fill=\"" << colour_of(i, order[i]) << "\" x=\"" << num(x) << "\" y=\"" << num(py(count))
        << "\" width=\"" << num(bar_w - 2) << "\" height=\"" << num(f.top + f.plot_h() - py(count)) << "\"><title>"
        << esc(order[i]) << " " << esc(thread) << ": " << tick_label(count) << "</title></rect>";
      o << "<text class=\"value\" text-anchor=\"middle\" x=\"" << num(x + bar_w / 2 - 1) << "\" y=\""
        << num(py(count) - 3) << "\">" << tick_label(count) << "</text>";
    }
    o << "<text class=\"tick\" text-anchor=\"middle\" x=\"" << num(f.left + slot * (static_cast<double>(g) + 0.5))
      << "\" y=\"" << num(f.top + f.plot_h() + 16) << "\">" << esc(thread) << "</text>";
    ++g;
  }
  double legend_y = f.top + 6;
  const double legend_x = f.left + f.plot_w() + 16;
  for (std::size_t i = 0; i < order.size(); ++i) {
    o << "<rect fill=\"" << colour_of(i, order[i]) << "\" x=\"" << num(legend_x) << "\" y=\"" << num(legend_y - 6)
      << "\" width=\"12\" height=\"12\"/><text class=\"legend\" x=\"" << num(legend_x + 18) << "\" y=\""
      << num(legend_y + 4) << "\">" << esc(order[i]) << "</text>";
    legend_y += 18;
  }
  o << "</svg>";
  return o.str();
}

const char* kStyle = R"(
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
.verdict { padding: .8em 1em; border-radius: 6px; margin: 1em 0; border: 1px solid; }
.verdict.validated { background: #eafaf1; border-color: #27ae60; }
.verdict.fix-ineffective { background: #fdedec; border-color: #c0392b; }
.verdict.not-reproduced, .verdict.inconclusive { background: #fef5e7; border-color: #d68910; }
.verdict strong { font-size: 1.2em; }
.meta { color: #666; font-size: .9em; }
table { border-collapse: collapse; margin: 1em 0; width: 100%; }
th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: left; vertical-align: top; }
th { background: #f4f6f7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.unexpected td { background: #fdedec; }
tr.harness td { background: #fef5e7; }
ul.explain li { margin: .2em 0; }
section.scenario { border-top: 1px solid #ddd; margin-top: 1.5em; padding-top: .5em; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; }
svg.chart { background: #fff; border: 1px solid #eee; }
svg .title { font-weight: 600; font-size: 13px; }
svg .tick, svg .value { font-size: 11px; fill: #555; }
svg .label, svg .legend { font-size: 12px; fill: #222; }
svg .grid { stroke: #eee; }
svg .axis { stroke: #444; }
)";

}  // namespace

std::string render_html(const model::document& doc) {
  std::ostringstream o;
  const std::string status = doc.outcome.status.empty() ? std::string("not judged") : doc.outcome.status;
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    // An empty data: icon, so the browser does not ask the network (or file://) for /favicon.ico.
    << "<link rel=\"icon\" href=\"data:,\">\n"
    << "<title>hakit comparison: " << esc(status) << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n";
  o << "<h1>hakit comparison</h1>\n";
  o << "<div class=\"verdict " << esc(status) << "\" id=\"verdict\"><strong>" << esc(status) << "</strong> (exit code "
    << doc.exit_code << ")<br>" << esc(doc.outcome.reason) << "</div>\n";
  o << "<p class=\"meta\">hakit " << esc(doc.kit.version);
  if (!doc.kit.commit.empty()) o << " (" << esc(doc.kit.commit) << ")";
  o << " · host " << doc.host.cpus << " cpus, kernel " << esc(doc.host.kernel) << ", pid_max " << doc.host.pid_max;
  if (!doc.started_at.empty()) o << " · run " << esc(doc.started_at) << " – " << esc(doc.finished_at);
  o << " · schema " << esc(doc.schema) << "</p>\n";

  o << "<table id=\"comparison\">\n<thead><tr><th>scenario (close path)</th><th>variant</th><th>expected</th>"
    << "<th>observed</th><th>slope / conn</th><th>leaked by name</th><th>RSS / conn</th><th>cycles/s</th>"
    << "<th>scenario verdict</th></tr></thead>\n<tbody>\n";
  std::vector<std::string> explanations;
  const double min_completion = min_completion_of(doc);
  for (const auto& s : doc.scenarios) {
    for (const auto& name : variant_order(s)) {
      const auto& v = s.variants.at(name);
      const auto check = check_variant(s, name, v, min_completion);
      const char* row_class = check.status == cell_status::as_expected  ? "as-expected"
                              : check.status == cell_status::unexpected ? "unexpected"
                                                                        : "harness";
      if (check.status != cell_status::as_expected) {
        explanations.push_back("<li><strong>" + esc(s.name) + " / " + esc(name) + "</strong>: " + esc(check.reason) + "</li>");
      }
      o << "<tr class=\"" << row_class << "\"><td>" << esc(s.name) << "</td><td>" << esc(name) << "</td><td>"
        << esc(v.expected) << "</td><td>" << esc(v.observed.empty() ? observe(v) : v.observed) << "</td><td class=\"num\">"
        << esc(per_connection_text(v)) << "</td><td>" << esc(describe_by_name(v.leaked.by_name, v.closed))
        << "</td><td class=\"num\">" << esc(rss_per_connection_text(v)) << "</td><td class=\"num\">" << esc(cycles_text(v))
        << "</td><td>" << esc(s.outcome.status) << "</td></tr>\n";
    }
  }
  o << "</tbody>\n</table>\n";
  if (explanations.empty()) {
    o << "<p>Every cell is as expected.</p>\n";
  } else {
    o << "<p>Not as expected:</p>\n<ul class=\"explain\">\n";
    for (const auto& e : explanations) o << e << "\n";
    o << "</ul>\n";
  }

  for (const auto& s : doc.scenarios) {
    o << "<section class=\"scenario\" id=\"scenario-" << esc(s.name) << "\">\n<h2>" << esc(s.name) << " <small>("
      << esc(s.outcome.status) << ")</small></h2>\n";
    if (!s.description.empty()) o << "<p>" << esc(s.description) << "</p>\n";
    o << "<p class=\"meta\">" << s.connections << " connections per variant, " << s.concurrency << " in flight, repeat "
      << s.repeat << ". " << esc(s.outcome.reason) << "</p>\n";
    o << "<div class=\"charts\">\n" << threads_chart(s) << "\n" << census_chart(s) << "\n</div>\n</section>\n";
  }
  o << "</body>\n</html>\n";
  return o.str();
}

}  // namespace hakit::runner
