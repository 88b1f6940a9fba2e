// Helpers for tests: run the binary and external checkers, read zips, parse XML, make books.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace testing_support {

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs `command` through /bin/sh, capturing stdout and stderr.
RunResult run(const std::string& command);

// Runs the imprenta binary with `args` (already shell-quoted where needed).
RunResult imprenta(const std::string& args);

std::string quote(const std::string& s); // shell single-quoting

std::string source_dir(); // the repository
std::string shared_dir(); // ../shared beside it
bool have_shared();

// A fresh empty directory under the build tree, unique per test.
fs::path fresh_dir(const std::string& name);

void write(const fs::path& path, const std::string& content); // creates parent dirs
std::string slurp(const fs::path& path);

// All entries of a zip, in archive order, with their bytes.
struct ZipEntry {
    std::string name;
    std::string data;
    int compression = 0; // ZIP_CM_*
};
std::vector<ZipEntry> read_zip(const fs::path& path);
const ZipEntry* find_entry(const std::vector<ZipEntry>& entries, const std::string& name);

struct EpubcheckResult {
    int errors = -1;
    int warnings = -1;
    int fatals = -1;
    std::string output;
};
// Runs epubcheck 4.2.6 (java -jar /usr/share/java/epubcheck.jar) and parses its summary.
EpubcheckResult epubcheck(const fs::path& epub);
bool have_tool(const std::string& name);

std::string pdftotext(const fs::path& pdf, const std::string& extra_args = "");
RunResult qpdf_check(const fs::path& pdf);
// pdffonts rows: name -> embedded ("yes"/"no")
std::vector<std::pair<std::string, bool>> pdffonts(const fs::path& pdf);

// Rows of `pdfimages -list`: one per image drawn (an image drawn twice is listed twice, with
// the same object number).
struct PdfImageRow {
    int page = 0;
    std::string type; // "image", "smask", ...
    int width = 0, height = 0;
    std::string encoding; // "jpeg", "image", ...
    std::string object;   // object number
};
std::vector<PdfImageRow> pdfimages(const fs::path& pdf);

// A PNG of the given size and colour, for fixtures (encoded with libpng).
std::string make_png(int width, int height, unsigned rgb, bool alpha = false);

} // namespace testing_support

namespace testing_support {

// Letters and digits only, lowercased ASCII, words separated by one space: for comparing text
// that went through smart punctuation, XHTML or PDF extraction with the source it came from.
std::string normalize_words(const std::string& text);

// The paragraphs of a Markdown source (front matter, headings, footnote definitions and
// blank-line-separated blocks), with inline markup characters removed.
std::vector<std::string> markdown_paragraphs(const std::string& markdown);

// Concatenated text content of every element of an XHTML/XML document.
std::string xml_text(const std::string& xml);

} // namespace testing_support
