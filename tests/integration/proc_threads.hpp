// Threads of another process by kernel name, read from /proc/<pid>/task/*/comm.
// Deliberately independent of hakit's census library: the kit must not be
// measured only by itself.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace hakit::it {

using thread_census = std::map<std::string, std::int64_t>;

/// Live threads of `pid` by `comm`; empty if the process is gone.
thread_census threads_by_name(pid_t pid);
/// The count for `name` (0 when absent).
std::int64_t count_of(const thread_census& census, const std::string& name);
/// Polls threads_by_name(pid) until it is unchanged for `quiet` or `timeout`
/// passes; returns the last census and whether it settled.
std::pair<thread_census, bool> settle_threads(pid_t pid, std::chrono::milliseconds quiet = std::chrono::milliseconds(300),
                                              std::chrono::milliseconds timeout = std::chrono::milliseconds(15'000));
/// "FlowMonitor=3 ReadSocketSvc=1 ..." for messages.
std::string describe(const thread_census& census);

}  // namespace hakit::it
