// The variant programs as commands: --help, bad flags (exit 64), the ways to
// stop them (quit, stdin EOF, SIGTERM), the control protocol and store.log.
#include <signal.h>

#include <fstream>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "tests/integration/support.hpp"

namespace {

using namespace hakit::it;

exit_status run_to_exit(const std::string& program, const std::vector<std::string>& args, std::string* out,
                        std::string* err) {
  temp_dir dir;
  child_process child(program_path(program), args, dir.path() / "stderr.txt");
  child.close_stdin();
  const auto text = child.read_all(10'000ms);
  const auto status = child.wait_exit(10'000ms);
  BOOST_TEST_REQUIRE(status.has_value(), program << " did not exit within 10 s");
  if (out != nullptr) *out = text;
  if (err != nullptr) *err = child.stderr_text();
  return *status;
}

void help_lists_every_flag(const std::string& variant) {
  std::string out;
  const auto status = run_to_exit("ha-master-" + variant, {"--help"}, &out, nullptr);
  BOOST_TEST(status.clean());
  for (const std::string flag :
       {"--help", "--describe", "--log-dir", "--housekeeping-ms", "--heartbeat-ms", "--flow-control",
        "--max-transfer-bytes-per-second", "--transfer-batch-bytes", "--listen", "--allow-non-loopback",
        "--commit-log-bytes", "--epoch", "--inject-write-failure"}) {
    BOOST_TEST(out.find(flag) != std::string::npos, "--help does not mention " << flag);
  }
  for (const std::string command : {"stats", "destroy-connections", "quit"})
    BOOST_TEST(out.find(command) != std::string::npos, "--help does not mention the command " << command);
}

void bad_flags_exit_64(const std::string& variant) {
  struct bad_case {
    std::vector<std::string> args;
    std::string stderr_mentions;
  };
  const std::vector<bad_case> cases{
      {{"--housekeeping-ms", "-5"}, "housekeeping-ms"},
      {{"--housekeeping-ms=-5"}, "housekeeping-ms"},
      {{"--heartbeat-ms", "0"}, "heartbeat-ms"},
      {{"--nonsense"}, "nonsense"},
      {{"--listen", "10.0.0.1:0"}, "allow-non-loopback"},
      {{"--listen", "127.0.0.1:70000"}, "70000"},
      {{"--listen", "nohost"}, "nohost"},
  };
  for (const auto& bad : cases) {
    std::string joined;
    for (const auto& arg : bad.args) joined += arg + " ";
    std::string err;
    const auto status = run_to_exit("ha-master-" + variant, bad.args, nullptr, &err);
    BOOST_TEST_INFO("ha-master-" << variant << " " << joined << "-> stderr: " << err);
    BOOST_TEST(status.exited);
    BOOST_TEST(status.code == 64);
    BOOST_TEST(err.find(bad.stderr_mentions) != std::string::npos);
  }
}

void slave_bad_flags_exit_64(const std::string& variant) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {}, {"--master", "10.0.0.1:5"}, {"--master", "127.0.0.1:5", "--local-epoch", "seven"},
           {"--master", "127.0.0.1:5", "--reconnect-wait-ms", "0"}}) {
    std::string err;
    const auto status = run_to_exit("ha-slave-" + variant, args, nullptr, &err);
    BOOST_TEST_INFO("stderr: " << err);
    BOOST_TEST(status.exited);
    BOOST_TEST(status.code == 64);
    BOOST_TEST(!err.empty());
  }
}

enum class stop_by { quit, stdin_eof, sigterm };

void stops_promptly(const std::string& variant, stop_by how) {
  master_program master(variant);
  // With a live connection, so the shutdown has threads to stop.
  raw_slave slave(master.port());
  slave.handshake();
  BOOST_TEST_REQUIRE(wait_until([&] { return master.stats().value("connections", -1) == 1; }));
  const auto start = steady::now();
  switch (how) {
    case stop_by::quit: master.process().write_line("quit"); break;
    case stop_by::stdin_eof: master.process().close_stdin(); break;
    case stop_by::sigterm: master.process().send_signal(SIGTERM); break;
  }
  const auto status = master.process().wait_exit(10'000ms);
  BOOST_TEST_REQUIRE(status.has_value(), "the master did not exit within 10 s");
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - start);
  BOOST_TEST(status->clean(), "exit code " << status->code << ", signal " << status->signal);
  BOOST_TEST(took.count() < 3000, "the master took " << took.count() << " ms to exit");
  master.check_no_sanitizer_report();
  // The last stdout line says why it stopped.
  const auto bye = master.process().read_all(2000ms);
  const std::string reason = how == stop_by::quit ? "quit" : how == stop_by::stdin_eof ? "eof" : "SIGTERM";
  BOOST_TEST(bye.find("\"reason\":\"" + reason + "\"") != std::string::npos, "stdout tail: " << bye);
  BOOST_TEST(slave.wait_for_master_close());
}

