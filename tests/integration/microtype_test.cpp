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
