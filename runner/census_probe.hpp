// The runner's measurements of one variant process: full census points (with
// threads by name), cheap samples during churn, and settling.
#pragma once

#include <chrono>
#include <cstdint>

#include "runner/model.hpp"
#include "runner/net.hpp"

namespace hakit::runner {

/// Threads (total and by name), RSS and fds of `pid`, now. Throws hakit::census::census_error.
model::census_point take_census(int pid);

/// Threads and RSS from /proc/<pid>/status plus the fd count: cheap enough for every few ms.
model::sample take_sample(int pid, std::int64_t t_ms, std::int64_t closed);

struct settle_outcome {
  model::census_point census;
  bool settled = false;         ///< counts stayed unchanged for the whole window
  std::chrono::milliseconds waited{0};
};

/// Polls the by-name census until it is unchanged for `window`, or `deadline` passes.
awaitable<settle_outcome> settle(asio::io_context& io, int pid, std::chrono::milliseconds window,
                                 std::chrono::milliseconds deadline);

}  // namespace hakit::runner
