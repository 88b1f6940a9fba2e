// Hostile input, round two (issue 13), finding 8: a 500-column table printed overlapping text
// running off both page edges, with no warning. Now columns shrink to their longest words, the
// font steps down, and a table still too wide is split into column groups: never overprinted,
// and a warning at the table's line when text had to go under 7 pt.
#include "bad_input.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

using namespace testing_support;
using namespace bad_input;

namespace {

std::string markdown_table(int columns, int rows) {
    std::string s = "|";
    for (int c = 0; c < columns; ++c)
        s += " Heading" + std::to_string(c) + " |";
    s += "\n|";
    for (int c = 0; c < columns; ++c)
        s += "---|";
    s += "\n";
    for (int r = 0; r < rows; ++r) {
        s += "|";
        for (int c = 0; c < columns; ++c)
            s += " cell" + std::to_string(r) + "x" + std::to_string(c) + " |";
        s += "\n";
    }
    return s;
}

struct Word {
    double x0, y0, x1, y1;
    std::string text;
};

// Every word pdftotext finds, per page, with the page width.
std::vector<std::pair<double, std::vector<Word>>> words_by_page(const fs::path& pdf) {
    auto r = run("pdftotext -bbox " + quote(pdf.string()) + " -");
    std::vector<std::pair<double, std::vector<Word>>> pages;
    std::regex page_re(R"re(<page width="([0-9.]+)")re");
    std::regex word_re(
        R"re(<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)<)re");
    std::istringstream in(r.out);
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
        if (std::regex_search(line, m, page_re))
            pages.push_back({std::stod(m[1]), {}});
        else if (std::regex_search(line, m, word_re) && !pages.empty())
            pages.back().second.push_back(
                {std::stod(m[1]), std::stod(m[2]), std::stod(m[3]), std::stod(m[4]), m[5]});
    }
    return pages;
}

} // namespace

TEST(BadInputTables, FiveHundredColumnsNeverOverprint) {
    if (!have_tool("pdftotext")) GTEST_SKIP() << "no pdftotext";
    auto b = make_book("book");
    auto canary = plant_canary(b);
    write_essay(b, "a.md",
                "---\ntitle: Wide\n---\n\nA narrow table:\n\n" + markdown_table(4, 2) +
                    "\nA very wide one:\n\n" + markdown_table(500, 3) + "\nText after it.\n");
    auto r = expect_builds_with(b,
                                {"content/a.md:14:1: warning: table of 500 columns is too wide",
                                 "set at 5.5 pt", "column groups"},
                                "--format pdf");
    EXPECT_EQ(r.err.find("table of 4 columns"), std::string::npos) << r.err;
    auto pages = words_by_page(b.out / "hostile.pdf");
    ASSERT_FALSE(pages.empty());
    size_t cells = 0;
    for (const auto& [width, words] : pages) {
        for (size_t i = 0; i < words.size(); ++i) {
            const Word& w = words[i];
            cells += w.text.starts_with("cell2x");
            EXPECT_GE(w.x0, 0.0) << w.text << " runs off the left edge";
            EXPECT_LE(w.x1, width) << w.text << " runs off the right edge";
            for (size_t j = i + 1; j < words.size(); ++j) {
                const Word& v = words[j];
                bool overlap = w.x0 < v.x1 - 0.2 && v.x0 < w.x1 - 0.2 && w.y0 < v.y1 - 0.2 &&
                               v.y0 < w.y1 - 0.2;
                EXPECT_FALSE(overlap) << "'" << w.text << "' and '" << v.text << "' overprint";
            }
        }
    }
    EXPECT_EQ(cells, 500u) << "every cell of the last row is printed once";
    auto q = qpdf_check(b.out / "hostile.pdf");
    EXPECT_EQ(q.exit_code, 0) << q.out;
    expect_contained(b, canary, r);
}

TEST(BadInputTables, ModeratelyWideTableShrinksWithoutWarning) {
    auto b = make_book("book");
    write_essay(b, "a.md", "---\ntitle: Wide\n---\n\nSeven columns:\n\n" + markdown_table(7, 4));
    auto r = expect_builds_with(b, {}, "--format pdf");
    EXPECT_EQ(r.err.find("too wide"), std::string::npos) << r.err;
}
