// Atomic writes and checked loads of comparison documents (runner/document_io.hpp).
#include "runner/document_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace hakit::runner {
namespace {

namespace fs = std::filesystem;

std::string os_error(int err) { return std::strerror(err); }

/// Owns the temp file until it is renamed into place; removes it otherwise.
class temp_file {
 public:
  explicit temp_file(const fs::path& target) : target_(target) {
    static std::atomic<unsigned> counter{0};
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    // O_EXCL with a pid + counter name: no two writers share a temp file, and
    // the 0666 mode goes through the umask like any other created file.
    for (int attempt = 0; attempt < 100; ++attempt) {
      path_ = dir / ("." + target.filename().string() + ".tmp." + std::to_string(::getpid()) + "." +
                     std::to_string(counter.fetch_add(1)));
      fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd_ >= 0) return;
      if (errno != EEXIST) fail("cannot create a temporary file in " + dir.string(), errno);
    }
    fail("cannot create a temporary file in " + dir.string(), EEXIST);
  }

  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;

  ~temp_file() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(path_.c_str());
  }

  void write_all(std::string_view text) {
    const char* p = text.data();
    std::size_t left = text.size();
    while (left > 0) {
      const ssize_t n = ::write(fd_, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        fail("write failed", errno);
      }
      p += n;
      left -= static_cast<std::size_t>(n);
    }
  }

  void commit() {
    if (::fsync(fd_) != 0) fail("fsync failed", errno);
    const int fd = fd_;
    fd_ = -1;
    // close can report a deferred write error (NFS, quota): it must be checked.
    if (::close(fd) != 0) fail("close failed", errno);
    if (::rename(path_.c_str(), target_.c_str()) != 0) fail("rename into place failed", errno);
    committed_ = true;
    sync_directory();
  }

 private:
  [[noreturn]] void fail(const std::string& what, int err) const {
    throw output_error("cannot write " + target_.string() + ": " + what + ": " + os_error(err));
  }

  // Makes the rename itself durable; a failure here leaves a complete file, so it is not an error.
  void sync_directory() const {
    const fs::path dir = target_.has_parent_path() ? target_.parent_path() : fs::path(".");
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return;
    ::fsync(dfd);
    ::close(dfd);
  }

  fs::path target_;
  fs::path path_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace

void write_text_atomically(std::string_view text, const std::filesystem::path& path) {
  if (path.empty() || !path.has_filename()) throw output_error("cannot write \"" + path.string() + "\": not a file name");
  temp_file tmp(path);
  tmp.write_all(text);
  tmp.commit();
}

std::string serialize_document(const model::document& doc) {
  const nlohmann::json j = doc;
  return j.dump(2) + "\n";
}

void write_document_atomically(const model::document& doc, const std::filesystem::path& path) {
  write_text_atomically(serialize_document(doc), path);
}

model::document parse_document(std::string_view text, const std::string& origin) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    throw document_error(origin + " is not valid JSON: " + e.what());
  }
  if (!j.is_object()) throw document_error(origin + " is not a hakit comparison document: the top level is not an object");
  const auto schema = j.find("schema");
  if (schema == j.end() || !schema->is_string()) {
    throw document_error(origin + " has no \"schema\" string: it is not a hakit comparison document (this hakit reads " +
                         std::string(model::kSchema) + ")");
  }
  if (schema->get<std::string>() != model::kSchema) {
    throw document_error(origin + " is schema " + schema->get<std::string>() + ", this hakit reads " + model::kSchema);
  }
  try {
    return j.get<model::document>();
  } catch (const std::exception& e) {
    throw document_error(origin + ": " + e.what());
  }
}

model::document load_document(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw input_missing("cannot read " + path.string() + ": it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_missing("cannot read " + path.string() + ": " + os_error(errno));
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw input_missing("cannot read " + path.string() + ": read failed");
  return parse_document(buf.str(), path.string());
}

}  // namespace hakit::runner
