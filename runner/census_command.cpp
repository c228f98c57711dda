// `hakit census`: threads grouped by name, largest group first, with their
// states, as a thread-dump analyser shows a leak; or their growth over a watch.
#include "runner/census_command.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <iomanip>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <thread>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "hakit/census.hpp"
#include "runner/exit_codes.hpp"

namespace hakit::runner {
namespace {

namespace po = boost::program_options;
using json = nlohmann::ordered_json;

constexpr const char* kCensusSchema = "hakit.census/1";
// exit_codes.hpp names codes after verdicts; a census has none, so success is plain 0.
constexpr int kSuccess = 0;
constexpr double kMaxWatchSeconds = 86400.0;
constexpr std::int64_t kMinIntervalMs = 10;
constexpr std::int64_t kMaxIntervalMs = 3'600'000;
// A watch keeps every sample in memory to report the series; this bounds it.
constexpr std::int64_t kMaxSamples = 100'000;

constexpr const char* kUsageLine = "usage: hakit census PID [--json] [--watch SECONDS] [--interval MS]";

/// Bad command line: reported with a hint and exit code kUsage.
struct usage_error {
  std::string message;
};

struct options {
  int pid = 0;
  bool json = false;
  std::optional<double> watch_seconds;
  std::int64_t interval_ms = 1000;
};

/// Everything one census says about the process at one instant.
struct snapshot {
  std::chrono::milliseconds at{0};  // since the first snapshot
  census::process_status status;
  std::optional<std::int64_t> fds;  // empty when the fd directory is private to another user
  std::vector<census::thread_info> threads;
};

/// One figure at the first and the last sample of a watch.
struct growth {
  std::string name;
  std::int64_t first = 0;
  std::int64_t last = 0;
  double per_second = 0.0;
};

po::options_description describe() {
  po::options_description description("options");
  description.add_options()
      ("help,h", "print this help and exit")
      ("json", "print one JSON object instead of text")
      ("watch", po::value<double>()->value_name("SECONDS"),
       "sample for SECONDS (at most 86400) and report growth per thread name")
      ("interval", po::value<std::int64_t>()->value_name("MS"),
       "milliseconds between samples of --watch (10..3600000, default 1000)");
  return description;
}

void print_help(std::ostream& out) {
  out << kUsageLine << "\n\n"
      << "Counts the threads of process PID from /proc, grouped by kernel thread name\n"
      << "(largest group first) with their scheduler states (R running, S sleeping,\n"
      << "D disk wait, Z zombie, T stopped), plus total threads, RSS and open fds.\n"
      << "Works for any process, e.g. a JVM broker, whose Java thread names are\n"
      << "given to the kernel truncated to 15 bytes.\n\n"
      << describe() << "\n"
      << "examples:\n"
      << "  hakit census 4242\n"
      << "  hakit census 4242 --watch 60 --interval 500 --json > growth.json\n\n"
      << "exit codes: 0 success, 64 bad arguments, 66 no such process, 70 other errors\n";
}

int parse_pid(const std::string& text) {
  int pid = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), pid);
  if (error != std::errc{} || end != text.data() + text.size() || pid <= 0) {
    throw usage_error{"PID must be a positive integer, got '" + text + "'"};
  }
  return pid;
}

/// Returns empty when --help was asked for.
std::optional<options> parse(const std::vector<std::string>& args) {
  auto visible = describe();
  po::options_description all;
  all.add(visible).add_options()("pid", po::value<std::string>());
  po::positional_options_description positional;
  positional.add("pid", 1);

  po::variables_map values;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), values);
    po::notify(values);
  } catch (const po::error& e) {
    throw usage_error{e.what()};
  }
  if (values.count("help") != 0) {
    return std::nullopt;
  }
  if (values.count("pid") == 0) {
    throw usage_error{"missing PID"};
  }
  options parsed;
  parsed.pid = parse_pid(values["pid"].as<std::string>());
  parsed.json = values.count("json") != 0;
  if (values.count("watch") != 0) {
    const double seconds = values["watch"].as<double>();
    if (!(seconds > 0.0 && seconds <= kMaxWatchSeconds)) {
      throw usage_error{"--watch must be between 0 and 86400 seconds"};
    }
    parsed.watch_seconds = seconds;
  }
  if (values.count("interval") != 0) {
    if (!parsed.watch_seconds) {
      throw usage_error{"--interval only applies with --watch"};
    }
    parsed.interval_ms = values["interval"].as<std::int64_t>();
    if (parsed.interval_ms < kMinIntervalMs || parsed.interval_ms > kMaxIntervalMs) {
      throw usage_error{"--interval must be between 10 and 3600000 ms"};
    }
  }
  if (parsed.watch_seconds &&
      *parsed.watch_seconds * 1000.0 / static_cast<double>(parsed.interval_ms) > static_cast<double>(kMaxSamples)) {
    throw usage_error{"--watch / --interval would take more than 100000 samples; raise --interval"};
  }
  return parsed;
}

