// Where in the IR each printed page starts: made by the PDF renderer and handed on
// (render::Handoff) to renderers that run after it, e.g. for an EPUB page-list.
#pragma once
#include "doc/position.h"

#include <string>
#include <vector>

namespace imprenta::render {

struct PageStart {
    int page = 0;      // 1-based physical page index
    std::string label; // printed page number ("iii", "12")
    int chapter = -1;  // chapter index, -1 for front matter
    int block = 0;     // top-level block index within the chapter
    // The first word of the page's first line (a word hyphenated across the break belongs to
    // the page before); empty when the page holds no text of the chapter (notes only).
    doc::TextPos start;
    bool blank = false; // an empty page (a verso left blank so a chapter opens on a recto)
};

struct PageMap {
    std::vector<PageStart> pages; // one per physical page, in order
    std::string edition;          // names the paginated edition ("book-1.0.pdf")
};

} // namespace imprenta::render
