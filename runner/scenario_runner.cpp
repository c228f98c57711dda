#include "runner/scenario_runner.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <memory>

#include <hakit/census.hpp>

#include "runner/census_probe.hpp"
#include "runner/fit.hpp"
#include "runner/verdict.hpp"

namespace hakit::runner {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

/// Keeps `item` in `registry` for as long as it lives, so interrupt() can reach it.
template <class T>
class registration {
 public:
  registration(std::set<T*>& registry, T* item) : registry_(registry), item_(item) { registry_.insert(item_); }
  ~registration() { registry_.erase(item_); }
  registration(const registration&) = delete;
  registration& operator=(const registration&) = delete;

 private:
  std::set<T*>& registry_;
  T* item_;
};

/// Waits until `done()` holds, polling every `step`, or until `deadline`.
template <class Predicate>
awaitable<bool> wait_until(asio::io_context& io, Predicate done, clock_type::time_point deadline,
                           std::chrono::milliseconds step = 20ms) {
  asio::steady_timer tick(io);
  while (!done()) {
    if (clock_type::now() >= deadline) co_return false;
    tick.expires_after(step);
    co_await tick.async_wait(use_awaitable);
  }
  co_return true;
}

model::thread_names difference(const model::thread_names& after, const model::thread_names& before) {
  model::thread_names delta;
  for (const auto& [name, count] : after) {
    const auto it = before.find(name);
    const auto diff = count - (it == before.end() ? 0 : it->second);
    if (diff != 0) delta[name] = diff;
  }
  for (const auto& [name, count] : before)
    if (after.find(name) == after.end()) delta[name] = -count;
  return delta;
}

/// Threads per closed connection: the least-squares slope over the steady
/// samples when there are enough of them, else over every sample and the settled point.
linear_fit steady_fit(const model::variant_result& result, const std::vector<std::size_t>& steady) {
  std::vector<double> x;
  std::vector<double> y;
  for (const auto index : steady) {
    x.push_back(static_cast<double>(result.samples[index].closed));
    y.push_back(static_cast<double>(result.samples[index].threads));
  }
  constexpr std::size_t kEnough = 5;
  if (x.size() >= kEnough && x.front() != x.back()) return fit_line(x, y);
  return fit_threads_over_closed(result);
}

/// The least-squares slope of threads over closed through the settled checkpoints.
linear_fit fit_checkpoints(const std::vector<model::sample>& points) {
  std::vector<double> x;
  std::vector<double> y;
  for (const auto& p : points) {
    x.push_back(static_cast<double>(p.closed));
    y.push_back(static_cast<double>(p.threads));
  }
  return fit_line(x, y);
}

/// How many segments the churn is cut into, with a settled checkpoint after each.
constexpr std::int64_t kSegments = 4;

}  // namespace

scenario_runner::scenario_runner(asio::io_context& io, const run_options& options)
    : io_(io), options_(options), deadline_(clock_type::now() + options.timeout) {}

void scenario_runner::interrupt(const std::string& reason) {
  if (interrupt_reason_.empty()) interrupt_reason_ = reason;
  for (auto* driver : drivers_) driver->stop();
  for (auto* process : processes_) process->kill();
}

std::vector<std::string> scenario_runner::master_args(const scenario& s, const std::filesystem::path& log_dir) const {
  std::vector<std::string> args = {"--listen", "127.0.0.1:0", "--log-dir", log_dir.string(),
                                   // A small log keeps the master's own memory out of the per-connection figures.
                                   "--commit-log-bytes", "65536"};
  if (s.kind == exchange::idle_until_expiry) {
    args.insert(args.end(), {"--housekeeping-ms", std::to_string(options_.housekeeping.count())});
  }
  if (s.kind == exchange::write_failure) args.emplace_back("--inject-write-failure");
  return args;
}

