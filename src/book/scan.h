// Finding the essays of a book and putting them in reading order, as Hugo orders pages.
#pragma once
#include "book/frontmatter.h"
#include "util/diag.h"

#include <filesystem>
#include <string>
#include <vector>

namespace imprenta::book {

struct Essay {
    std::filesystem::path path; // absolute
    std::string display;        // relative to the book folder, for diagnostics
    SplitEssay text;
    bool is_section = false; // an _index.md: the page of a part (folder)
    int depth = 0;           // nesting below the content folder's top level
};

// Every *.md, *.markdown and *.txt under `content_dir`, drafts left out, in reading order: at each
// folder level, pages with a non-zero weight first by weight, then the rest; ties by title, then
// path. A folder with an _index.md is a part whose page comes first, its pages nested after it;
// a folder without one just contributes its pages to the level above. Files outside `root`
// (symlinks) are never read. Throws util::BuildError on unreadable files, invalid UTF-8 and
// malformed front matter.
std::vector<Essay> scan_content(const std::filesystem::path& content_dir,
                                const std::filesystem::path& root, util::Diagnostics& diags);

// One essay file, read and split into front matter and body (`imprenta build essay.md`). Throws
// util::BuildError as scan_content does.
Essay read_essay(const std::filesystem::path& path, const std::filesystem::path& root);

// The key Hugo sorts pages by: true if a should come before b.
bool reading_order_less(const Essay& a, const Essay& b);

} // namespace imprenta::book
