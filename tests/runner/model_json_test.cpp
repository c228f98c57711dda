// The document's JSON mapping: round trip, key names, and clear errors.
#include <boost/test/unit_test.hpp>

#include "runner/document_io.hpp"
#include "synthetic_document.hpp"

namespace model = hakit::model;
using nlohmann::json;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// The message from_json throws for `j`, or "" when it does not throw.
std::string error_of(const json& j) {
  try {
    (void)j.get<model::document>();
  } catch (const std::exception& e) {
    return e.what();
  }
  return {};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(model_json)

BOOST_AUTO_TEST_CASE(round_trip_keeps_every_field) {
  auto d = hakit::test::synthetic_document();
  hakit::test::add_repetitions(d);
  d.scenarios[0].variants["fixed"].error = "ha-master-fixed: connection refused";
  d.scenarios[0].variants["fixed"].ceiling_hit = true;
  d.scenarios[0].variants["fixed"].settled_in_time = false;
  const json j = d;
  const auto back = j.get<model::document>();
  BOOST_TEST(json(back) == j);
  BOOST_TEST(back.scenarios.size() == 3U);
  BOOST_TEST(*back.scenarios[0].variants.at("fixed").error == "ha-master-fixed: connection refused");
  BOOST_TEST(back.scenarios[0].variants.at("buggy").spreads.at("cycles_per_s").stddev > 0.0);
  BOOST_TEST(back.scenarios[0].variants.at("buggy").samples.size() == 11U);
}

BOOST_AUTO_TEST_CASE(outcome_is_written_as_verdict_and_empty_error_is_omitted) {
  const json j = hakit::test::synthetic_document();
  BOOST_TEST(j.at("schema") == "hakit.comparison/1");
  BOOST_TEST(j.contains("verdict"));
  BOOST_TEST(!j.contains("outcome"));
  const auto& s = j.at("scenarios").at(0);
  BOOST_TEST(s.contains("verdict"));
  const auto& buggy = s.at("variants").at("buggy");
  BOOST_TEST(!buggy.contains("error"));
  BOOST_TEST(buggy.at("repetitions").is_array());
  BOOST_TEST(buggy.at("spreads").is_object());
  BOOST_TEST(buggy.at("leaked").at("by_name").at("FlowMonitor") == 1000);
}

BOOST_AUTO_TEST_CASE(missing_key_is_named_with_its_path) {
  json j = hakit::test::synthetic_document();
  j["scenarios"][1]["variants"]["fixed"].erase("closed");
  const auto message = error_of(j);
  BOOST_TEST(contains(message, "scenarios[1].variants.fixed"), message);
  BOOST_TEST(contains(message, "missing key \"closed\""), message);
}

BOOST_AUTO_TEST_CASE(wrong_types_are_rejected) {
  json j = hakit::test::synthetic_document();
  j["scenarios"][0]["connections"] = "1000";
  BOOST_TEST(contains(error_of(j), "scenarios[0].connections: expected an integer, got string"), error_of(j));
  j = hakit::test::synthetic_document();
  j["scenarios"][0]["variants"]["buggy"]["closed"] = 1.5;
  BOOST_TEST(contains(error_of(j), "expected an integer, got number"), error_of(j));
  j = hakit::test::synthetic_document();
  j["scenarios"] = json::object();
  BOOST_TEST(contains(error_of(j), "scenarios: expected an array"), error_of(j));
  j = hakit::test::synthetic_document();
  j["scenarios"][2]["variants"]["buggy"]["settled"]["by_name"]["FlowMonitor"] = "many";
  BOOST_TEST(contains(error_of(j), "settled.by_name.FlowMonitor: expected an integer"), error_of(j));
  j = hakit::test::synthetic_document();
  j.erase("verdict");
  BOOST_TEST(contains(error_of(j), "missing key \"verdict\""), error_of(j));
}

BOOST_AUTO_TEST_CASE(error_may_be_absent_or_null_but_not_a_number) {
  json j = hakit::test::synthetic_document();
  j["scenarios"][0]["variants"]["buggy"]["error"] = nullptr;
  BOOST_TEST(!j.get<model::document>().scenarios[0].variants.at("buggy").error.has_value());
  j["scenarios"][0]["variants"]["buggy"]["error"] = 3;
  BOOST_TEST(contains(error_of(j), "variants.buggy.error: expected a string"), error_of(j));
}

BOOST_AUTO_TEST_CASE(parse_document_rejects_other_schemas_and_bad_json) {
  json j = hakit::test::synthetic_document();
  j["schema"] = "hakit.comparison/2";
  try {
    (void)hakit::runner::parse_document(j.dump(), "old.json");
    BOOST_FAIL("no exception");
  } catch (const hakit::runner::document_error& e) {
    BOOST_TEST(std::string(e.what()) == "old.json is schema hakit.comparison/2, this hakit reads hakit.comparison/1");
  }
  BOOST_CHECK_THROW((void)hakit::runner::parse_document("{\"schema\": ", "x.json"), hakit::runner::document_error);
  BOOST_CHECK_THROW((void)hakit::runner::parse_document("[1, 2]", "x.json"), hakit::runner::document_error);
  BOOST_CHECK_THROW((void)hakit::runner::parse_document("{}", "x.json"), hakit::runner::document_error);
}

BOOST_AUTO_TEST_SUITE_END()
