// `hakit compare`: what counts as a regression, and what is an error.
#include <boost/test/unit_test.hpp>

#include "runner/compare.hpp"
#include "runner/document_io.hpp"
#include "runner/exit_codes.hpp"
#include "synthetic_document.hpp"

namespace model = hakit::model;
namespace runner = hakit::runner;
using hakit::test::synthetic_document;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

bool any_contains(const std::vector<std::string>& lines, const std::string& part) {
  for (const auto& l : lines) {
    if (contains(l, part)) return true;
  }
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(compare)

BOOST_AUTO_TEST_CASE(identical_documents_do_not_regress) {
  const auto d = synthetic_document();
  const auto c = runner::compare_documents(d, d);
  BOOST_TEST(!c.regressed());
  BOOST_TEST(runner::exit_code_for(c) == 0);
  BOOST_TEST(c.scenarios.size() == 3U);
  const auto text = runner::render_comparison(c, runner::report_format::text);
  BOOST_TEST(contains(text, "hakit compare: no regression"), text);
}

BOOST_AUTO_TEST_CASE(fixed_starting_to_leak_is_a_regression) {
  const auto old_doc = synthetic_document();
  auto new_doc = old_doc;
  new_doc.scenarios[0].variants["fixed"] =
      hakit::test::synthetic_variant(runner::kRoleCandidateFix, "no-leak", 1000, 1, 4200);
  runner::apply_verdicts(new_doc);
  const auto c = runner::compare_documents(old_doc, new_doc);
  BOOST_TEST(c.regressed());
  BOOST_TEST(runner::exit_code_for(c) == hakit::exit_code::kRegression);
  BOOST_TEST(any_contains(c.regressions, "fin-after-handshake/fixed: leaked nothing before, now leaks 1000 threads"));
  BOOST_TEST(any_contains(c.regressions, "fin-after-handshake: verdict was validated, now fix-ineffective"));
  BOOST_TEST(any_contains(c.regressions, "overall verdict was validated, now fix-ineffective"));
}

BOOST_AUTO_TEST_CASE(validated_becoming_anything_else_is_a_regression) {
  const auto old_doc = synthetic_document();
  auto new_doc = old_doc;
  new_doc.scenarios[2].variants["buggy"].settled_in_time = false;
  runner::apply_verdicts(new_doc);
  const auto c = runner::compare_documents(old_doc, new_doc);
  BOOST_TEST(c.regressed());
  BOOST_TEST(any_contains(c.regressions, "destroy-connections: verdict was validated, now inconclusive"));
}

BOOST_AUTO_TEST_CASE(a_twenty_percent_slowdown_regresses_with_the_default_threshold) {
  const auto old_doc = synthetic_document();
  auto new_doc = old_doc;
  new_doc.scenarios[1].variants["fixed"].cycles_per_s *= 0.8;
  const auto c = runner::compare_documents(old_doc, new_doc);
  BOOST_TEST(c.regressed());
  BOOST_TEST(any_contains(c.regressions, "rst-after-handshake/fixed: cycles/s fell 20.0 % (4200 -> 3360)"));
  runner::compare_options lenient;
  lenient.max_slowdown = 0.25;
  BOOST_TEST(!runner::compare_documents(old_doc, new_doc, lenient).regressed());
}

BOOST_AUTO_TEST_CASE(another_schema_or_no_common_scenario_is_an_error) {
  const auto d = synthetic_document();
  auto other = d;
  other.schema = "hakit.comparison/2";
  BOOST_CHECK_THROW(runner::compare_documents(d, other), runner::document_error);
  auto disjoint = d;
  for (auto& s : disjoint.scenarios) s.name += "-renamed";
  BOOST_CHECK_THROW(runner::compare_documents(d, disjoint), runner::document_error);
}

BOOST_AUTO_TEST_CASE(scenarios_on_one_side_only_are_listed) {
  const auto old_doc = synthetic_document();
  auto new_doc = old_doc;
  new_doc.scenarios.pop_back();
  new_doc.scenarios.push_back(hakit::test::synthetic_scenario("bad-frame", true));
  runner::apply_verdicts(new_doc);
  const auto c = runner::compare_documents(old_doc, new_doc);
  BOOST_TEST(c.only_old == std::vector<std::string>{"destroy-connections"});
  BOOST_TEST(c.only_new == std::vector<std::string>{"bad-frame"});
  const auto md = runner::render_comparison(c, runner::report_format::md);
  BOOST_TEST(contains(md, "Only in OLD: destroy-connections"), md);
  BOOST_TEST(contains(md, "Only in NEW: bad-frame"), md);
  BOOST_CHECK_THROW(runner::render_comparison(c, runner::report_format::html), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