awaitable<model::scenario_result> scenario_runner::run_scenario(const scenario& s) {
  model::scenario_result result;
  result.name = s.name;
  result.description = s.description;
  result.connections = options_.connections;
  result.concurrency = options_.concurrency;
  result.repeat = options_.repeat;

  std::map<std::string, std::vector<model::variant_result>> runs;
  for (std::int64_t repetition = 1; repetition <= options_.repeat; ++repetition) {
    live_.clear();
    // The variants run side by side: same churn, same moment, same machine noise.
    auto remaining = std::make_shared<std::size_t>(options_.variants.size());
    asio::steady_timer all_done(io_, clock_type::time_point::max());
    for (const auto& variant : options_.variants) {
      asio::co_spawn(io_, run_variant(s, variant, repetition),
                     [&runs, variant, remaining, &all_done](std::exception_ptr error, model::variant_result r) {
                       if (error) {
                         try {
                           std::rethrow_exception(error);
                         } catch (const std::exception& e) {
                           r.error = std::string("internal error: ") + e.what();
                           r.observed = "error";
                         }
                       }
                       runs[variant].push_back(std::move(r));
                       if (--*remaining == 0) all_done.cancel();
                     });
    }
    boost::system::error_code ignored;
    co_await all_done.async_wait(asio::redirect_error(use_awaitable, ignored));
    if (options_.progress) std::fputs("\r\033[K", stderr);
  }

  for (auto& [variant, reps] : runs) {
    model::variant_result merged = reps.back();
    merged.repetitions.clear();
    for (const auto& r : reps) {
      merged.repetitions.push_back({r.closed, r.leaked.threads, r.leaked.per_connection,
                                    r.leaked.rss_bytes_per_connection, r.cycles_per_s, r.observed});
      // A harness error in any repetition makes the whole cell unusable.
      if (r.error && !merged.error) merged.error = "repetition error: " + *r.error;
      merged.ceiling_hit = merged.ceiling_hit || r.ceiling_hit;
      merged.settled_in_time = merged.settled_in_time && r.settled_in_time;
    }
    if (reps.size() > 1) merged.spreads = spreads_of(merged.repetitions);
    merged.observed = observe(merged);
    result.variants[variant] = std::move(merged);
  }
  result.outcome = judge_scenario(result, options_.min_completion);
  co_return result;
}

