// One variant program (ha-master-<variant> or ha-slave-<variant>) run as a child
// process: spawned with pipes, talked to line by line with deadlines, and never
// left behind — killed on destruction, and by the kernel if the runner dies.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <nlohmann/json.hpp>

#include "runner/net.hpp"

namespace hakit::runner {

/// A variant process failed: it crashed, hung past a deadline or said something unreadable.
class process_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class variant_process {
 public:
  /// Starts `program` with `args`; its stderr goes to `stderr_file`.
  variant_process(asio::io_context& io, const std::filesystem::path& program, const std::vector<std::string>& args,
                  const std::filesystem::path& stderr_file);
  /// Kills and reaps the process if it still runs.
  ~variant_process();

  variant_process(const variant_process&) = delete;
  variant_process& operator=(const variant_process&) = delete;

  /// The next stdout line as JSON; throws process_error on timeout, EOF or bad JSON.
  awaitable<nlohmann::json> read_json_line(std::chrono::milliseconds timeout);
  /// Sends one command line and returns its JSON answer.
  awaitable<nlohmann::json> command(const std::string& line, std::chrono::milliseconds timeout);
  /// Sends `quit` and waits up to `grace` for the exit; kills it after that.
  /// True when it exited by itself with code 0 (a sanitizer report makes it non-zero).
  awaitable<bool> quit(std::chrono::milliseconds grace);
  /// SIGKILL and reap, now. Safe to call twice.
  void kill() noexcept;
  /// True while the process has not exited.
  [[nodiscard]] bool running();
  [[nodiscard]] int pid() const { return pid_; }
  /// "exited with code N" / "killed by signal N" / "still running", and the tail of its stderr.
  [[nodiscard]] std::string describe_exit();

 private:
  asio::io_context& io_;
  std::filesystem::path program_;
  std::filesystem::path stderr_file_;
  boost::process::async_pipe to_child_;
  boost::process::async_pipe from_child_;
  asio::streambuf received_;
  boost::process::child child_;
  int pid_ = 0;
  bool reaped_ = false;
};

}  // namespace hakit::runner
