// Where the variant programs are: next to hakit when installed, in the build
// tree's variants/ folder when run from a build.
#pragma once

#include <filesystem>

namespace hakit::runner {

/// $HAKIT_BIN_DIR, else hakit's own directory if it holds ha-master-fixed, else ../variants.
std::filesystem::path find_bin_dir();

}  // namespace hakit::runner