awaitable<model::variant_result> scenario_runner::run_variant(const scenario& s, const std::string& variant,
                                                              std::int64_t repetition) {
  model::variant_result result;
  result.patch = "unknown (the variant never said)";
  result.role = variant == "buggy" ? kRoleReproducesBug : kRoleCandidateFix;
  const bool expect_leak = variant == "buggy" && s.bug_applies;
  result.expected = expect_leak ? "leak" : "no-leak";

  const auto work = options_.work_dir / s.name / (variant + "-r" + std::to_string(repetition));
  std::filesystem::create_directories(work);
  std::unique_ptr<variant_process> master;
  std::unique_ptr<registration<variant_process>> master_registration;
  churn_counters counters;
  try {
    if (interrupted()) throw process_error(interrupt_reason_);
    master = std::make_unique<variant_process>(io_, options_.bin_dir / ("ha-master-" + variant), master_args(s, work),
                                               work / "master.stderr");
    master_registration = std::make_unique<registration<variant_process>>(processes_, master.get());
    const auto ready = co_await master->read_json_line(10s);
    const auto port = ready.at("port").get<std::uint16_t>();
    // The program says what it is; the runner does not guess from its name.
    result.patch = ready.value("patch", result.patch);
    const int pid = master->pid();

    // Baseline: once the fresh process is quiet (its accept thread is up).
    const auto baseline = co_await settle(io_, pid, options_.settle_window, 5s);
    result.baseline = baseline.census;
    live_[variant] = {0, options_.connections, result.baseline.threads};

    // Sample while the churn runs; stop the process at the thread ceiling.
    const auto churn_start = clock_type::now();
    bool churn_done = false;
    // Samples taken while the number of connections in flight was steady: the
    // ramp-up and the drain add transient threads that are not a leak.
    std::vector<std::size_t> steady;
    result.samples.push_back({0, 0, result.baseline.threads, result.baseline.rss_kb, result.baseline.fds});
    checkpoints marks;
    marks.pid = pid;
    marks.churn_start = churn_start;
    marks.points.push_back(result.samples.front());
    result.peak_threads = result.baseline.threads;
    auto sampler = [&]() -> awaitable<void> {
      asio::steady_timer tick(io_);
      while (!churn_done) {
        tick.expires_after(options_.sample_interval);
        co_await tick.async_wait(use_awaitable);
        if (churn_done || !master->running()) break;
        const auto t_ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - churn_start).count();
        model::sample sample;
        try {
          sample = take_sample(pid, t_ms, counters.closed);
        } catch (const census::census_error&) {
          break;  // the process is gone; the churn notices too
        }
        result.samples.push_back(sample);
        if (counters.closed >= std::min(options_.concurrency, options_.connections) &&
            (counters.attempted < options_.connections || s.kind == exchange::slave_reconnect))
          steady.push_back(result.samples.size() - 1);
        result.peak_threads = std::max(result.peak_threads, sample.threads);
        live_[variant].closed = counters.closed;
        live_[variant].threads = sample.threads;
        print_progress(s.name);
        if (sample.threads >= options_.thread_ceiling) {
          result.ceiling_hit = true;
          for (auto* driver : drivers_) driver->stop();
          master->kill();
          break;
        }
      }
    };
    auto sampler_done = std::make_shared<bool>(false);
    asio::co_spawn(io_, sampler(), [sampler_done](std::exception_ptr) { *sampler_done = true; });

    // The sampler refers to this frame: whatever the churn does, wait for it to end.
    std::exception_ptr churn_error;
    try {
      switch (s.kind) {
        case exchange::destroy_connections:
          co_await drive_destroy_batches(*master, port, counters, marks, variant);
          break;
        case exchange::slave_reconnect:
          co_await drive_slave(variant, port, *master, counters, work);
          break;
        default:
          co_await drive_clients(s, *master, port, counters, marks, variant);
          break;
      }
    } catch (...) {
      churn_error = std::current_exception();
    }
    const auto churn_end = clock_type::now();
    churn_done = true;
    co_await wait_until(io_, [&] { return *sampler_done; }, clock_type::time_point::max(), 5ms);
    if (churn_error) std::rethrow_exception(churn_error);

    result.attempted = counters.attempted;
    result.closed = counters.closed;
    result.failed = counters.failed;
    result.elapsed_ms = std::chrono::duration<double, std::milli>(churn_end - churn_start - marks.paused).count();
    result.cycles_per_s = result.elapsed_ms > 0 ? static_cast<double>(result.closed) * 1000.0 / result.elapsed_ms : 0.0;
    if (result.ceiling_hit) throw process_error("thread ceiling");
    if (interrupted()) throw process_error(interrupt_reason_);
    if (!master->running()) throw process_error("the master died during the churn: " + master->describe_exit());

    const auto settled = co_await settle(io_, pid, options_.settle_window, options_.settle_timeout);
    result.settled = settled.census;
    result.settled_in_time = settled.settled;
    result.leaked.threads = result.settled.threads - result.baseline.threads;
    result.leaked.by_name = difference(result.settled.by_name, result.baseline.by_name);
    if (result.closed > 0) {
      const auto closed = static_cast<double>(result.closed);
      result.leaked.rss_bytes_per_connection =
          static_cast<double>(result.settled.rss_kb - result.baseline.rss_kb) * 1024.0 / closed;
      result.leaked.fds_per_connection = static_cast<double>(result.settled.fds - result.baseline.fds) / closed;
    }
    const auto fit = marks.points.size() >= 3 ? fit_checkpoints(marks.points) : steady_fit(result, steady);
    result.leaked.per_connection = fit.slope;
    result.leaked.r2 = fit.r2;
    if (!co_await master->quit(10s)) throw process_error("the master did not exit cleanly on quit: " + master->describe_exit());
    if (counters.failed > 0 && counters.closed < counters.attempted && !counters.first_failure.empty() &&
        static_cast<double>(counters.closed) < options_.min_completion * static_cast<double>(options_.connections)) {
      result.error = "only " + std::to_string(counters.closed) + " of " + std::to_string(options_.connections) +
                     " connections completed; first failure: " + counters.first_failure;
    }
  } catch (const std::exception& e) {
    // Once the ceiling stopped the process, every later failure is a consequence of that.
    result.error = result.ceiling_hit
                       ? "thread ceiling of " + std::to_string(options_.thread_ceiling) + " reached (peak " +
                             std::to_string(result.peak_threads) + ") after " + std::to_string(counters.closed) +
                             " connections; the process was stopped (raise --thread-ceiling or lower --connections)"
                       : std::string(e.what());
    result.attempted = std::max(result.attempted, counters.attempted);
    result.closed = std::max(result.closed, counters.closed);
    result.failed = std::max(result.failed, counters.failed);
    if (master) master->kill();
  }
  result.observed = observe(result);
  co_return result;
}

