// The refit's paragraph memo: a chapter laid out again with some paragraphs looser takes the
// other paragraphs from the memo, and the result is what a layout from scratch gives.
#include "pdf/layout.h"

#include <gtest/gtest.h>

using namespace imprenta;
using namespace imprenta::pdf;

namespace {

doc::Block paragraph(const std::string& text) {
    doc::Block b;
    b.kind = doc::BlockKind::Paragraph;
    doc::Inline in;
    in.text = text;
    b.inlines = {in};
    return b;
}

doc::Book harbour_book() {
    doc::Book book;
    book.meta.language = "en";
    doc::Chapter ch;
    ch.title = "The harbour";
    const char* says[] = {
        "The ferry left at six, as it had every morning since the war, and the harbour master "
        "counted the crates twice because the first count never agreed with the manifest.",
        "Fishermen mended their nets on the quay while gulls argued over what the night boats "
        "had left behind, and the smell of tar and diesel hung over everything until noon.",
        "Nobody remembered who had painted the lighthouse red; the council minutes said white, "
        "the postcards said red, and the keeper, asked directly, only shrugged and offered tea.",
        "By evening the wind turned, the shutters rattled along the front, and the last bus "
        "waited with its engine running for a passenger who, as usual, did not come."};
    for (const char* s : says) // long paragraphs: room to set one a line longer or shorter
        ch.blocks.push_back(paragraph(std::string(s) + " " + s + " " + s));
    book.chapters.push_back(ch);
    return book;
}

// What a vertical list draws, as text: every glyph with its place.
std::string drawn(const ChapterLayout& l) {
    std::string out;
    for (const auto& it : l.items) {
        out += std::to_string(int(it.kind)) + ":" + std::to_string(it.height) + ":" +
               std::to_string(it.penalty) + (it.broken ? "b" : "") + "\n";
        for (const auto& t : it.paint.texts) {
            out += "  " + std::to_string(t.x) + "," + std::to_string(t.y) + " ";
            for (const auto& g : t.glyphs())
                out += std::to_string(g.gid) + " ";
            out += "\n";
        }
    }
    return out;
}

TEST(PdfLayoutMemo, RelayoutWithTheMemoEqualsALayoutFromScratch) {
    doc::Book book = harbour_book();
    FontSet fonts(book::PdfConfig{}, ".");
    Geometry geo = make_geometry(book::PdfConfig{});
    ImageSizes images;
    LayoutEnv env{&book, &fonts, &geo, &images, {}, {}};

    ParagraphMemo memo;
    ChapterLayout first = layout_chapter(env, 0, nullptr, {}, &memo);
    EXPECT_EQ(drawn(first), drawn(layout_chapter(env, 0, nullptr)));

    // Some blocks a line longer or shorter: those are set again, the others come from the memo.
    bool changed = false;
    for (int l : {1, -1}) {
        for (std::map<int, int> loose : {std::map<int, int>{{1, l}, {3, l}},
                                         std::map<int, int>{{0, l}, {1, l}, {2, l}, {3, l}}}) {
            ChapterLayout again = layout_chapter(env, 0, nullptr, loose, &memo);
            EXPECT_EQ(drawn(again), drawn(layout_chapter(env, 0, nullptr, loose)));
            changed = changed || drawn(again) != drawn(first);
        }
    }
    EXPECT_TRUE(changed); // looseness did change some paragraph
}

} // namespace
