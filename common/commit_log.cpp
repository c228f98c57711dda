#include "common/commit_log.hpp"

#include <algorithm>
#include <utility>

namespace hakit {

epoch_cache::epoch_cache(std::vector<protocol::epoch_entry> entries) : entries_(std::move(entries)) {
  std::sort(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) { return a.epoch < b.epoch; });
}

std::int32_t epoch_cache::last_epoch() const { return entries_.empty() ? -1 : entries_.back().epoch; }

std::optional<protocol::epoch_entry> epoch_cache::entry(std::int32_t epoch) const {
  for (const auto& e : entries_)
    if (e.epoch == epoch) return e;
  return std::nullopt;
}

std::int64_t epoch_cache::end_offset(std::int32_t epoch) const {
  for (std::size_t i = 0; i + 1 < entries_.size(); ++i)
    if (entries_[i].epoch == epoch) return entries_[i + 1].start_offset;
  return -1;
}

std::optional<protocol::epoch_entry> epoch_cache::find_by_offset(std::int64_t offset) const {
  for (std::size_t i = entries_.size(); i-- > 0;)
    if (entries_[i].start_offset <= offset) return entries_[i];
  return std::nullopt;
}

commit_log::commit_log(std::int64_t size, std::int32_t epoch)
    : data_(static_cast<std::size_t>(std::max<std::int64_t>(size, 0))), epochs_({{epoch, 0}}) {
  for (std::size_t i = 0; i < data_.size(); ++i) data_[i] = byte_at(static_cast<std::int64_t>(i));
}

std::span<const std::uint8_t> commit_log::data_from(std::int64_t offset) const {
  if (offset < 0 || offset >= max_offset()) return {};
  return std::span<const std::uint8_t>(data_).subspan(static_cast<std::size_t>(offset));
}

std::uint8_t commit_log::byte_at(std::int64_t offset) { return static_cast<std::uint8_t>((offset * 31 + 7) & 0xff); }

}  // namespace hakit
