// A Boost.Test fixture that fails the test case whose code left threads running.
// Link Boost::unit_test_framework as well; this header is the only part of
// hakit::leakcheck that needs it.
//
//   BOOST_FIXTURE_TEST_CASE(closes_cleanly, hakit::leakcheck::fixture) { ... }
//   BOOST_AUTO_TEST_CASE(closes_cleanly, *boost::unit_test::fixture<hakit::leakcheck::fixture>()) { ... }
//   BOOST_TEST_GLOBAL_FIXTURE(hakit::leakcheck::fixture);  // the whole module
#pragma once

#include <string>
#include <utility>

#include <boost/test/unit_test.hpp>

#include "hakit/leakcheck.hpp"

namespace hakit::leakcheck {

/// Takes a baseline when constructed and checks it in teardown(), which
/// Boost.Test calls after the test body, so assertions still count for the test.
class fixture {
 public:
  /// Baseline with the default settle figures (window 200 ms, deadline 5 s).
  fixture() : fixture(settle_options{}) {}

  /// Baseline with given settle figures and filters; derive to use it in a macro.
  explicit fixture(settle_options options) : options_(std::move(options)), baseline_(baseline::take()) {}

  fixture(const fixture&) = delete;
  fixture& operator=(const fixture&) = delete;
  virtual ~fixture() = default;

  /// Called by Boost.Test before the test body; the baseline is already taken.
  void setup() {}

  /// Called by Boost.Test after the test body: fails the test when threads leaked.
  void teardown() {
    last_report_ = baseline_.check(options_);
    if (!last_report_.clean()) {
      BOOST_TEST_ERROR(last_report_.summary());
    }
  }

  /// Ignores threads named exactly `name` (e.g. a runtime's own worker).
  void ignore_name(std::string name) { options_.filters.names.push_back(std::move(name)); }

  /// Ignores threads whose name starts with `prefix`.
  void ignore_prefix(std::string prefix) { options_.filters.prefixes.push_back(std::move(prefix)); }

  /// The settle figures and filters the check will use; may be changed by the test.
  settle_options& options() noexcept { return options_; }

  /// The report of the last teardown(), for fixtures derived from this one.
  [[nodiscard]] const report& last_report() const noexcept { return last_report_; }

 private:
  settle_options options_;
  baseline baseline_;
  report last_report_;
};

}  // namespace hakit::leakcheck
