// `hakit run`: the main job. Parses its flags, runs the scenarios side by side,
// writes the comparison document and returns the verdict's exit code.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace hakit::runner {

/// `args` excludes "hakit run". Returns the process exit code (see exit_codes.hpp).
int run_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace hakit::runner
