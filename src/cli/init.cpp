// `imprenta init`: a new book folder, or a minimal Hugo site in the hugo-book layout, that builds
// as it is. Nothing is written if any of its files already exists.
#include "cli/args.h"
#include "cli/commands.h"
#include "util/diag.h"
#include "util/fs.h"

#include <cstdio>
#include <utility>

namespace imprenta::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kBookToml =
    R"(# book.toml: the book's metadata. Every key is optional; remove the leading # to set one.

# The title on the cover page, in the EPUB's metadata and in the PDF's running heads.
# Without it the book is named after its folder.
title = "@TITLE@"
# subtitle = "A subtitle"
# authors = ["Ada Writer"]
# BCP 47 language of the text; left out, it is guessed from the essays (es or en).
language = "en"
# publisher = "Small Press"
# description = "One or two sentences for the EPUB's metadata."
# rights = "Copyright 2026 Ada Writer"
# date = "2026-01-31"
# identifier = "urn:isbn:9780000000002"   # an ISBN is checked; default: a UUID derived from title and authors
# slug = "my-book"                        # output file names: dist/<slug>.epub, .pdf
# cover = "assets/cover.jpg"
# smart_punctuation = true                # "quotes" and -- dashes become typographic ones

# Path prefixes rewritten before images are looked up (for sites that moved their images).
# [aliases]
# "/images" = "assets/images"

# [pdf]
# paper = "a5"              # a5, a4, letter or 6x9in
# font_size = 10.5          # points
# leading = 1.3             # line spacing, as a multiple of font_size
# margin_inner = 20         # millimetres; inner and outer mirror on facing pages
# margin_outer = 15
# margin_top = 18
# margin_bottom = 22
# image_dpi = 300
# [pdf.fonts]               # TrueType files, absolute or relative to this folder
# regular = "fonts/Body-Regular.ttf"
# bold = "fonts/Body-Bold.ttf"
# italic = "fonts/Body-Italic.ttf"
# bold_italic = "fonts/Body-BoldItalic.ttf"
# mono = "fonts/Mono-Regular.ttf"
# fallback = "fonts/Symbols.ttf"
)";

constexpr const char* kEssay = R"(---
title: "A first essay"
weight: 1
---

This is the first chapter of the book. Every Markdown file in `content/` becomes a chapter;
`weight` in the front matter sets the order, and files without one follow by title.

## Writing

Paragraphs are separated by a blank line. *Emphasis*, **strong** text and footnotes[^1] work as
in any Markdown editor. Images go in `assets/` and are linked with a relative path.

Run `imprenta check` to see any problem, and `imprenta build` to write the EPUB and the PDF
into `dist/`.

[^1]: A footnote: it ends the chapter in the EPUB and sits at the foot of the page in the PDF.
)";

constexpr const char* kHugoToml =
    R"(# A Hugo site in the layout of the hugo-book theme; imprenta builds the pages under
# content/docs/ (params.BookSection) into a book. A book.toml beside this file may add the
# keys Hugo does not have (authors, [pdf]); see `imprenta help`.
baseURL = "https://example.org/"
title = "@TITLE@"
languageCode = "en"
defaultContentLanguage = "en"
# theme = "hugo-book"   # after adding the theme under themes/ (git submodule)

[params]
BookSection = "docs"
)";

constexpr const char* kHugoHome = R"(---
title: "@TITLE@"
---

The landing page of the site. The book is made of the pages under `docs/`.
)";

constexpr const char* kHugoDocsIndex = R"(---
title: "Docs"
bookFlatSection: true
---
)";

std::string with_title(std::string text, const std::string& title) {
    for (size_t at; (at = text.find("@TITLE@")) != std::string::npos;)
        text.replace(at, 7, title);
    return text;
}

// "my-new_book" -> "My new book", a title to start from.
std::string title_from_folder(const fs::path& dir) {
    std::string name = dir.filename().string();
    std::string t;
    for (char c : name)
        t += (c == '-' || c == '_') ? ' ' : (c == '"' || c == '\\') ? ' ' : c;
    if (t.empty() || t == ".") t = "My book";
    if (t[0] >= 'a' && t[0] <= 'z') t[0] = char(t[0] - 'a' + 'A');
    return t;
}

} // namespace

int run_init(const std::vector<std::string>& args) {
    bool hugo = false;
    fs::path dir = ".";
    bool have_dir = false;
    for (const auto& a : args) {
        if (a == "--hugo")
            hugo = true;
        else if (!a.empty() && a[0] == '-')
            throw UsageError{"unknown option '" + a + "' (init takes [DIR] [--hugo])"};
        else if (!have_dir)
            dir = a, have_dir = true;
        else
            throw UsageError{"more than one folder given ('" + a + "')"};
    }
    std::error_code ec;
    fs::path abs = fs::weakly_canonical(fs::absolute(dir, ec), ec);
    std::string title = title_from_folder(abs);
    std::vector<std::pair<std::string, std::string>> files;
    if (hugo) {
        files = {{"hugo.toml", with_title(kHugoToml, title)},
                 {"content/_index.md", with_title(kHugoHome, title)},
                 {"content/docs/_index.md", kHugoDocsIndex},
                 {"content/docs/first-essay.md", kEssay},
                 {"static/.gitkeep", ""},
                 {".gitignore", "/public/\n/resources/_gen/\n/.hugo_build.lock\n/dist/\n"}};
    } else {
        files = {{"book.toml", with_title(kBookToml, title)},
                 {"content/01-first-essay.md", kEssay},
                 {"assets/.gitkeep", ""},
                 {".gitignore", "/dist/\n"}};
    }
    std::string clash;
    for (const auto& [name, _] : files)
        if (fs::exists(fs::symlink_status(dir / name, ec))) clash += "\n  " + (dir / name).string();
    if (!hugo && fs::exists(dir / "hugo.toml", ec)) clash += "\n  " + (dir / "hugo.toml").string();
    if (!clash.empty()) {
        std::fprintf(stderr,
                     "imprenta: error: not overwriting what is already there:%s\n"
                     "Nothing was written; choose another folder or move these away.\n",
                     clash.c_str());
        return 1;
    }
    try {
        for (const auto& [name, text] : files) {
            fs::create_directories((dir / name).parent_path(), ec);
            util::write_file_atomic(dir / name, text);
        }
    } catch (const util::BuildError& e) {
        std::fprintf(stderr, "%s\n", e.formatted().c_str());
        return 1;
    }
    std::printf("created a new %s in %s\n", hugo ? "Hugo site" : "book", dir.string().c_str());
    for (const auto& [name, _] : files)
        std::printf("  %s\n", name.c_str());
    std::printf("next: %simprenta build   (writes dist/<slug>.epub and .pdf)\n",
                have_dir ? ("cd " + dir.string() + " && ").c_str() : "");
    return 0;
}

} // namespace imprenta::cli
