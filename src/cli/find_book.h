// Which book a command works on: the folder or file named on the command line, or, when none is,
// the nearest folder at or above the current one with a book.toml or a Hugo configuration (as git
// finds .git).
#pragma once
#include <filesystem>
#include <optional>

namespace imprenta::cli {

struct BookTarget {
    std::filesystem::path root;                       // the book folder, absolute
    std::optional<std::filesystem::path> single_file; // `imprenta build essay.md`: absolute
    bool found_above = false;                         // root is a parent of the current folder
};

// True if `dir` holds book.toml, hugo.toml/.yaml/.yml, or config.toml/.yaml with content/ beside.
bool has_book_config(const std::filesystem::path& dir);

// `given`: the BOOK argument was given (a folder or one essay file); otherwise `book` is the
// current folder and the search walks up from it. Throws util::BuildError if `book` is neither an
// existing folder nor an essay file.
BookTarget find_book(const std::filesystem::path& book, bool given);

} // namespace imprenta::cli
