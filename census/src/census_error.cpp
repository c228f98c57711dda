// census_error: the typed failure of a whole-process census.
#include "hakit/census.hpp"

namespace hakit::census {

census_error::census_error(error_kind kind, const std::string& message)
    : std::runtime_error(message), kind_(kind) {}

error_kind census_error::kind() const noexcept { return kind_; }

std::string_view to_string(error_kind kind) noexcept {
  switch (kind) {
    case error_kind::no_such_process:
      return "no_such_process";
    case error_kind::permission_denied:
      return "permission_denied";
    case error_kind::unreadable:
      return "unreadable";
  }
  return "unreadable";
}

}  // namespace hakit::census
