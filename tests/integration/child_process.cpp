#include "tests/integration/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

namespace hakit::it {
namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

[[noreturn]] void throw_errno(const std::string& what) { throw std::system_error(errno, std::system_category(), what); }

exit_status decode(int raw) {
  exit_status status;
  status.exited = WIFEXITED(raw);
  if (status.exited) status.code = WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) status.signal = WTERMSIG(raw);
  return status;
}

}  // namespace

child_process::child_process(const std::string& path, const std::vector<std::string>& args,
                             std::filesystem::path stderr_file)
    : stderr_file_(std::move(stderr_file)) {
  // A child that exits early must not kill the test with SIGPIPE on the next command.
  ::signal(SIGPIPE, SIG_IGN);
  int in[2];
  int out[2];
  if (::pipe2(in, O_CLOEXEC) != 0) throw_errno("pipe");
  if (::pipe2(out, O_CLOEXEC) != 0) throw_errno("pipe");
  const int err = ::open(stderr_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (err < 0) throw_errno("open " + stderr_file_.string());

  std::vector<std::string> argv_storage{path};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) throw_errno("fork");
  if (pid_ == 0) {
    // Only async-signal-safe calls until exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(in[0], STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err);
  stdin_fd_ = in[1];
  stdout_fd_ = out[0];
}

child_process::~child_process() {
  if (!status_) {
    ::kill(pid_, SIGKILL);
    int raw = 0;
    while (::waitpid(pid_, &raw, 0) < 0 && errno == EINTR) {
    }
  }
  close_stdin();
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

bool child_process::write_line(const std::string& line) {
  if (stdin_fd_ < 0) return false;
  const std::string data = line + "\n";
  std::size_t sent = 0;
  while (sent < data.size()) {
    const auto n = ::write(stdin_fd_, data.data() + sent, data.size() - sent);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

void child_process::close_stdin() {
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  stdin_fd_ = -1;
}

std::optional<std::string> child_process::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = steady::now() + timeout;
  for (;;) {
    if (const auto newline = pending_.find('\n'); newline != std::string::npos) {
      auto line = pending_.substr(0, newline);
      pending_.erase(0, newline + 1);
      return line;
    }
    if (stdout_ended_) return std::nullopt;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now()).count();
    if (left <= 0) return std::nullopt;
    pollfd p{stdout_fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    char chunk[4096];
    const auto got = ::read(stdout_fd_, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      stdout_ended_ = true;
      continue;
    }
    pending_.append(chunk, static_cast<std::size_t>(got));
  }
}

std::string child_process::read_all(std::chrono::milliseconds timeout) {
  const auto deadline = steady::now() + timeout;
  std::string all;
  while (const auto line = read_line(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now()))) {
    all += *line;
    all += '\n';
  }
  all += pending_;
  pending_.clear();
  return all;
}

void child_process::send_signal(int sig) {
  if (!status_) ::kill(pid_, sig);
}

std::optional<exit_status> child_process::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = steady::now() + timeout;
  while (!status_) {
    int raw = 0;
    const pid_t done = ::waitpid(pid_, &raw, WNOHANG);
    if (done == pid_) {
      status_ = decode(raw);
      break;
    }
    if (done < 0 && errno != EINTR) break;
    if (steady::now() >= deadline) break;
    std::this_thread::sleep_for(5ms);
  }
  return status_;
}

std::string child_process::stderr_text() const {
  std::ifstream in(stderr_file_);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

temp_dir::temp_dir() {
  auto pattern = (std::filesystem::temp_directory_path() / "hakit-it-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw_errno("mkdtemp");
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace hakit::it
