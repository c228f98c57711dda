// hakit: proves, with measured thread counts, whether a patch stops a thread leak.
// main only dispatches to the subcommands.
#include <iostream>
#include <string>
#include <vector>

#include "runner/census_command.hpp"
#include "runner/exit_codes.hpp"
#include "runner/report_command.hpp"
#include "runner/run_command.hpp"
#include "runner/variants_command.hpp"

namespace {

constexpr const char* kUsage =
    "Usage: hakit COMMAND [options]\n"
    "\n"
    "Commands:\n"
    "  run        run buggy and fixed side by side under HA connection churn; write a JSON comparison\n"
    "  report     render a comparison as md, html, junit or text\n"
    "  compare    compare two comparisons; non-zero exit on a regression\n"
    "  census     threads of any process grouped by name (e.g. a JVM broker's FlowMonitor x 32380)\n"
    "  variants   what each variant is and where PR 6227's lines are\n"
    "\n"
    "'hakit COMMAND --help' documents each command. With no command, 'hakit run' is meant only\n"
    "when spelled out: try 'hakit run'.";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage << std::endl;
    return args.empty() ? hakit::exit_code::kUsage : 0;
  }
  if (args[0] == "--version") {
    std::cout << "hakit " << HAKIT_VERSION << std::endl;
    return 0;
  }
  const auto command = args[0];
  args.erase(args.begin());
  try {
    if (command == "run") return hakit::runner::run_command(args, std::cout, std::cerr);
    if (command == "report") return hakit::runner::report_command(args, std::cout, std::cerr);
    if (command == "compare") return hakit::runner::compare_command(args, std::cout, std::cerr);
    if (command == "census") return hakit::runner::census_command(args, std::cout, std::cerr);
    if (command == "variants") return hakit::runner::variants_command(args, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "hakit " << command << ": internal error: " << e.what() << std::endl;
    return hakit::exit_code::kSoftware;
  }
  std::cerr << "hakit: unknown command '" << command << "'\n\n" << kUsage << std::endl;
  return hakit::exit_code::kUsage;
}
