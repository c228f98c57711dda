// The Boost.Test module of runner_model_tests (defined once per executable).
#define BOOST_TEST_MODULE runner_model
#include <boost/test/unit_test.hpp>