snapshot take_snapshot(int pid) {
  snapshot taken;
  taken.status = census::read_status(pid);
  taken.threads = census::list_threads(pid);
  try {
    taken.fds = census::count_fds(pid);
  } catch (const census::census_error& e) {
    // Another user's fd directory is private; the thread figures are still worth showing.
    if (e.kind() != census::error_kind::permission_denied) {
      throw;
    }
  }
  return taken;
}

std::string states_text(const std::map<char, std::int64_t>& states) {
  std::string text;
  for (const auto& [state, count] : states) {
    text += (text.empty() ? "" : ", ") + std::string(1, state) + " " + std::to_string(count);
  }
  return text;
}

json states_json(const std::map<char, std::int64_t>& states) {
  json object = json::object();
  for (const auto& [state, count] : states) {
    object[std::string(1, state)] = count;
  }
  return object;
}

json fds_json(const std::optional<std::int64_t>& fds) { return fds ? json(*fds) : json(nullptr); }

std::string fds_text(const std::optional<std::int64_t>& fds) {
  return fds ? std::to_string(*fds) + " fds" : "fds unknown (permission denied)";
}

void print_snapshot_text(int pid, const snapshot& taken, std::ostream& out) {
  out << "process " << pid << ": " << taken.status.threads << " threads, rss " << taken.status.rss_kb
      << " KiB, " << fds_text(taken.fds) << "\n\n";
  const auto groups = census::group_threads(taken.threads);
  std::size_t name_width = 4;
  std::size_t count_width = 1;
  for (const auto& group : groups) {
    name_width = std::max(name_width, group.name.size());
    count_width = std::max(count_width, std::to_string(group.count).size());
  }
  for (const auto& group : groups) {
    out << "  " << std::left << std::setw(static_cast<int>(name_width)) << group.name << " \u00d7 " << std::right
        << std::setw(static_cast<int>(count_width)) << group.count << "   " << states_text(group.states) << "\n";
  }
}

json snapshot_json(int pid, const snapshot& taken) {
  json groups = json::array();
  for (const auto& group : census::group_threads(taken.threads)) {
    groups.push_back({{"name", group.name}, {"count", group.count}, {"states", states_json(group.states)}});
  }
  return {{"schema", kCensusSchema}, {"pid", pid},           {"threads", taken.status.threads},
          {"rss_kb", taken.status.rss_kb}, {"fds", fds_json(taken.fds)}, {"groups", std::move(groups)}};
}

double seconds_between(const snapshot& first, const snapshot& last) {
  return std::chrono::duration<double>(last.at - first.at).count();
}

growth grow(std::string name, std::int64_t first, std::int64_t last, double seconds) {
  const double rate = seconds > 0.0 ? static_cast<double>(last - first) / seconds : 0.0;
  return {std::move(name), first, last, rate};
}

/// Per-name growth, largest increase first, then largest group.
std::vector<growth> name_growth(const snapshot& first, const snapshot& last) {
  const auto before = census::count_by_name(first.threads);
  const auto after = census::count_by_name(last.threads);
  std::set<std::string> names;
  for (const auto& [name, count] : before) names.insert(name);
  for (const auto& [name, count] : after) names.insert(name);
  const double seconds = seconds_between(first, last);
  std::vector<growth> rows;
  for (const auto& name : names) {
    const auto b = before.find(name);
    const auto a = after.find(name);
    rows.push_back(grow(name, b == before.end() ? 0 : b->second, a == after.end() ? 0 : a->second, seconds));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const growth& x, const growth& y) {
    const auto dx = x.last - x.first;
    const auto dy = y.last - y.first;
    return dx != dy ? dx > dy : x.last > y.last;
  });
  return rows;
}

json growth_json(const growth& row) {
  return {{"name", row.name}, {"first", row.first}, {"last", row.last}, {"delta", row.last - row.first},
          {"per_second", row.per_second}};
}

std::string signed_text(std::int64_t value) { return (value > 0 ? "+" : "") + std::to_string(value); }

std::string rate_text(double per_second) {
  std::ostringstream text;
  text << std::showpos << std::fixed << std::setprecision(2) << per_second << "/s";
  return text.str();
}

void print_growth_row(const growth& row, std::size_t name_width, std::ostream& out) {
  out << "  " << std::left << std::setw(static_cast<int>(name_width)) << row.name << std::right << " "
      << std::setw(8) << row.first << " -> " << std::setw(8) << row.last << "  " << std::setw(8)
      << signed_text(row.last - row.first) << "  " << rate_text(row.per_second) << "\n";
}

void print_sample_text(const snapshot& taken, std::ostream& out) {
  out << "  t=" << std::fixed << std::setprecision(1) << std::setw(8)
      << std::chrono::duration<double>(taken.at).count() << " s  threads " << taken.status.threads << "  rss "
      << taken.status.rss_kb << " KiB  " << fds_text(taken.fds) << "\n"
      << std::flush;
}

