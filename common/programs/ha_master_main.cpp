// ha-master-<variant>: the master side of HA replication, serving slaves on a
// loopback port and answering control commands on stdin.
#include <iostream>
#include <memory>

#include "common/commit_log.hpp"
#include "common/ha_service.hpp"
#include "common/programs/command_loop.hpp"
#include "common/programs/program_options.hpp"
#include "common/programs/variant_info.hpp"
#include "common/store_log.hpp"
#include "common/thread_registry.hpp"

namespace {

using nlohmann::json;
namespace po = boost::program_options;

constexpr const char* kUsage =
    "Usage: ha-master-VARIANT [--listen 127.0.0.1:0] [--log-dir DIR] [timing flags]\n"
    "\n"
    "Serves the RocketMQ AutoSwitch HA protocol on a loopback port. The first stdout line is\n"
    "  {\"event\":\"ready\",\"port\":P,\"pid\":N,\"variant\":\"...\"}\n"
    "then one JSON line answers each stdin command:\n"
    "  stats                 connection list size, connection count, live threads by name\n"
    "  destroy-connections   explicit shutdown of every listed connection (HAService.destroyConnections)\n"
    "  quit                  stop and exit (also on stdin EOF, SIGINT, SIGTERM)\n"
    "\n"
    "Example: ha-master-buggy --listen 127.0.0.1:0 --log-dir /tmp/m --housekeeping-ms 500";

json stats_json(const hakit::ha_service& service) {
  const auto stats = service.stats();
  return {{"event", "stats"},
          {"connections", stats.connections_in_list},
          {"connection_count", stats.connection_count},
          {"accepted", stats.accepted},
          {"awaiting_reap", stats.awaiting_reap},
          {"threads", hakit::thread_registry::instance().snapshot()}};
}

}  // namespace

int main(int argc, char** argv) {
  hakit::ha_config config;
  std::filesystem::path log_dir;
  std::string listen;
  std::int64_t commit_log_bytes = 1024 * 1024;
  std::int32_t epoch = 1;
  bool allow_non_loopback = false;

  po::options_description options("Options");
  hakit::programs::add_common_options(options, config, log_dir);
  options.add_options()
      ("listen", po::value<std::string>(&listen)->default_value("127.0.0.1:0"), "HA port to serve (port 0: any free port)")
      ("allow-non-loopback", po::bool_switch(&allow_non_loopback), "permit a --listen address outside 127.0.0.0/8")
      ("commit-log-bytes", po::value<std::int64_t>(&commit_log_bytes)->default_value(commit_log_bytes),
       "size of the synthetic commit log the master replicates")
      ("epoch", po::value<std::int32_t>(&epoch)->default_value(epoch), "the master's (single) epoch")
      ("inject-write-failure", po::bool_switch(&config.inject_write_failure),
       "TESTING ONLY: fail each connection's first transfer write, to drive the write-side close path");
  po::variables_map vm = hakit::programs::parse_or_exit(argc, argv, options, kUsage);

  hakit::net::endpoint where;
  try {
    where = hakit::net::parse_endpoint(listen);
    if (!allow_non_loopback && !hakit::net::is_loopback(where.host))
      throw std::invalid_argument("--listen " + listen + " is not a loopback address; add --allow-non-loopback to mean it");
    if (commit_log_bytes < 0) throw std::invalid_argument("--commit-log-bytes must not be negative");
  } catch (const std::exception& e) {
    std::cerr << argv[0] << ": " << e.what() << std::endl;
    return 64;
  }

  try {
    hakit::programs::block_termination_signals();
    hakit::store_log::open(log_dir);
    auto store = std::make_shared<const hakit::commit_log>(commit_log_bytes, epoch);
    hakit::ha_service service(config, store);
    const auto port = service.start(where);

    auto ready = hakit::programs::ready_event(log_dir);
    ready["port"] = port;
    hakit::programs::answer(ready.dump());

    const auto reason = hakit::programs::serve_commands({
        {"stats", [&] { hakit::store_log::flush(); return stats_json(service); }},
        {"destroy-connections", [&] { return json{{"event", "destroyed"}, {"connections", service.destroy_connections()}}; }},
    });
    service.shutdown();
    hakit::store_log::close();
    hakit::programs::answer(json{{"event", "bye"}, {"reason", reason}}.dump());
  } catch (const std::exception& e) {
    std::cerr << argv[0] << ": " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
