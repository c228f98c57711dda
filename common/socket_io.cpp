#include "common/socket_io.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <stdexcept>

namespace hakit::net {
namespace {

std::error_code last_error() { return {errno, std::system_category()}; }

sockaddr_in to_sockaddr(const endpoint& where) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(where.port);
  if (::inet_pton(AF_INET, where.host.c_str(), &addr.sin_addr) != 1)
    throw std::invalid_argument("'" + where.host + "' is not an IPv4 address");
  return addr;
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

void set_nodelay(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

bool wait_for(int fd, short events, std::chrono::milliseconds timeout) {
  pollfd p{fd, events, 0};
  int rc;
  do {
    rc = ::poll(&p, 1, static_cast<int>(timeout.count()));
  } while (rc < 0 && errno == EINTR);
  return rc > 0;
}

}  // namespace

unique_fd::~unique_fd() { reset(); }

unique_fd& unique_fd::operator=(unique_fd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = other.release();
  }
  return *this;
}

int unique_fd::release() noexcept {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

void unique_fd::reset() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

endpoint parse_endpoint(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw std::invalid_argument("'" + text + "' is not HOST:PORT (e.g. 127.0.0.1:0)");
  endpoint result;
  result.host = text.substr(0, colon);
  if (result.host == "localhost") result.host = "127.0.0.1";
  const auto port_text = text.substr(colon + 1);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || value > 65535)
    throw std::invalid_argument("'" + port_text + "' is not a port number (0-65535)");
  result.port = static_cast<std::uint16_t>(value);
  to_sockaddr(result);
  return result;
}

bool is_loopback(const std::string& host) {
  in_addr addr{};
  return ::inet_pton(AF_INET, host.c_str(), &addr) == 1 && (ntohl(addr.s_addr) >> 24) == 127;
}

unique_fd listen_on(const endpoint& where, int backlog) {
  const auto addr = to_sockaddr(where);
  unique_fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) throw std::system_error(last_error(), "socket");
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
    throw std::system_error(last_error(), "bind " + where.host + ":" + std::to_string(where.port));
  if (::listen(fd.get(), backlog) != 0) throw std::system_error(last_error(), "listen");
  set_nonblocking(fd.get());
  return fd;
}

std::uint16_t local_port(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
  return ntohs(addr.sin_port);
}

std::string peer_address(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return "/unknown";
  char text[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &addr.sin_addr, text, sizeof text);
  return "/" + std::string(text) + ":" + std::to_string(ntohs(addr.sin_port));
}

unique_fd accept_one(int listen_fd, std::error_code& error) {
  error.clear();
  const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) error = last_error();
    return {};
  }
  set_nodelay(fd);
  return unique_fd(fd);
}

unique_fd connect_to(const endpoint& where, std::chrono::milliseconds timeout, std::error_code& error) {
  error.clear();
  const auto addr = to_sockaddr(where);
  unique_fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) {
    error = last_error();
    return {};
  }
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno != EINPROGRESS) {
      error = last_error();
      return {};
    }
    if (!wait_writable(fd.get(), timeout)) {
      error = std::make_error_code(std::errc::timed_out);
      return {};
    }
    int so_error = 0;
    socklen_t len = sizeof so_error;
    ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &so_error, &len);
    if (so_error != 0) {
      error = {so_error, std::system_category()};
      return {};
    }
  }
  set_nodelay(fd.get());
  return fd;
}

bool wait_readable(int fd, std::chrono::milliseconds timeout) { return wait_for(fd, POLLIN, timeout); }
bool wait_writable(int fd, std::chrono::milliseconds timeout) { return wait_for(fd, POLLOUT, timeout); }

read_result read_some(int fd, std::span<std::uint8_t> buffer) {
  read_result result;
  if (buffer.empty()) return result;
  const auto n = ::recv(fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
  if (n > 0) {
    result.bytes = static_cast<std::size_t>(n);
  } else if (n == 0) {
    result.eof = true;
  } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
    result.error = last_error();
  }
  return result;
}

std::size_t write_some(int fd, std::span<const std::uint8_t> bytes, std::error_code& error) {
  error.clear();
  if (bytes.empty()) return 0;
  const auto n = ::send(fd, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  if (n >= 0) return static_cast<std::size_t>(n);
  if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) error = last_error();
  return 0;
}

void shutdown_both(int fd) noexcept {
  if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
}

void set_linger_zero(int fd) noexcept {
  linger lg{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
}

}  // namespace hakit::net
