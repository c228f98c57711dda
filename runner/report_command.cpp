// `hakit report` and `hakit compare` (runner/report_command.hpp).
#include "runner/report_command.hpp"

#include <boost/program_options.hpp>

#include "runner/compare.hpp"
#include "runner/document_io.hpp"
#include "runner/exit_codes.hpp"
#include "runner/report.hpp"

namespace hakit::runner {
namespace {

namespace po = boost::program_options;

int usage_error(std::ostream& err, const std::string& command, const std::string& message) {
  err << "hakit " << command << ": " << message << "\n"
      << "hint: run `hakit " << command << " --help` for the options and an example\n";
  return exit_code::kUsage;
}

/// Parses `args`; throws po::error on a bad command line.
void parse(const std::vector<std::string>& args, const po::options_description& options,
           const po::positional_options_description& positional, po::variables_map& vm) {
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
  po::notify(vm);
}

/// Writes `text` to `--out` atomically, or to `out`.
int emit(const std::string& text, const po::variables_map& vm, std::ostream& out, std::ostream& err,
         const std::string& command) {
  if (vm.count("out") != 0U) {
    try {
      write_text_atomically(text, vm["out"].as<std::string>());
    } catch (const output_error& e) {
      err << "hakit " << command << ": " << e.what() << "\n";
      return exit_code::kIoError;
    }
    return exit_code::kValidated;
  }
  out << text;
  out.flush();
  if (!out) {
    err << "hakit " << command << ": cannot write to standard output\n";
    return exit_code::kIoError;
  }
  return exit_code::kValidated;
}

/// Loads a document, mapping failures to their exit codes; 0 on success.
int load(const std::string& path, model::document& doc, std::ostream& err, const std::string& command) {
  try {
    doc = load_document(path);
  } catch (const input_missing& e) {
    err << "hakit " << command << ": " << e.what() << "\n";
    return exit_code::kNoInput;
  } catch (const document_error& e) {
    err << "hakit " << command << ": " << e.what() << "\n";
    return exit_code::kDataError;
  }
  return 0;
}

}  // namespace

int report_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  po::options_description options(
      "Usage: hakit report DOC [--format text|md|html|junit] [--out FILE]\n\n"
      "Renders a comparison document written by `hakit run`.\n\n"
      "Options");
  options.add_options()
      ("help,h", "show this help and exit")
      ("format,f", po::value<std::string>()->default_value("text"),
       "text (what `hakit run` prints), md (a Markdown table for a pull request), html (one self-contained "
       "page with charts), junit (JUnit XML for CI); default: text")
      ("out,o", po::value<std::string>(),
       "write the report to FILE atomically instead of standard output; default: standard output");
  po::options_description hidden;
  hidden.add_options()("document", po::value<std::vector<std::string>>(), "comparison document");
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("document", -1);

  po::variables_map vm;
  try {
    parse(args, all, positional, vm);
  } catch (const po::error& e) {
    return usage_error(err, "report", e.what());
  }
  if (vm.count("help") != 0U) {
    out << options << "\nExit codes: 0 rendered, 64 bad arguments, 65 not a hakit.comparison/1 document, "
        << "66 DOC missing or unreadable, 74 FILE could not be written.\n\n"
        << "Example:\n  hakit report results/comparison.json --format md --out comparison.md\n";
    return exit_code::kValidated;
  }
  const auto docs = vm.count("document") != 0U ? vm["document"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (docs.size() != 1) {
    return usage_error(err, "report", docs.empty() ? "missing DOC, the comparison document to render"
                                                   : "expected one DOC, got " + std::to_string(docs.size()));
  }
  report_format format{};
  try {
    format = parse_report_format(vm["format"].as<std::string>());
  } catch (const std::invalid_argument& e) {
    return usage_error(err, "report", e.what());
  }

  model::document doc;
  if (const int rc = load(docs.front(), doc, err, "report"); rc != 0) return rc;
  return emit(render_report(doc, format), vm, out, err, "report");
}

int compare_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  po::options_description options(
      "Usage: hakit compare OLD.json NEW.json [--max-slowdown 0.10] [--format text|md] [--out FILE]\n\n"
      "Compares two comparison documents scenario by scenario and variant by variant. NEW regressed when a\n"
      "variant that leaked nothing now leaks, a scenario or overall verdict that was validated is no longer,\n"
      "or a variant's cycles/s fell by more than --max-slowdown.\n\n"
      "Options");
  options.add_options()
      ("help,h", "show this help and exit")
      ("max-slowdown", po::value<double>()->default_value(0.10, "0.10"),
       "largest allowed fall of cycles/s as a fraction of OLD (0.10 = 10 %); default: 0.10")
      ("format,f", po::value<std::string>()->default_value("text"), "text or md; default: text")
      ("out,o", po::value<std::string>(),
       "write the comparison to FILE atomically instead of standard output; default: standard output");
  po::options_description hidden;
  hidden.add_options()("documents", po::value<std::vector<std::string>>(), "OLD and NEW");
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("documents", -1);

  po::variables_map vm;
  try {
    parse(args, all, positional, vm);
  } catch (const po::error& e) {
    return usage_error(err, "compare", e.what());
  }
  if (vm.count("help") != 0U) {
    out << options << "\nExit codes: 0 no regression, 4 regression, 64 bad arguments, 65 a document of another "
        << "schema or no scenario in common, 66 a file missing or unreadable, 74 FILE could not be written.\n\n"
        << "Example:\n  hakit compare results/reference.json results/comparison.json --max-slowdown 0.15 --format md\n";
    return exit_code::kValidated;
  }
  const auto docs = vm.count("documents") != 0U ? vm["documents"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (docs.size() != 2) {
    return usage_error(err, "compare", "expected OLD.json and NEW.json, got " + std::to_string(docs.size()) +
                                           " document" + (docs.size() == 1 ? "" : "s"));
  }
  report_format format{};
  try {
    format = parse_report_format(vm["format"].as<std::string>());
  } catch (const std::invalid_argument& e) {
    return usage_error(err, "compare", e.what());
  }
  if (format != report_format::text && format != report_format::md) {
    return usage_error(err, "compare", "--format must be text or md");
  }
  compare_options opts;
  opts.max_slowdown = vm["max-slowdown"].as<double>();
  if (!(opts.max_slowdown >= 0.0 && opts.max_slowdown < 1.0)) {
    return usage_error(err, "compare", "--max-slowdown must be a fraction in [0, 1), e.g. 0.10 for 10 %");
  }

  model::document old_doc;
  model::document new_doc;
  if (const int rc = load(docs[0], old_doc, err, "compare"); rc != 0) return rc;
  if (const int rc = load(docs[1], new_doc, err, "compare"); rc != 0) return rc;
  comparison c;
  try {
    c = compare_documents(old_doc, new_doc, opts);
  } catch (const document_error& e) {
    err << "hakit compare: " << e.what() << "\n";
    return exit_code::kDataError;
  }
  if (const int rc = emit(render_comparison(c, format), vm, out, err, "compare"); rc != 0) return rc;
  return exit_code_for(c);
}

}  // namespace hakit::runner
