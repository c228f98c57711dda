// Parsing of /proc/<pid>/task/<tid>/stat lines.
#include <boost/test/unit_test.hpp>

#include "hakit/census.hpp"

using hakit::census::parse_stat;

BOOST_AUTO_TEST_SUITE(stat_line)

BOOST_AUTO_TEST_CASE(plain_name_and_state_are_read) {
  const auto fields = parse_stat("4242 (FlowMonitor) S 1 4242 4242 0 -1 4194560 96 0 0 0");
  BOOST_TEST_REQUIRE(fields.has_value());
  BOOST_TEST(fields->name == "FlowMonitor");
  BOOST_TEST(fields->state == 'S');
}

BOOST_AUTO_TEST_CASE(name_with_spaces_and_parens_ends_at_the_last_paren) {
  const auto fields = parse_stat("17 (a) (b c) ) R x) D 1 17 17 0 -1\n");
  BOOST_TEST_REQUIRE(fields.has_value());
  BOOST_TEST(fields->name == "a) (b c) ) R x");
  BOOST_TEST(fields->state == 'D');
}

BOOST_AUTO_TEST_CASE(empty_name_is_allowed) {
  const auto fields = parse_stat("5 () Z 1");
  BOOST_TEST_REQUIRE(fields.has_value());
  BOOST_TEST(fields->name.empty());
  BOOST_TEST(fields->state == 'Z');
}

BOOST_AUTO_TEST_CASE(malformed_lines_give_nothing) {
  BOOST_TEST(!parse_stat("").has_value());
  BOOST_TEST(!parse_stat("12 noparens S 1").has_value());
  BOOST_TEST(!parse_stat("12 (name)").has_value());
  BOOST_TEST(!parse_stat("12 (name) ").has_value());
  BOOST_TEST(!parse_stat("12 (name)S 1").has_value());
  BOOST_TEST(!parse_stat("12 )name( S 1").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
