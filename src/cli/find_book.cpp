#include "cli/find_book.h"

#include "util/diag.h"

namespace imprenta::cli {

namespace fs = std::filesystem;

bool has_book_config(const fs::path& dir) {
    std::error_code ec;
    for (const char* name : {"book.toml", "hugo.toml", "hugo.yaml", "hugo.yml"})
        if (fs::is_regular_file(dir / name, ec)) return true;
    // config.toml and config.yaml are names many tools use: a Hugo site has content/ beside them.
    for (const char* name : {"config.toml", "config.yaml"})
        if (fs::is_regular_file(dir / name, ec) && fs::is_directory(dir / "content", ec))
            return true;
    return false;
}

namespace {

bool is_essay_file(const fs::path& p) {
    auto ext = p.extension();
    return ext == ".md" || ext == ".markdown" || ext == ".txt";
}

} // namespace

BookTarget find_book(const fs::path& book, bool given) {
    std::error_code ec;
    BookTarget t;
    if (given && fs::is_regular_file(book, ec)) {
        if (!is_essay_file(book))
            throw util::BuildError({book.string()},
                                   "not a book folder nor an essay (*.md, *.markdown, *.txt)");
        t.single_file = fs::canonical(book, ec);
        if (ec) throw util::BuildError({book.string()}, "cannot open essay: " + ec.message());
        t.root = t.single_file->parent_path();
        return t;
    }
    if (!fs::is_directory(book, ec))
        throw util::BuildError({book.string()}, "book folder does not exist");
    t.root = fs::canonical(book, ec);
    if (ec) throw util::BuildError({book.string()}, "cannot open book folder: " + ec.message());
    if (given || has_book_config(t.root) || fs::exists(t.root / ".git", ec)) return t;
    // Up to the first configured folder; a repository's top (.git) ends the search, as it ends
    // git's, so a folder of essays inside some other project is not taken for that project.
    for (fs::path dir = t.root.parent_path(); !dir.empty(); dir = dir.parent_path()) {
        if (has_book_config(dir)) {
            t.root = dir;
            t.found_above = true;
            return t;
        }
        if (fs::exists(dir / ".git", ec) || dir == dir.root_path()) break;
    }
    return t;
}

} // namespace imprenta::cli
