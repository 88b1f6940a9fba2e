// Microtypography of the PDF (README, "Typesetting rules"): character protrusion, read back from
// the word boxes of `pdftotext -bbox-layout`.
#include "support/support.h"

#include "book/config.h"
#include "pdf/fonts.h"
#include "pdf/protrusion.h"

#include <cmath>
#include <gtest/gtest.h>
#include <map>
#include <regex>

using namespace testing_support;

namespace {

// An essay long enough to give justified lines ending in hyphens, commas and plain letters.
std::string essay() {
    const char* sentences[] = {
        "The compositor read the manuscript line by line, setting each word from the case, "
        "spacing it out, and justifying the stick before the next one began.",
        "Proofs came back from the author with corrections in every margin, some legible, "
        "some not, and a few that contradicted the instructions of the week before.",
        "Typefounders shipped their metal in fonts weighed by the pound; a printer ordered "
        "more of the common letters, fewer of the rare ones, and hoped the estimate held.",
        "Hyphenation was a matter of judgement rather than rules: the apprentice learned "
        "which divisions looked acceptable, which were ugly, and which were simply wrong.",
        "Between the chapters the forme was locked, inked and pulled, while the next "
        "gathering was distributed back into the cases for tomorrow's composition.",
    };
    std::string out = "---\ntitle: \"The Composing Room\"\n---\n\n";
    for (int p = 0; p < 14; ++p) {
        for (int s = 0; s < 5; ++s) {
            out += sentences[(p + s) % 5];
            out += ' ';
        }
        out += "\n\n";
    }
    return out;
}

fs::path make_book(const std::string& name, const std::string& pdf_keys) {
    fs::path dir = fresh_dir(name);
    write(dir / "book.toml", "title = \"Composing Room\"\nauthor = \"A. Printer\"\n"
                             "language = \"en\"\n\n[pdf]\npaper = \"a5\"\nfont_size = 10.5\n" +
                                 pdf_keys);
    write(dir / "content/01-composing.md", essay());
    return dir;
}

fs::path build(const fs::path& book) {
    auto r =
        testing_support::imprenta("build " + quote(book.string()) + " -o " +
                                  quote((book / "out").string()) + " --format pdf --no-cache -q");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    for (const auto& e : fs::directory_iterator(book / "out"))
        if (e.path().extension() == ".pdf") return e.path();
    ADD_FAILURE() << "no PDF";
    return {};
}

struct LineEnd {
    int page = 0;
    double x_max = 0;
    std::string last; // the last word of the line
    int words = 0;
};

std::vector<LineEnd> line_ends(const fs::path& pdf) {
    std::string xml = pdftotext(pdf, "-bbox-layout");
    std::vector<LineEnd> out;
    std::regex word(
        R"re(<word xMin="[0-9.]+" yMin="[0-9.]+" xMax="([0-9.]+)" yMax="[0-9.]+">([^<]*)</word>)re");
    int page = -1;
    size_t at = 0;
    while (true) {
        size_t line = xml.find("<line", at), pg = xml.find("<page ", at);
        if (pg != std::string::npos && (line == std::string::npos || pg < line)) {
            ++page;
            at = pg + 1;
            continue;
        }
        if (line == std::string::npos) break;
        size_t end = xml.find("</line>", line);
        std::string body = xml.substr(line, end - line);
        LineEnd le;
        le.page = page;
        for (std::sregex_iterator it(body.begin(), body.end(), word), e; it != e; ++it) {
            le.x_max = std::stod((*it)[1]);
            le.last = (*it)[2];
            ++le.words;
        }
        if (le.words >= 5) out.push_back(le);
        at = end;
    }
    return out;
}

// The right edge of the text block on even and odd pages: where most full lines end.
std::map<int, double> right_edges(const std::vector<LineEnd>& lines) {
    std::map<int, std::map<double, int>> votes;
    for (const auto& l : lines)
        ++votes[l.page % 2][std::round(l.x_max * 100) / 100];
    std::map<int, double> edge;
    for (const auto& [side, v] : votes) {
        int best = 0;
        for (const auto& [x, n] : v)
            if (n > best) best = n, edge[side] = x;
    }
    return edge;
}

} // namespace

TEST(Microtype, HyphensAndCommasHangIntoTheRightMargin) {
    if (!have_tool("pdftotext")) GTEST_SKIP() << "pdftotext";
    // Without protrusion, every justified line ends at the block's edge: that edge is the
    // reference the protruding build is measured against.
    auto flush = line_ends(build(make_book("microtype-off", "protrusion = false\n")));
    auto edges = right_edges(flush);
    ASSERT_EQ(edges.size(), 2u);
    auto lines = line_ends(build(make_book("microtype-on", "")));

    imprenta::book::PdfConfig config;
    imprenta::pdf::FontSet fonts(config, source_dir());
    auto hang = [&](char32_t c) {
        return imprenta::pdf::protrusion_factors(c).right *
               fonts.char_width(imprenta::pdf::Face::Regular, c, 10.5);
    };
    int hyphens = 0, commas = 0, letters = 0;
    for (const auto& l : lines) {
        double past = l.x_max - edges[l.page % 2];
        if (past < -1) continue; // a paragraph's last line
        char last = l.last.back();
        SCOPED_TRACE(l.last + " on page " + std::to_string(l.page + 1));
        if (last == '-') {
            EXPECT_NEAR(past, hang('-'), 0.05);
            ++hyphens;
        } else if (last == ',') {
            EXPECT_NEAR(past, hang(','), 0.05);
            ++commas;
        } else if (std::string("abcdeghijlmnopqsu").find(last) != std::string::npos) {
            EXPECT_NEAR(past, 0, 0.05); // letters without protrusion end at the edge
            ++letters;
        }
    }
    EXPECT_GT(hang('-'), 1.0);
    EXPECT_GE(hyphens, 2);
    EXPECT_GE(commas, 2);
    EXPECT_GE(letters, 10);
}

