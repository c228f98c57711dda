// Renderers of a comparison document for people and CI: text (what `hakit run`
// prints), Markdown (for a pull request), self-contained HTML with charts, JUnit XML.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "runner/model.hpp"

namespace hakit::runner {

enum class report_format { text, md, html, junit };

/// "text" | "md" | "html" | "junit"; throws std::invalid_argument naming the accepted values.
report_format parse_report_format(std::string_view name);

/// The name parse_report_format accepts for `format`.
std::string_view format_name(report_format format);

/// Writes format_name(format).
std::ostream& operator<<(std::ostream& os, report_format format);

/// Renders the whole document in `format`.
std::string render_report(const model::document& doc, report_format format);

/// One renderer per format (report_text.cpp, report_markdown.cpp, report_html.cpp, report_junit.cpp).
std::string render_text(const model::document& doc);
std::string render_markdown(const model::document& doc);
std::string render_html(const model::document& doc);
std::string render_junit(const model::document& doc);

// Helpers the renderers (and `hakit compare`) share.


/// The completion threshold the run used (`settings.min_completion`), else the default.
double min_completion_of(const model::document& doc);

/// The figure's mean over repetitions when the variant has a spread for it, else `value`.
double headline(const model::variant_result& v, const std::string& figure, double value);

/// `value` formatted with `decimals`, or "mean ± stddev" when the variant has a spread
/// for `figure` (a key of variant_result::spreads). `scale` divides both (e.g. 1024 for KiB).
std::string with_spread(const model::variant_result& v, const std::string& figure, double value, int decimals,
                        double scale = 1.0);

/// Leaked threads per connection as a report shows it ("1.00", or "1.00 ± 0.01").
std::string per_connection_text(const model::variant_result& v);

/// RSS growth per connection in KiB ("33.9 KiB").
std::string rss_per_connection_text(const model::variant_result& v);

/// Connection cycles per second ("4100", or "4100 ± 52").
std::string cycles_text(const model::variant_result& v);

}  // namespace hakit::runner
