// Atomic writes: a failed write leaves no file and no temp file behind; a
// successful one replaces the old file whole. Loads name what is wrong.
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/test/unit_test.hpp>

#include "runner/document_io.hpp"
#include "synthetic_document.hpp"

namespace fs = std::filesystem;
namespace runner = hakit::runner;

namespace {

/// A fresh directory under the system temp directory, removed at the end.
struct temp_dir {
  fs::path path;
  temp_dir() {
    path = fs::temp_directory_path() / ("hakit-io-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::size_t entries() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(path), fs::directory_iterator()));
  }
};

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(document_io)

BOOST_AUTO_TEST_CASE(write_then_load_round_trips) {
  temp_dir dir;
  const auto d = hakit::test::synthetic_document();
  runner::write_document_atomically(d, dir.path / "comparison.json");
  BOOST_TEST(dir.entries() == 1U);
  const auto back = runner::load_document(dir.path / "comparison.json");
  BOOST_TEST(nlohmann::json(back) == nlohmann::json(d));
}

BOOST_AUTO_TEST_CASE(write_into_a_missing_directory_throws_and_leaves_nothing) {
  temp_dir dir;
  const auto target = dir.path / "no-such-dir" / "comparison.json";
  try {
    runner::write_document_atomically(hakit::test::synthetic_document(), target);
    BOOST_FAIL("no exception");
  } catch (const runner::output_error& e) {
    BOOST_TEST(contains(e.what(), target.string()), e.what());
    BOOST_TEST(contains(e.what(), "No such file or directory"), e.what());
  }
  BOOST_TEST(!fs::exists(target));
  BOOST_TEST(dir.entries() == 0U);
}

BOOST_AUTO_TEST_CASE(write_over_a_directory_throws_and_removes_the_temp_file) {
  // rename() onto a directory fails after the temp file was written: the
  // cleanup path, reachable even as root (where permission bits do not stop writes).
  temp_dir dir;
  const auto target = dir.path / "report.html";
  fs::create_directory(target);
  BOOST_CHECK_THROW(runner::write_text_atomically("<html></html>", target), runner::output_error);
  BOOST_TEST(fs::is_directory(target));
  BOOST_TEST(dir.entries() == 1U);
}

BOOST_AUTO_TEST_CASE(write_under_a_regular_file_throws) {
  temp_dir dir;
  std::ofstream(dir.path / "plain") << "x";
  BOOST_CHECK_THROW(runner::write_text_atomically("x", dir.path / "plain" / "out.json"), runner::output_error);
  BOOST_TEST(dir.entries() == 1U);
}

BOOST_AUTO_TEST_CASE(disk_full_keeps_the_old_file_and_leaves_no_temp) {
  // RLIMIT_FSIZE makes write() fail with EFBIG part-way, as a full disk would.
  temp_dir dir;
  const auto target = dir.path / "comparison.json";
  runner::write_text_atomically("old content\n", target);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit old_limit{};
  ::getrlimit(RLIMIT_FSIZE, &old_limit);
  rlimit small = old_limit;
  small.rlim_cur = 4096;
  BOOST_REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
  std::string message;
  try {
    runner::write_text_atomically(std::string(1 << 20, 'x'), target);
  } catch (const runner::output_error& e) {
    message = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);
  BOOST_TEST(contains(message, target.string()), message);
  BOOST_TEST(contains(message, "File too large"), message);
  BOOST_TEST(read_all(target) == "old content\n");
  BOOST_TEST(dir.entries() == 1U);
}

BOOST_AUTO_TEST_CASE(an_existing_file_is_replaced_whole) {
  temp_dir dir;
  const auto target = dir.path / "report.md";
  runner::write_text_atomically(std::string(10000, 'a'), target);
  runner::write_text_atomically("short\n", target);
  BOOST_TEST(read_all(target) == "short\n");
  BOOST_TEST(dir.entries() == 1U);
}

BOOST_AUTO_TEST_CASE(load_names_missing_files_bad_json_and_other_schemas) {
  temp_dir dir;
  try {
    (void)runner::load_document(dir.path / "absent.json");
    BOOST_FAIL("no exception");
  } catch (const runner::input_missing& e) {
    BOOST_TEST(contains(e.what(), "absent.json: No such file or directory"), e.what());
  }
  std::ofstream(dir.path / "bad.json") << "{ not json";
  BOOST_CHECK_THROW((void)runner::load_document(dir.path / "bad.json"), runner::document_error);
  nlohmann::json j = hakit::test::synthetic_document();
  j["schema"] = "hakit.comparison/0";
  std::ofstream(dir.path / "old.json") << j.dump();
  try {
    (void)runner::load_document(dir.path / "old.json");
    BOOST_FAIL("no exception");
  } catch (const runner::document_error& e) {
    BOOST_TEST(contains(e.what(), "is schema hakit.comparison/0, this hakit reads hakit.comparison/1"), e.what());
  }
}

BOOST_AUTO_TEST_SUITE_END()
