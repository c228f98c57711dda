#include "runner/run_command.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <ctime>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include <boost/algorithm/string.hpp>
#include <boost/program_options.hpp>

#include "runner/bin_dir.hpp"
#include "runner/document_io.hpp"
#include "runner/exit_codes.hpp"
#include "runner/report.hpp"
#include "runner/scenario_runner.hpp"
#include "runner/verdict.hpp"

#ifndef HAKIT_VERSION
#define HAKIT_VERSION "0.0.0"
#endif
#ifndef HAKIT_COMMIT
#define HAKIT_COMMIT "unknown"
#endif

namespace hakit::runner {
namespace po = boost::program_options;
using namespace std::chrono_literals;

namespace {

constexpr const char* kUsage =
    "Usage: hakit run [options]\n"
    "\n"
    "Runs the buggy and the fixed variant side by side under the same HA connection churn on\n"
    "loopback, counts their threads from /proc, and writes a JSON comparison with a verdict.\n"
    "Exit codes: 0 validated, 1 fix-ineffective, 2 not-reproduced, 3 inconclusive,\n"
    "64 bad arguments, 74 output not written, 130 interrupted.\n"
    "\n"
    "Examples:\n"
    "  hakit run                                   # the headline: fin-after-handshake, 300 connections\n"
    "  hakit run --scenario all --connections 100  # every close path\n"
    "  hakit run --variants fixed --connections 5000 --out fixed.json --report md";

std::string utc_now(const char* format = "%Y-%m-%dT%H:%M:%SZ") {
  const auto now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char text[64];
  std::strftime(text, sizeof text, format, &utc);
  return text;
}

model::host_info host() {
  model::host_info info;
  info.cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  utsname name{};
  if (::uname(&name) == 0) info.kernel = std::string(name.sysname) + " " + name.release;
  std::ifstream pid_max("/proc/sys/kernel/pid_max");
  pid_max >> info.pid_max;
  return info;
}

std::int64_t read_pid_max() {
  std::int64_t value = 32768;
  std::ifstream("/proc/sys/kernel/pid_max") >> value;
  return value;
}

class usage_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

void require(bool condition, const std::string& message) {
  if (!condition) throw usage_error(message);
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  boost::split(items, text, boost::is_any_of(","));
  std::erase_if(items, [](const std::string& item) { return item.empty(); });
  return items;
}

/// Parses and checks the flags; throws usage_error with a message a person can act on.
run_options parse_options(const std::vector<std::string>& args, std::ostream& out, bool& help) {
  run_options options;
  std::string scenario_text = "fin-after-handshake";
  std::string variant_text = "buggy,fixed";
  std::string report_text;
  long long timeout_s = options.timeout.count();
  long long housekeeping_ms = options.housekeeping.count();
  long long settle_ms = options.settle_window.count();
  long long settle_timeout_ms = options.settle_timeout.count();
  long long sample_ms = options.sample_interval.count();
  long long connection_timeout_ms = options.connection_timeout.count();
  long long reconnect_ms = options.slave_reconnect_wait.count();
  long long truncate_ms = options.slave_truncate_fail_wait.count();
  std::string bin_dir;
  std::string work_dir;
  bool no_progress = false;

  po::options_description flags("Options");
  flags.add_options()
      ("help,h", "show this help")
      ("scenario", po::value(&scenario_text)->default_value(scenario_text),
       ("close path to run, or 'all' (comma-separated list allowed): " + scenario_names()).c_str())
      ("connections", po::value(&options.connections)->default_value(options.connections),
       "connections per variant per repetition")
      ("concurrency", po::value(&options.concurrency)->default_value(options.concurrency), "connections in flight")
      ("variants", po::value(&variant_text)->default_value(variant_text), "buggy,fixed, or either alone")
      ("out", po::value(&options.out), "document path ('-' for stdout); default results/runs/<UTC time>.json")
      ("report", po::value(&report_text), "also write md,html,junit reports beside the document")
      ("thread-ceiling", po::value(&options.thread_ceiling)->default_value(options.thread_ceiling),
       "stop a variant process that reaches this many threads")
      ("repeat", po::value(&options.repeat)->default_value(options.repeat), "repetitions of each scenario (spread reported)")
      ("seed", po::value(&options.seed)->default_value(options.seed), "seed for the churn's random choices (bad-frame ordinals)")
      ("timeout", po::value(&timeout_s)->default_value(timeout_s), "seconds for the whole run; past it the run is inconclusive")
      ("housekeeping-ms", po::value(&housekeeping_ms)->default_value(housekeeping_ms),
       "the idle-timeout scenario's master --housekeeping-ms (upstream: 20000)")
      ("settle-ms", po::value(&settle_ms)->default_value(settle_ms), "counts must stay unchanged this long to be settled")
      ("settle-timeout-ms", po::value(&settle_timeout_ms)->default_value(settle_timeout_ms), "give up settling after this long")
      ("sample-ms", po::value(&sample_ms)->default_value(sample_ms), "census sample interval during churn")
      ("connection-timeout-ms", po::value(&connection_timeout_ms)->default_value(connection_timeout_ms),
       "per-connection exchange deadline")
      ("slave-reconnect-wait-ms", po::value(&reconnect_ms)->default_value(reconnect_ms),
       "slave-reconnect: the slave's --reconnect-wait-ms (upstream 5000)")
      ("slave-truncate-fail-wait-ms", po::value(&truncate_ms)->default_value(truncate_ms),
       "slave-reconnect: the slave's --truncate-fail-wait-ms (upstream 2000)")
      ("min-completion", po::value(&options.min_completion)->default_value(options.min_completion),
       "fraction of connections that must complete for a usable measurement")
      ("bin-dir", po::value(&bin_dir), "directory holding ha-master-<variant> (default: found next to hakit)")
      ("work-dir", po::value(&work_dir), "where the variants' store.log and stderr go (default: a new dir in $TMPDIR)")
      ("no-progress", po::bool_switch(&no_progress), "no progress line on stderr")
      ("quiet,q", po::bool_switch(&options.quiet), "no summary on stdout");

  po::variables_map vm;
  po::store(po::command_line_parser(args).options(flags).run(), vm);
  if (vm.count("help") != 0) {
    out << kUsage << "\n\n" << flags << std::endl;
    help = true;
    return options;
  }
  po::notify(vm);

  if (scenario_text == "all") {
    options.scenarios.clear();
    for (const auto& s : all_scenarios()) options.scenarios.push_back(s.name);
  } else {
    options.scenarios = split_list(scenario_text);
    for (const auto& name : options.scenarios)
      require(find_scenario(name).has_value(), "unknown scenario '" + name + "'; choose from: all, " + scenario_names());
  }
  require(!options.scenarios.empty(), "--scenario names nothing");
  options.variants = split_list(variant_text);
  require(!options.variants.empty(), "--variants names nothing; use buggy, fixed or buggy,fixed");
  for (const auto& v : options.variants)
    require(v == "buggy" || v == "fixed", "unknown variant '" + v + "'; use buggy, fixed or buggy,fixed");
  require(std::set<std::string>(options.variants.begin(), options.variants.end()).size() == options.variants.size(),
          "--variants lists a variant twice");
  require(options.connections >= 1 && options.connections <= 1'000'000, "--connections must be 1..1000000");
  require(options.concurrency >= 1 && options.concurrency <= 4096, "--concurrency must be 1..4096");
  require(options.repeat >= 1 && options.repeat <= 100, "--repeat must be 1..100");
  const auto pid_max = read_pid_max();
  require(options.thread_ceiling >= 16 && options.thread_ceiling <= pid_max / 2,
          "--thread-ceiling must be 16.." + std::to_string(pid_max / 2) + " (half this machine's pid_max " +
              std::to_string(pid_max) + ", since two variants run side by side)");
  require(timeout_s >= 1 && timeout_s <= 86'400, "--timeout must be 1..86400 seconds");
  require(housekeeping_ms >= 50, "--housekeeping-ms must be at least 50");
  require(settle_ms >= 50 && settle_timeout_ms >= settle_ms, "--settle-ms must be >= 50 and <= --settle-timeout-ms");
  require(sample_ms >= 1 && sample_ms <= 10'000, "--sample-ms must be 1..10000");
  require(connection_timeout_ms >= 100, "--connection-timeout-ms must be at least 100");
  require(reconnect_ms >= 1 && truncate_ms >= 1, "slave waits must be at least 1 ms");
  require(options.min_completion > 0.0 && options.min_completion <= 1.0, "--min-completion must be in (0, 1]");
  const bool buggy_leaks = std::find(options.variants.begin(), options.variants.end(), "buggy") != options.variants.end() &&
                           std::any_of(options.scenarios.begin(), options.scenarios.end(),
                                       [](const auto& name) { return find_scenario(name)->bug_applies; });
  require(!buggy_leaks || options.connections + 64 < options.thread_ceiling,
          "--connections " + std::to_string(options.connections) + " would leak about as many threads in the buggy "
          "variant, over --thread-ceiling " + std::to_string(options.thread_ceiling) +
          "; raise the ceiling, lower --connections, or run --variants fixed");
  for (const auto& name : split_list(report_text)) {
    require(name == "md" || name == "html" || name == "junit", "--report takes md, html or junit, not '" + name + "'");
    options.reports.push_back(name);
  }

  options.timeout = std::chrono::seconds(timeout_s);
  options.housekeeping = std::chrono::milliseconds(housekeeping_ms);
  options.settle_window = std::chrono::milliseconds(settle_ms);
  options.settle_timeout = std::chrono::milliseconds(settle_timeout_ms);
  options.sample_interval = std::chrono::milliseconds(sample_ms);
  options.connection_timeout = std::chrono::milliseconds(connection_timeout_ms);
  options.slave_reconnect_wait = std::chrono::milliseconds(reconnect_ms);
  options.slave_truncate_fail_wait = std::chrono::milliseconds(truncate_ms);
  options.bin_dir = bin_dir.empty() ? find_bin_dir() : std::filesystem::path(bin_dir);
  for (const auto& v : options.variants) {
    const auto program = options.bin_dir / ("ha-master-" + v);
    require(std::filesystem::exists(program),
            program.string() + " not found; build the project or pass --bin-dir DIR");
  }
  const auto stamp = utc_now("%Y%m%dT%H%M%SZ");
  if (options.out.empty()) options.out = "results/runs/" + stamp + ".json";
  if (work_dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    work_dir = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/hakit-" + stamp + "-" +
               std::to_string(::getpid());
  }
  options.work_dir = work_dir;
  options.progress = !no_progress && ::isatty(STDERR_FILENO) == 1;
  return options;
}

std::filesystem::path beside(const std::string& out, const std::string& format) {
  std::filesystem::path path = out == "-" ? std::filesystem::path("hakit-report") : std::filesystem::path(out);
  const char* extension = format == "md" ? ".md" : format == "html" ? ".html" : ".junit.xml";
  return path.replace_extension(extension);
}

}  // namespace

nlohmann::json to_settings(const run_options& o) {
  return {{"scenarios", o.scenarios},
          {"variants", o.variants},
          {"connections", o.connections},
          {"concurrency", o.concurrency},
          {"repeat", o.repeat},
          {"seed", o.seed},
          {"thread_ceiling", o.thread_ceiling},
          {"timeout_s", o.timeout.count()},
          {"housekeeping_ms", o.housekeeping.count()},
          {"settle_ms", o.settle_window.count()},
          {"settle_timeout_ms", o.settle_timeout.count()},
          {"sample_ms", o.sample_interval.count()},
          {"connection_timeout_ms", o.connection_timeout.count()},
          {"slave_reconnect_wait_ms", o.slave_reconnect_wait.count()},
          {"slave_truncate_fail_wait_ms", o.slave_truncate_fail_wait.count()},
          {"min_completion", o.min_completion},
          {"bin_dir", o.bin_dir.string()},
          {"work_dir", o.work_dir.string()}};
}

int run_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  run_options options;
  try {
    bool help = false;
    options = parse_options(args, out, help);
    if (help) return exit_code::kValidated;
  } catch (const std::exception& e) {
    err << "hakit run: " << e.what() << "\n(see hakit run --help)" << std::endl;
    return exit_code::kUsage;
  }

  model::document doc;
  doc.kit = {HAKIT_VERSION, HAKIT_COMMIT};
  doc.host = host();
  doc.started_at = utc_now();
  doc.settings = to_settings(options);

  asio::io_context io;
  scenario_runner runner(io, options);
  int signal_number = 0;
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int number) {
    if (ec) return;
    signal_number = number;
    runner.interrupt(std::string("interrupted by ") + (number == SIGINT ? "SIGINT" : "SIGTERM"));
  });
  asio::steady_timer overall(io, options.timeout);
  overall.async_wait([&](const boost::system::error_code& ec) {
    if (!ec) runner.interrupt("the run timed out after " + std::to_string(options.timeout.count()) + " s (--timeout)");
  });

