// The one Boost.Test module of hakit_integration_tests. The programs under test
// come after `--` on the command line (see CMakeLists.txt and program_paths.hpp).
#define BOOST_TEST_MODULE hakit integration
#include <boost/test/unit_test.hpp>
