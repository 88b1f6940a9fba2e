// The Markdown path of a whole book: front matter, shortcodes, cmark-gfm, raw HTML, assembly
// (titles, ids, links, images), then every page rendered to XHTML as the EPUB writer does and
// checked: well-formed, unique ids, links that land, nothing active. Essays are separated by a line
// "%%%".
#include "book/config.h"
#include "book/frontmatter.h"
#include "book/scan.h"
#include "doc/assemble.h"
#include "fuzz_common.h"
#include "util/diag.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::serial();
    fuzz::scratch_book();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 64 * 1024) return 0;
    using namespace imprenta;
    std::string_view all(reinterpret_cast<const char*>(data), size);
    const std::filesystem::path& root = fuzz::scratch_book();

    std::vector<book::Essay> essays;
    size_t start = 0;
    while (start <= all.size() && essays.size() < 4) {
        size_t sep = all.find("\n%%%\n", start);
        std::string_view part =
            all.substr(start, sep == std::string_view::npos ? sep : sep - start);
        book::Essay e;
        std::string name = "e" + std::to_string(essays.size()) + ".md";
        e.path = root / "content" / name;
        e.display = "content/" + name;
        try {
            e.text = book::split_front_matter(part, e.display);
        } catch (const util::BuildError&) {
            return 0; // the build stops here; fuzz_frontmatter checks these errors
        }
        if (!e.text.front.draft) essays.push_back(std::move(e));
        if (sep == std::string_view::npos) break;
        start = sep + 5;
    }
    if (essays.empty()) return 0;

    book::Config config;
    config.root = root;
    config.title = "Fuzz";
    config.smart_punctuation = size % 2 == 0;
    util::Diagnostics diags;
    doc::Book book;
    try {
        book = doc::assemble_book(config, std::move(essays), diags);
    } catch (const util::BuildError& e) {
        fuzz::fail(std::string("assemble_book failed on a non-empty book: ") + e.what());
    }
    for (const auto& d : diags.all())
        fuzz::check(d.pos.file.empty() || d.pos.file.starts_with("content/") ||
                        d.pos.file == "book.toml",
                    "diagnostic names an odd file: " + d.pos.file);
    fuzz::render_and_check(book);
    return 0;
}
