// hakit::net: endpoint parsing, the loopback check and the non-blocking helpers
// the services use, on real loopback sockets.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "common/socket_io.hpp"

namespace {

using namespace std::chrono_literals;
namespace net = hakit::net;

struct loopback_pair {
  net::unique_fd listener;
  net::unique_fd client;
  net::unique_fd server;

  loopback_pair() {
    listener = net::listen_on({"127.0.0.1", 0});
    std::error_code error;
    client = net::connect_to({"127.0.0.1", net::local_port(listener.get())}, 2000ms, error);
    BOOST_TEST_REQUIRE(!error);
    BOOST_TEST_REQUIRE(net::wait_readable(listener.get(), 2000ms));
    server = net::accept_one(listener.get(), error);
    BOOST_TEST_REQUIRE(!error);
    BOOST_TEST_REQUIRE(static_cast<bool>(server));
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(socket_io)

BOOST_AUTO_TEST_CASE(parse_endpoint_accepts_ip_and_port) {
  const auto any = net::parse_endpoint("127.0.0.1:0");
  BOOST_TEST(any.host == "127.0.0.1");
  BOOST_TEST(any.port == 0);
  const auto high = net::parse_endpoint("127.1.2.3:65535");
  BOOST_TEST(high.host == "127.1.2.3");
  BOOST_TEST(high.port == 65535);
}

BOOST_AUTO_TEST_CASE(parse_endpoint_maps_localhost_to_127_0_0_1) {
  const auto local = net::parse_endpoint("localhost:5");
  BOOST_TEST(local.host == "127.0.0.1");
  BOOST_TEST(local.port == 5);
}

BOOST_AUTO_TEST_CASE(parse_endpoint_rejects_malformed_text) {
  for (const std::string bad : {"x", "1.2.3.4", ":5", "127.0.0.1:70000", "127.0.0.1:abc", "127.0.0.1:", "",
                                "127.0.0.1:-1", "127.0.0.1:5x", "127.0.0.1:99999999999", "300.0.0.1:5",
                                "example.invalid:5"}) {
    BOOST_TEST_INFO("'" << bad << "'");
    BOOST_CHECK_THROW(net::parse_endpoint(bad), std::invalid_argument);
  }
}

BOOST_AUTO_TEST_CASE(is_loopback_is_true_only_for_127_slash_8) {
  BOOST_TEST(net::is_loopback("127.0.0.1"));
  BOOST_TEST(net::is_loopback("127.255.255.254"));
  BOOST_TEST(!net::is_loopback("10.0.0.1"));
  BOOST_TEST(!net::is_loopback("128.0.0.1"));
  BOOST_TEST(!net::is_loopback("0.0.0.0"));
  BOOST_TEST(!net::is_loopback("::1"));
  BOOST_TEST(!net::is_loopback("not an address"));
}

BOOST_AUTO_TEST_CASE(unique_fd_closes_once_and_moves_ownership) {
  int fds[2];
  BOOST_TEST_REQUIRE(::pipe(fds) == 0);
  net::unique_fd reader(fds[0]);
  {
    net::unique_fd writer(fds[1]);
    net::unique_fd moved(std::move(writer));
    BOOST_TEST(!writer);  // NOLINT(bugprone-use-after-move): checking the moved-from state is the point
    BOOST_TEST(moved.get() == fds[1]);
  }
  // The writer is closed: the reader sees end of file.
  char c = 0;
  BOOST_TEST(::read(reader.get(), &c, 1) == 0);
  const int raw = reader.release();
  BOOST_TEST(!reader);
  BOOST_TEST(::close(raw) == 0);
}

BOOST_AUTO_TEST_CASE(listen_on_port_0_binds_a_free_port) {
  const auto listener = net::listen_on({"127.0.0.1", 0});
  BOOST_TEST(net::local_port(listener.get()) != 0);
  std::error_code error;
  BOOST_TEST(!net::accept_one(listener.get(), error));
  BOOST_TEST(!error);
}

BOOST_AUTO_TEST_CASE(bytes_flow_both_ways_and_peer_address_is_java_style) {
  loopback_pair pair;
  const auto peer = net::peer_address(pair.server.get());
  BOOST_TEST(peer.rfind("/127.0.0.1:", 0) == 0U);
  BOOST_TEST(peer == "/127.0.0.1:" + std::to_string(net::local_port(pair.client.get())));

  const std::vector<std::uint8_t> hello{1, 2, 3, 4};
  std::error_code error;
  BOOST_TEST(net::write_some(pair.client.get(), hello, error) == hello.size());
  BOOST_TEST(!error);
  BOOST_TEST_REQUIRE(net::wait_readable(pair.server.get(), 2000ms));
  std::array<std::uint8_t, 16> buffer{};
  const auto got = net::read_some(pair.server.get(), buffer);
  BOOST_TEST(got.bytes == 4U);
  BOOST_TEST(!got.eof);
  BOOST_TEST(!got.error);
  BOOST_TEST(buffer[3] == 4);

  // Nothing pending: no bytes, no end of file, no error.
  const auto idle = net::read_some(pair.server.get(), buffer);
  BOOST_TEST(idle.bytes == 0U);
  BOOST_TEST(!idle.eof);
  BOOST_TEST(!idle.error);
  BOOST_TEST(!net::wait_readable(pair.server.get(), 50ms));
}

BOOST_AUTO_TEST_CASE(orderly_close_reads_as_eof) {
  loopback_pair pair;
  pair.client.reset();
  BOOST_TEST_REQUIRE(net::wait_readable(pair.server.get(), 2000ms));
  std::array<std::uint8_t, 16> buffer{};
  const auto got = net::read_some(pair.server.get(), buffer);
  BOOST_TEST(got.eof);
  BOOST_TEST(!got.error);
}

BOOST_AUTO_TEST_CASE(linger_zero_close_reads_as_reset) {
  loopback_pair pair;
  net::set_linger_zero(pair.client.get());
  pair.client.reset();
  BOOST_TEST_REQUIRE(net::wait_readable(pair.server.get(), 2000ms));
  std::array<std::uint8_t, 16> buffer{};
  const auto got = net::read_some(pair.server.get(), buffer);
  BOOST_TEST(!got.eof);
  BOOST_TEST(got.error == std::error_code(ECONNRESET, std::system_category()));
}

BOOST_AUTO_TEST_CASE(shutdown_both_wakes_a_reader_without_freeing_the_descriptor) {
  loopback_pair pair;
  net::shutdown_both(pair.server.get());
  BOOST_TEST(net::wait_readable(pair.server.get(), 2000ms));
  BOOST_TEST(::fcntl(pair.server.get(), F_GETFD) != -1);
  // The peer sees the orderly close.
  BOOST_TEST_REQUIRE(net::wait_readable(pair.client.get(), 2000ms));
  std::array<std::uint8_t, 4> buffer{};
  BOOST_TEST(net::read_some(pair.client.get(), buffer).eof);
  net::shutdown_both(-1);  // a no-op, not a crash
}

BOOST_AUTO_TEST_CASE(connect_to_a_closed_port_fails_with_an_error) {
  std::uint16_t port = 0;
  {
    const auto listener = net::listen_on({"127.0.0.1", 0});
    port = net::local_port(listener.get());
  }
  std::error_code error;
  const auto fd = net::connect_to({"127.0.0.1", port}, 2000ms, error);
  BOOST_TEST(!fd);
  BOOST_TEST(static_cast<bool>(error));
}

BOOST_AUTO_TEST_SUITE_END()
