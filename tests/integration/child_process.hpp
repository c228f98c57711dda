// A program under test run as a child process: stdin and stdout on pipes,
// stderr into a file. The destructor kills (SIGKILL) and reaps a child that is
// still running, so no assertion failure can leave one behind; the child also
// dies with the test process (PR_SET_PDEATHSIG).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace hakit::it {

/// How a child ended.
struct exit_status {
  bool exited = false;   ///< by exit(); otherwise killed by `signal`
  int code = -1;         ///< exit code when `exited`
  int signal = 0;
  [[nodiscard]] bool clean() const { return exited && code == 0; }
};

class child_process {
 public:
  /// Starts `path` with `args`; stderr goes to `stderr_file`. Throws std::system_error.
  child_process(const std::string& path, const std::vector<std::string>& args, std::filesystem::path stderr_file);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  /// Writes `line` and a newline to the child's stdin; false if the pipe is closed.
  bool write_line(const std::string& line);
  /// Closes the child's stdin (it sees end of file).
  void close_stdin();
  /// The next stdout line, or nothing if none arrives within `timeout` (or stdout ended).
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  /// Everything the child writes to stdout until it closes it or `timeout` passes.
  std::string read_all(std::chrono::milliseconds timeout);
  /// Sends `sig` to the child (if it still runs).
  void send_signal(int sig);
  /// Reaps the child if it exits within `timeout`.
  std::optional<exit_status> wait_exit(std::chrono::milliseconds timeout);
  /// What the child wrote to stderr so far.
  [[nodiscard]] std::string stderr_text() const;

 private:
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  std::filesystem::path stderr_file_;
  std::string pending_;
  bool stdout_ended_ = false;
  std::optional<exit_status> status_;
};

/// A fresh directory under the system temp dir, removed with its contents on destruction.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace hakit::it