  std::exception_ptr failure;
  asio::co_spawn(io, [&]() -> awaitable<void> {
    for (const auto& name : options.scenarios) {
      if (runner.interrupted()) break;
      doc.scenarios.push_back(co_await runner.run_scenario(*find_scenario(name)));
    }
  }, [&](std::exception_ptr e) {
    // Whether the scenarios finished or failed, nothing else may keep io.run() alive.
    failure = e;
    signals.cancel();
    overall.cancel();
  });
  io.run();
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      err << "hakit run: internal error: " << e.what() << std::endl;
      return exit_code::kSoftware;
    }
  }

  doc.finished_at = utc_now();
  apply_verdicts(doc, options.min_completion);
  if (signal_number != 0) {
    doc.outcome = {model::kInconclusive, "interrupted by " + std::string(signal_number == SIGINT ? "SIGINT" : "SIGTERM") +
                                             " after " + std::to_string(doc.scenarios.size()) + " scenario(s); " +
                                             "the variant processes were stopped"};
    doc.exit_code = exit_code::kInterrupted;
  }

  try {
    const auto text = render_report(doc, report_format::text);
    if (options.out == "-") {
      out << serialize_document(doc) << std::endl;
      if (!options.quiet) err << text;
    } else {
      if (const auto dir = std::filesystem::path(options.out).parent_path(); !dir.empty())
        std::filesystem::create_directories(dir);
      write_document_atomically(doc, options.out);
      if (!options.quiet) out << text << "document: " << options.out << "\nvariant logs: " << options.work_dir.string() << std::endl;
    }
    for (const auto& format : options.reports) {
      const auto path = beside(options.out, format);
      write_text_atomically(render_report(doc, parse_report_format(format)), path);
      if (!options.quiet) out << format << " report: " << path.string() << std::endl;
    }
  } catch (const std::exception& e) {
    err << "hakit run: the result could not be written: " << e.what() << std::endl;
    return exit_code::kIoError;
  }
  return doc.exit_code;
}

}  // namespace hakit::runner
