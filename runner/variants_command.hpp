// `hakit variants`: what each variant is and where PR 6227's lines sit.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace hakit::runner {

/// Prints each variant program's own `--describe`; `--json` for one JSON array.
int variants_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace hakit::runner
