// Diagnostics: every warning and error the build reports, as `path:line:col: severity: message`.
#pragma once
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace imprenta::util {

// A place in an input file. line/col are 1-based; 0 means "unknown" and is not printed.
struct SourcePos {
    std::string file;
    int line = 0;
    int col = 0;
};

std::string format_pos(const SourcePos& pos);

// Thrown for anything that stops the build; caught once, in the CLI.
class BuildError : public std::runtime_error {
public:
    BuildError(SourcePos pos, const std::string& message)
        : std::runtime_error(message), pos_(std::move(pos)) {}
    const SourcePos& pos() const { return pos_; }
    // `file:line:col: error: message`
    std::string formatted() const;

private:
    SourcePos pos_;
};

// A note tells what was done on purpose (a file left out); it never fails --strict.
enum class Severity { Warning, Error, Note };

struct Diagnostic {
    Severity severity;
    SourcePos pos;
    std::string message;
    // Diagnostics of one kind that a book can give hundreds of times (one per image), told as a
    // phrase for the summary line: "images print below 150 ppi". Empty: never folded.
    std::string group = {};
};

// Collects diagnostics from all stages (thread-safe) and prints them, in the order reported, at
// flush(). Work spread over threads reports into one Diagnostics per item and hands them on in
// the items' order (doc::assemble_book does so per essay), so the report is the same every run.
class Diagnostics {
public:
    void warning(const SourcePos& pos, const std::string& message);
    // A warning of `group` (see Diagnostic::group): flush(out, true) prints the first few.
    void warning(const SourcePos& pos, const std::string& message, const std::string& group);
    void error(const SourcePos& pos, const std::string& message);
    void note(const SourcePos& pos, const std::string& message);

    int warning_count() const;
    int error_count() const;
    std::vector<Diagnostic> all() const;

    // Prints every diagnostic not yet printed to `out`, in the order they were reported. With
    // `fold`, only the first kShownPerGroup of a group are printed, then one note says how many
    // more there are, as compilers do; counts and all() keep every one.
    void flush(std::FILE* out, bool fold = false);
    static constexpr int kShownPerGroup = 3;

private:
    mutable std::mutex mu_;
    std::vector<Diagnostic> items_;
    size_t printed_ = 0;
    std::map<std::string, int> shown_; // group -> how many of it were printed
};

std::string format_diagnostic(const Diagnostic& d);

} // namespace imprenta::util
