// Each report format on the synthetic document.
#include <boost/test/unit_test.hpp>

#include "runner/report.hpp"
#include "synthetic_document.hpp"

namespace model = hakit::model;
namespace runner = hakit::runner;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto pos = text.find(part); pos != std::string::npos; pos = text.find(part, pos + part.size())) ++n;
  return n;
}

/// The synthetic document with fixed leaking on rst-after-handshake and a
/// harness error (with markup in its text) for buggy on destroy-connections.
model::document failing_document() {
  auto d = hakit::test::synthetic_document();
  d.scenarios[1].variants["fixed"] =
      hakit::test::synthetic_variant(runner::kRoleCandidateFix, "no-leak", 1000, 1, 4000);
  d.scenarios[2].variants["buggy"].error = "exit <status> 1 & \"core\" | dumped";
  d.scenarios[2].variants["buggy"].observed = "error";
  hakit::runner::apply_verdicts(d);
  return d;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(report)

BOOST_AUTO_TEST_CASE(format_names_parse_and_unknown_ones_throw) {
  BOOST_TEST(runner::parse_report_format("md") == runner::report_format::md);
  BOOST_TEST(runner::parse_report_format("junit") == runner::report_format::junit);
  BOOST_TEST(runner::parse_report_format("html") == runner::report_format::html);
  BOOST_TEST(runner::parse_report_format("text") == runner::report_format::text);
  BOOST_CHECK_THROW(runner::parse_report_format("pdf"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(text_has_a_line_per_variant_and_the_verdict) {
  const auto text = runner::render_text(hakit::test::synthetic_document());
  BOOST_TEST(contains(text, "scenario             variant  closed  leaked  slope/conn  expected  observed  cycles/s  leaked by name"), text);
  BOOST_TEST(contains(text, "fin-after-handshake  buggy      1000    1000        1.00  leak      leak          4100  FlowMonitor 1000 (1.00/conn)"), text);
  BOOST_TEST(contains(text, "                     fixed      1000       0        0.00  no-leak   no-leak       4200  none"), text);
  BOOST_TEST(contains(text, "verdict: validated (exit 0)"), text);
  BOOST_TEST(!contains(text, " !"), text);
}

BOOST_AUTO_TEST_CASE(markdown_puts_the_verdict_first_then_one_table) {
  const auto md = runner::render_markdown(hakit::test::synthetic_document());
  BOOST_TEST(md.rfind("## hakit verdict: **validated**", 0) == 0U, md);
  BOOST_TEST(count(md, "| scenario (close path) | variant | expected | observed | slope / conn | leaked by name | RSS / conn | cycles/s |") == 1U, md);
  BOOST_TEST(contains(md, "| fin-after-handshake | buggy | leak | leak | 1.00 | FlowMonitor 1000 (1.00/conn) | 34.0 KiB | 4100 |"), md);
  BOOST_TEST(contains(md, "Every cell is as expected."), md);
}

BOOST_AUTO_TEST_CASE(markdown_explains_each_cell_not_as_expected_and_escapes_pipes) {
  const auto md = runner::render_markdown(failing_document());
  BOOST_TEST(md.rfind("## hakit verdict: **fix-ineffective**", 0) == 0U, md);
  BOOST_TEST(contains(md, "- **rst-after-handshake / fixed** (not as expected): fixed leaked 1000 threads"), md);
  BOOST_TEST(contains(md, "- **destroy-connections / buggy** (harness error)"), md);
  BOOST_TEST(contains(md, "\\| dumped"), md);
  BOOST_TEST(!contains(md, "<status>"), md);
}

BOOST_AUTO_TEST_CASE(markdown_shows_spreads_when_repetitions_exist) {
  auto d = hakit::test::synthetic_document();
  hakit::test::add_repetitions(d);
  const auto md = runner::render_markdown(d);
  BOOST_TEST(contains(md, "4100 ± 41"), md);
}

BOOST_AUTO_TEST_CASE(html_is_self_contained_with_table_and_charts) {
  const auto html = runner::render_html(failing_document());
  BOOST_TEST(html.rfind("<!DOCTYPE html>", 0) == 0U);
  BOOST_TEST(contains(html, "<table id=\"comparison\">"));
  BOOST_TEST(count(html, "<svg class=\"chart threads\"") == 3U);
  BOOST_TEST(count(html, "<svg class=\"chart census\"") == 3U);
  BOOST_TEST(!contains(html, "https://"));
  BOOST_TEST(!contains(html, "<script"));
  BOOST_TEST(!contains(html, "<status>"));
  BOOST_TEST(contains(html, "exit &lt;status&gt; 1 &amp; &quot;core&quot;"));
  std::string stripped = html;
  for (auto pos = stripped.find("http://www.w3.org/2000/svg"); pos != std::string::npos;
       pos = stripped.find("http://www.w3.org/2000/svg")) {
    stripped.erase(pos, 26);
  }
  BOOST_TEST(!contains(stripped, "http://"));
}

BOOST_AUTO_TEST_CASE(junit_has_one_testcase_per_cell_and_correct_counts) {
  const auto xml = runner::render_junit(failing_document());
  BOOST_TEST(xml.rfind("<?xml", 0) == 0U);
  BOOST_TEST(count(xml, "<testcase ") == 6U);
  BOOST_TEST(contains(xml, "<testsuites name=\"hakit\" tests=\"6\" failures=\"1\" errors=\"1\""), xml);
  BOOST_TEST(contains(xml, "<testcase classname=\"hakit.rst-after-handshake\" name=\"fixed\""), xml);
  BOOST_TEST(count(xml, "<failure ") == 1U);
  BOOST_TEST(count(xml, "<error ") == 1U);
  BOOST_TEST(contains(xml, "exit &lt;status&gt; 1 &amp; &quot;core&quot; | dumped"), xml);
}

BOOST_AUTO_TEST_CASE(render_report_dispatches_by_format) {
  const auto d = hakit::test::synthetic_document();
  BOOST_TEST(runner::render_report(d, runner::report_format::md) == runner::render_markdown(d));
  BOOST_TEST(runner::render_report(d, runner::report_format::junit) == runner::render_junit(d));
}

BOOST_AUTO_TEST_SUITE_END()
