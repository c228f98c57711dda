#include "tests/integration/support.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include <boost/test/unit_test.hpp>

namespace hakit::it {
namespace {

void put_be32(bytes& out, std::int32_t value) {
  const auto bits = static_cast<std::uint32_t>(value);
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(bits >> shift));
}

void put_be64(bytes& out, std::int64_t value) {
  const auto bits = static_cast<std::uint64_t>(value);
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(bits >> shift));
}

}  // namespace

std::string program_path(const std::string& program) {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  for (int i = 1; i < suite.argc; ++i) {
    const std::filesystem::path candidate = suite.argv[i];
    if (candidate.filename() == program) return candidate.string();
  }
  BOOST_TEST_REQUIRE(false, "pass the path of " << program << " after -- on the command line");
  return {};
}

bytes slave_handshake_frame() {
  bytes out;
  put_be32(out, 1);
  out.insert(out.end(), {0, 0, 0, 0});  // isSyncFromLastFile, isAsyncLearner
  put_be64(out, 2);
  return out;
}

bytes transfer_report_frame(std::int64_t offset) {
  bytes out;
  put_be32(out, 2);
  put_be64(out, offset);
  return out;
}

bytes frame_with_state(std::int32_t ordinal) {
  bytes out;
  put_be32(out, ordinal);
  put_be64(out, 0);
  return out;
}

// ---- raw_slave ---------------------------------------------------------------

raw_slave::raw_slave(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
  BOOST_TEST_REQUIRE(fd_ >= 0);
  timeval timeout{5, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BOOST_TEST_REQUIRE(::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
}

raw_slave::~raw_slave() {
  if (fd_ >= 0) ::close(fd_);
}

void raw_slave::send(const bytes& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const auto n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    BOOST_TEST_REQUIRE(n > 0, "send failed: errno " << errno);
    sent += static_cast<std::size_t>(n);
  }
}

void raw_slave::handshake() {
  send(slave_handshake_frame());
  const auto reply = receive_exactly(kMasterHandshakeReply);
  BOOST_TEST_REQUIRE(reply[3] == 1, "the master's handshake reply starts with state HANDSHAKE");
}

bytes raw_slave::receive_exactly(std::size_t size) {
  bytes data(size);
  std::size_t got = 0;
  while (got < size) {
    const auto n = ::recv(fd_, data.data() + got, size - got, 0);
    BOOST_TEST_REQUIRE(n > 0, "the master closed or went silent after " << got << " of " << size << " bytes");
    got += static_cast<std::size_t>(n);
  }
  return data;
}

bool raw_slave::wait_for_master_close(std::chrono::milliseconds timeout) {
  const auto deadline = steady::now() + timeout;
  char sink[4096];
  while (steady::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const auto n = ::recv(fd_, sink, sizeof sink, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return true;
  }
  return false;
}

void raw_slave::close_with_fin() {
  ::close(fd_);
  fd_ = -1;
}

void raw_slave::close_with_rst() {
  linger lg{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  close_with_fin();
}

// ---- variant programs ---------------------------------------------------------

variant_program::variant_program(const std::string& program, std::vector<std::string> args) {
  args.push_back("--log-dir");
  args.push_back(dir_.path().string());
  process_ = std::make_unique<child_process>(program_path(program), args, dir_.path() / "stderr.txt");
  // Sanitized builds start slowly: be generous with the first line.
  const auto line = process_->read_line(30'000ms);
  BOOST_TEST_REQUIRE(line.has_value(), program << " printed no ready line; stderr: " << process_->stderr_text());
  ready_ = json::parse(*line, nullptr, false);
  BOOST_TEST_REQUIRE(!ready_.is_discarded(), "ready line is not JSON: " << *line);
  BOOST_TEST_REQUIRE(ready_.value("event", "") == "ready", "first line is not the ready line: " << *line);
  BOOST_TEST_REQUIRE(ready_.value("pid", -1) == process_->pid());
}

json variant_program::command(const std::string& line) {
  BOOST_TEST_REQUIRE(process_->write_line(line), "cannot send '" << line << "'; stderr: " << process_->stderr_text());
  const auto answer = process_->read_line(10'000ms);
  BOOST_TEST_REQUIRE(answer.has_value(), "no answer to '" << line << "'; stderr: " << process_->stderr_text());
  auto parsed = json::parse(*answer, nullptr, false);
  BOOST_TEST_REQUIRE(!parsed.is_discarded(), "answer to '" << line << "' is not JSON: " << *answer);
  return parsed;
}

void variant_program::check_no_sanitizer_report() {
  const auto text = process_->stderr_text();
  BOOST_TEST(text.find("Sanitizer") == std::string::npos, "sanitizer report on stderr:\n" << text);
}

void variant_program::quit_and_check() {
  process_->write_line("quit");
  const auto status = process_->wait_exit(10'000ms);
  BOOST_TEST_REQUIRE(status.has_value(), "no exit within 10 s of quit");
  BOOST_TEST(status->clean(), "exit code " << status->code << ", signal " << status->signal << "; stderr:\n"
                                           << process_->stderr_text());
  check_no_sanitizer_report();
}

master_program::master_program(const std::string& variant, const std::vector<std::string>& extra_args)
    : variant_program("ha-master-" + variant, [&] {
        std::vector<std::string> args{"--listen", "127.0.0.1:0"};
        args.insert(args.end(), extra_args.begin(), extra_args.end());
        return args;
      }()) {
  port_ = ready().value("port", std::uint16_t{0});
  BOOST_TEST_REQUIRE(port_ != 0);
  BOOST_TEST_REQUIRE(ready().value("variant", "") == variant);
  BOOST_TEST_REQUIRE(wait_until([&] { return count_of(threads(), "AcceptSocketSvc") == 1; }));
}

slave_program::slave_program(const std::string& variant, std::uint16_t master_port,
                             const std::vector<std::string>& extra_args)
    : variant_program("ha-slave-" + variant, [&] {
        std::vector<std::string> args{"--master", "127.0.0.1:" + std::to_string(master_port)};
        args.insert(args.end(), extra_args.begin(), extra_args.end());
        return args;
      }()) {
  BOOST_TEST_REQUIRE(ready().value("variant", "") == variant);
}

}  // namespace hakit::it
