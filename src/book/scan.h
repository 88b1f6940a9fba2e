// Finding the essays of a book and putting them in reading order, as Hugo orders pages.
#pragma once
#include "book/config.h"
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
    // The page's URL path as Hugo makes it, without the language prefix: "/docs/intro/" (from
    // the path below the site's content folder, or `slug` / `url`), lower-cased unless
    // disablePathToLower. Links between pages are written as these URLs.
    std::string url;
    bool is_bundle = false; // a leaf bundle's index.md: its resources sit beside it
};

// Which pages a scan keeps. The defaults are a plain book: every essay but drafts.
struct ScanOptions {
    SiteConfig site;           // a Hugo site's edition (site.hugo false for a plain book)
    size_t* outside = nullptr; // if set: pages of this language outside the book section
    FrontMatterMemo* front_matter = nullptr; // an earlier build's parses (watch)
};

// Every *.md, *.markdown and *.txt under `content_dir`, drafts left out, in reading order: at each
// folder level, pages with a non-zero weight first by weight, then the rest; ties by title, then
// path. A folder with an _index.md is a part whose page comes first, its pages nested after it;
// a folder without one just contributes its pages to the level above. Files outside `root`
// (symlinks) are never read. Throws util::BuildError on unreadable files, invalid UTF-8 and
// malformed front matter.
// With a Hugo site (`options.site.hugo`), as Hugo publishes: only this edition's language (a file
// `x.pl.md` is Polish, one without a suffix belongs to the folder's language), no drafts, no
// future publishDate/date, no past expiryDate (unless site.drafts/future/expired), no headless
// bundles or build.list = never; a leaf bundle (`x/index.md`) is one page, whatever sits beside it.
std::vector<Essay> scan_content(const std::filesystem::path& content_dir,
                                const std::filesystem::path& root, util::Diagnostics& diags,
                                const ScanOptions& options = {});

// Hugo's title for a section without one: its folder name, capitalised ("experimental" ->
// "Experimental"), as Hugo's default AP title case does.
std::string section_title(const std::string& folder);

// One essay file, read and split into front matter and body (`imprenta build essay.md`). Throws
// util::BuildError as scan_content does.
Essay read_essay(const std::filesystem::path& path, const std::filesystem::path& root,
                 FrontMatterMemo* front_matter = nullptr);

// The key Hugo sorts pages by: true if a should come before b.
bool reading_order_less(const Essay& a, const Essay& b);

} // namespace imprenta::book
