// Thread census of any Linux process read from /proc: totals, threads by kernel
// name and state, open descriptors. Works for the variants and for a JVM broker,
// whose Java thread names the JVM passes to the kernel (truncated to 15 bytes).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hakit::census {

/// Why a census could not be taken.
enum class error_kind {
  no_such_process,    ///< /proc/<pid> does not exist
  permission_denied,  ///< the process exists but this user may not read it
  unreadable,         ///< anything else: /proc not mounted, malformed file, I/O error
};

/// The one exception of this library: a census of a whole process failed.
/// Threads that end during a scan are not errors; they are skipped.
class census_error : public std::runtime_error {
 public:
  /// `message` should name the pid and the /proc path that failed.
  census_error(error_kind kind, const std::string& message);

  /// What went wrong, for callers that map it to exit codes.
  [[nodiscard]] error_kind kind() const noexcept;

 private:
  error_kind kind_;
};

/// The name of an error kind as used in messages and JSON (`no_such_process`, ...).
[[nodiscard]] std::string_view to_string(error_kind kind) noexcept;

/// The cheap figures of /proc/<pid>/status, read during churn.
struct process_status {
  std::int64_t threads = 0;  ///< `Threads:`
  std::int64_t rss_kb = 0;   ///< `VmRSS:` in KiB; 0 for a zombie, which has no memory
};

/// One thread of a process.
struct thread_info {
  int tid = 0;       ///< kernel task id (what `gettid()` returns in that thread)
  std::string name;  ///< kernel comm, at most 15 bytes
  char state = '?';  ///< R, S, D, Z, T, t, X, I, ... from /proc/<pid>/task/<tid>/stat
};

/// Thread count by kernel name.
using thread_names = std::map<std::string, std::int64_t>;

/// One name and how many threads carry it.
struct name_count {
  std::string name;        ///< kernel comm
  std::int64_t count = 0;  ///< threads with that name
};

/// Threads of one name with their count per scheduler state.
struct thread_group {
  std::string name;                     ///< kernel comm
  std::int64_t count = 0;               ///< threads with that name
  std::map<char, std::int64_t> states;  ///< state letter -> threads in it
};

/// The name and state fields of a `stat` line.
struct stat_fields {
  std::string name;  ///< field 2 without its parentheses
  char state = '?';  ///< field 3
};

/// Reads `Threads:` and `VmRSS:` of /proc/<pid>/status. Throws census_error.
[[nodiscard]] process_status read_status(int pid);

/// Counts the threads of `pid` by /proc/<pid>/task/*/comm. Throws census_error.
[[nodiscard]] thread_names threads_by_name(int pid);

/// Lists the threads of `pid` with name and state, ordered by tid. Throws census_error.
[[nodiscard]] std::vector<thread_info> list_threads(int pid);

/// Counts the entries of /proc/<pid>/fd. Throws census_error (permission_denied
/// for another user's process, whose fd directory is private).
[[nodiscard]] std::int64_t count_fds(int pid);

/// Parses a /proc/.../stat line; the name may hold spaces and ')' so it ends at
/// the last ')'. Empty when the line is not a stat line.
[[nodiscard]] std::optional<stat_fields> parse_stat(std::string_view line);

/// The pid of the calling process.
[[nodiscard]] int self_pid() noexcept;

/// Counts `threads` by name.
[[nodiscard]] thread_names count_by_name(const std::vector<thread_info>& threads);

/// Orders names largest group first, then by name so output is stable.
[[nodiscard]] std::vector<name_count> largest_first(const thread_names& names);

/// Groups `threads` by name with per-state counts, largest group first, then by name.
[[nodiscard]] std::vector<thread_group> group_threads(const std::vector<thread_info>& threads);

}  // namespace hakit::census
