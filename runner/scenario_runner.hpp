// Runs scenarios against the variants side by side: one master process per
// variant, the same churn against each at the same time, the census before,
// during and after, and the figures of the comparison document.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>

#include "runner/churn_driver.hpp"
#include "runner/model.hpp"
#include "runner/net.hpp"
#include "runner/run_options.hpp"
#include "runner/scenario.hpp"
#include "runner/variant_process.hpp"

namespace hakit::runner {

class scenario_runner {
  using clock_type_alias = std::chrono::steady_clock;

 public:
  scenario_runner(asio::io_context& io, const run_options& options);

  /// Runs every repetition of `s` against every selected variant.
  awaitable<model::scenario_result> run_scenario(const scenario& s);
  /// Stops every churn and kills every variant process; running scenarios end
  /// with `reason` as their error. Safe to call more than once.
  void interrupt(const std::string& reason);
  [[nodiscard]] bool interrupted() const { return !interrupt_reason_.empty(); }

 private:
  struct live_status {
    std::int64_t closed = 0;
    std::int64_t target = 0;
    std::int64_t threads = 0;
  };

  /// Settled censuses taken between churn segments: the points the leak rate is fitted to.
  struct checkpoints {
    int pid = 0;
    clock_type_alias::time_point churn_start;
    std::vector<model::sample> points;
    clock_type_alias::duration paused{};  ///< time spent settling, not churning
  };

  awaitable<model::variant_result> run_variant(const scenario& s, const std::string& variant, std::int64_t repetition);
  awaitable<void> drive_clients(const scenario& s, variant_process& master, std::uint16_t port,
                                churn_counters& counters, checkpoints& marks, const std::string& variant);
  awaitable<void> drive_destroy_batches(variant_process& master, std::uint16_t port, churn_counters& counters,
                                        checkpoints& marks, const std::string& variant);
  awaitable<void> take_checkpoint(checkpoints& marks, std::int64_t closed);
  awaitable<void> drive_slave(const std::string& variant, std::uint16_t port, variant_process& master,
                              churn_counters& counters, const std::filesystem::path& work);
  awaitable<void> wait_until_drained(variant_process& master, std::int64_t connections);
  std::vector<std::string> master_args(const scenario& s, const std::filesystem::path& log_dir) const;
  void print_progress(const std::string& scenario_name);

  asio::io_context& io_;
  const run_options& options_;
  std::chrono::steady_clock::time_point deadline_;
  std::string interrupt_reason_;
  std::set<churn_driver*> drivers_;
  std::set<variant_process*> processes_;
  std::map<std::string, live_status> live_;  // variant -> what the progress line shows
  std::chrono::steady_clock::time_point last_progress_{};
};

}  // namespace hakit::runner
