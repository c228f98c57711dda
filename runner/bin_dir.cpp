#include "runner/bin_dir.hpp"

#include <cstdlib>

namespace hakit::runner {

std::filesystem::path find_bin_dir() {
  if (const char* env = std::getenv("HAKIT_BIN_DIR"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec).parent_path();
  if (ec) return ".";
  for (const auto& candidate : {self, self.parent_path() / "variants", self.parent_path() / "bin"}) {
    if (std::filesystem::exists(candidate / "ha-master-fixed")) return candidate;
  }
  return self;
}

}  // namespace hakit::runner