std::vector<growth> totals_growth(const snapshot& first, const snapshot& last) {
  const double seconds = seconds_between(first, last);
  std::vector<growth> rows{grow("threads", first.status.threads, last.status.threads, seconds),
                           grow("rss_kb", first.status.rss_kb, last.status.rss_kb, seconds)};
  if (first.fds && last.fds) {
    rows.push_back(grow("fds", *first.fds, *last.fds, seconds));
  }
  return rows;
}

void print_watch_text(int pid, const std::vector<snapshot>& samples, std::ostream& out) {
  const auto& first = samples.front();
  const auto& last = samples.back();
  out << "\nprocess " << pid << ": growth over " << std::fixed << std::setprecision(1)
      << seconds_between(first, last) << " s, " << samples.size() << " samples (first -> last, change, rate)\n";
  const auto totals = totals_growth(first, last);
  const auto names = name_growth(first, last);
  std::size_t name_width = 7;
  for (const auto& row : names) {
    name_width = std::max(name_width, row.name.size());
  }
  for (const auto& row : totals) {
    print_growth_row(row, name_width, out);
  }
  out << "\n  by thread name:\n";
  for (const auto& row : names) {
    print_growth_row(row, name_width, out);
  }
}

json watch_json(int pid, const options& parsed, const std::vector<snapshot>& samples, bool exited) {
  json series = json::array();
  for (const auto& taken : samples) {
    series.push_back({{"t_ms", taken.at.count()},
                      {"threads", taken.status.threads},
                      {"rss_kb", taken.status.rss_kb},
                      {"fds", fds_json(taken.fds)},
                      {"by_name", census::count_by_name(taken.threads)}});
  }
  json totals = json::object();
  json names = json::array();
  for (const auto& row : totals_growth(samples.front(), samples.back())) {
    auto entry = growth_json(row);
    entry.erase("name");
    totals[row.name] = std::move(entry);
  }
  for (const auto& row : name_growth(samples.front(), samples.back())) {
    names.push_back(growth_json(row));
  }
  return {{"schema", kCensusSchema},
          {"pid", pid},
          {"watch_s", *parsed.watch_seconds},
          {"interval_ms", parsed.interval_ms},
          {"process_exited", exited},
          {"last", snapshot_json(pid, samples.back())},
          {"samples", std::move(series)},
          {"growth", {{"totals", std::move(totals)}, {"by_name", std::move(names)}}}};
}

int run_once(const options& parsed, std::ostream& out) {
  const auto taken = take_snapshot(parsed.pid);
  if (parsed.json) {
    out << snapshot_json(parsed.pid, taken).dump(2) << "\n";
  } else {
    print_snapshot_text(parsed.pid, taken, out);
  }
  return kSuccess;
}

int run_watch(const options& parsed, std::ostream& out, std::ostream& err) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  const auto interval = std::chrono::milliseconds(parsed.interval_ms);
  const auto duration =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::duration<double>(*parsed.watch_seconds));
  std::vector<snapshot> samples;
  bool exited = false;
  // The first census fails loudly (bad pid); a later one may find the process gone.
  samples.push_back(take_snapshot(parsed.pid));
  if (!parsed.json) {
    out << "watching process " << parsed.pid << " for " << *parsed.watch_seconds << " s every "
        << parsed.interval_ms << " ms\n";
    print_sample_text(samples.back(), out);
  }
  for (std::int64_t k = 1;; ++k) {
    const auto offset = interval * k;
    if (offset > duration) {
      break;
    }
    // Sample on a fixed schedule so slow censuses of huge processes do not drift it.
    std::this_thread::sleep_until(start + offset);
    try {
      auto taken = take_snapshot(parsed.pid);
      taken.at = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start);
      samples.push_back(std::move(taken));
    } catch (const census::census_error& e) {
      if (e.kind() != census::error_kind::no_such_process) {
        throw;
      }
      exited = true;
      break;
    }
    if (!parsed.json) {
      print_sample_text(samples.back(), out);
    }
  }
  if (parsed.json) {
    out << watch_json(parsed.pid, parsed, samples, exited).dump(2) << "\n";
  } else {
    print_watch_text(parsed.pid, samples, out);
  }
  if (exited) {
    err << "hakit census: process " << parsed.pid << " exited during the watch; reported the samples taken\n";
    return exit_code::kNoInput;
  }
  return kSuccess;
}

}  // namespace

int census_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  try {
    const auto parsed = parse(args);
    if (!parsed) {
      print_help(out);
      return kSuccess;
    }
    return parsed->watch_seconds ? run_watch(*parsed, out, err) : run_once(*parsed, out);
  } catch (const usage_error& e) {
    err << "hakit census: " << e.message << "\n" << kUsageLine << "\nTry 'hakit census --help' for more.\n";
    return exit_code::kUsage;
  } catch (const census::census_error& e) {
    err << "hakit census: " << e.what() << "\n";
    return e.kind() == census::error_kind::no_such_process ? exit_code::kNoInput : exit_code::kSoftware;
  } catch (const std::exception& e) {
    err << "hakit census: " << e.what() << "\n";
    return exit_code::kSoftware;
  }
}

}  // namespace hakit::runner
