// Census of the test's own process: threads, states, fds, and errors.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <memory>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "hakit/census.hpp"
#include "parked_thread.hpp"

namespace census = hakit::census;
using hakit::test::eventually;
using hakit::test::parked_thread;

namespace {

std::int64_t threads_named(const std::string& name) {
  const auto names = census::threads_by_name(census::self_pid());
  const auto found = names.find(name);
  return found == names.end() ? 0 : found->second;
}

const census::thread_info* find_tid(const std::vector<census::thread_info>& threads, int tid) {
  const auto found = std::find_if(threads.begin(), threads.end(), [tid](const auto& t) { return t.tid == tid; });
  return found == threads.end() ? nullptr : &*found;
}

/// A pid above pid_max, which therefore cannot exist.
int nonexistent_pid() {
  std::ifstream pid_max("/proc/sys/kernel/pid_max");
  int max = 4194304;
  pid_max >> max;
  return max + 1;
}

struct not_root {
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const {
    return ::geteuid() != 0;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(proc_scan)

BOOST_AUTO_TEST_CASE(named_threads_are_counted_by_name_while_they_run) {
  BOOST_TEST(threads_named("hk-census-a") == 0);
  {
    std::vector<std::unique_ptr<parked_thread>> threads;
    for (int i = 0; i < 3; ++i) {
      threads.push_back(std::make_unique<parked_thread>("hk-census-a"));
    }
    BOOST_TEST(threads_named("hk-census-a") == 3);
  }
  // A joined thread's task directory may outlive the join by a moment.
  BOOST_TEST(eventually([] { return threads_named("hk-census-a") == 0; }));
}

BOOST_AUTO_TEST_CASE(list_threads_gives_tid_name_and_state_of_each_thread) {
  const parked_thread parked("hk-census-b");
  const auto threads = census::list_threads(census::self_pid());
  BOOST_TEST(std::is_sorted(threads.begin(), threads.end(), [](const auto& a, const auto& b) { return a.tid < b.tid; }));
  const auto* found = find_tid(threads, parked.tid());
  BOOST_TEST_REQUIRE(found != nullptr);
  BOOST_TEST(found->name == "hk-census-b");
  // Parked on a condition variable: interruptible sleep.
  BOOST_TEST(found->state == 'S');
  const auto* main_thread = find_tid(threads, census::self_pid());
  BOOST_TEST_REQUIRE(main_thread != nullptr);
  BOOST_TEST(main_thread->state == 'R');
}

BOOST_AUTO_TEST_CASE(status_counts_the_same_threads_as_the_task_directory) {
  const parked_thread parked("hk-census-c");
  const auto status = census::read_status(census::self_pid());
  BOOST_TEST(status.threads == static_cast<std::int64_t>(census::list_threads(census::self_pid()).size()));
  BOOST_TEST(status.threads >= 2);
  BOOST_TEST(status.rss_kb > 0);
}

BOOST_AUTO_TEST_CASE(opening_files_raises_the_fd_count_and_closing_lowers_it) {
  const auto before = census::count_fds(census::self_pid());
  std::vector<int> opened;
  for (int i = 0; i < 5; ++i) {
    opened.push_back(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    BOOST_TEST_REQUIRE(opened.back() >= 0);
  }
  BOOST_TEST(census::count_fds(census::self_pid()) == before + 5);
  for (const int fd : opened) {
    ::close(fd);
  }
  BOOST_TEST(census::count_fds(census::self_pid()) == before);
}

BOOST_AUTO_TEST_CASE(a_nonexistent_pid_throws_no_such_process_naming_the_pid) {
  const int pid = nonexistent_pid();
  const auto is_no_such_process = [pid](const census::census_error& e) {
    return e.kind() == census::error_kind::no_such_process &&
           std::string(e.what()).find(std::to_string(pid)) != std::string::npos;
  };
  BOOST_CHECK_EXCEPTION(static_cast<void>(census::read_status(pid)), census::census_error, is_no_such_process);
  BOOST_CHECK_EXCEPTION(static_cast<void>(census::threads_by_name(pid)), census::census_error, is_no_such_process);
  BOOST_CHECK_EXCEPTION(static_cast<void>(census::list_threads(pid)), census::census_error, is_no_such_process);
  BOOST_CHECK_EXCEPTION(static_cast<void>(census::count_fds(pid)), census::census_error, is_no_such_process);
}

BOOST_AUTO_TEST_CASE(another_users_fd_directory_is_permission_denied, *boost::unit_test::precondition(not_root())) {
  BOOST_CHECK_EXCEPTION(static_cast<void>(census::count_fds(1)), census::census_error,
                        [](const census::census_error& e) { return e.kind() == census::error_kind::permission_denied; });
}

BOOST_AUTO_TEST_CASE(a_thread_name_with_spaces_and_parens_is_read_whole) {
  // 15 bytes, the kernel's limit, with the characters that break naive parsing.
  const parked_thread parked("a) (b c) ) S x");
  const auto threads = census::list_threads(census::self_pid());
  const auto* found = find_tid(threads, parked.tid());
  BOOST_TEST_REQUIRE(found != nullptr);
  BOOST_TEST(found->name == "a) (b c) ) S x");
  BOOST_TEST(found->state == 'S');
  BOOST_TEST(threads_named("a) (b c) ) S x") == 1);
}

BOOST_AUTO_TEST_CASE(threads_ending_during_a_scan_are_skipped_silently) {
  std::atomic<bool> stop{false};
  std::thread churn([&stop] {
    while (!stop.load()) {
      std::thread([] { pthread_setname_np(pthread_self(), "hk-census-churn"); }).join();
    }
  });
  // Every scan races with threads starting and ending; none may throw.
  for (int i = 0; i < 300; ++i) {
    BOOST_CHECK_NO_THROW(static_cast<void>(census::list_threads(census::self_pid())));
    BOOST_CHECK_NO_THROW(static_cast<void>(census::threads_by_name(census::self_pid())));
  }
  stop = true;
  churn.join();
}

BOOST_AUTO_TEST_SUITE_END()
