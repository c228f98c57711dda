#include "common/programs/program_options.hpp"

#include <cstdlib>
#include <iostream>

#include "common/programs/variant_info.hpp"

namespace hakit::programs {
namespace {

po::typed_value<long long>* millis(std::chrono::milliseconds& target, const char* flag) {
  return po::value<long long>()->default_value(target.count())->notifier([&target, flag](long long value) {
    check_positive(flag, value);
    target = std::chrono::milliseconds(value);
  });
}

}  // namespace

void check_positive(const char* flag, long long value) {
  if (value <= 0) throw po::error(std::string("--") + flag + " must be a positive number, not " + std::to_string(value));
}

void add_common_options(po::options_description& options, ha_config& config, std::filesystem::path& log_dir) {
  options.add_options()
      ("help,h", "show this help and exit")
      ("describe", "print what this variant is (JSON) and exit")
      ("log-dir", po::value<std::string>()->default_value("logs")->notifier([&log_dir](const std::string& dir) { log_dir = dir; }),
       "directory for store.log (RocketMQ's layout)")
      ("housekeeping-ms", millis(config.housekeeping_interval, "housekeeping-ms"),
       "haHousekeepingInterval: close a connection with nothing read for this long")
      ("heartbeat-ms", millis(config.heartbeat_interval, "heartbeat-ms"),
       "haSendHeartbeatInterval: heartbeat / offset report cadence")
      ("flow-control", po::bool_switch(&config.flow_control_enable), "haFlowControlEnable")
      ("max-transfer-bytes-per-second",
       po::value<std::int64_t>(&config.max_transfer_bytes_per_second)->default_value(config.max_transfer_bytes_per_second),
       "maxHaTransferByteInSecond (with --flow-control)")
      ("transfer-batch-bytes", po::value<std::int32_t>(&config.transfer_batch_size)->default_value(config.transfer_batch_size),
       "haTransferBatchSize");
}

po::variables_map parse_or_exit(int argc, char** argv, const po::options_description& options,
                                const std::string& usage) {
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(options).run(), vm);
    if (vm.count("help") != 0) {
      std::cout << usage << "\n\n" << options << std::endl;
      std::exit(0);
    }
    if (vm.count("describe") != 0) {
      std::cout << describe_variant().dump(2) << std::endl;
      std::exit(0);
    }
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << argv[0] << ": " << e.what() << "\n(run with --help for the flags)" << std::endl;
    std::exit(64);
  }
  return vm;
}

}  // namespace hakit::programs
