// hakit::leakcheck::fixture in the ways a Boost.Test suite uses it.
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "hakit/leakcheck_fixture.hpp"
#include "parked_thread.hpp"

using hakit::test::parked_thread;

namespace {

/// Leaks one thread in the test body and stops it only after the fixture's
/// check has reported, so the test process itself stays clean.
struct leaking_fixture : hakit::leakcheck::fixture {
  std::optional<parked_thread> leaked;

  void teardown() {
    fixture::teardown();
    BOOST_TEST(last_report().summary() == "leaked 1 thread: hk-fix-leak x1");
    leaked.reset();
  }
};

/// A fixture for a suite whose runtime keeps a known thread.
struct tolerant_fixture : hakit::leakcheck::fixture {
  tolerant_fixture() : fixture(hakit::leakcheck::settle_options{std::chrono::milliseconds(50),
                                                                std::chrono::seconds(2),
                                                                {{}, {"hk-runtime-"}}}) {}
};

/// Threads the tolerant cases leave running on purpose; the next case stops them.
std::vector<std::unique_ptr<parked_thread>> kept_threads;

}  // namespace

BOOST_AUTO_TEST_SUITE(fixture_use)

BOOST_FIXTURE_TEST_CASE(a_test_case_that_joins_its_threads_passes, hakit::leakcheck::fixture) {
  std::thread([] { pthread_setname_np(pthread_self(), "hk-fix-clean"); }).join();
  BOOST_TEST(true);
}

// The fixture's own failure is the expected one; the summary is checked in teardown.
BOOST_FIXTURE_TEST_CASE(a_test_case_that_leaks_a_thread_fails_naming_it, leaking_fixture,
                        *boost::unit_test::expected_failures(1)) {
  leaked.emplace("hk-fix-leak");
  BOOST_TEST(true);
}

BOOST_AUTO_TEST_CASE(the_fixture_works_as_a_decorator, *boost::unit_test::fixture<hakit::leakcheck::fixture>()) {
  parked_thread joined("hk-fix-deco");
  BOOST_TEST(joined.tid() > 0);
}

BOOST_FIXTURE_TEST_CASE(a_derived_fixture_ignores_its_runtimes_threads, tolerant_fixture) {
  kept_threads.push_back(std::make_unique<parked_thread>("hk-runtime-gc"));
  BOOST_TEST(options().filters.ignores("hk-runtime-gc"));
}

BOOST_FIXTURE_TEST_CASE(a_test_can_ignore_a_name_from_its_body, hakit::leakcheck::fixture) {
  ignore_name("hk-fix-body");
  kept_threads.push_back(std::make_unique<parked_thread>("hk-fix-body"));
  BOOST_TEST(options().filters.ignores("hk-fix-body"));
}

BOOST_AUTO_TEST_CASE(threads_kept_past_the_tolerant_cases_stop_when_joined) {
  kept_threads.clear();
  BOOST_TEST(kept_threads.empty());
}

BOOST_AUTO_TEST_SUITE_END()
