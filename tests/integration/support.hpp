// What the integration tests share: the programs under test, waiting on a
// condition with a deadline, a slave played with a raw loopback socket, and the
// master and slave programs driven over their stdin/stdout protocol.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/integration/child_process.hpp"
#include "tests/integration/proc_threads.hpp"

namespace hakit::it {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;
using json = nlohmann::json;
using bytes = std::vector<std::uint8_t>;

/// The path of `program` ("ha-master-buggy", ...) as given after `--` on the test's command line.
std::string program_path(const std::string& program);

/// Polls `condition` every few milliseconds until it holds or `timeout` passes; returns its last value.
template <class Condition>
bool wait_until(Condition condition, std::chrono::milliseconds timeout = 10'000ms) {
  const auto deadline = steady::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (steady::now() >= deadline) return condition();
    std::this_thread::sleep_for(10ms);
  }
}

/// The 16-byte slave handshake (state 1, no flags, broker id 2).
bytes slave_handshake_frame();
/// The 12-byte transfer report (state 2, `offset`).
bytes transfer_report_frame(std::int64_t offset);
/// 12 bytes: state ordinal `ordinal` then eight zero bytes.
bytes frame_with_state(std::int32_t ordinal);
/// The master's handshake reply for its single-epoch log: 20-byte header + one 12-byte entry.
inline constexpr std::size_t kMasterHandshakeReply = 32;

/// A slave played with a blocking loopback socket (5 s send/receive timeouts).
class raw_slave {
 public:
  explicit raw_slave(std::uint16_t port);
  ~raw_slave();
  raw_slave(const raw_slave&) = delete;
  raw_slave& operator=(const raw_slave&) = delete;

  void send(const bytes& data);
  void send(const std::string& text) { send(bytes(text.begin(), text.end())); }
  /// Sends the handshake and reads the master's 32-byte reply.
  void handshake();
  bytes receive_exactly(std::size_t size);
  /// Reads (and drops) whatever arrives until the master closes (EOF or reset); false on timeout.
  bool wait_for_master_close(std::chrono::milliseconds timeout = 10'000ms);
  /// close(): FIN.
  void close_with_fin();
  /// SO_LINGER {1, 0} then close(): RST.
  void close_with_rst();

 private:
  int fd_ = -1;
};

/// A variant program (master or slave) with its control channel and log dir.
class variant_program {
 public:
  /// Starts `program` with `args` plus `--log-dir <temp>`; waits for the ready line.
  variant_program(const std::string& program, std::vector<std::string> args);
  ~variant_program() = default;

  [[nodiscard]] pid_t pid() const { return process_->pid(); }
  [[nodiscard]] const json& ready() const { return ready_; }
  [[nodiscard]] const std::filesystem::path& log_dir() const { return dir_.path(); }
  child_process& process() { return *process_; }

  /// Sends `line`, returns the parsed answer (BOOST_REQUIREs one within 10 s).
  json command(const std::string& line);
  json stats() { return command("stats"); }
  /// Live threads by kernel name, from /proc.
  [[nodiscard]] thread_census threads() const { return threads_by_name(pid()); }
  /// Sends quit and checks the program exits 0 within 10 s with no sanitizer report.
  void quit_and_check();
  /// Checks stderr carries no sanitizer report.
  void check_no_sanitizer_report();

 private:
  temp_dir dir_;
  std::unique_ptr<child_process> process_;
  json ready_;
};

/// ha-master-<variant> on 127.0.0.1:0; waits until its AcceptSocketSvc thread runs.
class master_program : public variant_program {
 public:
  master_program(const std::string& variant, const std::vector<std::string>& extra_args = {});
  [[nodiscard]] std::uint16_t port() const { return port_; }

 private:
  std::uint16_t port_ = 0;
};

/// ha-slave-<variant> against `master_port`.
class slave_program : public variant_program {
 public:
  slave_program(const std::string& variant, std::uint16_t master_port, const std::vector<std::string>& extra_args = {});
};

}  // namespace hakit::it
