#include "runner/churn_driver.hpp"

#include <array>
#include <memory>
#include <vector>

namespace hakit::runner {
namespace {

// HAConnectionState ordinals and frame sizes of the AutoSwitch protocol.
constexpr std::int32_t kHandshake = 1;
constexpr std::int32_t kTransfer = 2;
constexpr std::size_t kMasterHandshakeHeader = 20;

template <class T>
void put_be(std::vector<std::uint8_t>& out, T value) {
  const auto bits = static_cast<std::uint64_t>(value);
  for (std::size_t i = sizeof(T); i-- > 0;) out.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
}

std::vector<std::uint8_t> slave_handshake(std::int64_t broker_id) {
  std::vector<std::uint8_t> frame;
  put_be<std::int32_t>(frame, kHandshake);
  put_be<std::int16_t>(frame, 0);
  put_be<std::int16_t>(frame, 0);
  put_be<std::int64_t>(frame, broker_id);
  return frame;
}

std::vector<std::uint8_t> transfer_report(std::int64_t offset) {
  std::vector<std::uint8_t> frame;
  put_be<std::int32_t>(frame, kTransfer);
  put_be<std::int64_t>(frame, offset);
  return frame;
}

std::vector<std::uint8_t> bad_frame(std::int32_t ordinal) {
  std::vector<std::uint8_t> frame;
  put_be<std::int32_t>(frame, ordinal);
  put_be<std::int64_t>(frame, 0);
  return frame;
}

std::vector<std::uint8_t> health_probe_text() {
  // What a monitoring probe sends: a millisecond timestamp as text.
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  const auto text = std::to_string(now) + "\n";
  return {text.begin(), text.end()};
}

}  // namespace

struct churn_driver::connection_state {
  explicit connection_state(asio::io_context& io) : socket(io), watchdog(io) {}
  tcp::socket socket;
  asio::steady_timer watchdog;
  bool timed_out = false;
};

churn_driver::churn_driver(asio::io_context& io, tcp::endpoint master, churn_settings settings)
    : io_(io), master_(std::move(master)), settings_(settings), random_(settings.seed) {}

awaitable<void> churn_driver::run() {
  const auto workers = std::max<std::int64_t>(1, std::min(settings_.concurrency, settings_.connections));
  auto remaining = std::make_shared<std::int64_t>(workers);
  asio::steady_timer all_done(io_, std::chrono::steady_clock::time_point::max());
  for (std::int64_t i = 0; i < workers; ++i) {
    asio::co_spawn(io_, worker(), [remaining, &all_done](std::exception_ptr) {
      if (--*remaining == 0) all_done.cancel();
    });
  }
  boost::system::error_code ignored;
  co_await all_done.async_wait(asio::redirect_error(use_awaitable, ignored));
}

void churn_driver::stop() {
  stopped_ = true;
  ++generation_;
  for (const auto& state : live_) {
    boost::system::error_code ignored;
    state->socket.close(ignored);
  }
}

awaitable<void> churn_driver::worker() {
  while (!stopped_ && next_ < settings_.connections && std::chrono::steady_clock::now() < settings_.deadline) {
    const auto index = next_++;
    ++counters_.attempted;
    ++counters_.in_flight;
    co_await exchange_once(index);
    --counters_.in_flight;
  }
}

awaitable<void> churn_driver::exchange_once(std::int64_t index) {
  auto state = std::make_shared<connection_state>(io_);
  live_.insert(state);
  struct forget {
    std::set<std::shared_ptr<connection_state>>& live;
    std::shared_ptr<connection_state> state;
    ~forget() { live.erase(state); }
  } forget_on_return{live_, state};
  const auto until = std::min(settings_.deadline, std::chrono::steady_clock::now() + settings_.per_connection_timeout);
  state->watchdog.expires_at(until);
  // The watchdog closes the socket, which fails whatever the exchange awaits.
  state->watchdog.async_wait([state](const boost::system::error_code& ec) {
    if (ec) return;
    state->timed_out = true;
    boost::system::error_code ignored;
    state->socket.close(ignored);
  });
  const auto generation = generation_;
  boost::system::error_code ec;
  std::string step = "connect";
  auto fail = [&](const std::string& what) {
    ++counters_.failed;
    if (counters_.first_failure.empty())
      counters_.first_failure = "connection " + std::to_string(index) + ": " + what + " failed: " +
                                (state->timed_out ? std::string("timed out") : ec.message());
  };
  auto& socket = state->socket;

  co_await socket.async_connect(master_, asio::redirect_error(use_awaitable, ec));
  if (ec) {
    fail(step);
    state->watchdog.cancel();
    co_return;
  }

  auto send = [&](const std::vector<std::uint8_t>& bytes) -> awaitable<bool> {
    co_await asio::async_write(socket, asio::buffer(bytes), asio::redirect_error(use_awaitable, ec));
    co_return !ec;
  };
  // Reads the master's handshake reply: a 20-byte header and its epoch entries.
  auto read_handshake_reply = [&]() -> awaitable<bool> {
    std::array<std::uint8_t, kMasterHandshakeHeader> header{};
    co_await asio::async_read(socket, asio::buffer(header), asio::redirect_error(use_awaitable, ec));
    if (ec) co_return false;
    const std::uint32_t body = (std::uint32_t{header[4]} << 24) | (std::uint32_t{header[5]} << 16) |
                               (std::uint32_t{header[6]} << 8) | std::uint32_t{header[7]};
    std::vector<std::uint8_t> entries(std::min<std::uint32_t>(body, 1U << 20));
    co_await asio::async_read(socket, asio::buffer(entries), asio::redirect_error(use_awaitable, ec));
    co_return !ec;
  };
  // Waits for the master to close its side; whatever it sends meanwhile is dropped.
  auto await_master_close = [&]() -> awaitable<bool> {
    std::array<std::uint8_t, 4096> sink{};
    for (;;) {
      co_await socket.async_read_some(asio::buffer(sink), asio::redirect_error(use_awaitable, ec));
      if (ec == asio::error::eof || ec == asio::error::connection_reset) {
        ec.clear();
        co_return true;
      }
      if (ec) co_return false;
    }
  };

  bool ok = false;
  switch (settings_.kind) {
    case exchange::fin_after_handshake:
    case exchange::rst_after_handshake:
      step = "handshake";
      ok = co_await send(slave_handshake(index)) && co_await read_handshake_reply();
      if (ok && settings_.kind == exchange::rst_after_handshake) socket.set_option(asio::socket_base::linger(true, 0), ec);
      break;
    case exchange::health_probe:
      step = "probe";
      ok = co_await send(health_probe_text());
      break;
    case exchange::bad_frame: {
      step = "bad frame";
      // Any ordinal past SHUTDOWN(4), or a negative one, is unknown to the master.
      std::uniform_int_distribution<std::int32_t> ordinal(5, 1 << 30);
      const auto value = (random_() & 1U) != 0 ? ordinal(random_) : -ordinal(random_);
      ok = co_await send(bad_frame(value)) && co_await await_master_close();
      break;
    }
    case exchange::idle_until_expiry:
      step = "idle until housekeeping";
      ok = co_await send(slave_handshake(index)) && co_await read_handshake_reply() && co_await await_master_close();
      break;
    case exchange::write_failure:
      step = "transfer report";
      ok = co_await send(slave_handshake(index)) && co_await read_handshake_reply() &&
           co_await send(transfer_report(0)) && co_await await_master_close();
      break;
    case exchange::destroy_connections:
      step = "held connection";
      ok = co_await send(slave_handshake(index)) && co_await read_handshake_reply() && co_await await_master_close();
      break;
    case exchange::slave_reconnect:
      step = "slave-reconnect is driven by a slave process";
      ok = false;
      break;
  }
  state->watchdog.cancel();
  if (generation != generation_ && !ok) co_return;  // cut short by stop(): neither closed nor failed
  if (!ok) {
    fail(step);
    co_return;
  }
  boost::system::error_code ignored;
  socket.close(ignored);
  ++counters_.closed;
}

}  // namespace hakit::runner
