// Exit codes of the `hakit` CLI: one per verdict, so CI can gate on them, and
// sysexits-style codes for everything that is not a verdict.
#pragma once

namespace hakit::exit_code {

inline constexpr int kValidated = 0;       ///< buggy leaks where the bug applies, fixed leaks nothing
inline constexpr int kFixIneffective = 1;  ///< the candidate fix still leaks on some close path
inline constexpr int kNotReproduced = 2;   ///< the buggy variant did not leak: the comparison proves nothing
inline constexpr int kInconclusive = 3;    ///< harness failure: crash, ceiling, too few connections, timeout
inline constexpr int kRegression = 4;      ///< `hakit compare`: NEW is worse than OLD
inline constexpr int kUsage = 64;          ///< bad command line (EX_USAGE)
inline constexpr int kDataError = 65;      ///< an input document is unreadable or of another schema (EX_DATAERR)
inline constexpr int kNoInput = 66;        ///< an input file or process does not exist (EX_NOINPUT)
inline constexpr int kSoftware = 70;       ///< internal error (EX_SOFTWARE)
inline constexpr int kIoError = 74;        ///< output could not be written, e.g. disk full (EX_IOERR)
inline constexpr int kInterrupted = 130;   ///< SIGINT / SIGTERM: children stopped, partial document written

}  // namespace hakit::exit_code
