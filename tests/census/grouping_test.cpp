// Grouping threads by name, largest group first.
#include <boost/test/unit_test.hpp>

#include "hakit/census.hpp"

namespace census = hakit::census;

BOOST_AUTO_TEST_SUITE(grouping)

BOOST_AUTO_TEST_CASE(largest_first_orders_by_count_then_by_name) {
  const census::thread_names names{{"main", 1}, {"FlowMonitor", 3}, {"B", 2}, {"A", 2}};
  const auto ordered = census::largest_first(names);
  BOOST_TEST_REQUIRE(ordered.size() == 4U);
  BOOST_TEST(ordered[0].name == "FlowMonitor");
  BOOST_TEST(ordered[0].count == 3);
  BOOST_TEST(ordered[1].name == "A");
  BOOST_TEST(ordered[2].name == "B");
  BOOST_TEST(ordered[3].name == "main");
}

BOOST_AUTO_TEST_CASE(group_threads_counts_states_per_name) {
  const std::vector<census::thread_info> threads{
      {1, "main", 'R'}, {2, "FlowMonitor", 'S'}, {3, "FlowMonitor", 'S'}, {4, "FlowMonitor", 'R'}, {5, "io", 'D'}};
  const auto groups = census::group_threads(threads);
  BOOST_TEST_REQUIRE(groups.size() == 3U);
  BOOST_TEST(groups[0].name == "FlowMonitor");
  BOOST_TEST(groups[0].count == 3);
  BOOST_TEST(groups[0].states.at('S') == 2);
  BOOST_TEST(groups[0].states.at('R') == 1);
  BOOST_TEST(groups[1].name == "io");
  BOOST_TEST(groups[2].name == "main");
}

BOOST_AUTO_TEST_CASE(count_by_name_adds_up_threads_of_one_name) {
  const std::vector<census::thread_info> threads{{1, "x", 'S'}, {2, "x", 'S'}, {3, "y", 'S'}};
  const auto names = census::count_by_name(threads);
  BOOST_TEST(names.at("x") == 2);
  BOOST_TEST(names.at("y") == 1);
}

BOOST_AUTO_TEST_SUITE_END()
