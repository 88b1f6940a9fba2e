#include "cli/usage.h"

#include "cli/temp_dir.h"
#include "util/fs.h"

#include <algorithm>
#include <cstdlib>
#include <sys/wait.h>
#include <unistd.h>

namespace imprenta::cli {

extern const char* const kManPage; // generated/man_page.cpp

namespace {

constexpr const char* kCommands[] = {"build", "check", "clean", "init", "watch", "help"};

constexpr const char* kShortUsage =
    R"(imprenta - EPUB 3 and print PDF from a folder of Markdown essays

Usage: imprenta <command> [BOOK] [options]

Commands:
  build   build the EPUB and the PDF into BOOK/dist
  check   report every problem build would, writing nothing (--format json for CI)
  clean   remove what build wrote
  init    start a new book folder (--hugo: a Hugo site)
  watch   build, then rebuild on every save (build's options; Ctrl-C stops)
  help    show the manual

BOOK defaults to the book around the current folder; 'imprenta --help' lists the options.
)";

constexpr const char* kHelp =
    R"(imprenta )" IMPRENTA_VERSION
    R"( - builds an EPUB 3 and a print-ready PDF from a folder of Markdown essays

Usage:
  imprenta build [BOOK | ESSAY.md] [-o OUT] [--format epub,pdf] [--lang LANG] [--strict] [-q|-v]
  imprenta check [BOOK | ESSAY.md] [--format text|json] [--strict] [--lang LANG]
  imprenta clean [BOOK] [-o OUT]
  imprenta init [DIR] [--hugo]
  imprenta watch [BOOK] [build options]
  imprenta help | --help | --version

BOOK is a book folder (content/, optional assets/, templates/, book.toml), a Hugo
site (hugo.toml, with an optional book.toml beside it) or a bare folder of essays.
Without BOOK, the book is the nearest folder at or above the current one with a
book.toml or a Hugo configuration, else the current folder. A book with several
languages (content/<lang>/ or Hugo languages) gives one EPUB and one PDF per language.
ESSAY.md builds a one-chapter book named after the file.

Options:
  -o, --output OUT     where to write the files (default BOOK/dist); files are named
                       from the book's slug: <slug>.epub, <slug>.pdf
  -f, --format LIST    build: epub, pdf or epub,pdf (default epub,pdf);
                       check: text or json (diagnostics, see docs/check.schema.json)
  -l, --lang LANG      only the edition in language LANG
  -D, --drafts         include drafts, as hugo -D
  -F, --future         include pages dated in the future, as hugo -F
  -E, --expired        include pages past their expiryDate, as hugo -E
      --strict         treat every warning as an error (nothing is written)
  -q, --quiet          print only warnings and errors, no progress line
  -v, --verbose        also say where the book was found and each file's size in bytes
      --cache-dir DIR  where transcoded images are cached (default ~/.cache/imprenta)
      --release-version V  name outputs <slug>-V.epub/.pdf and write SHA256SUMS
                       (overrides book.toml's version)
      --no-cache       do not cache transcoded images
      --hugo           init: a Hugo site (hugo-book layout) instead of a book folder
  -h, --help           show this help
  -V, --version        show the version

Exit status: 0 built (check: no errors), 1 not built or errors found, 2 bad usage.
)";

// One roff line's inline escapes as plain text.
std::string roff_inline(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\' || i + 1 >= s.size()) {
            out += s[i];
            continue;
        }
        char c = s[++i];
        if (c == 'f' && i + 1 < s.size()) {
            ++i; // \fB \fI \fR \fP: fonts do not exist in plain text
        } else if (c == '(' && i + 2 < s.size()) {
            std::string_view name = s.substr(i + 1, 2);
            out += name == "em" ? "--" : name == "bu" ? "*" : "";
            i += 2;
        } else if (c == '-' || c == '.' || c == '\'') {
            out += c;
        } else if (c == 'e') {
            out += '\\';
        } // \& and unknown escapes: nothing
    }
    return out;
}

// The words of a macro line (".BR imprenta (1)"), quotes removed, joined without spaces for the
// alternating-font macros and with them otherwise.
std::string macro_text(std::string_view macro, std::string_view rest) {
    std::vector<std::string> words;
    for (size_t i = 0; i < rest.size();) {
        while (i < rest.size() && rest[i] == ' ')
            ++i;
        if (i >= rest.size()) break;
        size_t end;
        if (rest[i] == '"') {
            end = rest.find('"', i + 1);
            if (end == std::string_view::npos) end = rest.size();
            words.emplace_back(rest.substr(i + 1, end - i - 1));
            i = end + 1;
        } else {
            end = std::min(rest.find(' ', i), rest.size());
            words.emplace_back(rest.substr(i, end - i));
            i = end;
        }
    }
    bool alternating = macro.size() == 2 && macro != "SH" && macro != "SS" && macro != "TH";
    std::string out;
    for (size_t i = 0; i < words.size(); ++i)
        out += (i && !alternating ? " " : "") + words[i];
    return roff_inline(out);
}

} // namespace