namespace {

// A chapter of several pages whose paragraphs, headings and lists leave the page builder short
// pages to fill (widows, orphans, a heading kept with its text).
std::string long_chapter() {
    const char* words[] = {"the",    "compositor", "set",    "a",     "line", "of",      "type",
                           "while",  "proofs",     "waited", "on",    "the",  "stone",   "beside",
                           "formes", "locked",     "and",    "inked", "for",  "tomorrow"};
    std::string out = "---\ntitle: \"Forme and Stone\"\n---\n\n";
    unsigned seed = 7;
    for (int p = 0; p < 40; ++p) {
        if (p % 6 == 5) out += "## Part " + std::to_string(p / 6 + 1) + " of the day\n\n";
        if (p % 9 == 8) out += "- a stick\n- a galley\n- a mallet\n\n";
        int n = 25 + int(seed % 90);
        for (int w = 0; w < n; ++w) {
            seed = seed * 1103515245u + 12345u;
            std::string word = words[(seed >> 8) % 20];
            if (w == 0) word[0] = char(std::toupper(static_cast<unsigned char>(word[0])));
            out += word;
            out += (w + 1 == n) ? ".\n\n" : (w % 11 == 10 ? ", " : " ");
        }
    }
    return out;
}

// The bottom of the last line of text on each page (pdftotext -bbox-layout, points).
std::vector<double> last_line_bottoms(const fs::path& pdf) {
    std::string xml = pdftotext(pdf, "-bbox-layout");
    std::vector<double> out;
    std::regex line(R"re(<line xMin="[0-9.]+" yMin="[0-9.]+" xMax="[0-9.]+" yMax="([0-9.]+)">)re");
    size_t at = 0;
    while ((at = xml.find("<page ", at)) != std::string::npos) {
        size_t end = xml.find("</page>", at);
        std::string page = xml.substr(at, end - at);
        double bottom = 0;
        for (std::sregex_iterator it(page.begin(), page.end(), line), e; it != e; ++it)
            bottom = std::max(bottom, std::stod((*it)[1]));
        out.push_back(bottom);
        at = end;
    }
    return out;
}

// Spreads (verso, recto) inside the chapter, its last page left out, whose last lines differ.
int uneven_spreads(const std::vector<double>& bottoms, size_t first, size_t last, int& spreads) {
    int uneven = 0;
    spreads = 0;
    // The chapter opens on a recto; a spread whose recto is the chapter's last page is exempt.
    for (size_t v = first + 1; v + 2 < last; v += 2) {
        ++spreads;
        if (std::abs(bottoms[v] - bottoms[v + 1]) > 0.6) ++uneven;
    }
    return uneven;
}

fs::path chapter_book(const std::string& name, const std::string& keys) {
    fs::path dir = fresh_dir(name);
    write(dir / "book.toml", "title = \"Working Notes\"\nauthor = \"A. Printer\"\n"
                             "language = \"en\"\n\n[pdf]\npaper = \"a5\"\n" +
                                 keys);
    write(dir / "content/01-forme.md", long_chapter());
    return dir;
}

} // namespace

TEST(Microtype, FacingPagesEndOnTheSameBaseline) {
    if (!have_tool("pdftotext")) GTEST_SKIP() << "pdftotext";
    std::string chapter = long_chapter();
    std::string opening = chapter.substr(chapter.find("---\n\n") + 5, 24);
    // The chapter's pages: [first, last), from its opening to the book's end.
    auto pages_of = [&](const fs::path& pdf, size_t& first, size_t& last) {
        std::string text = pdftotext(pdf);
        std::vector<std::string> pages;
        for (size_t at = 0, ff; (ff = text.find('\f', at)) != std::string::npos; at = ff + 1)
            pages.push_back(text.substr(at, ff - at));
        first = 0;
        while (first < pages.size() && pages[first].find(opening) == std::string::npos)
            ++first;
        last = pages.size(); // the book ends with the chapter
    };
    fs::path flush = build(chapter_book("flush-on", ""));
    size_t first = 0, last = 0;
    pages_of(flush, first, last);
    ASSERT_GT(last, first + 5) << "the chapter should run to several pages";
    int spreads = 0;
    EXPECT_EQ(uneven_spreads(last_line_bottoms(flush), first, last, spreads), 0);
    EXPECT_GE(spreads, 2);

    // Without it (TeX's \raggedbottom) the same chapter has spreads that end apart: the
    // measure above can tell.
    fs::path ragged = build(chapter_book("flush-off", "flush_bottom = false\n"));
    pages_of(ragged, first, last);
    EXPECT_GT(uneven_spreads(last_line_bottoms(ragged), first, last, spreads), 0);
}
