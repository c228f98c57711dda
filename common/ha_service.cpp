#include "common/ha_service.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include "common/ha_connection.hpp"
#include "common/service_thread.hpp"
#include "common/store_log.hpp"

namespace hakit {

using namespace std::chrono_literals;

// AcceptSocketService: accepts on the HA port and starts a connection per socket.
class ha_service::accept_socket_service final : public service_thread {
 public:
  static constexpr const char* kJavaName = "AutoSwitchAcceptSocketService";
  accept_socket_service(ha_service& owner, net::unique_fd listener)
      : service_thread("AcceptSocketSvc"), owner_(owner), listener_(std::move(listener)) {}
  ~accept_socket_service() override { stop_and_join_for_destruction(); }

 protected:
  void run() override {
    store_log::info(kJavaName, std::string(kJavaName) + " service started");
    while (!is_stopped()) {
      if (net::wait_readable(listener_.get(), 1000ms)) accept_pending();
      owner_.reap_finished();
    }
    store_log::info(kJavaName, std::string(kJavaName) + " service end");
  }
  void on_interrupt() override { net::shutdown_both(listener_.get()); }

 private:
  void accept_pending() {
    for (int burst = 0; burst < 256 && !is_stopped(); ++burst) {
      std::error_code error;
      auto socket = net::accept_one(listener_.get(), error);
      if (error) {
        store_log::error(kJavaName, "accept failed: " + error.message());
        return;
      }
      if (!socket) return;
      store_log::info(kJavaName, "HAService receive new connection, " + net::peer_address(socket.get()));
      owner_.accepted_.fetch_add(1);
      try {
        auto connection = std::make_shared<ha_connection>(owner_, std::move(socket));
        // Start before add, as upstream: a connection that dies fast is removed
        // before it is added and then stays listed (apache/rocketmq PR 8876).
        connection->start();
        owner_.add_connection(std::move(connection));
      } catch (const std::exception& e) {
        // Thread creation fails when the process runs out of threads: log, keep serving.
        store_log::error(kJavaName, std::string("new connection failed: ") + e.what());
      }
    }
  }

  ha_service& owner_;
  net::unique_fd listener_;
};

ha_service::ha_service(ha_config config, std::shared_ptr<const commit_log> store)
    : config_(config), store_(std::move(store)) {}

ha_service::~ha_service() { shutdown(); }

std::uint16_t ha_service::start(const net::endpoint& where) {
  auto listener = net::listen_on(where);
  const auto port = net::local_port(listener.get());
  accept_ = std::make_unique<accept_socket_service>(*this, std::move(listener));
  accept_->start();
  return port;
}

void ha_service::shutdown() {
  if (accept_) accept_->shutdown(true);
  destroy_connections();
  std::vector<std::shared_ptr<ha_connection>> retired;
  {
    std::lock_guard lock(mutex_);
    retired.swap(retired_);
  }
  // Their loops were told to stop; the destructor joins what is left.
  retired.clear();
}

void ha_service::add_connection(std::shared_ptr<ha_connection> connection) {
  std::lock_guard lock(mutex_);
  connections_.push_back(std::move(connection));
}

void ha_service::remove_connection(ha_connection& connection) {
  std::lock_guard lock(mutex_);
  const auto it = std::find_if(connections_.begin(), connections_.end(),
                               [&](const auto& listed) { return listed.get() == &connection; });
  if (it == connections_.end()) return;
  retired_.push_back(std::move(*it));
  connections_.erase(it);
}

std::size_t ha_service::destroy_connections() {
  std::vector<std::shared_ptr<ha_connection>> listed;
  {
    std::lock_guard lock(mutex_);
    listed.swap(connections_);
  }
  // Outside the lock: each shutdown joins loops whose ends call remove_connection().
  for (const auto& connection : listed) connection->shutdown();
  return listed.size();
}

void ha_service::reap_finished() {
  std::vector<std::shared_ptr<ha_connection>> finished;
  {
    std::lock_guard lock(mutex_);
    const auto done = std::stable_partition(retired_.begin(), retired_.end(),
                                            [](const auto& c) { return !c->services_exited(); });
    finished.assign(std::make_move_iterator(done), std::make_move_iterator(retired_.end()));
    retired_.erase(done, retired_.end());
  }
  for (const auto& connection : finished) connection->join_exited_services();
}

ha_service_stats ha_service::stats() const {
  std::lock_guard lock(mutex_);
  return {static_cast<std::int64_t>(connections_.size()), connection_count_.load(), accepted_.load(),
          static_cast<std::int64_t>(retired_.size())};
}

}  // namespace hakit
