// store.log in RocketMQ's layout: `<date> <LEVEL> <thread> - <message>`, so
// `grep -C 500 'HAService receive new' store.log` works as in the post-mortem.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace hakit::store_log {

/// Opens (appends to) `<dir>/store.log`; before this, log lines are dropped.
void open(const std::filesystem::path& dir);
/// Flushes buffered lines to the file.
void flush();
/// Flushes and closes the file; later lines are dropped.
void close();
/// Writes one line; `thread` is the Java-style service name shown in the line.
void info(std::string_view thread, std::string_view message);
/// As info(), at WARN.
void warn(std::string_view thread, std::string_view message);
/// As info(), at ERROR.
void error(std::string_view thread, std::string_view message);

}  // namespace hakit::store_log
