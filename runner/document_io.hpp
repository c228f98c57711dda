// Reading and writing comparison documents and reports: atomic writes (temp
// file, fsync, rename) and loads that say exactly what is wrong with a file.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include "runner/model.hpp"

namespace hakit::runner {

/// An input file is missing or cannot be read (exit code kNoInput).
class input_missing : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An input is not a valid comparison document of this schema (exit code kDataError).
class document_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An output could not be written, e.g. disk full (exit code kIoError).
class output_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Writes `text` to `path` atomically: a temp file in the same directory,
/// fsync, rename into place, fsync of the directory. On any failure the temp
/// file is removed, `path` keeps its old content (or stays absent), and
/// output_error names the path and the OS error.
void write_text_atomically(std::string_view text, const std::filesystem::path& path);

/// The document as written to disk: pretty-printed JSON with a final newline.
std::string serialize_document(const model::document& doc);

/// write_text_atomically(serialize_document(doc), path).
void write_document_atomically(const model::document& doc, const std::filesystem::path& path);

/// Parses a document; `origin` names it in error messages. Throws document_error
/// for invalid JSON, another schema version, or a missing / mistyped field.
model::document parse_document(std::string_view text, const std::string& origin);

/// Reads and parses a document file. Throws input_missing when the file cannot
/// be read, document_error as parse_document.
model::document load_document(const std::filesystem::path& path);

}  // namespace hakit::runner
