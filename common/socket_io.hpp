// Thin POSIX socket helpers for the ported services. The Java code uses NIO
// selectors with 1 s timeouts; poll() with the same timeouts keeps its pacing.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <system_error>

namespace hakit::net {

/// Owns a file descriptor; closes it once, on destruction.
class unique_fd {
 public:
  unique_fd() = default;
  explicit unique_fd(int fd) : fd_(fd) {}
  ~unique_fd();
  unique_fd(unique_fd&& other) noexcept : fd_(other.release()) {}
  unique_fd& operator=(unique_fd&& other) noexcept;
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;
  /// The descriptor, or -1.
  [[nodiscard]] int get() const noexcept { return fd_; }
  /// Gives up ownership.
  int release() noexcept;
  /// Closes now.
  void reset() noexcept;
  explicit operator bool() const noexcept { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

/// An IPv4 host and port, e.g. from "127.0.0.1:0".
struct endpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
};

/// Parses "HOST:PORT"; throws std::invalid_argument with a readable message.
endpoint parse_endpoint(const std::string& text);
/// True for 127.0.0.0/8.
bool is_loopback(const std::string& host);

/// A listening, non-blocking TCP socket; throws std::system_error.
unique_fd listen_on(const endpoint& where, int backlog = 4096);
/// The port a socket is bound to.
std::uint16_t local_port(int fd);
/// "/ip:port" of the peer, as Java's SocketAddress.toString() prints it.
std::string peer_address(int fd);
/// Accepts one connection (non-blocking, TCP_NODELAY), or an empty fd when none is pending.
unique_fd accept_one(int listen_fd, std::error_code& error);
/// A connected non-blocking socket, or an empty fd with `error` set.
unique_fd connect_to(const endpoint& where, std::chrono::milliseconds timeout, std::error_code& error);

/// Waits until `fd` is readable (or hung up); false on timeout.
bool wait_readable(int fd, std::chrono::milliseconds timeout);
/// Waits until `fd` is writable; false on timeout.
bool wait_writable(int fd, std::chrono::milliseconds timeout);

/// Result of one non-blocking read.
struct read_result {
  std::size_t bytes = 0;
  bool eof = false;         ///< orderly close by the peer
  std::error_code error;    ///< reset, or another socket error
};
/// Reads what is available into `buffer` without blocking.
read_result read_some(int fd, std::span<std::uint8_t> buffer);
/// Writes what the socket takes without blocking; returns bytes written (0 when full).
std::size_t write_some(int fd, std::span<const std::uint8_t> bytes, std::error_code& error);
/// shutdown(SHUT_RDWR): wakes any thread polling `fd` without freeing the number,
/// so another thread can never end up using a reused descriptor.
void shutdown_both(int fd) noexcept;
/// Makes close() send RST instead of FIN (SO_LINGER 0).
void set_linger_zero(int fd) noexcept;

}  // namespace hakit::net
