// The page builder on synthetic vertical lists: widows, orphans, headings kept with what follows,
// footnotes on the page of their call, figures floated or shrunk, flush bottoms.
#include "pdf/paginate.h"

#include <gtest/gtest.h>

#include <map>

using namespace imprenta::pdf;

namespace {

constexpr double kLine = 10;

struct List {
    std::vector<VItem> items;
    std::map<size_t, std::string> names; // item index -> "p1.3" (paragraph 1, line 3)

    // A paragraph of n lines with the layout's club/widow penalties between them.
    void paragraph(const std::string& name, int n, std::vector<int> notes_on_line = {},
                   int note_line = -1) {
        if (!items.empty()) items.push_back(VItem::glue(0, 0.5));
        for (int i = 0; i < n; ++i) {
            if (i > 0) items.push_back(VItem::pen(i == 1 || i == n - 1 ? kForbid : 0));
            VItem v = VItem::box(kLine);
            if (i == note_line) v.notes = notes_on_line;
            names[items.size()] = name + "." + std::to_string(i + 1);
            items.push_back(v);
        }
    }
    void heading(const std::string& name) {
        items.push_back(VItem::glue(kLine, 3));
        names[items.size()] = name;
        items.push_back(VItem::box(kLine * 1.5));
        items.push_back(VItem::pen(kForbid));
        items.push_back(VItem::glue(kLine / 2));
    }
    void figure(const std::string& name, double h, double min_scale) {
        items.push_back(VItem::glue(kLine / 2, 2));
        VItem v = VItem::box(h);
        v.floatable = true;
        v.image_h = h;
        v.min_scale = min_scale;
        names[items.size()] = name;
        items.push_back(v);
        items.push_back(VItem::glue(kLine / 2, 2));
    }
};

std::vector<std::vector<std::string>> names_per_page(const List& l,
                                                     const std::vector<PageBuild>& pages) {
    std::vector<std::vector<std::string>> out;
    for (const auto& p : pages) {
        out.emplace_back();
        for (const auto& pl : p.items)
            out.back().push_back(l.names.at(pl.item));
    }
    return out;
}

PageSpec spec_lines(int lines) {
    PageSpec s;
    s.height = lines * kLine;
    s.line = kLine;
    s.note_sep = kLine;
    s.float_sep = kLine;
    return s;
}

NoteBody note_lines(int n) {
    NoteBody b;
    for (int i = 0; i < n; ++i)
        b.lines.push_back({kLine * 0.8, 0, {}});
    return b;
}

} // namespace

TEST(PdfPaginate, FillsPagesInOrderWithoutLosingItems) {
    List l;
    for (int p = 0; p < 6; ++p)
        l.paragraph(std::string("p").append(std::to_string(p)), 7); // not "p" + ...: -Wrestrict
    auto pages = paginate(l.items, {}, spec_lines(10));
    size_t boxes = 0;
    size_t last = 0;
    for (const auto& p : pages) {
        double bottom = 0;
        for (const auto& pl : p.items) {
            EXPECT_GE(pl.item, last); // reading order
            last = pl.item;
            ++boxes;
            bottom = pl.y + pl.height;
        }
        EXPECT_LE(bottom, 10 * kLine + 0.01);
    }
    EXPECT_EQ(boxes, 42u);
    EXPECT_EQ(pages.size(), 5u);
}

TEST(PdfPaginate, NeverLeavesAnOrphanAtThePageFoot) {
    List l;
    l.paragraph("a", 9);
    l.paragraph("b", 5);
    auto pages = names_per_page(l, paginate(l.items, {}, spec_lines(10)));
    ASSERT_EQ(pages.size(), 2u);
    EXPECT_EQ(pages[0].back(), "a.9"); // not "b.1" alone at the foot
    EXPECT_EQ(pages[1].front(), "b.1");
}

TEST(PdfPaginate, NeverLeavesAWidowAtThePageHead) {
    List l;
    l.paragraph("a", 11);
    auto pages = names_per_page(l, paginate(l.items, {}, spec_lines(10)));
    ASSERT_EQ(pages.size(), 2u);
    EXPECT_EQ(pages[0].back(), "a.9");
    EXPECT_EQ(pages[1], (std::vector<std::string>{"a.10", "a.11"}));
}

TEST(PdfPaginate, ShortParagraphsAreNotSplit) {
    List l;
    l.paragraph("a", 8);
    l.paragraph("b", 3); // 1+2 and 2+1 would both leave a lone line
    auto pages = names_per_page(l, paginate(l.items, {}, spec_lines(10)));
    ASSERT_EQ(pages.size(), 2u);
    EXPECT_EQ(pages[0].back(), "a.8");
    EXPECT_EQ(pages[1].size(), 3u);
}

TEST(PdfPaginate, HeadingNeverEndsAPage) {
    List l;
    l.paragraph("a", 7);
    l.heading("h");
    l.paragraph("b", 6);
    auto pages = names_per_page(l, paginate(l.items, {}, spec_lines(10)));
    ASSERT_EQ(pages.size(), 2u);
    EXPECT_EQ(pages[0].back(), "a.7");
    EXPECT_EQ(pages[1].front(), "h");
    EXPECT_EQ(pages[1][1], "b.1");
}

