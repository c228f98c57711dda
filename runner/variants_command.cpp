#include "runner/variants_command.hpp"

#include <boost/process.hpp>
#include <nlohmann/json.hpp>

#include "runner/bin_dir.hpp"
#include "runner/exit_codes.hpp"

namespace hakit::runner {
namespace bp = boost::process;

int variants_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  bool json_output = false;
  for (const auto& arg : args) {
    if (arg == "--json") {
      json_output = true;
    } else if (arg == "--help" || arg == "-h") {
      out << "Usage: hakit variants [--json]\n\nLists each variant: what it is, which upstream code it follows, "
             "and the sites apache/rocketmq PR 6227 changed.\n";
      return exit_code::kValidated;
    } else {
      err << "hakit variants: unknown argument '" << arg << "' (see hakit variants --help)" << std::endl;
      return exit_code::kUsage;
    }
  }
  const auto dir = find_bin_dir();
  auto all = nlohmann::json::array();
  for (const char* name : {"buggy", "fixed"}) {
    const auto program = dir / (std::string("ha-master-") + name);
    bp::ipstream output;
    std::error_code ec;
    bp::child child(program.string(), "--describe", bp::std_out > output, bp::std_err > bp::null, ec);
    if (ec) {
      err << "hakit variants: cannot run " << program.string() << ": " << ec.message() << std::endl;
      return exit_code::kNoInput;
    }
    std::string text((std::istreambuf_iterator<char>(output)), std::istreambuf_iterator<char>());
    child.wait();
    try {
      all.push_back(nlohmann::json::parse(text));
    } catch (const nlohmann::json::exception&) {
      err << "hakit variants: " << program.string() << " --describe printed no JSON" << std::endl;
      return exit_code::kSoftware;
    }
  }
  if (json_output) {
    out << all.dump(2) << std::endl;
    return exit_code::kValidated;
  }
  for (const auto& v : all) {
    out << v.at("variant").get<std::string>() << "  (" << v.at("patch").get<std::string>() << ")\n  "
        << v.at("description").get<std::string>() << "\n  stops FlowMonitor at service end: "
        << (v.at("stops_flow_monitor_on_service_end").get<bool>() ? "yes" : "no") << "\n  patch sites:\n";
    for (const auto& site : v.at("patch_sites"))
      out << "    " << site.at("upstream").get<std::string>() << "  ->  " << site.at("port").get<std::string>() << "\n";
    out << "\n";
  }
  return exit_code::kValidated;
}

}  // namespace hakit::runner
