// hakit::ha_service + hakit::ha_connection in this process: a service on
// 127.0.0.1:0, slaves played with plain blocking sockets, threads counted with
// the thread registry.
//
// Compiled twice (see CMakeLists.txt): against hakit::common_fixed, where no
// close path may leave a FlowMonitor behind, and against hakit::common_buggy,
// where every passive close leaves exactly one. The buggy executable runs in a
// process of its own and deliberately keeps the leaked monitors until it exits:
// by design nothing references them, so nothing can stop them. Every figure is
// a difference from a baseline taken just before, so earlier leaks do not count.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "common/commit_log.hpp"
#include "common/ha_protocol.hpp"
#include "common/ha_service.hpp"
#include "common/socket_io.hpp"
#include "hakit_variant.hpp"
#include "tests/unit/test_support.hpp"

namespace {

using namespace std::chrono_literals;
namespace protocol = hakit::protocol;
using bytes = std::vector<std::uint8_t>;
using hakit::test::registry_count;
using hakit::test::settle;
using hakit::test::wait_until;

constexpr std::int64_t kCommitLogBytes = 4096;
// 20-byte header + one epoch entry: the master's commit log has a single epoch.
constexpr std::size_t kMasterHandshakeReply = protocol::kMasterHandshakeHeaderSize + protocol::kEpochEntrySize;

/// One leaked FlowMonitor per passive close in buggy, none in fixed.
constexpr std::int64_t leak_per_passive_close() { return hakit::variant::kStopFlowMonitorOnServiceEnd ? 0 : 1; }

/// A slave played with a blocking loopback socket (5 s send/receive timeouts).
class slave_socket {
 public:
  explicit slave_socket(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    BOOST_TEST_REQUIRE(static_cast<bool>(fd_));
    timeval timeout{5, 0};
    ::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd_.get(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    BOOST_TEST_REQUIRE(::connect(fd_.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
  }

  void send(const bytes& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      const auto n = ::send(fd_.get(), data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      BOOST_TEST_REQUIRE(n > 0);
      sent += static_cast<std::size_t>(n);
    }
  }

  void send_handshake() {
    bytes wire;
    protocol::encode(protocol::slave_handshake{false, false, 2}, wire);
    send(wire);
  }

  void send_transfer_report(std::int64_t offset) {
    bytes wire;
    protocol::encode(protocol::slave_transfer_report{offset}, wire);
    send(wire);
  }

  bytes receive_exactly(std::size_t size) {
    bytes data(size);
    std::size_t got = 0;
    while (got < size) {
      const auto n = ::recv(fd_.get(), data.data() + got, size - got, 0);
      BOOST_TEST_REQUIRE(n > 0, "the master closed or went silent after " << got << " of " << size << " bytes");
      got += static_cast<std::size_t>(n);
    }
    return data;
  }

  /// Reads (and drops) whatever comes until the master closes; false on timeout.
  bool wait_for_master_close(std::chrono::milliseconds timeout = 10'000ms) {
    const auto deadline = hakit::test::steady::now() + timeout;
    char sink[4096];
    while (hakit::test::steady::now() < deadline) {
      pollfd p{fd_.get(), POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const auto n = ::recv(fd_.get(), sink, sizeof sink, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return true;
    }
    return false;
  }

  void close_with_fin() { fd_.reset(); }
  void close_with_rst() {
    hakit::net::set_linger_zero(fd_.get());
    fd_.reset();
  }

 private:
  hakit::net::unique_fd fd_;
};

struct thread_counts {
  std::int64_t flow_monitor = registry_count("FlowMonitor");
  std::int64_t read = registry_count("ReadSocketSvc");
  std::int64_t write = registry_count("WriteSocketSvc");
  std::int64_t accept = registry_count("AcceptSocketSvc");
  friend bool operator==(const thread_counts&, const thread_counts&) = default;
  friend std::ostream& operator<<(std::ostream& out, const thread_counts& c) {
    return out << "{FlowMonitor " << c.flow_monitor << ", ReadSocketSvc " << c.read << ", WriteSocketSvc " << c.write
               << ", AcceptSocketSvc " << c.accept << "}";
  }
};

/// A master's HA service on 127.0.0.1:0 with a small commit log.
struct running_service {
  explicit running_service(hakit::ha_config config = {})
      : service(config, std::make_shared<const hakit::commit_log>(kCommitLogBytes, 1)),
        port(service.start({"127.0.0.1", 0})) {}

  hakit::ha_service service;
  const std::uint16_t port;
};

/// Waits for `connections` accepts and for every read/write thread to end, then
/// checks the settled FlowMonitor growth against the variant's expectation.
void expect_passive_close_outcome(running_service& master, const thread_counts& baseline, std::int64_t connections) {
  BOOST_TEST_REQUIRE(wait_until([&] { return master.service.stats().accepted == connections; }));
  BOOST_TEST_REQUIRE(wait_until(
      [&] {
        const thread_counts now;
        return now.read == baseline.read && now.write == baseline.write;
      },
      15'000ms));
  const auto settled = settle([] { return thread_counts{}; });
  BOOST_TEST(settled.flow_monitor - baseline.flow_monitor == leak_per_passive_close() * connections);
  BOOST_TEST(settled.read == baseline.read);
  BOOST_TEST(settled.write == baseline.write);
  BOOST_TEST(master.service.stats().connection_count == 0);
  // The reaper joins the ended connections within its 1 s accept poll.
  BOOST_TEST(wait_until([&] { return master.service.stats().awaiting_reap == 0; }));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ha_service_in_process)

BOOST_AUTO_TEST_CASE(accepted_connection_runs_three_named_threads) {
  running_service master;
  const thread_counts baseline;
  slave_socket slave(master.port);
  slave.send_handshake();
  const auto reply = slave.receive_exactly(kMasterHandshakeReply);
  const auto hello = protocol::decode_master_frame(reply);
  BOOST_TEST_REQUIRE(hello.ok());
  const auto& frame = std::get<protocol::master_handshake>(hello.frame);
  BOOST_TEST(frame.max_phy_offset == kCommitLogBytes);
  BOOST_TEST(frame.last_epoch == 1);
  BOOST_TEST_REQUIRE(wait_until([&] { return master.service.stats().connections_in_list == 1; }));
  BOOST_TEST(wait_until([&] {
    const thread_counts now;
    return now.flow_monitor == baseline.flow_monitor + 1 && now.read == baseline.read + 1 &&
           now.write == baseline.write + 1;
  }));
  BOOST_TEST(master.service.stats().connection_count == 1);
  slave.close_with_fin();
  expect_passive_close_outcome(master, baseline, 1);
}

BOOST_AUTO_TEST_CASE(master_streams_its_commit_log_after_a_transfer_report) {
  running_service master;
  const thread_counts baseline;
  slave_socket slave(master.port);
  slave.send_handshake();
  slave.receive_exactly(kMasterHandshakeReply);
  slave.send_transfer_report(0);
  const auto header_bytes = slave.receive_exactly(protocol::kMasterTransferHeaderSize);
  // The body size sits at bytes 4-7 of the header; read it to know how much body follows.
  std::int32_t body_size = 0;
  for (std::size_t i = 4; i < 8; ++i) body_size = (body_size << 8) | header_bytes[i];
  BOOST_TEST_REQUIRE(body_size == kCommitLogBytes);
  auto frame = header_bytes;
  const auto body = slave.receive_exactly(static_cast<std::size_t>(body_size));
  frame.insert(frame.end(), body.begin(), body.end());
  const auto decoded = protocol::decode_master_frame(frame);
  BOOST_TEST_REQUIRE(decoded.ok());
  const auto& header = std::get<protocol::master_transfer_header>(decoded.frame);
  BOOST_TEST(header.offset == 0);
  BOOST_TEST(header.epoch == 1);
  BOOST_TEST(header.confirm_offset == kCommitLogBytes);
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < body.size(); ++i)
    if (body[i] != hakit::commit_log::byte_at(static_cast<std::int64_t>(i))) ++wrong;
  BOOST_TEST(wrong == 0U);
  slave.close_with_fin();
  expect_passive_close_outcome(master, baseline, 1);
}

BOOST_AUTO_TEST_CASE(fin_after_handshake_leaks_one_flow_monitor_per_connection_only_in_buggy) {
  running_service master;
  const thread_counts baseline;
  constexpr int kConnections = 5;
  for (int i = 0; i < kConnections; ++i) {
    slave_socket slave(master.port);
    slave.send_handshake();
    slave.receive_exactly(kMasterHandshakeReply);
    slave.close_with_fin();
  }
  expect_passive_close_outcome(master, baseline, kConnections);
}

BOOST_AUTO_TEST_CASE(rst_after_handshake_leaks_one_flow_monitor_per_connection_only_in_buggy) {
  running_service master;
  const thread_counts baseline;
  constexpr int kConnections = 3;
  for (int i = 0; i < kConnections; ++i) {
    slave_socket slave(master.port);
    slave.send_handshake();
    slave.receive_exactly(kMasterHandshakeReply);
    slave.close_with_rst();
  }
  expect_passive_close_outcome(master, baseline, kConnections);
}

BOOST_AUTO_TEST_CASE(unknown_state_ordinal_closes_the_connection_and_leaks_only_in_buggy) {
  running_service master;
  const thread_counts baseline;
  constexpr int kConnections = 3;
  for (int i = 0; i < kConnections; ++i) {
    slave_socket slave(master.port);
    slave.send({0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0});
    BOOST_TEST(slave.wait_for_master_close());
  }
  expect_passive_close_outcome(master, baseline, kConnections);
}

BOOST_AUTO_TEST_CASE(health_probe_text_closes_the_connection_and_leaks_only_in_buggy) {
  running_service master;
  const thread_counts baseline;
  constexpr int kConnections = 3;
  const std::string probe = "1700000000000\n";
  for (int i = 0; i < kConnections; ++i) {
    slave_socket slave(master.port);
    slave.send(bytes(probe.begin(), probe.end()));
    BOOST_TEST(slave.wait_for_master_close());
  }
  expect_passive_close_outcome(master, baseline, kConnections);
}

BOOST_AUTO_TEST_CASE(housekeeping_expiry_closes_idle_connections_and_leaks_only_in_buggy) {
  hakit::ha_config config;
  config.housekeeping_interval = 200ms;
  running_service master(config);
  const thread_counts baseline;
  constexpr int kConnections = 3;
  std::vector<std::unique_ptr<slave_socket>> slaves;
  for (int i = 0; i < kConnections; ++i) {
    slaves.push_back(std::make_unique<slave_socket>(master.port));
    slaves.back()->send_handshake();
    slaves.back()->receive_exactly(kMasterHandshakeReply);
  }
  for (auto& slave : slaves) BOOST_TEST(slave->wait_for_master_close());
  expect_passive_close_outcome(master, baseline, kConnections);
}

BOOST_AUTO_TEST_CASE(write_failure_closes_the_connection_and_leaks_only_in_buggy) {
  hakit::ha_config config;
  config.inject_write_failure = true;
  running_service master(config);
  const thread_counts baseline;
  constexpr int kConnections = 3;
  for (int i = 0; i < kConnections; ++i) {
    slave_socket slave(master.port);
    slave.send_handshake();
    slave.receive_exactly(kMasterHandshakeReply);
    slave.send_transfer_report(0);
    BOOST_TEST(slave.wait_for_master_close());
  }
  expect_passive_close_outcome(master, baseline, kConnections);
}

BOOST_AUTO_TEST_CASE(destroy_connections_stops_all_three_threads_in_both_variants) {
  running_service master;
  const thread_counts baseline;
  constexpr int kConnections = 4;
  std::vector<std::unique_ptr<slave_socket>> slaves;
  for (int i = 0; i < kConnections; ++i) {
    slaves.push_back(std::make_unique<slave_socket>(master.port));
    slaves.back()->send_handshake();
    slaves.back()->receive_exactly(kMasterHandshakeReply);
  }
  BOOST_TEST_REQUIRE(wait_until([&] { return master.service.stats().connections_in_list == kConnections; }));
  // A started thread is counted once it runs, which may lag the handshake reply.
  BOOST_TEST(wait_until([&] { return thread_counts{}.flow_monitor == baseline.flow_monitor + kConnections; }));

  BOOST_TEST(master.service.destroy_connections() == static_cast<std::size_t>(kConnections));
  // destroy_connections() joins every thread it stops: no settling needed.
  const thread_counts after;
  BOOST_TEST(after.flow_monitor == baseline.flow_monitor);
  BOOST_TEST(after.read == baseline.read);
  BOOST_TEST(after.write == baseline.write);
  BOOST_TEST(master.service.stats().connections_in_list == 0);
  BOOST_TEST(master.service.stats().connection_count == 0);
  for (auto& slave : slaves) BOOST_TEST(slave->wait_for_master_close());
  BOOST_TEST(master.service.destroy_connections() == 0U);
}

BOOST_AUTO_TEST_CASE(service_shutdown_stops_every_thread_it_owns) {
  const thread_counts baseline;
  auto master = std::make_unique<running_service>();
  BOOST_TEST_REQUIRE(wait_until([&] { return registry_count("AcceptSocketSvc") == baseline.accept + 1; }));
  std::vector<std::unique_ptr<slave_socket>> slaves;
  for (int i = 0; i < 2; ++i) {
    slaves.push_back(std::make_unique<slave_socket>(master->port));
    slaves.back()->send_handshake();
    slaves.back()->receive_exactly(kMasterHandshakeReply);
  }
  BOOST_TEST_REQUIRE(wait_until([&] { return master->service.stats().connections_in_list == 2; }));
  master->service.shutdown();
  BOOST_TEST(thread_counts{} == baseline);
  master.reset();
  BOOST_TEST(thread_counts{} == baseline);
  for (auto& slave : slaves) BOOST_TEST(slave->wait_for_master_close());
}

BOOST_AUTO_TEST_SUITE_END()
