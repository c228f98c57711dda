// Grouping of threads by name, largest group first, the way a thread-dump
// analyser shows a leak: the leaking name is on top with its count.
#include <algorithm>

#include "hakit/census.hpp"

namespace hakit::census {

thread_names count_by_name(const std::vector<thread_info>& threads) {
  thread_names names;
  for (const auto& thread : threads) {
    ++names[thread.name];
  }
  return names;
}

std::vector<name_count> largest_first(const thread_names& names) {
  std::vector<name_count> ordered;
  ordered.reserve(names.size());
  for (const auto& [name, count] : names) {
    ordered.push_back({name, count});
  }
  // The map already orders names, so a stable sort by count keeps ties by name.
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const name_count& a, const name_count& b) { return a.count > b.count; });
  return ordered;
}

std::vector<thread_group> group_threads(const std::vector<thread_info>& threads) {
  std::map<std::string, thread_group> by_name;
  for (const auto& thread : threads) {
    auto& group = by_name[thread.name];
    group.name = thread.name;
    ++group.count;
    ++group.states[thread.state];
  }
  std::vector<thread_group> ordered;
  ordered.reserve(by_name.size());
  for (auto& [name, group] : by_name) {
    ordered.push_back(std::move(group));
  }
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const thread_group& a, const thread_group& b) { return a.count > b.count; });
  return ordered;
}

}  // namespace hakit::census
