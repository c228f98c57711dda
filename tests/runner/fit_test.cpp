// Least-squares fit and spread.
#include <boost/test/unit_test.hpp>

#include "runner/fit.hpp"

using hakit::runner::fit_line;
using hakit::runner::spread_of;

BOOST_AUTO_TEST_SUITE(fit)

BOOST_AUTO_TEST_CASE(exact_line_has_r2_one) {
  const auto f = fit_line({0, 100, 200, 300}, {3, 103, 203, 303});
  BOOST_TEST(f.slope == 1.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(f.intercept == 3.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(f.r2 == 1.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(f.points == 4U);
}

BOOST_AUTO_TEST_CASE(noisy_line_recovers_the_slope_with_r2_below_one) {
  std::vector<double> x;
  std::vector<double> y;
  for (int i = 0; i <= 20; ++i) {
    x.push_back(i * 50.0);
    y.push_back(3.0 + 0.5 * i * 50.0 + (i % 2 == 0 ? 4.0 : -4.0));
  }
  const auto f = fit_line(x, y);
  BOOST_TEST(f.slope == 0.5, boost::test_tools::tolerance(0.01));
  BOOST_TEST(f.r2 > 0.99);
  BOOST_TEST(f.r2 < 1.0);
}

BOOST_AUTO_TEST_CASE(single_distinct_x_gives_slope_and_r2_zero) {
  const auto f = fit_line({100, 100, 100}, {5, 7, 9});
  BOOST_TEST(f.slope == 0.0);
  BOOST_TEST(f.r2 == 0.0);
  BOOST_TEST(f.intercept == 7.0);
  const auto empty = fit_line({}, {});
  BOOST_TEST(empty.slope == 0.0);
  BOOST_TEST(empty.r2 == 0.0);
  BOOST_TEST(empty.points == 0U);
}

BOOST_AUTO_TEST_CASE(constant_y_gives_slope_zero_and_r2_zero) {
  const auto f = fit_line({0, 1, 2}, {3, 3, 3});
  BOOST_TEST(f.slope == 0.0);
  BOOST_TEST(f.r2 == 0.0);
}

BOOST_AUTO_TEST_CASE(mismatched_sizes_throw) { BOOST_CHECK_THROW(fit_line({1, 2}, {1}), std::invalid_argument); }

BOOST_AUTO_TEST_CASE(spread_is_min_max_mean_and_population_stddev) {
  const auto s = spread_of({2, 4, 4, 4, 5, 5, 7, 9});
  BOOST_TEST(s.min == 2.0);
  BOOST_TEST(s.max == 9.0);
  BOOST_TEST(s.mean == 5.0);
  BOOST_TEST(s.stddev == 2.0, boost::test_tools::tolerance(1e-12));
  const auto none = spread_of({});
  BOOST_TEST(none.mean == 0.0);
  BOOST_TEST(none.stddev == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
