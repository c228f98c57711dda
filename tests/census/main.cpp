// The one Boost.Test module of hakit_census_tests.
#define BOOST_TEST_MODULE hakit census
#include <boost/test/unit_test.hpp>
