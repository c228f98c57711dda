#include "runner/census_probe.hpp"

#include <hakit/census.hpp>

namespace hakit::runner {

model::census_point take_census(int pid) {
  model::census_point point;
  point.by_name = census::threads_by_name(pid);
  // The sum of the by-name counts, so threads and by_name always agree.
  for (const auto& [name, count] : point.by_name) point.threads += count;
  point.rss_kb = census::read_status(pid).rss_kb;
  point.fds = census::count_fds(pid);
  return point;
}

model::sample take_sample(int pid, std::int64_t t_ms, std::int64_t closed) {
  const auto status = census::read_status(pid);
  return {t_ms, closed, status.threads, status.rss_kb, census::count_fds(pid)};
}

awaitable<settle_outcome> settle(asio::io_context& io, int pid, std::chrono::milliseconds window,
                                 std::chrono::milliseconds deadline) {
  using clock = std::chrono::steady_clock;
  constexpr auto kPoll = std::chrono::milliseconds(50);
  const auto start = clock::now();
  settle_outcome outcome;
  outcome.census = take_census(pid);
  auto unchanged_since = clock::now();
  asio::steady_timer tick(io);
  while (clock::now() - start < deadline) {
    tick.expires_after(kPoll);
    co_await tick.async_wait(use_awaitable);
    auto next = take_census(pid);
    if (next.by_name != outcome.census.by_name) unchanged_since = clock::now();
    outcome.census = std::move(next);
    if (clock::now() - unchanged_since >= window) {
      outcome.settled = true;
      break;
    }
  }
  outcome.waited = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start);
  co_return outcome;
}

}  // namespace hakit::runner