void check_store_log_receive_lines(const std::string& variant) {
  constexpr int kConnections = 5;
  master_program master(variant);
  for (int i = 0; i < kConnections; ++i) {
    raw_slave slave(master.port());
    slave.handshake();
    slave.close_with_fin();
  }
  BOOST_TEST_REQUIRE(wait_until([&] { return master.stats().value("accepted", -1) == kConnections; }));
  master.quit_and_check();  // closes (and so flushes) store.log
  std::ifstream log(master.log_dir() / "store.log");
  BOOST_TEST_REQUIRE(log.good(), "no store.log in --log-dir");
  int receive_lines = 0;
  for (std::string line; std::getline(log, line);)
    if (line.find("HAService receive new connection, /127.0.0.1:") != std::string::npos) ++receive_lines;
  BOOST_TEST(receive_lines == kConnections);
}

void check_control_protocol(const std::string& variant) {
  master_program master(variant);
  BOOST_TEST(master.ready().value("stops_flow_monitor_on_service_end", variant == "buggy") == (variant == "fixed"));
  const auto stats = master.stats();
  BOOST_TEST(stats.value("event", "") == "stats");
  BOOST_TEST(stats.value("connections", -1) == 0);
  BOOST_TEST(stats.value("accepted", -1) == 0);
  BOOST_TEST(stats["threads"].value("AcceptSocketSvc", 0) == 1);
  BOOST_TEST(master.command("help").value("event", "") == "help");
  BOOST_TEST(master.command("no-such-command").value("event", "") == "error");
  BOOST_TEST(master.command("destroy-connections").value("connections", -1) == 0);
  master.quit_and_check();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(program_buggy)

BOOST_AUTO_TEST_CASE(master_help_exits_0_and_lists_every_flag) { help_lists_every_flag("buggy"); }
BOOST_AUTO_TEST_CASE(master_bad_flags_exit_64_with_a_message) { bad_flags_exit_64("buggy"); }
BOOST_AUTO_TEST_CASE(slave_bad_flags_exit_64_with_a_message) { slave_bad_flags_exit_64("buggy"); }
BOOST_AUTO_TEST_CASE(master_quit_exits_0_promptly) { stops_promptly("buggy", stop_by::quit); }
BOOST_AUTO_TEST_CASE(master_stdin_eof_exits_0_promptly) { stops_promptly("buggy", stop_by::stdin_eof); }
BOOST_AUTO_TEST_CASE(master_sigterm_exits_0_promptly) { stops_promptly("buggy", stop_by::sigterm); }
BOOST_AUTO_TEST_CASE(store_log_has_one_receive_line_per_connection) {
  check_store_log_receive_lines("buggy");
}
BOOST_AUTO_TEST_CASE(control_protocol_answers_in_json) { check_control_protocol("buggy"); }

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(program_fixed)

BOOST_AUTO_TEST_CASE(master_help_exits_0_and_lists_every_flag) { help_lists_every_flag("fixed"); }
BOOST_AUTO_TEST_CASE(master_bad_flags_exit_64_with_a_message) { bad_flags_exit_64("fixed"); }
BOOST_AUTO_TEST_CASE(slave_bad_flags_exit_64_with_a_message) { slave_bad_flags_exit_64("fixed"); }
BOOST_AUTO_TEST_CASE(master_quit_exits_0_promptly) { stops_promptly("fixed", stop_by::quit); }
BOOST_AUTO_TEST_CASE(master_stdin_eof_exits_0_promptly) { stops_promptly("fixed", stop_by::stdin_eof); }
BOOST_AUTO_TEST_CASE(master_sigterm_exits_0_promptly) { stops_promptly("fixed", stop_by::sigterm); }
BOOST_AUTO_TEST_CASE(store_log_has_one_receive_line_per_connection) {
  check_store_log_receive_lines("fixed");
}
BOOST_AUTO_TEST_CASE(control_protocol_answers_in_json) { check_control_protocol("fixed"); }

BOOST_AUTO_TEST_SUITE_END()
