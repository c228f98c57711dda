// ha-slave-<variant>: the slave side of HA replication (AutoSwitchHAClient)
// against a master, answering control commands on stdin.
#include <charconv>
#include <iostream>
#include <vector>

#include "common/ha_client.hpp"
#include "common/programs/command_loop.hpp"
#include "common/programs/program_options.hpp"
#include "common/programs/variant_info.hpp"
#include "common/store_log.hpp"
#include "common/thread_registry.hpp"

namespace {

using nlohmann::json;
namespace po = boost::program_options;

constexpr const char* kUsage =
    "Usage: ha-slave-VARIANT --master 127.0.0.1:PORT [--local-epoch E:START ...] [timing flags]\n"
    "\n"
    "Runs the slave's HA client: connect, handshake, check epochs, receive data, report offsets,\n"
    "reconnect after every failure. The first stdout line is {\"event\":\"ready\",\"pid\":N,...};\n"
    "then one JSON line answers each stdin command:\n"
    "  stats       state, connects, handshakes, truncate failures, offsets, live threads by name\n"
    "  make-stop   end the client loop as makeStop() does, without the explicit shutdown\n"
    "  quit        explicit shutdown and exit (also on stdin EOF, SIGINT, SIGTERM)\n"
    "\n"
    "A --local-epoch the master does not have makes every truncate fail, so the client\n"
    "reconnects every truncate-fail-wait + reconnect-wait (2 s + 5 s upstream: the post-mortem's ~7 s).\n"
    "\n"
    "Example: ha-slave-buggy --master 127.0.0.1:40001 --local-epoch 7:0 --reconnect-wait-ms 50 --truncate-fail-wait-ms 20";

hakit::protocol::epoch_entry parse_epoch(const std::string& text) {
  const auto colon = text.find(':');
  hakit::protocol::epoch_entry entry;
  const auto bad = [&] { return po::error("--local-epoch '" + text + "' is not EPOCH:START_OFFSET (e.g. 7:0)"); };
  if (colon == std::string::npos) throw bad();
  const auto* begin = text.data();
  if (std::from_chars(begin, begin + colon, entry.epoch).ptr != begin + colon) throw bad();
  const auto* rest = begin + colon + 1;
  if (std::from_chars(rest, begin + text.size(), entry.start_offset).ptr != begin + text.size()) throw bad();
  return entry;
}

json stats_json(const hakit::ha_client& client) {
  const auto stats = client.stats();
  return {{"event", "stats"},
          {"state", stats.state},
          {"connects", stats.connects},
          {"handshakes", stats.handshakes},
          {"truncate_failures", stats.truncate_failures},
          {"max_offset", stats.max_offset},
          {"reported_offset", stats.reported_offset},
          {"corrupt_bytes", stats.corrupt_bytes},
          {"threads", hakit::thread_registry::instance().snapshot()}};
}

}  // namespace

int main(int argc, char** argv) {
  hakit::ha_config config;
  std::filesystem::path log_dir;
  std::string master;
  std::int64_t broker_id = 2;
  std::vector<std::string> local_epochs;
  bool allow_non_loopback = false;

  po::options_description options("Options");
  hakit::programs::add_common_options(options, config, log_dir);
  options.add_options()
      ("master", po::value<std::string>(&master)->required(), "the master's HA address, HOST:PORT")
      ("allow-non-loopback", po::bool_switch(&allow_non_loopback), "permit a --master address outside 127.0.0.0/8")
      ("broker-id", po::value<std::int64_t>(&broker_id)->default_value(broker_id), "this slave's broker id")
      ("local-epoch", po::value<std::vector<std::string>>(&local_epochs)->composing(),
       "an entry of the slave's epoch cache, EPOCH:START_OFFSET (repeatable; none = new replica)")
      ("reconnect-wait-ms", po::value<long long>()->default_value(config.reconnect_wait.count())->notifier([&](long long v) {
         hakit::programs::check_positive("reconnect-wait-ms", v);
         config.reconnect_wait = std::chrono::milliseconds(v);
       }), "wait after a failed connect and in closeMasterAndWait()")
      ("truncate-fail-wait-ms", po::value<long long>()->default_value(config.truncate_fail_wait.count())->notifier([&](long long v) {
         hakit::programs::check_positive("truncate-fail-wait-ms", v);
         config.truncate_fail_wait = std::chrono::milliseconds(v);
       }), "wait after a failed truncate before closing");
  po::variables_map vm = hakit::programs::parse_or_exit(argc, argv, options, kUsage);

  hakit::net::endpoint where;
  std::vector<hakit::protocol::epoch_entry> epochs;
  try {
    where = hakit::net::parse_endpoint(master);
    if (!allow_non_loopback && !hakit::net::is_loopback(where.host))
      throw std::invalid_argument("--master " + master + " is not a loopback address; add --allow-non-loopback to mean it");
    for (const auto& text : local_epochs) epochs.push_back(parse_epoch(text));
  } catch (const std::exception& e) {
    std::cerr << argv[0] << ": " << e.what() << "\n(run with --help for the flags)" << std::endl;
    return 64;
  }

  try {
    hakit::programs::block_termination_signals();
    hakit::store_log::open(log_dir);
    hakit::ha_client client(config, where, broker_id, hakit::epoch_cache(epochs));
    client.start();

    hakit::programs::answer(hakit::programs::ready_event(log_dir).dump());

    const auto reason = hakit::programs::serve_commands({
        {"stats", [&] { hakit::store_log::flush(); return stats_json(client); }},
        {"make-stop", [&] {
           // Ends the client loop as makeStop() does, without the explicit shutdown.
           client.make_stop();
           client.wakeup();
           return json{{"event", "make-stop"}};
         }},
    });
    client.stop();
    hakit::store_log::close();
    hakit::programs::answer(json{{"event", "bye"}, {"reason", reason}}.dump());
  } catch (const std::exception& e) {
    std::cerr << argv[0] << ": " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
