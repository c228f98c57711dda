// `hakit report` and `hakit compare` exit codes and outputs.
#define BOOST_TEST_MODULE runner_commands
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/test/unit_test.hpp>

#include "runner/document_io.hpp"
#include "runner/exit_codes.hpp"
#include "runner/report_command.hpp"
#include "synthetic_document.hpp"

namespace fs = std::filesystem;
namespace runner = hakit::runner;
namespace ec = hakit::exit_code;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// A directory with a valid document, a document of another schema and a broken file.
struct fixture {
  fs::path dir = fs::temp_directory_path() / ("hakit-cmd-test-" + std::to_string(::getpid()));
  std::ostringstream out;
  std::ostringstream err;

  fixture() {
    fs::remove_all(dir);
    fs::create_directories(dir);
    runner::write_document_atomically(hakit::test::synthetic_document(), dir / "doc.json");
    nlohmann::json other = hakit::test::synthetic_document();
    other["schema"] = "hakit.comparison/9";
    std::ofstream(dir / "other.json") << other.dump();
    std::ofstream(dir / "broken.json") << "{\"schema\": \"hakit.comparison/1\"}";
  }
  ~fixture() {
    std::error_code e;
    fs::remove_all(dir, e);
  }
  std::string p(const char* name) const { return (dir / name).string(); }
  int report(const std::vector<std::string>& args) { return runner::report_command(args, out, err); }
  int compare(const std::vector<std::string>& args) { return runner::compare_command(args, out, err); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(report_command, fixture)

BOOST_AUTO_TEST_CASE(renders_to_stdout_by_default) {
  BOOST_TEST(report({p("doc.json"), "--format", "md"}) == 0);
  BOOST_TEST(out.str().rfind("## hakit verdict: **validated**", 0) == 0U);
  BOOST_TEST(err.str().empty());
}

BOOST_AUTO_TEST_CASE(writes_out_file_atomically) {
  BOOST_TEST(report({p("doc.json"), "--format=junit", "--out", p("report.xml")}) == 0);
  BOOST_TEST(out.str().empty());
  BOOST_TEST(fs::file_size(dir / "report.xml") > 0U);
}

BOOST_AUTO_TEST_CASE(help_documents_every_flag_and_an_example) {
  BOOST_TEST(report({"--help"}) == 0);
  BOOST_TEST(contains(out.str(), "--format"));
  BOOST_TEST(contains(out.str(), "--out"));
  BOOST_TEST(contains(out.str(), "default: text"));
  BOOST_TEST(contains(out.str(), "Example:"));
}

BOOST_AUTO_TEST_CASE(bad_arguments_exit_64_with_a_hint) {
  BOOST_TEST(report({}) == ec::kUsage);
  BOOST_TEST(contains(err.str(), "hint: run `hakit report --help`"));
  BOOST_TEST(report({p("doc.json"), "--format", "pdf"}) == ec::kUsage);
  BOOST_TEST(report({p("doc.json"), "--bogus"}) == ec::kUsage);
  BOOST_TEST(report({p("doc.json"), p("doc.json")}) == ec::kUsage);
}

BOOST_AUTO_TEST_CASE(missing_file_exits_66_bad_document_65) {
  BOOST_TEST(report({p("absent.json")}) == ec::kNoInput);
  BOOST_TEST(report({p("other.json")}) == ec::kDataError);
  BOOST_TEST(contains(err.str(), "is schema hakit.comparison/9, this hakit reads hakit.comparison/1"), err.str());
  BOOST_TEST(report({p("broken.json")}) == ec::kDataError);
  BOOST_TEST(contains(err.str(), "missing key"), err.str());
}

BOOST_AUTO_TEST_CASE(unwritable_out_exits_74) {
  BOOST_TEST(report({p("doc.json"), "--out", p("no-such-dir/report.txt")}) == ec::kIoError);
  BOOST_TEST(contains(err.str(), "no-such-dir/report.txt"), err.str());
}

BOOST_AUTO_TEST_CASE(compare_identical_documents_exits_0) {
  BOOST_TEST(compare({p("doc.json"), p("doc.json")}) == 0);
  BOOST_TEST(contains(out.str(), "no regression"));
}

BOOST_AUTO_TEST_CASE(compare_regression_exits_4) {
  auto slower = hakit::test::synthetic_document();
  slower.scenarios[0].variants["buggy"].cycles_per_s *= 0.5;
  runner::write_document_atomically(slower, dir / "slower.json");
  BOOST_TEST(compare({p("doc.json"), p("slower.json"), "--format", "md"}) == ec::kRegression);
  BOOST_TEST(contains(out.str(), "REGRESSION"), out.str());
  BOOST_TEST(compare({p("doc.json"), p("slower.json"), "--max-slowdown", "0.6"}) == 0);
}

BOOST_AUTO_TEST_CASE(compare_errors_have_their_exit_codes) {
  BOOST_TEST(compare({p("doc.json")}) == ec::kUsage);
  BOOST_TEST(compare({p("doc.json"), p("doc.json"), "--max-slowdown", "abc"}) == ec::kUsage);
  BOOST_TEST(compare({p("doc.json"), p("doc.json"), "--max-slowdown", "1.5"}) == ec::kUsage);
  BOOST_TEST(compare({p("doc.json"), p("doc.json"), "--format", "html"}) == ec::kUsage);
  BOOST_TEST(compare({p("doc.json"), p("absent.json")}) == ec::kNoInput);
  BOOST_TEST(compare({p("doc.json"), p("other.json")}) == ec::kDataError);
  auto renamed = hakit::test::synthetic_document();
  for (auto& s : renamed.scenarios) s.name = "x-" + s.name;
  runner::write_document_atomically(renamed, dir / "renamed.json");
  BOOST_TEST(compare({p("doc.json"), p("renamed.json")}) == ec::kDataError);
  BOOST_TEST(contains(err.str(), "no scenario in common"), err.str());
  BOOST_TEST(compare({"--help"}) == 0);
  BOOST_TEST(contains(out.str(), "--max-slowdown"));
  BOOST_TEST(contains(out.str(), "default: 0.10"));
}

BOOST_AUTO_TEST_SUITE_END()
