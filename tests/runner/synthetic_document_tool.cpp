// Writes the synthetic document (or a report of it) for the script-driven
// tests: schema validation, JUnit parsing, HTML in headless Chromium.
//   runner_synthetic_document json|md|html|junit|text OUT [--failing] [--repetitions] [--drop-verdict]
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "runner/document_io.hpp"
#include "runner/report.hpp"
#include "synthetic_document.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: " << argv[0] << " json|md|html|junit|text OUT [--failing] [--repetitions] [--drop-verdict]\n";
    return 64;
  }
  const std::string what = argv[1];
  const std::string out = argv[2];
  const std::vector<std::string> flags(argv + 3, argv + argc);
  const auto has = [&](const char* f) { return std::find(flags.begin(), flags.end(), f) != flags.end(); };
  try {
    auto doc = hakit::test::synthetic_document();
    if (has("--failing")) {
      // fixed leaks on one path, buggy fails on another: a failure and an error.
      doc.scenarios[1].variants["fixed"] =
          hakit::test::synthetic_variant(hakit::runner::kRoleCandidateFix, "no-leak", 1000, 1, 4000);
      doc.scenarios[2].variants["buggy"].error = "ha-master-buggy exited <1> & dumped core";
      doc.scenarios[2].variants["buggy"].observed = "error";
      hakit::runner::apply_verdicts(doc);
    }
    if (has("--repetitions")) hakit::test::add_repetitions(doc);
    if (what == "json") {
      nlohmann::json j = doc;
      if (has("--drop-verdict")) j.erase("verdict");
      hakit::runner::write_text_atomically(j.dump(2) + "\n", out);
    } else {
      hakit::runner::write_text_atomically(
          hakit::runner::render_report(doc, hakit::runner::parse_report_format(what)), out);
    }
  } catch (const std::exception& e) {
    std::cerr << argv[0] << ": " << e.what() << "\n";
    return 70;
  }
  return 0;
}
