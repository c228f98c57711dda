// The one Boost.Test module of hakit_leakcheck_tests.
#define BOOST_TEST_MODULE hakit leakcheck
#include <boost/test/unit_test.hpp>