TEST(PdfPaginate, FootnoteGoesOnThePageOfItsCall) {
    List l;
    l.paragraph("a", 8);
    l.paragraph("b", 8, {0}, 3); // b.4 calls note 0
    std::vector<NoteBody> notes = {note_lines(3)};
    PageSpec spec = spec_lines(12);
    auto pages = paginate(l.items, notes, spec);
    auto names = names_per_page(l, pages);
    int call_page = -1, note_page = -1;
    for (size_t p = 0; p < pages.size(); ++p) {
        for (const auto& n : names[p])
            if (n == "b.4") call_page = int(p);
        double content_bottom = 0;
        for (const auto& pl : pages[p].items)
            content_bottom = pl.y + pl.height;
        if (!pages[p].notes.empty()) {
            note_page = int(p);
            EXPECT_EQ(pages[p].notes.size(), 3u);
            EXPECT_LE(content_bottom, pages[p].notes_top + 0.01); // text stays above the notes
            EXPECT_NEAR(pages[p].notes.back().y + kLine * 0.8, spec.height, 0.01);
        }
    }
    EXPECT_GE(call_page, 0);
    EXPECT_EQ(call_page, note_page);
}

TEST(PdfPaginate, LongFootnoteContinuesOnTheNextPage) {
    List l;
    l.paragraph("a", 6, {0}, 2);
    l.paragraph("b", 30);
    std::vector<NoteBody> notes = {note_lines(16)}; // taller than what is left of the page
    auto pages = paginate(l.items, notes, spec_lines(12));
    ASSERT_GE(pages.size(), 2u);
    size_t placed = 0;
    for (const auto& p : pages)
        for (const auto& n : p.notes) {
            EXPECT_EQ(n.note, 0);
            EXPECT_EQ(n.line, placed); // in order, each line once
            ++placed;
        }
    EXPECT_EQ(placed, 16u);
    EXPECT_FALSE(pages[0].notes.empty()); // it starts where it is called
    EXPECT_FALSE(pages[1].notes.empty());
}

TEST(PdfPaginate, FigureThatDoesNotFitFloatsAndTextFillsThePage) {
    List l;
    l.paragraph("a", 6);
    l.figure("fig", 8 * kLine, 0.9);
    l.paragraph("b", 6);
    auto built = paginate(l.items, {}, spec_lines(12));
    auto pages = names_per_page(l, built);
    ASSERT_EQ(pages.size(), 2u);
    // Page 1: a, then text from b (the figure waits); page 2 opens with the figure.
    EXPECT_EQ(pages[0].front(), "a.1");
    EXPECT_EQ(pages[0].back(), "b.4");
    EXPECT_EQ(pages[1], (std::vector<std::string>{"fig", "b.5", "b.6"}));
}

TEST(PdfPaginate, FigureShrinksWhenThatIsEnough) {
    List l;
    l.paragraph("a", 6);
    l.figure("fig", 4 * kLine, 0.5);
    auto built = paginate(l.items, {}, spec_lines(10));
    auto pages = names_per_page(l, built);
    ASSERT_EQ(pages.size(), 1u);
    for (const auto& pl : built[0].items)
        if (l.names.at(pl.item) == "fig") {
            EXPECT_LT(pl.scale, 1.0);
            EXPECT_GE(pl.scale, 0.5);
            EXPECT_LE(pl.y + pl.height, 10 * kLine + 0.01);
        }
}

TEST(PdfPaginate, FullPagesEndFlushAtTheBottom) {
    List l;
    l.paragraph("a", 5);
    l.heading("h");
    l.paragraph("b", 10);
    auto built = paginate(l.items, {}, spec_lines(12));
    ASSERT_GE(built.size(), 2u);
    const auto& last = built[0].items.back();
    EXPECT_NEAR(last.y + last.height, 12 * kLine, 0.01);
}

TEST(PdfPaginate, APageEndsInAHyphenOnlyWhenThatIsCheaper) {
    List l;
    l.paragraph("a", 14);
    size_t after10 = 0; // the penalty between a.10 and a.11
    for (const auto& [k, name] : l.names)
        if (name == "a.10") after10 = k + 1;
    l.items[after10].broken = true; // a.10 ends in a hyphen
    PageSpec s = spec_lines(10);
    auto plain = names_per_page(l, paginate(l.items, {}, s));
    EXPECT_EQ(plain[0].back(), "a.10"); // TeX's 100 is no more than a line short costs
    s.broken_penalty = 500;
    s.broken_turn_penalty = 3000;
    auto pages = names_per_page(l, paginate(l.items, {}, s));
    ASSERT_EQ(pages.size(), 2u);
    EXPECT_EQ(pages[0].back(), "a.9"); // a recto: the word would go on overleaf
    EXPECT_EQ(pages[1].front(), "a.10");
}

TEST(PdfPaginate, AChaptersLastPageHoldsMoreThanTwoLines) {
    List l;
    l.paragraph("a", 9);
    l.paragraph("b", 12);
    PageSpec s = spec_lines(10);
    auto plain = names_per_page(l, paginate(l.items, {}, s));
    ASSERT_EQ(plain.size(), 3u);
    EXPECT_EQ(plain[2].size(), 2u); // b.11, b.12 alone
    s.chapter_end_min_lines = 3;
    auto pages = names_per_page(l, paginate(l.items, {}, s));
    ASSERT_EQ(pages.size(), 3u);
    EXPECT_EQ(pages[1].back(), "b.9");
    EXPECT_EQ(pages[2], (std::vector<std::string>{"b.10", "b.11", "b.12"}));
}
