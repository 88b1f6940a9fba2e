// Helpers for the hostile-input tests: a small good book to break, builds through the binary,
// and the checks every hostile case shares (no crash, old outputs intact, no temporary files).
#pragma once
#include "support/support.h"

#include <functional>
#include <map>
#include <string>

namespace bad_input {

using testing_support::RunResult;

// True when this test binary (and so the imprenta binary beside it) runs under ASan.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

struct Book {
    fs::path root; // the book folder
    fs::path out;  // the -o folder
};

// A buildable book in a fresh folder: book.toml (title "Hostile", slug "hostile") and
// content/a.md. Outputs are out/hostile.epub and out/hostile.pdf.
Book make_book(const std::string& name);

// Writes content/<name> (creating folders).
void write_essay(const Book& book, const std::string& name, const std::string& text);

// `imprenta build ROOT -o OUT --no-cache -q EXTRA`, with `prefix` (e.g. "ulimit -v N;") run in
// the same shell first.
RunResult build(const Book& book, const std::string& extra = "", const std::string& prefix = "");

// The process ended by itself (no signal) and no sanitizer complained.
void expect_no_crash(const RunResult& r);

// Every file below `dir` (hidden ones too), relative path -> bytes.
std::map<std::string, std::string> snapshot(const fs::path& dir);

// The output folder holds exactly `names` (so no temporary file was left behind).
void expect_only(const fs::path& dir, const std::vector<std::string>& names);

// Builds the good book into book.out (both formats), runs `breaker`, rebuilds with `extra` and
// checks: exit code 1, every string of `expect_in_err` in stderr, and the output folder exactly
// as the good build left it (byte for byte, nothing added). Returns the failed run.
RunResult expect_failure_keeps_output(const Book& book, const std::function<void()>& breaker,
                                      const std::vector<std::string>& expect_in_err,
                                      const std::string& extra = "");

// Builds and expects exit 0, every string of `expect_in_err` in stderr, and exactly the outputs
// the formats in `extra` ask for (both by default).
RunResult expect_builds_with(const Book& book, const std::vector<std::string>& expect_in_err,
                             const std::string& extra = "");

// The XHTML files of an EPUB (name -> text), each checked to parse as XML.
std::map<std::string, std::string> xhtml_files(const fs::path& epub);

// epubcheck reports no fatal, error or warning (skipped without java).
void expect_epubcheck_clean(const fs::path& epub);

// A file outside the book and outside the output folder whose content must never reach an
// output, and a snapshot of everything around the book, to show nothing was written outside
// the output folder either.
struct Canary {
    fs::path file;                             // beside the book folder
    std::string secret;                        // its content, a word found nowhere else
    std::map<std::string, std::string> around; // the test folder minus the output folder
};
Canary plant_canary(const Book& book);

// Nothing outside the output folder was created, changed or removed since plant_canary, and the
// canary's secret is in no output (files, EPUB entries, PDF text) and not on stdout/stderr.
void expect_contained(const Book& book, const Canary& canary, const RunResult& r);

// A PNG whose IHDR declares width×height and whose one IDAT holds `idat` (valid CRCs).
std::string png_with_header(uint32_t width, uint32_t height, const std::string& idat);

} // namespace bad_input