awaitable<void> scenario_runner::take_checkpoint(checkpoints& marks, std::int64_t closed) {
  const auto begin = clock_type::now();
  const auto window = std::max<std::chrono::milliseconds>(options_.settle_window / 3, 50ms);
  const auto settled = co_await settle(io_, marks.pid, window, options_.settle_timeout);
  const auto t_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - marks.churn_start).count();
  marks.points.push_back({t_ms, closed, settled.census.threads, settled.census.rss_kb, settled.census.fds});
  marks.paused += clock_type::now() - begin;
}

awaitable<void> scenario_runner::drive_clients(const scenario& s, variant_process& master, std::uint16_t port,
                                               churn_counters& counters, checkpoints& marks,
                                               const std::string& variant) {
  // The churn runs in segments; after each, the master drains and the census
  // settles, so the leak rate is fitted to points free of transient threads.
  const auto segments = std::min(kSegments, options_.connections);
  churn_counters done_so_far;
  for (std::int64_t segment = 0; segment < segments && !interrupted(); ++segment) {
    churn_settings settings;
    settings.kind = s.kind;
    settings.connections = options_.connections * (segment + 1) / segments - done_so_far.attempted;
    settings.concurrency = options_.concurrency;
    settings.per_connection_timeout = options_.connection_timeout;
    if (s.kind == exchange::idle_until_expiry) settings.per_connection_timeout += 3 * options_.housekeeping;
    settings.deadline = deadline_;
    settings.seed = options_.seed + static_cast<std::uint64_t>(segment);
    churn_driver driver(io_, tcp::endpoint(asio::ip::address_v4::loopback(), port), settings);
    registration<churn_driver> registered(drivers_, &driver);
    // Mirror the driver's counters into the caller's as it goes, for the sampler.
    auto done = std::make_shared<bool>(false);
    asio::co_spawn(io_, driver.run(), [done](std::exception_ptr) { *done = true; });
    asio::steady_timer tick(io_);
    const auto add = [&](const churn_counters& part) {
      counters.attempted = done_so_far.attempted + part.attempted;
      counters.closed = done_so_far.closed + part.closed;
      counters.failed = done_so_far.failed + part.failed;
      if (counters.first_failure.empty()) counters.first_failure = part.first_failure;
      live_[variant].closed = counters.closed;
    };
    while (!*done) {
      add(driver.counters());
      tick.expires_after(5ms);
      co_await tick.async_wait(use_awaitable);
    }
    add(driver.counters());
    done_so_far = counters;
    // A cycle ends when the master is done with it, not when the client hung up:
    // wait until it accepted every connection and every read loop ended.
    co_await wait_until_drained(master, counters.attempted);
    if (driver.stopped() || counters.closed == 0) break;
    co_await take_checkpoint(marks, counters.closed);
  }
}

