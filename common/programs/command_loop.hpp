// The variant programs' control channel: one command per stdin line, one JSON
// answer per stdout line, ended by `quit`, stdin EOF (the parent went away),
// SIGINT or SIGTERM.
#pragma once

#include <functional>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace hakit::programs {

/// Blocks SIGINT/SIGTERM (delivered to run() instead) and ignores SIGPIPE.
/// Call before starting any thread so every thread inherits the mask.
void block_termination_signals();

/// Reads stdin lines and passes each to `on_line` until it returns false, stdin
/// ends or a termination signal arrives. Returns why it stopped: "quit", "eof" or the signal name.
std::string run_command_loop(const std::function<bool(const std::string&)>& on_line);

/// Writes one line to stdout and flushes it.
void answer(const std::string& line);

/// Command name -> handler that returns the command's JSON answer.
using command_table = std::map<std::string, std::function<nlohmann::json()>>;

/// Serves `commands` on stdin (plus the built-in `help` and `quit`), answering each
/// with one JSON line and an unknown command with an error line. Returns why it stopped.
std::string serve_commands(const command_table& commands);

}  // namespace hakit::programs
