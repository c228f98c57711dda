// The verdict on synthetic documents: each of the four statuses, and the
// precedence rules that keep a harness failure from reading as a fix failure.
#include <boost/test/unit_test.hpp>

#include "runner/exit_codes.hpp"
#include "runner/verdict.hpp"
#include "synthetic_document.hpp"

namespace model = hakit::model;
namespace runner = hakit::runner;
using hakit::test::synthetic_document;
using hakit::test::synthetic_scenario;
using hakit::test::synthetic_variant;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// Makes `v` leak `n` FlowMonitor threads per connection after settling.
void make_leak(model::variant_result& v, std::int64_t n) {
  v = synthetic_variant(v.role, v.expected, v.closed, n, v.cycles_per_s);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(verdict)

BOOST_AUTO_TEST_CASE(observe_reads_error_ceiling_leak_and_no_leak) {
  auto v = synthetic_variant(runner::kRoleCandidateFix, "no-leak", 100, 0, 1000);
  BOOST_TEST(runner::observe(v) == "no-leak");
  v.leaked.threads = 1;
  BOOST_TEST(runner::observe(v) == "leak");
  v.ceiling_hit = true;
  BOOST_TEST(runner::observe(v) == "error");
  v.ceiling_hit = false;
  v.error = "ha-master-fixed exited with signal 11";
  BOOST_TEST(runner::observe(v) == "error");
}

BOOST_AUTO_TEST_CASE(buggy_leaking_and_fixed_clean_is_validated) {
  const auto d = synthetic_document();
  BOOST_TEST(d.outcome.status == model::kValidated);
  BOOST_TEST(d.exit_code == hakit::exit_code::kValidated);
  for (const auto& s : d.scenarios) BOOST_TEST(s.outcome.status == model::kValidated, s.name);
  BOOST_TEST(contains(d.outcome.reason, "validated on 3 of 3 scenarios"), d.outcome.reason);
  BOOST_TEST(contains(d.outcome.reason, "buggy leaked 1.00 FlowMonitor per connection on 2 close paths"), d.outcome.reason);
  BOOST_TEST(contains(d.outcome.reason, "fixed leaked none"), d.outcome.reason);
}

BOOST_AUTO_TEST_CASE(fixed_leaking_is_fix_ineffective_and_names_the_threads) {
  auto s = synthetic_scenario("rst-after-handshake", true);
  make_leak(s.variants["fixed"], 1);
  const auto v = runner::judge_scenario(s);
  BOOST_TEST(v.status == model::kFixIneffective);
  BOOST_TEST(contains(v.reason, "fixed"), v.reason);
  BOOST_TEST(contains(v.reason, "FlowMonitor 1000 (1.00/conn)"), v.reason);
  BOOST_TEST(runner::exit_code_for(v.status) == hakit::exit_code::kFixIneffective);
}

BOOST_AUTO_TEST_CASE(buggy_not_leaking_is_not_reproduced) {
  auto s = synthetic_scenario("fin-after-handshake", true);
  make_leak(s.variants["buggy"], 0);
  const auto v = runner::judge_scenario(s);
  BOOST_TEST(v.status == model::kNotReproduced);
  BOOST_TEST(contains(v.reason, "buggy"), v.reason);
  BOOST_TEST(contains(v.reason, "proves nothing"), v.reason);
}

BOOST_AUTO_TEST_CASE(too_few_connections_closed_is_inconclusive) {
  auto s = synthetic_scenario("fin-after-handshake", true);
  s.variants["fixed"].closed = 500;
  s.variants["fixed"].failed = 500;
  const auto v = runner::judge_scenario(s);
  BOOST_TEST(v.status == model::kInconclusive);
  BOOST_TEST(contains(v.reason, "fixed on fin-after-handshake closed only 500 of 1000"), v.reason);
}

BOOST_AUTO_TEST_CASE(not_settled_ceiling_and_error_are_each_inconclusive) {
  for (int which = 0; which < 3; ++which) {
    auto s = synthetic_scenario("idle-expiry", true);
    auto& b = s.variants["buggy"];
    if (which == 0) b.settled_in_time = false;
    if (which == 1) b.ceiling_hit = true;
    if (which == 2) b.error = "ha-master-buggy exited with status 1";
    BOOST_TEST(runner::judge_scenario(s).status == model::kInconclusive, "case " << which);
  }
}

BOOST_AUTO_TEST_CASE(inconclusive_beats_fix_ineffective_within_a_scenario) {
  auto s = synthetic_scenario("bad-frame", true);
  make_leak(s.variants["fixed"], 1);
  s.variants["buggy"].error = "ha-master-buggy crashed";
  const auto v = runner::judge_scenario(s);
  BOOST_TEST(v.status == model::kInconclusive);
  BOOST_TEST(contains(v.reason, "buggy on bad-frame failed: ha-master-buggy crashed"), v.reason);
}

BOOST_AUTO_TEST_CASE(a_harness_failure_of_the_fix_is_never_fix_ineffective) {
  auto s = synthetic_scenario("bad-frame", true);
  auto& f = s.variants["fixed"];
  make_leak(f, 1);
  f.ceiling_hit = true;
  BOOST_TEST(runner::judge_scenario(s).status == model::kInconclusive);
  f.ceiling_hit = false;
  f.settled_in_time = false;
  BOOST_TEST(runner::judge_scenario(s).status == model::kInconclusive);
}

BOOST_AUTO_TEST_CASE(a_repetition_that_leaks_makes_the_fix_ineffective) {
  auto s = synthetic_scenario("fin-after-handshake", true);
  auto& f = s.variants["fixed"];
  f.repetitions = {{1000, 0, 0.0, 0.0, 4200, "no-leak"}, {1000, 3, 0.003, 0.0, 4200, "leak"}};
  const auto v = runner::judge_scenario(s);
  BOOST_TEST(v.status == model::kFixIneffective);
  BOOST_TEST(contains(v.reason, "repetition 2"), v.reason);
}

BOOST_AUTO_TEST_CASE(a_repetition_that_closed_too_few_is_inconclusive) {
  auto s = synthetic_scenario("fin-after-handshake", true);
  s.repeat = 2;
  s.variants["fixed"].repetitions = {{1000, 0, 0.0, 0.0, 4200, "no-leak"}, {10, 0, 0.0, 0.0, 4200, "no-leak"}};
  BOOST_TEST(runner::judge_scenario(s).status == model::kInconclusive);
}

BOOST_AUTO_TEST_CASE(one_variant_alone_is_validated_but_says_the_other_did_not_run) {
  auto s = synthetic_scenario("fin-after-handshake", true);
  s.variants.erase("fixed");
  const auto v = runner::judge_scenario(s);
  BOOST_TEST(v.status == model::kValidated);
  BOOST_TEST(contains(v.reason, "no candidate-fix variant was run"), v.reason);
}

BOOST_AUTO_TEST_CASE(no_variant_is_inconclusive) {
  auto s = synthetic_scenario("fin-after-handshake", true);
  s.variants.clear();
  BOOST_TEST(runner::judge_scenario(s).status == model::kInconclusive);
}

BOOST_AUTO_TEST_CASE(document_prefers_fix_ineffective_then_inconclusive_then_not_reproduced) {
  auto d = synthetic_document();
  d.scenarios[0].outcome = {model::kNotReproduced, "a"};
  d.scenarios[1].outcome = {model::kInconclusive, "b"};
  BOOST_TEST(runner::judge_document(d.scenarios).status == model::kInconclusive);
  d.scenarios[2].outcome = {model::kFixIneffective, "c"};
  const auto v = runner::judge_document(d.scenarios);
  BOOST_TEST(v.status == model::kFixIneffective);
  BOOST_TEST(contains(v.reason, "fix-ineffective on 1 of 3 scenarios (destroy-connections)"), v.reason);
  BOOST_TEST(contains(v.reason, "also inconclusive on rst-after-handshake"), v.reason);
  d.scenarios[1].outcome = {model::kValidated, ""};
  d.scenarios[2].outcome = {model::kValidated, ""};
  BOOST_TEST(runner::judge_document(d.scenarios).status == model::kNotReproduced);
  BOOST_TEST(runner::judge_document({}).status == model::kInconclusive);
}

BOOST_AUTO_TEST_CASE(exit_codes_follow_the_statuses) {
  BOOST_TEST(runner::exit_code_for(model::kValidated) == 0);
  BOOST_TEST(runner::exit_code_for(model::kFixIneffective) == 1);
  BOOST_TEST(runner::exit_code_for(model::kNotReproduced) == 2);
  BOOST_TEST(runner::exit_code_for(model::kInconclusive) == 3);
  BOOST_TEST(runner::exit_code_for("bogus") == hakit::exit_code::kSoftware);
}

BOOST_AUTO_TEST_SUITE_END()