awaitable<void> scenario_runner::drive_destroy_batches(variant_process& master, std::uint16_t port,
                                                       churn_counters& counters, checkpoints& marks,
                                                       const std::string& variant) {
  // Hold a batch of connections open, destroy them explicitly, repeat.
  std::int64_t next_mark = 1;
  while (counters.attempted < options_.connections && !interrupted() && clock_type::now() < deadline_) {
    churn_settings settings;
    settings.kind = exchange::destroy_connections;
    settings.connections = std::min(options_.concurrency, options_.connections - counters.attempted);
    settings.concurrency = settings.connections;
    settings.per_connection_timeout = options_.connection_timeout + 10s;
    settings.deadline = deadline_;
    settings.seed = options_.seed;
    churn_driver driver(io_, tcp::endpoint(asio::ip::address_v4::loopback(), port), settings);
    registration<churn_driver> registered(drivers_, &driver);
    auto done = std::make_shared<bool>(false);
    asio::co_spawn(io_, driver.run(), [done](std::exception_ptr) { *done = true; });

    // Wait until the master lists the whole batch (or the batch failed on its own),
    // then destroy it. The driver's frame is this one: never leave before it ends.
    std::exception_ptr master_error;
    try {
      const auto until = clock_type::now() + options_.connection_timeout;
      while (!*done && clock_type::now() < until) {
        const auto stats = co_await master.command("stats", 5s);
        if (stats.at("connections").get<std::int64_t>() >= settings.connections) break;
        asio::steady_timer pause(io_, 10ms);
        co_await pause.async_wait(use_awaitable);
      }
      co_await master.command("destroy-connections", 10s);
    } catch (...) {
      master_error = std::current_exception();
      driver.stop();
    }
    co_await wait_until(io_, [&] { return *done; }, clock_type::time_point::max(), 5ms);
    if (master_error) std::rethrow_exception(master_error);
    const auto& batch = driver.counters();
    counters.attempted += batch.attempted;
    counters.closed += batch.closed;
    counters.failed += batch.failed;
    if (counters.first_failure.empty()) counters.first_failure = batch.first_failure;
    live_[variant].closed = counters.closed;
    if (batch.closed == 0 || driver.stopped()) break;  // nothing works: do not spin until the deadline
    // At most kSegments checkpoints, however many batches.
    if (counters.attempted * kSegments >= next_mark * options_.connections) {
      co_await take_checkpoint(marks, counters.closed);
      ++next_mark;
    }
  }
}

awaitable<void> scenario_runner::drive_slave(const std::string& variant, std::uint16_t port, variant_process& master,
                                             churn_counters& counters, const std::filesystem::path& work) {
  // The slave's epoch 7 is unknown to the master (epoch 1): every truncate
  // fails, so it reconnects after truncate-fail-wait + reconnect-wait, forever.
  const std::vector<std::string> args = {
      "--master", "127.0.0.1:" + std::to_string(port), "--log-dir", (work / "slave").string(), "--local-epoch", "7:0",
      "--reconnect-wait-ms", std::to_string(options_.slave_reconnect_wait.count()),
      "--truncate-fail-wait-ms", std::to_string(options_.slave_truncate_fail_wait.count())};
  variant_process slave(io_, options_.bin_dir / ("ha-slave-" + variant), args, work / "slave.stderr");
  registration<variant_process> registered(processes_, &slave);
  co_await slave.read_json_line(10s);
  const auto until = std::min(deadline_, clock_type::now() + options_.connection_timeout * options_.connections);
  std::int64_t accepted = 0;
  while (accepted < options_.connections && !interrupted() && clock_type::now() < until && slave.running()) {
    accepted = (co_await master.command("stats", 5s)).at("accepted").get<std::int64_t>();
    counters.attempted = counters.closed = accepted;
    live_[variant].closed = accepted;
    asio::steady_timer pause(io_, 5ms);
    co_await pause.async_wait(use_awaitable);
  }
  if (!slave.running()) throw process_error("the slave died: " + slave.describe_exit());
  if (!co_await slave.quit(10s)) throw process_error("the slave did not exit cleanly on quit: " + slave.describe_exit());
  // Its last connection may have been accepted while it quit.
  accepted = (co_await master.command("stats", 5s)).at("accepted").get<std::int64_t>();
  counters.attempted = counters.closed = accepted;
}

awaitable<void> scenario_runner::wait_until_drained(variant_process& master, std::int64_t connections) {
  const auto until = std::min(deadline_, clock_type::now() + options_.settle_timeout);
  asio::steady_timer pause(io_);
  while (clock_type::now() < until && !interrupted() && master.running()) {
    const auto stats = co_await master.command("stats", 5s);
    if (stats.at("accepted").get<std::int64_t>() >= connections && stats.at("connection_count").get<std::int64_t>() == 0)
      co_return;
    pause.expires_after(2ms);
    co_await pause.async_wait(use_awaitable);
  }
}

void scenario_runner::print_progress(const std::string& scenario_name) {
  if (!options_.progress) return;
  const auto now = clock_type::now();
  if (now - last_progress_ < 200ms) return;
  last_progress_ = now;
  std::string line = "\r\033[K" + scenario_name;
  for (const auto& [variant, status] : live_) {
    line += "  " + variant + " " + std::to_string(status.closed) + "/" + std::to_string(status.target) +
            " closed, " + std::to_string(status.threads) + " threads";
  }
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

}  // namespace hakit::runner