void print_short_usage(std::FILE* out) {
    std::fputs(kShortUsage, out);
}

void print_help(std::FILE* out) {
    std::fputs(kHelp, out);
}

namespace {

// Filled paragraphs at an indent, as man(1) lays them out on an 80-column terminal.
class TextPage {
public:
    void add(const std::string& words) {
        if (!para_.empty() && !words.empty()) para_ += ' ';
        para_ += words;
    }
    void flush() {
        if (para_.empty()) return;
        size_t width = 78 - std::min<size_t>(indent_, 40);
        std::string line;
        size_t at = 0;
        while (at < para_.size()) {
            size_t end = std::min(para_.find(' ', at), para_.size());
            std::string word = para_.substr(at, end - at);
            if (!line.empty() && line.size() + 1 + word.size() > width) emit(line);
            if (!line.empty()) line += ' ';
            line += word;
            at = end + 1;
        }
        emit(line);
        para_.clear();
    }
    void verbatim(const std::string& line) { emit_raw(line); }
    void blank() {
        flush();
        if (!out_.empty() && !out_.ends_with("\n\n")) out_ += '\n';
    }
    void heading(const std::string& text, int indent) {
        blank();
        out_.append(indent, ' ').append(text).append("\n");
    }
    void set_indent(int n) { indent_ = n; }
    std::string take() {
        flush();
        return std::move(out_);
    }

private:
    void emit(std::string& line) {
        if (!line.empty()) out_.append(indent_, ' ').append(line).append("\n");
        line.clear();
    }
    void emit_raw(const std::string& line) { out_.append(indent_, ' ').append(line).append("\n"); }

    std::string out_, para_;
    int indent_ = 0;
};

} // namespace

std::string manual_as_text() {
    TextPage page;
    std::string_view src = kManPage;
    bool tag_next = false, nofill = false;
    for (size_t pos = 0; pos < src.size();) {
        size_t nl = std::min(src.find('\n', pos), src.size());
        std::string_view l = src.substr(pos, nl - pos);
        pos = nl + 1;
        if (l.starts_with(".\\\"")) continue;
        std::string text;
        if (l.starts_with(".")) {
            size_t sp = std::min(l.find(' '), l.size());
            std::string_view macro = l.substr(1, sp - 1);
            std::string_view rest = sp < l.size() ? l.substr(sp + 1) : "";
            if (macro == "SH" || macro == "SS") {
                page.heading(macro_text(macro, rest), macro == "SS" ? 3 : 0);
                page.set_indent(7);
                continue;
            }
            if (macro == "PP" || macro == "P" || macro == "LP" || macro == "TP") {
                page.blank();
                page.set_indent(7);
                tag_next = macro == "TP";
                continue;
            }
            if (macro == "br") page.flush();
            if (macro == "nf") page.flush(), nofill = true;
            if (macro == "fi") nofill = false;
            if (macro.size() > 2 || macro.empty() || macro == "br" || macro == "nf" ||
                macro == "fi" || macro == "TH" || macro == "RS" || macro == "RE")
                continue;
            text = macro_text(macro, rest);
        } else {
            text = roff_inline(l);
        }
        if (nofill) {
            page.verbatim(text);
        } else if (tag_next) {
            page.add(text);
            page.flush();
            page.set_indent(14);
            tag_next = false;
        } else {
            page.add(text);
        }
    }
    return page.take();
}

int show_manual(const std::vector<std::string>& args) {
    (void)args; // one page covers every command
    if (isatty(STDOUT_FILENO) && std::system("command -v man >/dev/null 2>&1") == 0) {
        TempDir dir;
        std::filesystem::path page = dir.path() / "imprenta.1";
        util::write_file_atomic(page, kManPage);
        // $TMPDIR may hold any character: single-quoted, with each ' closed and escaped.
        std::string quoted;
        for (char c : page.string())
            quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
        std::string cmd = "man -l '" + quoted + "'";
        int rc = std::system(cmd.c_str());
        if (rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0) return 0;
    }
    std::fputs(manual_as_text().c_str(), stdout);
    return 0;
}

int edit_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment: Levenshtein plus transposition of two neighbours ("biuld").
    std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); ++i)
        d[i][0] = int(i);
    for (size_t j = 0; j <= b.size(); ++j)
        d[0][j] = int(j);
    for (size_t i = 1; i <= a.size(); ++i)
        for (size_t j = 1; j <= b.size(); ++j) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

std::string unknown_command_message(const std::string& command) {
    std::string msg = "unknown command '" + command + "'";
    if (command.size() > 64) return msg;
    const char* best = nullptr;
    int best_d = 3; // more than two edits away is another word, not a typo
    for (const char* c : kCommands) {
        int d = edit_distance(command, c);
        if (d < best_d) best = c, best_d = d;
    }
    if (best) return msg + " (did you mean '" + best + "'?)";
    return msg + " (commands: build, check, clean, init, watch, help)";
}

} // namespace imprenta::cli
