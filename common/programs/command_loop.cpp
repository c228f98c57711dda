#include "common/programs/command_loop.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace hakit::programs {
namespace {

sigset_t termination_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void block_termination_signals() {
  const auto set = termination_signals();
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
}

std::string run_command_loop(const std::function<bool(const std::string&)>& on_line) {
  const auto set = termination_signals();
  const int signal_fd = ::signalfd(-1, &set, SFD_CLOEXEC);
  if (signal_fd < 0) throw std::runtime_error(std::string("signalfd: ") + std::strerror(errno));
  std::string pending;
  std::string reason;
  while (reason.empty()) {
    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {signal_fd, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      reason = "poll-error";
      break;
    }
    if ((fds[1].revents & POLLIN) != 0) {
      signalfd_siginfo info{};
      if (::read(signal_fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info))
        reason = info.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM";
      break;
    }
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
    char chunk[4096];
    const auto got = ::read(STDIN_FILENO, chunk, sizeof chunk);
    if (got <= 0) {
      if (got < 0 && errno == EINTR) continue;
      reason = "eof";
      break;
    }
    pending.append(chunk, static_cast<std::size_t>(got));
    for (auto newline = pending.find('\n'); newline != std::string::npos; newline = pending.find('\n')) {
      auto line = pending.substr(0, newline);
      pending.erase(0, newline + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) continue;
      if (!on_line(line)) {
        reason = "quit";
        break;
      }
    }
  }
  ::close(signal_fd);
  return reason;
}

std::string serve_commands(const command_table& commands) {
  return run_command_loop([&](const std::string& line) {
    if (line == "quit") return false;
    if (const auto it = commands.find(line); it != commands.end()) {
      answer(it->second().dump());
    } else if (line == "help") {
      auto names = nlohmann::json::array();
      for (const auto& [name, handler] : commands) names.push_back(name);
      names.push_back("quit");
      answer(nlohmann::json{{"event", "help"}, {"commands", names}}.dump());
    } else {
      answer(nlohmann::json{{"event", "error"}, {"message", "unknown command '" + line + "'; try help"}}.dump());
    }
    return true;
  });
}

void answer(const std::string& line) {
  std::fputs(line.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

}  // namespace hakit::programs
