// The pure rules of leakcheck: filters, identity of threads, the summary line.
#include <boost/test/unit_test.hpp>

#include "hakit/leakcheck.hpp"

namespace leakcheck = hakit::leakcheck;

BOOST_AUTO_TEST_SUITE(rules)

BOOST_AUTO_TEST_CASE(filters_match_exact_names_and_prefixes_only) {
  const leakcheck::filters ignored{{"grpc_global_tim"}, {"pool-", "JIT"}};
  BOOST_TEST(ignored.ignores("grpc_global_tim"));
  BOOST_TEST(!ignored.ignores("grpc_global"));
  BOOST_TEST(ignored.ignores("pool-3-thread-1"));
  BOOST_TEST(ignored.ignores("JIT"));
  BOOST_TEST(!ignored.ignores("FlowMonitor"));
  BOOST_TEST(!leakcheck::filters{}.ignores("anything"));
}

BOOST_AUTO_TEST_CASE(a_recycled_tid_with_a_new_name_counts_as_new) {
  const leakcheck::baseline before({{10, "main", 'R'}, {11, "old", 'S'}});
  const auto fresh = before.new_threads({{10, "main", 'R'}, {11, "recycled", 'S'}, {12, "new", 'S'}}, {});
  BOOST_TEST_REQUIRE(fresh.size() == 2U);
  BOOST_TEST(fresh[0].name == "recycled");
  BOOST_TEST(fresh[1].name == "new");
}

BOOST_AUTO_TEST_CASE(exited_threads_are_not_new) {
  const leakcheck::baseline before({{10, "main", 'R'}});
  const auto fresh = before.new_threads({{10, "main", 'R'}, {12, "gone", 'Z'}, {13, "dead", 'X'}}, {});
  BOOST_TEST(fresh.empty());
}

BOOST_AUTO_TEST_CASE(summary_names_the_groups_and_flags_an_unsettled_check) {
  leakcheck::report report;
  report.leaked = {{1, "FlowMonitor", 'S'}, {2, "FlowMonitor", 'S'}};
  report.by_name = {{"FlowMonitor", 2}};
  report.settled = true;
  BOOST_TEST(report.summary() == "leaked 2 threads: FlowMonitor x2");
  report.settled = false;
  report.waited = std::chrono::milliseconds(5000);
  BOOST_TEST(report.summary() == "leaked 2 threads: FlowMonitor x2 (threads still starting or ending after 5000 ms)");
}

BOOST_AUTO_TEST_CASE(settle_defaults_are_a_200_ms_window_within_5_s) {
  const leakcheck::settle_options defaults;
  BOOST_TEST(defaults.window.count() == 200);
  BOOST_TEST(defaults.deadline.count() == 5000);
}

BOOST_AUTO_TEST_SUITE_END()
