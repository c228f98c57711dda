#include "common/store_log.hpp"

#include <cstdio>
#include <ctime>
#include <mutex>
#include <stdexcept>
#include <string>
#include <sys/time.h>

namespace hakit::store_log {
namespace {

struct log_file {
  std::mutex mutex;
  std::FILE* file = nullptr;
  // localtime_r is costly at thousands of lines a second: format each second once.
  time_t stamped_second = -1;
  char stamp[32] = {};
};

log_file& the_log() {
  // Leaked on purpose: leaked FlowMonitor threads may log while the process exits.
  static auto* log = new log_file;
  return *log;
}

void write(const char* level, std::string_view thread, std::string_view message) {
  auto& log = the_log();
  timeval now{};
  ::gettimeofday(&now, nullptr);
  std::lock_guard lock(log.mutex);
  if (log.file == nullptr) return;
  if (now.tv_sec != log.stamped_second) {
    std::tm local{};
    ::localtime_r(&now.tv_sec, &local);
    std::strftime(log.stamp, sizeof log.stamp, "%Y-%m-%d %H:%M:%S", &local);
    log.stamped_second = now.tv_sec;
  }
  std::fprintf(log.file, "%s,%03d %s %.*s - %.*s\n", log.stamp, static_cast<int>(now.tv_usec / 1000), level,
               static_cast<int>(thread.size()), thread.data(), static_cast<int>(message.size()), message.data());
}

}  // namespace

void open(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const auto path = dir / "store.log";
  std::FILE* file = std::fopen(path.c_str(), "a");
  if (file == nullptr) throw std::runtime_error("cannot open " + path.string() + " for writing");
  // Full buffering: thousands of connections a second each log a few lines.
  std::setvbuf(file, nullptr, _IOFBF, 1 << 16);
  auto& log = the_log();
  std::lock_guard lock(log.mutex);
  if (log.file != nullptr) std::fclose(log.file);
  log.file = file;
}

void flush() {
  auto& log = the_log();
  std::lock_guard lock(log.mutex);
  if (log.file != nullptr) std::fflush(log.file);
}

void close() {
  auto& log = the_log();
  std::lock_guard lock(log.mutex);
  if (log.file != nullptr) std::fclose(log.file);
  log.file = nullptr;
}

void info(std::string_view thread, std::string_view message) { write("INFO", thread, message); }
void warn(std::string_view thread, std::string_view message) { write("WARN", thread, message); }
void error(std::string_view thread, std::string_view message) { write("ERROR", thread, message); }

}  // namespace hakit::store_log
