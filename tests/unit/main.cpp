// The one Boost.Test module definition, compiled into each unit test executable.
#define BOOST_TEST_MODULE hakit unit
#include <boost/test/unit_test.hpp>
