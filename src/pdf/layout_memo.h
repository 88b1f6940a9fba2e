// What of a PDF is kept between builds (render::Memo, `imprenta watch`), and under which keys.
// A chapter's layout and its page breaks depend on the chapter alone, not on where it starts in
// the book (page numbers are given later), so a layout is reused whenever the chapter, the
// book's metadata and the images' sizes are the same; its finished pages (deflated content
// streams) are reused when, besides, it starts on the same page. The [pdf] options, fonts and
// hyphenation files are the memo owner's part: it clears the memo when the configuration changes.
#pragma once
#include "doc/ir.h"
#include "pdf/text.h"
#include "pdf/writer.h"
#include "render/memo.h"

#include <vector>

namespace imprenta::pdf {

std::vector<render::Key> layout_keys(const doc::Book& book, const ImageSizes& sizes,
                                     render::Memo& memo);

// A chapter's finished pages: their content streams (OutPage::encoded) with the links, anchors
// and outlines the writer still needs, and the running heads' missing characters.
struct ChapterOut {
    std::vector<OutPage> pages;
    std::set<char32_t> missing_heads;
};

// The key of a chapter's finished pages: its layout's key and its first page (0-based in the
// body), which sets its folios and which side each page is on.
render::Key pages_key(const render::Key& layout_key, size_t first_page);

// A copy of `page` without its text, rules and fills: what a memo keeps beside the content
// stream they were encoded into. The image placements stay: the sizes they print at choose each
// image's pixels (fit_to_print) and its low-resolution warning on every build.
OutPage without_drawing(OutPage& page);

} // namespace imprenta::pdf
