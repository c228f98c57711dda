// `hakit census` run in-process: exit codes, text and JSON output.
#define BOOST_TEST_MODULE hakit census command
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "hakit/census.hpp"
#include "parked_thread.hpp"
#include "runner/census_command.hpp"

using hakit::test::parked_thread;

namespace {

struct command_result {
  int code = -1;
  std::string out;
  std::string err;
};

command_result run(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = hakit::runner::census_command(args, out, err);
  return {code, out.str(), err.str()};
}

std::string self() { return std::to_string(hakit::census::self_pid()); }

int nonexistent_pid() {
  std::ifstream pid_max("/proc/sys/kernel/pid_max");
  int max = 4194304;
  pid_max >> max;
  return max + 1;
}

const nlohmann::json* find_group(const nlohmann::json& groups, const std::string& name) {
  for (const auto& group : groups) {
    if (group.at("name") == name) {
      return &group;
    }
  }
  return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_CASE(help_prints_usage_with_an_example_and_exits_0) {
  const auto result = run({"--help"});
  BOOST_TEST(result.code == 0);
  BOOST_TEST(result.out.find("usage: hakit census PID") != std::string::npos);
  BOOST_TEST(result.out.find("hakit census 4242") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_unknown_flag_exits_64_with_a_hint_to_help) {
  const auto result = run({self(), "--frobnicate"});
  BOOST_TEST(result.code == 64);
  BOOST_TEST(result.err.find("frobnicate") != std::string::npos);
  BOOST_TEST(result.err.find("--help") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_missing_or_malformed_pid_exits_64) {
  BOOST_TEST(run({}).code == 64);
  BOOST_TEST(run({"abc"}).code == 64);
  BOOST_TEST(run({"-5"}).code == 64);
  BOOST_TEST(run({"12", "13"}).code == 64);
}

BOOST_AUTO_TEST_CASE(out_of_range_watch_and_interval_exit_64) {
  BOOST_TEST(run({self(), "--watch", "0"}).code == 64);
  BOOST_TEST(run({self(), "--watch", "soon"}).code == 64);
  BOOST_TEST(run({self(), "--watch", "1", "--interval", "1"}).code == 64);
  BOOST_TEST(run({self(), "--interval", "100"}).code == 64);
}

BOOST_AUTO_TEST_CASE(a_nonexistent_pid_exits_66_naming_it) {
  const auto pid = std::to_string(nonexistent_pid());
  const auto result = run({pid});
  BOOST_TEST(result.code == 66);
  BOOST_TEST(result.err.find(pid) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(json_contains_this_processs_named_thread_with_its_state) {
  const parked_thread parked("hk-cmd-probe");
  const auto result = run({self(), "--json"});
  BOOST_TEST_REQUIRE(result.code == 0);
  const auto document = nlohmann::json::parse(result.out);
  BOOST_TEST(document.at("schema") == "hakit.census/1");
  BOOST_TEST(document.at("pid") == hakit::census::self_pid());
  BOOST_TEST(document.at("threads").get<int>() >= 2);
  BOOST_TEST(document.at("rss_kb").get<int>() > 0);
  BOOST_TEST(document.at("fds").get<int>() > 0);
  const auto* group = find_group(document.at("groups"), "hk-cmd-probe");
  BOOST_TEST_REQUIRE(group != nullptr);
  BOOST_TEST(group->at("count") == 1);
  BOOST_TEST(group->at("states").at("S") == 1);
}

BOOST_AUTO_TEST_CASE(text_lists_groups_largest_first_with_counts_and_states) {
  const parked_thread one("hk-cmd-one");
  const parked_thread pair_a("hk-cmd-pair");
  const parked_thread pair_b("hk-cmd-pair");
  const auto result = run({self()});
  BOOST_TEST_REQUIRE(result.code == 0);
  const auto pair = result.out.find("hk-cmd-pair");
  const auto single = result.out.find("hk-cmd-one");
  BOOST_TEST_REQUIRE(pair != std::string::npos);
  BOOST_TEST_REQUIRE(single != std::string::npos);
  BOOST_TEST(pair < single);
  const auto line = result.out.substr(pair, result.out.find('\n', pair) - pair);
  BOOST_TEST(line.find("\u00d7 2") != std::string::npos);
  BOOST_TEST(line.find("S 2") != std::string::npos);
  BOOST_TEST(result.out.find("threads, rss") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(watch_json_reports_the_series_and_growth_per_name) {
  // Threads appear one by one during the watch, so the last sample has more.
  std::atomic<bool> stop{false};
  std::vector<std::unique_ptr<parked_thread>> grown;
  std::thread grower([&] {
    for (int i = 0; i < 20 && !stop.load(); ++i) {
      grown.push_back(std::make_unique<parked_thread>("hk-cmd-grow"));
      std::this_thread::sleep_for(std::chrono::milliseconds(40));
    }
  });
  const auto result = run({self(), "--json", "--watch", "0.5", "--interval", "100"});
  stop = true;
  grower.join();
  grown.clear();

  BOOST_TEST_REQUIRE(result.code == 0);
  const auto document = nlohmann::json::parse(result.out);
  BOOST_TEST(document.at("interval_ms") == 100);
  BOOST_TEST(document.at("process_exited") == false);
  const auto& samples = document.at("samples");
  BOOST_TEST(samples.size() >= 2U);
  BOOST_TEST(samples.size() <= 6U);
  BOOST_TEST(samples.front().at("t_ms") == 0);
  const auto& by_name = document.at("growth").at("by_name");
  BOOST_TEST_REQUIRE(!by_name.empty());
  // The only name that grows is the one the grower starts: it is on top.
  BOOST_TEST(by_name.front().at("name") == "hk-cmd-grow");
  BOOST_TEST(by_name.front().at("delta").get<int>() > 0);
  BOOST_TEST(by_name.front().at("per_second").get<double>() > 0.0);
  BOOST_TEST(document.at("growth").at("totals").at("threads").at("delta").get<int>() > 0);
}

BOOST_AUTO_TEST_CASE(watch_text_prints_each_sample_and_the_growth_table) {
  const auto result = run({self(), "--watch", "0.2", "--interval", "100"});
  BOOST_TEST_REQUIRE(result.code == 0);
  BOOST_TEST(result.out.find("t=") != std::string::npos);
  BOOST_TEST(result.out.find("growth over") != std::string::npos);
  BOOST_TEST(result.out.find("by thread name") != std::string::npos);
}
