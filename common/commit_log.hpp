// A synthetic stand-in for DefaultMessageStore's commit log and EpochFileCache:
// enough state for the HA code to hand out data, offsets and epochs.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "common/ha_protocol.hpp"

namespace hakit {

/// Epoch entries with their end offsets derived from the next entry's start.
class epoch_cache {
 public:
  epoch_cache() = default;
  /// Builds from entries sorted by epoch.
  explicit epoch_cache(std::vector<protocol::epoch_entry> entries);
  [[nodiscard]] const std::vector<protocol::epoch_entry>& entries() const { return entries_; }
  [[nodiscard]] bool empty() const { return entries_.empty(); }
  /// The last epoch, or -1 when empty.
  [[nodiscard]] std::int32_t last_epoch() const;
  /// The entry whose range holds `offset`, or nothing.
  [[nodiscard]] std::optional<protocol::epoch_entry> find_by_offset(std::int64_t offset) const;
  /// The entry for `epoch`, or nothing.
  [[nodiscard]] std::optional<protocol::epoch_entry> entry(std::int32_t epoch) const;
  /// The end offset of `epoch` (-1 for the last epoch, meaning unbounded).
  [[nodiscard]] std::int64_t end_offset(std::int32_t epoch) const;

 private:
  std::vector<protocol::epoch_entry> entries_;
};

/// The master's commit log: `size` bytes of deterministic data from offset 0.
class commit_log {
 public:
  /// A log of `size` bytes under one epoch starting at 0.
  commit_log(std::int64_t size, std::int32_t epoch);
  [[nodiscard]] std::int64_t min_offset() const { return 0; }
  [[nodiscard]] std::int64_t max_offset() const { return static_cast<std::int64_t>(data_.size()); }
  /// Everything from `offset` to the end (empty past the end or before the start).
  [[nodiscard]] std::span<const std::uint8_t> data_from(std::int64_t offset) const;
  [[nodiscard]] const epoch_cache& epochs() const { return epochs_; }
  /// The byte expected at `offset`, so a slave can verify what it received.
  static std::uint8_t byte_at(std::int64_t offset);

 private:
  std::vector<std::uint8_t> data_;
  epoch_cache epochs_;
};

}  // namespace hakit
