// Every close path of an HA connection against real ha-master-<variant>
// processes on loopback: the buggy master keeps exactly one FlowMonitor thread
// per passively closed connection, the fixed master none, and neither keeps a
// ReadSocketSvc or WriteSocketSvc once the counts settle. The explicit
// destroy-connections path leaks in neither.
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "tests/integration/support.hpp"

namespace {

using namespace hakit::it;

constexpr int kConnections = 12;

/// One FlowMonitor per passive close in buggy (issue 6226), none in fixed (PR 6227).
std::int64_t leak_per_passive_close(const std::string& variant) { return variant == "buggy" ? 1 : 0; }

/// Waits until the master accepted `accepted` connections and every read and
/// write thread has ended, settles the census, and checks the FlowMonitor growth.
void expect_settled_growth(master_program& master, const thread_census& baseline, std::int64_t accepted,
                           std::int64_t expected_flow_monitors) {
  BOOST_TEST_REQUIRE(wait_until([&] { return master.stats().value("accepted", -1) == accepted; }),
                     "the master did not accept " << accepted << " connections");
  const bool drained = wait_until(
      [&] {
        const auto now = master.threads();
        return count_of(now, "ReadSocketSvc") == count_of(baseline, "ReadSocketSvc") &&
               count_of(now, "WriteSocketSvc") == count_of(baseline, "WriteSocketSvc");
      },
      20'000ms);
  BOOST_TEST(drained, "read/write threads still running: " << describe(master.threads()));
  const auto [settled, quiet] = settle_threads(master.pid());
  BOOST_TEST(quiet, "thread counts never settled: " << describe(settled));
  BOOST_TEST_INFO("baseline: " << describe(baseline) << "; settled: " << describe(settled));
  BOOST_TEST(count_of(settled, "FlowMonitor") - count_of(baseline, "FlowMonitor") == expected_flow_monitors);
  BOOST_TEST(count_of(settled, "ReadSocketSvc") == count_of(baseline, "ReadSocketSvc"));
  BOOST_TEST(count_of(settled, "WriteSocketSvc") == count_of(baseline, "WriteSocketSvc"));
  BOOST_TEST(count_of(settled, "AcceptSocketSvc") == 1);

  // The program's own registry agrees with /proc.
  const auto stats = master.stats();
  BOOST_TEST(stats["threads"].value("FlowMonitor", std::int64_t{0}) == count_of(settled, "FlowMonitor"));
  BOOST_TEST(stats.value("connection_count", -1) == 0);
}

// ---- the close paths, each driving `count` connections -------------------------

void fin_after_handshake(master_program& master, int count) {
  for (int i = 0; i < count; ++i) {
    raw_slave slave(master.port());
    slave.handshake();
    slave.close_with_fin();
  }
}

void rst_after_handshake(master_program& master, int count) {
  for (int i = 0; i < count; ++i) {
    raw_slave slave(master.port());
    slave.handshake();
    slave.close_with_rst();
  }
}

// apache/rocketmq issue 8875: a TCP health check writes a text timestamp and leaves.
void health_probe(master_program& master, int count) {
  for (int i = 0; i < count; ++i) {
    raw_slave slave(master.port());
    slave.send(std::string("1700000000000\n"));
    slave.close_with_fin();
  }
}

void bad_frame(master_program& master, int count) {
  for (int i = 0; i < count; ++i) {
    raw_slave slave(master.port());
    slave.send(frame_with_state(9));
    BOOST_TEST(slave.wait_for_master_close(), "the master kept a connection that sent state 9");
  }
}

// All connections idle at once, so the whole batch expires in one housekeeping round.
void idle_until_housekeeping(master_program& master, int count) {
  std::vector<std::unique_ptr<raw_slave>> slaves;
  for (int i = 0; i < count; ++i) {
    slaves.push_back(std::make_unique<raw_slave>(master.port()));
    slaves.back()->handshake();
  }
  for (auto& slave : slaves) BOOST_TEST(slave->wait_for_master_close(15'000ms), "housekeeping never closed a connection");
}

// With --inject-write-failure the first transfer write throws in WriteSocketService.
void write_failure(master_program& master, int count) {
  std::vector<std::unique_ptr<raw_slave>> slaves;
  for (int i = 0; i < count; ++i) {
    slaves.push_back(std::make_unique<raw_slave>(master.port()));
    slaves.back()->handshake();
    slaves.back()->send(transfer_report_frame(0));
  }
  for (auto& slave : slaves) BOOST_TEST(slave->wait_for_master_close(), "the write failure did not close a connection");
}

using close_path = void (*)(master_program&, int);

void run_passive_close(const std::string& variant, close_path drive, const std::vector<std::string>& master_args = {}) {
  master_program master(variant, master_args);
  const auto baseline = master.threads();
  drive(master, kConnections);
  expect_settled_growth(master, baseline, kConnections, leak_per_passive_close(variant) * kConnections);
  // Quitting with leaked monitors still running must be clean too.
  master.quit_and_check();
}

void run_destroy_connections(const std::string& variant) {
  master_program master(variant);
  const auto baseline = master.threads();
  std::vector<std::unique_ptr<raw_slave>> slaves;
  for (int i = 0; i < kConnections; ++i) {
    slaves.push_back(std::make_unique<raw_slave>(master.port()));
    slaves.back()->handshake();
  }
  BOOST_TEST_REQUIRE(wait_until([&] { return master.stats().value("connections", -1) == kConnections; }));
  BOOST_TEST_REQUIRE(wait_until([&] {
    return count_of(master.threads(), "FlowMonitor") == count_of(baseline, "FlowMonitor") + kConnections;
  }));
  const auto answer = master.command("destroy-connections");
  BOOST_TEST(answer.value("event", "") == "destroyed");
  BOOST_TEST(answer.value("connections", -1) == kConnections);
  for (auto& slave : slaves) BOOST_TEST(slave->wait_for_master_close());
  expect_settled_growth(master, baseline, kConnections, 0);
  BOOST_TEST(master.stats().value("connections", -1) == 0);
  master.quit_and_check();
}

// 200 connections of seeded random bytes, each closed by the client.
void run_garbage(const std::string& variant) {
  constexpr int kGarbageConnections = 200;
  master_program master(variant);
  const auto baseline = master.threads();
  std::mt19937 random(20240611);
  std::uniform_int_distribution<int> length(1, 64);
  std::uniform_int_distribution<int> octet(0, 255);
  for (int i = 0; i < kGarbageConnections; ++i) {
    bytes noise(static_cast<std::size_t>(length(random)));
    for (auto& b : noise) b = static_cast<std::uint8_t>(octet(random));
    raw_slave slave(master.port());
    slave.send(noise);
    slave.close_with_fin();
  }
  BOOST_TEST(master.stats().value("event", "") == "stats");
  expect_settled_growth(master, baseline, kGarbageConnections, leak_per_passive_close(variant) * kGarbageConnections);
  master.quit_and_check();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(passive_close_buggy)

BOOST_AUTO_TEST_CASE(fin_after_handshake_leaks_one_flow_monitor_per_connection) {
  run_passive_close("buggy", fin_after_handshake);
}
BOOST_AUTO_TEST_CASE(rst_after_handshake_leaks_one_flow_monitor_per_connection) {
  run_passive_close("buggy", rst_after_handshake);
}
BOOST_AUTO_TEST_CASE(health_probe_leaks_one_flow_monitor_per_connection) { run_passive_close("buggy", health_probe); }
BOOST_AUTO_TEST_CASE(bad_frame_leaks_one_flow_monitor_per_connection) { run_passive_close("buggy", bad_frame); }
BOOST_AUTO_TEST_CASE(housekeeping_expiry_leaks_one_flow_monitor_per_connection) {
  run_passive_close("buggy", idle_until_housekeeping, {"--housekeeping-ms", "300"});
}
BOOST_AUTO_TEST_CASE(write_failure_leaks_one_flow_monitor_per_connection) {
  run_passive_close("buggy", write_failure, {"--inject-write-failure"});
}
BOOST_AUTO_TEST_CASE(destroy_connections_leaks_nothing) { run_destroy_connections("buggy"); }
BOOST_AUTO_TEST_CASE(random_garbage_leaks_one_flow_monitor_per_connection_and_master_survives) {
  run_garbage("buggy");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(passive_close_fixed)

BOOST_AUTO_TEST_CASE(fin_after_handshake_leaks_nothing) { run_passive_close("fixed", fin_after_handshake); }
BOOST_AUTO_TEST_CASE(rst_after_handshake_leaks_nothing) { run_passive_close("fixed", rst_after_handshake); }
BOOST_AUTO_TEST_CASE(health_probe_leaks_nothing) { run_passive_close("fixed", health_probe); }
BOOST_AUTO_TEST_CASE(bad_frame_leaks_nothing) { run_passive_close("fixed", bad_frame); }
BOOST_AUTO_TEST_CASE(housekeeping_expiry_leaks_nothing) {
  run_passive_close("fixed", idle_until_housekeeping, {"--housekeeping-ms", "300"});
}
BOOST_AUTO_TEST_CASE(write_failure_leaks_nothing) {
  run_passive_close("fixed", write_failure, {"--inject-write-failure"});
}
BOOST_AUTO_TEST_CASE(destroy_connections_leaks_nothing) { run_destroy_connections("fixed"); }
BOOST_AUTO_TEST_CASE(random_garbage_leaks_nothing_and_master_survives) { run_garbage("fixed"); }

BOOST_AUTO_TEST_SUITE_END()
