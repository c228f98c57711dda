// A real ha-slave-<variant> against a real ha-master-<variant>: replication
// works end to end, a slave whose truncate always fails reconnects and (in
// buggy) leaks a master FlowMonitor per connection, and make-stop leaves the
// slave's own FlowMonitor behind only in buggy.
#include <cstdint>
#include <string>

#include <boost/test/unit_test.hpp>

#include "tests/integration/support.hpp"

namespace {

using namespace hakit::it;

constexpr std::int64_t kCommitLogBytes = 262'144;

void replicates_the_whole_commit_log(const std::string& variant) {
  master_program master(variant, {"--commit-log-bytes", std::to_string(kCommitLogBytes)});
  slave_program slave(variant, master.port());
  json stats;
  const bool caught_up = wait_until(
      [&] {
        stats = slave.stats();
        return stats.value("max_offset", std::int64_t{-1}) == kCommitLogBytes;
      },
      30'000ms);
  BOOST_TEST(caught_up, "slave stats: " << stats.dump());
  BOOST_TEST(stats.value("corrupt_bytes", std::int64_t{-1}) == 0);
  BOOST_TEST(stats.value("state", "") == "TRANSFER");
  BOOST_TEST(stats.value("connects", std::int64_t{-1}) == 1);
  BOOST_TEST(stats.value("handshakes", std::int64_t{-1}) >= 1);
  BOOST_TEST(stats.value("truncate_failures", std::int64_t{-1}) == 0);
  // The slave reports what it has; the master sees one live connection.
  BOOST_TEST(wait_until([&] { return slave.stats().value("reported_offset", std::int64_t{-1}) == kCommitLogBytes; }));
  const auto master_stats = master.stats();
  BOOST_TEST(master_stats.value("connections", -1) == 1);
  BOOST_TEST(master_stats.value("accepted", -1) == 1);
  BOOST_TEST(count_of(slave.threads(), "HAClient") == 1);
  BOOST_TEST(count_of(slave.threads(), "FlowMonitor") == 1);
  slave.quit_and_check();
  master.quit_and_check();
}

void truncate_failures_reconnect_and_leak_per_connection_in_buggy(const std::string& variant) {
  master_program master(variant);
  const auto baseline = master.threads();
  json stats;
  {
    slave_program slave(variant, master.port(),
                        {"--local-epoch", "7:0", "--reconnect-wait-ms", "50", "--truncate-fail-wait-ms", "20"});
    const bool looped = wait_until(
        [&] {
          stats = slave.stats();
          return stats.value("connects", 0) >= 8 && stats.value("truncate_failures", 0) >= 8;
        },
        30'000ms);
    BOOST_TEST(looped, "slave stats: " << stats.dump());
    BOOST_TEST(stats.value("max_offset", std::int64_t{-1}) == 0);
    BOOST_TEST(stats.value("corrupt_bytes", std::int64_t{-1}) == 0);
    slave.quit_and_check();
  }
  // Every connection the master accepted was closed by the slave: a passive close.
  BOOST_TEST_REQUIRE(wait_until([&] {
    const auto now = master.threads();
    return count_of(now, "ReadSocketSvc") == count_of(baseline, "ReadSocketSvc") &&
           count_of(now, "WriteSocketSvc") == count_of(baseline, "WriteSocketSvc");
  }));
  const auto [settled, quiet] = settle_threads(master.pid());
  BOOST_TEST(quiet);
  const auto accepted = master.stats().value("accepted", std::int64_t{-1});
  BOOST_TEST(accepted >= stats.value("connects", std::int64_t{0}));
  BOOST_TEST_INFO("accepted " << accepted << "; baseline " << describe(baseline) << "; settled " << describe(settled));
  const auto growth = count_of(settled, "FlowMonitor") - count_of(baseline, "FlowMonitor");
  BOOST_TEST(growth == (variant == "buggy" ? accepted : 0));
  master.quit_and_check();
}

void make_stop_leaves_the_slave_flow_monitor_only_in_buggy(const std::string& variant) {
  master_program master(variant);
  slave_program slave(variant, master.port());
  BOOST_TEST_REQUIRE(wait_until([&] { return slave.stats().value("state", "") == "TRANSFER"; }, 30'000ms));
  BOOST_TEST_REQUIRE(wait_until([&] {
    const auto now = slave.threads();
    return count_of(now, "HAClient") == 1 && count_of(now, "FlowMonitor") == 1;
  }));
  BOOST_TEST(slave.command("make-stop").value("event", "") == "make-stop");
  BOOST_TEST(wait_until([&] { return count_of(slave.threads(), "HAClient") == 0; }),
             "the HAClient loop did not end after make-stop: " << describe(slave.threads()));
  const auto [settled, quiet] = settle_threads(slave.pid());
  BOOST_TEST(quiet);
  BOOST_TEST_INFO("slave threads after make-stop: " << describe(settled));
  BOOST_TEST(count_of(settled, "HAClient") == 0);
  BOOST_TEST(count_of(settled, "FlowMonitor") == (variant == "buggy" ? 1 : 0));
  BOOST_TEST(slave.stats()["threads"].value("FlowMonitor", std::int64_t{0}) == count_of(settled, "FlowMonitor"));
  // quit's explicit shutdown stops a leftover monitor: the exit is clean in both.
  slave.quit_and_check();
  master.quit_and_check();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(slave_buggy)

BOOST_AUTO_TEST_CASE(slave_replicates_the_whole_commit_log) { replicates_the_whole_commit_log("buggy"); }
BOOST_AUTO_TEST_CASE(truncate_failing_slave_reconnects_and_master_leaks_one_flow_monitor_per_connection) {
  truncate_failures_reconnect_and_leak_per_connection_in_buggy("buggy");
}
BOOST_AUTO_TEST_CASE(make_stop_leaves_the_slave_flow_monitor_running) {
  make_stop_leaves_the_slave_flow_monitor_only_in_buggy("buggy");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(slave_fixed)

BOOST_AUTO_TEST_CASE(slave_replicates_the_whole_commit_log) { replicates_the_whole_commit_log("fixed"); }
BOOST_AUTO_TEST_CASE(truncate_failing_slave_reconnects_and_master_leaks_nothing) {
  truncate_failures_reconnect_and_leak_per_connection_in_buggy("fixed");
}
BOOST_AUTO_TEST_CASE(make_stop_stops_the_slave_flow_monitor_too) {
  make_stop_leaves_the_slave_flow_monitor_only_in_buggy("fixed");
}

BOOST_AUTO_TEST_SUITE_END()
