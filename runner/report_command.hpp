// `hakit report` and `hakit compare`: the CLI over the renderers and the
// comparison of two documents. main.cpp dispatches to these.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace hakit::runner {

/// `hakit report DOC [--format text|md|html|junit] [--out FILE]`; `args` excludes "report".
/// Returns 0, or kUsage / kNoInput / kDataError / kIoError (runner/exit_codes.hpp).
int report_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

/// `hakit compare OLD NEW [--max-slowdown 0.10] [--format text|md] [--out FILE]`; `args` excludes "compare".
/// Returns 0 (no regression), kRegression, or kUsage / kNoInput / kDataError / kIoError.
int compare_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace hakit::runner
