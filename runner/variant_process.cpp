#include "runner/variant_process.hpp"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <sstream>

namespace hakit::runner {
namespace bp = boost::process;

namespace {

/// Runs in the child between fork and exec: the kernel kills the child when the
/// runner dies, however it dies, so no variant ever outlives it.
struct die_with_parent {
  pid_t parent;
  template <class Executor>
  void operator()(Executor&) const {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
  }
};

std::string stderr_tail(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  constexpr std::size_t kTail = 600;
  if (all.size() > kTail) all = "..." + all.substr(all.size() - kTail);
  while (!all.empty() && (all.back() == '\n' || all.back() == '\r')) all.pop_back();
  return all;
}

}  // namespace

variant_process::variant_process(asio::io_context& io, const std::filesystem::path& program,
                                 const std::vector<std::string>& args, const std::filesystem::path& stderr_file)
    : io_(io), program_(program), stderr_file_(stderr_file), to_child_(io), from_child_(io) {
  if (!std::filesystem::exists(program))
    throw process_error("variant program " + program.string() + " does not exist (build it, or pass --bin-dir)");
  std::error_code spawn_error;
  child_ = bp::child(program.string(), bp::args(args), bp::std_in < to_child_, bp::std_out > from_child_,
                     bp::std_err > stderr_file.string(), bp::extend::on_exec_setup = die_with_parent{::getpid()},
                     spawn_error);
  if (spawn_error) throw process_error("cannot start " + program.string() + ": " + spawn_error.message());
  pid_ = child_.id();
}

variant_process::~variant_process() { kill(); }

awaitable<nlohmann::json> variant_process::read_json_line(std::chrono::milliseconds timeout) {
  asio::steady_timer deadline(io_, timeout);
  bool timed_out = false;
  deadline.async_wait([&](const boost::system::error_code& ec) {
    if (!ec) {
      timed_out = true;
      from_child_.cancel();
    }
  });
  boost::system::error_code ec;
  const auto size = co_await asio::async_read_until(from_child_, received_, '\n',
                                                    asio::redirect_error(use_awaitable, ec));
  deadline.cancel();
  const auto name = program_.filename().string();
  if (timed_out) throw process_error(name + " did not answer within " + std::to_string(timeout.count()) + " ms");
  if (ec) throw process_error(name + " closed its output (" + ec.message() + "); " + describe_exit());
  std::string line(asio::buffers_begin(received_.data()), asio::buffers_begin(received_.data()) + static_cast<std::ptrdiff_t>(size));
  received_.consume(size);
  try {
    co_return nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception&) {
    throw process_error(name + " printed a line that is not JSON: " + line.substr(0, 200));
  }
}

awaitable<nlohmann::json> variant_process::command(const std::string& line, std::chrono::milliseconds timeout) {
  boost::system::error_code ec;
  const std::string wire = line + "\n";
  co_await asio::async_write(to_child_, asio::buffer(wire), asio::redirect_error(use_awaitable, ec));
  if (ec) throw process_error(program_.filename().string() + " does not take commands (" + ec.message() + "); " + describe_exit());
  co_return co_await read_json_line(timeout);
}

awaitable<bool> variant_process::quit(std::chrono::milliseconds grace) {
  bool clean_exit = false;
  if (running()) {
    boost::system::error_code ignored;
    const std::string wire = "quit\n";
    co_await asio::async_write(to_child_, asio::buffer(wire), asio::redirect_error(use_awaitable, ignored));
    asio::steady_timer tick(io_);
    const auto until = std::chrono::steady_clock::now() + grace;
    while (running() && std::chrono::steady_clock::now() < until) {
      tick.expires_after(std::chrono::milliseconds(10));
      co_await tick.async_wait(asio::redirect_error(use_awaitable, ignored));
    }
    clean_exit = !running() && child_.native_exit_code() == 0;
  }
  kill();
  co_return clean_exit;
}

bool variant_process::running() {
  if (reaped_) return false;
  std::error_code ec;
  const bool alive = child_.running(ec);
  if (!alive) reaped_ = true;
  return alive;
}

void variant_process::kill() noexcept {
  if (pid_ <= 0) return;
  std::error_code ec;
  if (!reaped_ && child_.running(ec)) {
    child_.terminate(ec);
  }
  reaped_ = true;
  boost::system::error_code ignored;
  to_child_.close(ignored);
  from_child_.close(ignored);
}

std::string variant_process::describe_exit() {
  std::string what;
  if (running()) {
    what = "still running";
  } else {
    const int code = child_.native_exit_code();
    if (WIFSIGNALED(code)) what = "killed by signal " + std::to_string(WTERMSIG(code));
    else what = "exited with code " + std::to_string(WEXITSTATUS(code));
  }
  const auto tail = stderr_tail(stderr_file_);
  return program_.filename().string() + " (pid " + std::to_string(pid_) + ") " + what +
         (tail.empty() ? std::string() : "; its stderr ends: " + tail);
}

}  // namespace hakit::runner
