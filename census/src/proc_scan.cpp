// Reading /proc with POSIX calls only: a census runs often during churn against
// processes with up to ~10 000 threads, so no iostream or path object per file.
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <span>
#include <utility>

#include "hakit/census.hpp"

namespace hakit::census {
namespace {

/// An owned file descriptor, closed on scope exit.
class unique_fd {
 public:
  explicit unique_fd(int fd) noexcept : fd_(fd) {}
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;
  ~unique_fd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  [[nodiscard]] int get() const noexcept { return fd_; }
  [[nodiscard]] int release() noexcept { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

/// An owned directory stream, closed on scope exit.
class unique_dir {
 public:
  explicit unique_dir(DIR* dir) noexcept : dir_(dir) {}
  unique_dir(const unique_dir&) = delete;
  unique_dir& operator=(const unique_dir&) = delete;
  ~unique_dir() {
    if (dir_ != nullptr) {
      ::closedir(dir_);
    }
  }
  [[nodiscard]] DIR* get() const noexcept { return dir_; }

 private:
  DIR* dir_;
};

/// "/proc/<pid>/<leaf>" without allocating.
class proc_path {
 public:
  proc_path(int pid, std::string_view leaf) noexcept {
    constexpr std::string_view prefix = "/proc/";
    char* out = std::copy(prefix.begin(), prefix.end(), buffer_.data());
    out = std::to_chars(out, buffer_.data() + 32, pid).ptr;
    *out++ = '/';
    const auto room = static_cast<std::size_t>(buffer_.data() + buffer_.size() - 1 - out);
    const auto length = std::min(leaf.size(), room);
    out = std::copy_n(leaf.data(), length, out);
    *out = '\0';
  }
  [[nodiscard]] const char* c_str() const noexcept { return buffer_.data(); }

 private:
  std::array<char, 64> buffer_{};
};

error_kind kind_of(int error) noexcept {
  switch (error) {
    case ENOENT:
    case ESRCH:
      return error_kind::no_such_process;
    case EACCES:
    case EPERM:
      return error_kind::permission_denied;
    default:
      return error_kind::unreadable;
  }
}

[[noreturn]] void fail(int error, int pid, const char* path) {
  const auto kind = kind_of(error);
  std::string message;
  switch (kind) {
    case error_kind::no_such_process:
      message = "process " + std::to_string(pid) + " does not exist (" + path + " is missing)";
      break;
    case error_kind::permission_denied:
      message = "permission denied reading " + std::string(path) +
                " (run as the user that owns process " + std::to_string(pid) + " or as root)";
      break;
    case error_kind::unreadable:
      message = "cannot read " + std::string(path) + ": " + std::strerror(error);
      break;
  }
  throw census_error(kind, message);
}

/// True when an error on one task's file means the thread ended mid-scan.
bool task_vanished(int error) noexcept { return error == ENOENT || error == ESRCH; }

/// Reads at most `buffer.size()` bytes of a small file. Returns the byte count or -errno.
long read_small(int dir_fd, const char* relative, std::span<char> buffer) noexcept {
  const unique_fd fd(::openat(dir_fd, relative, O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    return -errno;
  }
  std::size_t filled = 0;
  while (filled < buffer.size()) {
    const auto got = ::read(fd.get(), buffer.data() + filled, buffer.size() - filled);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      return -errno;
    }
    if (got == 0) {
      break;
    }
    filled += static_cast<std::size_t>(got);
  }
  return static_cast<long>(filled);
}

/// Opens /proc/<pid>/<leaf> as a directory stream, or throws.
unique_dir open_dir(int pid, std::string_view leaf) {
  const proc_path path(pid, leaf);
  unique_fd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) {
    fail(errno, pid, path.c_str());
  }
  DIR* dir = ::fdopendir(fd.get());
  if (dir == nullptr) {
    fail(errno, pid, path.c_str());
  }
  static_cast<void>(fd.release());
  return unique_dir(dir);
}

/// Calls `on_task(dir_fd, tid, file)` with the content of task/<tid>/<file> for
/// every live thread; threads that end during the scan are skipped.
template <class OnTask>
void for_each_task_file(int pid, std::string_view file, std::span<char> buffer, OnTask on_task) {
  const auto dir = open_dir(pid, "task");
  const int dir_fd = ::dirfd(dir.get());
  std::array<char, 64> relative{};
  for (;;) {
    errno = 0;
    const dirent* entry = ::readdir(dir.get());
    if (entry == nullptr) {
      if (errno != 0) {
        fail(errno, pid, proc_path(pid, "task").c_str());
      }
      return;
    }
    const std::string_view tid_text(entry->d_name);
    int tid = 0;
    const auto [end, parse_error] = std::from_chars(tid_text.data(), tid_text.data() + tid_text.size(), tid);
    if (parse_error != std::errc{} || end != tid_text.data() + tid_text.size()) {
      continue;  // "." and ".."
    }
    if (tid_text.size() + 1 + file.size() + 1 > relative.size()) {
      continue;
    }
    char* out = std::copy(tid_text.begin(), tid_text.end(), relative.data());
    *out++ = '/';
    out = std::copy(file.begin(), file.end(), out);
    *out = '\0';
    const long got = read_small(dir_fd, relative.data(), buffer);
    if (got < 0) {
      const int error = static_cast<int>(-got);
      if (task_vanished(error)) {
        continue;
      }
      fail(error, pid, relative.data());
    }
    on_task(tid, std::string_view(buffer.data(), static_cast<std::size_t>(got)));
  }
}

std::string_view trim_newline(std::string_view text) noexcept {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) {
    text.remove_suffix(1);
  }
  return text;
}

/// The integer after "<key>" at the start of a line in /proc/<pid>/status.
std::optional<std::int64_t> status_field(std::string_view status, std::string_view key) {
  std::size_t at = 0;
  for (;;) {
    at = status.find(key, at);
    if (at == std::string_view::npos) {
      return std::nullopt;
    }
    if (at == 0 || status[at - 1] == '\n') {
      break;
    }
    at += key.size();
  }
  at += key.size();
  while (at < status.size() && (status[at] == ' ' || status[at] == '\t')) {
    ++at;
  }
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(status.data() + at, status.data() + status.size(), value);
  if (error != std::errc{}) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

process_status read_status(int pid) {
  const proc_path path(pid, "status");
  // status is about 1.5 KiB; a long Groups: line is the only way it grows.
  std::string buffer(4096, '\0');
  std::size_t filled = 0;
  {
    const unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
      fail(errno, pid, path.c_str());
    }
    for (;;) {
      if (filled == buffer.size()) {
        buffer.resize(buffer.size() * 2);
      }
      const auto got = ::read(fd.get(), buffer.data() + filled, buffer.size() - filled);
      if (got < 0) {
        if (errno == EINTR) {
          continue;
        }
        fail(errno, pid, path.c_str());
      }
      if (got == 0) {
        break;
      }
      filled += static_cast<std::size_t>(got);
    }
  }
  const std::string_view status(buffer.data(), filled);
  const auto threads = status_field(status, "Threads:");
  if (!threads) {
    throw census_error(error_kind::unreadable, std::string("no Threads: line in ") + path.c_str());
  }
  // Zombies and kernel threads have no VmRSS: line; they hold no memory.
  return process_status{*threads, status_field(status, "VmRSS:").value_or(0)};
}

thread_names threads_by_name(int pid) {
  thread_names names;
  std::array<char, 64> buffer{};
  for_each_task_file(pid, "comm", buffer, [&](int, std::string_view comm) {
    ++names[std::string(trim_newline(comm))];
  });
  return names;
}

std::vector<thread_info> list_threads(int pid) {
  std::vector<thread_info> threads;
  // Only the head of stat is needed: pid, (comm of at most 15 bytes), state.
  std::array<char, 256> buffer{};
  for_each_task_file(pid, "stat", buffer, [&](int tid, std::string_view line) {
    if (auto fields = parse_stat(line)) {
      threads.push_back({tid, std::move(fields->name), fields->state});
    }
  });
  std::sort(threads.begin(), threads.end(),
            [](const thread_info& a, const thread_info& b) { return a.tid < b.tid; });
  return threads;
}

std::int64_t count_fds(int pid) {
  const auto dir = open_dir(pid, "fd");
  std::int64_t count = 0;
  for (;;) {
    errno = 0;
    const dirent* entry = ::readdir(dir.get());
    if (entry == nullptr) {
      if (errno != 0) {
        fail(errno, pid, proc_path(pid, "fd").c_str());
      }
      return count;
    }
    if (entry->d_name[0] != '.') {
      ++count;
    }
  }
}

int self_pid() noexcept { return static_cast<int>(::getpid()); }

}  // namespace hakit::census
