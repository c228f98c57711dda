// Parsing of /proc/<pid>/task/<tid>/stat lines.
#include "hakit/census.hpp"

namespace hakit::census {

std::optional<stat_fields> parse_stat(std::string_view line) {
  // comm may itself contain " (" and ")", but nothing after it can hold ')',
  // so the name is everything between the first '(' and the last ')'.
  const auto open = line.find('(');
  const auto close = line.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return std::nullopt;
  }
  // After the name comes exactly one space, then the one-letter state.
  if (close + 2 >= line.size() || line[close + 1] != ' ') {
    return std::nullopt;
  }
  const char state = line[close + 2];
  if (state == ' ' || state == '\n') {
    return std::nullopt;
  }
  return stat_fields{std::string(line.substr(open + 1, close - open - 1)), state};
}

}  // namespace hakit::census
