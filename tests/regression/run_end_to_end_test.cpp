// hakit run end to end: the real CLI against the real variant programs.
#define BOOST_TEST_MODULE run_end_to_end
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <boost/algorithm/string/join.hpp>
#include <boost/process.hpp>
#include <boost/test/unit_test.hpp>

#include "runner/document_io.hpp"
#include "runner/exit_codes.hpp"
#include "runner/run_command.hpp"

namespace bp = boost::process;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

struct paths {
  std::string hakit, bin_dir, schema, validator;
};

paths program_paths() {
  auto& suite = boost::unit_test::framework::master_test_suite();
  BOOST_TEST_REQUIRE(suite.argc == 5, "usage: run_end_to_end_tests -- HAKIT BIN_DIR SCHEMA VALIDATOR");
  return {suite.argv[1], suite.argv[2], suite.argv[3], suite.argv[4]};
}

fs::path fresh_dir(const std::string& name) {
  const auto dir = fs::temp_directory_path() / ("hakit-e2e-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

int run_hakit(const std::vector<std::string>& args) {
  return bp::system(program_paths().hakit, bp::args(args), bp::std_out > bp::null, bp::std_in < bp::null);
}

/// Pids of processes whose command line mentions `needle`.
std::vector<int> processes_mentioning(const std::string& needle) {
  std::vector<int> found;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (cmdline.find(needle) != std::string::npos && std::stoi(name) != ::getpid()) found.push_back(std::stoi(name));
  }
  return found;
}

template <class Predicate>
bool eventually(Predicate done, std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_scenario_is_validated_with_exact_leaks_and_a_valid_document) {
  const auto p = program_paths();
  const auto dir = fresh_dir("all");
  const auto out = (dir / "all.json").string();
  const int code = run_hakit({"run", "--scenario", "all", "--connections", "30", "--concurrency", "8", "--bin-dir",
                              p.bin_dir, "--out", out, "--work-dir", (dir / "work").string(), "--no-progress"});
  BOOST_TEST(code == hakit::exit_code::kValidated);
  const auto doc = hakit::runner::load_document(out);
  BOOST_TEST(doc.outcome.status == "validated");
  BOOST_TEST(doc.scenarios.size() == 8U);
  for (const auto& s : doc.scenarios) {
    BOOST_TEST_CONTEXT("scenario " << s.name) {
      const auto& buggy = s.variants.at("buggy");
      const auto& fixed = s.variants.at("fixed");
      BOOST_TEST(buggy.closed == 30);
      BOOST_TEST(fixed.closed == 30);
      // One FlowMonitor per passively closed connection is exact; none for the explicit path.
      const std::int64_t expected_leak = s.name == "destroy-connections" ? 0 : buggy.closed;
      const auto flow_monitors = buggy.leaked.by_name.count("FlowMonitor") ? buggy.leaked.by_name.at("FlowMonitor") : 0;
      BOOST_TEST(flow_monitors == expected_leak);
      BOOST_TEST(buggy.leaked.threads == expected_leak);
      BOOST_TEST(fixed.leaked.threads == 0);
      BOOST_TEST(fixed.leaked.by_name.empty());
    }
  }
  const int valid = bp::system("/usr/bin/python3", p.validator, p.schema, out);
  BOOST_TEST(valid == 0, "the document does not validate against the schema");
}

BOOST_AUTO_TEST_CASE(sigint_writes_an_inconclusive_document_and_leaves_no_variant_running) {
  const auto p = program_paths();
  const auto dir = fresh_dir("sigint");
  const auto out = dir / "interrupted.json";
  const auto work = dir / "work";
  bp::child hakit(p.hakit, bp::args({"run", "--scenario", "idle-timeout", "--connections", "2000", "--concurrency", "16",
                                     "--housekeeping-ms", "2000", "--bin-dir", p.bin_dir, "--out", out.string(),
                                     "--work-dir", work.string(), "--no-progress"}),
                  bp::std_out > bp::null, bp::std_in < bp::null);
  // Interrupt once both masters are serving.
  BOOST_TEST_REQUIRE(eventually([&] { return processes_mentioning(work.string()).size() >= 2; }, 10s));
  std::this_thread::sleep_for(300ms);
  ::kill(hakit.id(), SIGINT);
  BOOST_TEST_REQUIRE(eventually([&] { return !hakit.running(); }, 20s), "hakit did not stop after SIGINT");
  hakit.wait();
  BOOST_TEST(hakit.exit_code() == hakit::exit_code::kInterrupted);
  BOOST_TEST(eventually([&] { return processes_mentioning(work.string()).empty(); }, 5s),
             "a variant process outlived the runner");
  const auto doc = hakit::runner::load_document(out);
  BOOST_TEST(doc.outcome.status == "inconclusive");
  BOOST_TEST(doc.outcome.reason.find("SIGINT") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_thread_ceiling_stops_the_process_and_the_run_is_inconclusive) {
  const auto p = program_paths();
  const auto dir = fresh_dir("ceiling");
  const auto out = dir / "ceiling.json";
  // 64 held connections cost 3 threads each: far over a ceiling of 100.
  const int code = run_hakit({"run", "--scenario", "destroy-connections", "--connections", "64", "--concurrency", "64",
                              "--thread-ceiling", "100", "--variants", "fixed", "--bin-dir", p.bin_dir, "--out",
                              out.string(), "--work-dir", (dir / "work").string(), "--no-progress"});
  BOOST_TEST(code == hakit::exit_code::kInconclusive);
  const auto doc = hakit::runner::load_document(out);
  const auto& fixed = doc.scenarios.at(0).variants.at("fixed");
  BOOST_TEST(fixed.ceiling_hit);
  BOOST_TEST_REQUIRE(fixed.error.has_value());
  BOOST_TEST(fixed.error->find("ceiling") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_arguments_exit_64_and_name_the_problem) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--connections", "0"}, "--connections"},
      {{"--connections", "many"}, "connections"},
      {{"--scenario", "nope"}, "unknown scenario 'nope'"},
      {{"--variants", "buggy,buggy"}, "twice"},
      {{"--variants", "patched"}, "unknown variant"},
      {{"--frobnicate"}, "frobnicate"},
      {{"--report", "pdf"}, "--report"},
      {{"--thread-ceiling", "100000"}, "--thread-ceiling"},
      {{"--connections", "20000"}, "over --thread-ceiling"},
      {{"--bin-dir", "/nonexistent"}, "not found"},
  };
  for (const auto& [args, expected] : cases) {
    BOOST_TEST_CONTEXT("hakit run " << boost::algorithm::join(args, " ")) {
      std::ostringstream out;
      std::ostringstream err;
      BOOST_TEST(hakit::runner::run_command(args, out, err) == hakit::exit_code::kUsage);
      BOOST_TEST(err.str().find(expected) != std::string::npos, "stderr was: " << err.str());
    }
  }
}

BOOST_AUTO_TEST_CASE(an_unwritable_output_exits_74) {
  const auto p = program_paths();
  const auto dir = fresh_dir("unwritable");
  // A regular file where a directory should be: the document cannot be written.
  std::ofstream(dir / "file") << "x";
  const int code = run_hakit({"run", "--connections", "5", "--bin-dir", p.bin_dir, "--out",
                              (dir / "file" / "doc.json").string(), "--work-dir", (dir / "work").string(),
                              "--no-progress"});
  BOOST_TEST(code == hakit::exit_code::kIoError);
}
