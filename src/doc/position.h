// A place in a chapter's text that one backend finds and another reads back: where a printed
// page starts (the PDF fills it), for the EPUB's page-break markers.
//
// Offsets count the bytes of the Text and Code inlines of one inline list, depth first (through
// emphasis, links and the like); images, note calls and line breaks count nothing. In a code
// block they count the bytes of its text.
#pragma once
#include "doc/ir.h"

#include <climits>
#include <vector>

namespace imprenta::doc {

struct TextPos {
    // Block indexes: the chapter's top level, then children (list items, quoted paragraphs,
    // ...); a table adds its row and cell. Empty: nowhere (a page with no text of the chapter).
    std::vector<int> path;
    int offset = -1; // into the text of the inlines (or code) at `path`; -1: before that block
    bool empty() const { return path.empty(); }
    friend bool operator==(const TextPos&, const TextPos&) = default;
};

// The inlines `pos` counts in (a paragraph's, a heading's, a table cell's, a caption's), the code
// block whose text it counts in, or neither when the path leads nowhere in `chapter`.
struct TextAt {
    const Block* block = nullptr; // the block the path ends at (the table, for a cell)
    const std::vector<Inline>* inlines = nullptr; // null for a code block or a lost path
    bool code = false;                            // `block` is a code block: offsets count its text
};
TextAt resolve(const Chapter& chapter, const TextPos& pos);

// A place as a key that sorts in reading order: the path, then kBeforeBlock, or kInlines (a
// figure's caption: kCaption, after the figure's content) and the offset.
constexpr int kBeforeBlock = INT_MIN, kInlines = -1, kCaption = INT_MAX;
std::vector<int> reading_key(const Chapter& chapter, const TextPos& pos);

// `a` comes before `b` when the chapter is read.
bool reads_before(const Chapter& chapter, const TextPos& a, const TextPos& b);

// The text from `pos` on within its inlines or code block, as offsets count it ("" when the path
// leads nowhere). For tests and diagnostics.
std::string text_from(const Chapter& chapter, const TextPos& pos);

} // namespace imprenta::doc
