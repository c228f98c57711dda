// `hakit census`: a thread census of any process, once or watched over time.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace hakit::runner {

/// Runs `hakit census PID [--json] [--watch SECONDS] [--interval MS]`; `args`
/// excludes "hakit census". Returns an exit code of runner/exit_codes.hpp.
int census_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace hakit::runner
