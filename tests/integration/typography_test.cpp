// The rules of the paragraph and page builders (README, "Typesetting rules"), counted as a reader
// would see them: bench/typo_counts.py reads `pdftotext -layout` page by page.
#include "support/support.h"

#include <gtest/gtest.h>
#include <regex>
#include <unistd.h>

using namespace testing_support;

namespace {

using Counts = std::map<std::string, double>;

Counts count(const fs::path& pdf) {
    auto r = run("python3 " + quote(source_dir() + "/bench/typo_counts.py") + " --json " +
                 quote(pdf.string()));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    Counts c;
    std::regex pair(R"re("(\w+)": ([0-9.]+))re");
    for (std::sregex_iterator it(r.out.begin(), r.out.end(), pair), end; it != end; ++it)
        c[(*it)[1]] = std::stod((*it)[2]);
    EXPECT_GT(c["pages"], 0) << r.out;
    return c;
}

// What issue #17 asks of a book: few paragraphs ending on a hyphenated fragment, no hyphen
// ladders or two-letter tails, at most one page ending in a hyphen, no chapter ending on a page
// of one or two lines, no ornament or heading alone at a page's foot.
void expect_book_rules(const fs::path& pdf) {
    Counts c = count(pdf);
    SCOPED_TRACE(pdf.string());
    EXPECT_LE(c["final_fragments"], 2 * c["pages"] / 100);
    EXPECT_EQ(c["hyphen_runs3"], 0);
    EXPECT_LE(c["hyphen_page_ends"], 1);
    EXPECT_EQ(c["short_chapter_ends"], 0);
    EXPECT_EQ(c["short_tails"], 0);
    EXPECT_EQ(c["lone_foot"], 0);
}

fs::path build_pdf(const fs::path& book, const fs::path& out) {
    auto r = imprenta("build " + quote(book.string()) + " -o " + quote(out.string()) +
                      " --format pdf --no-cache -q");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    for (const auto& e : fs::directory_iterator(out))
        if (e.path().extension() == ".pdf") return e.path();
    ADD_FAILURE() << "no PDF in " << out;
    return {};
}

} // namespace

TEST(Typography, SampleBookFollowsTheRules) {
    if (!have_tool("pdftotext") || !have_tool("python3")) GTEST_SKIP() << "pdftotext/python3";
    fs::path pdf = build_pdf(source_dir(), fresh_dir("typo-sample"));
    expect_book_rules(pdf);
}

TEST(Typography, TheRulesAreTheBooksToChange) {
    if (!have_tool("pdftotext") || !have_tool("python3")) GTEST_SKIP() << "pdftotext/python3";
    // TeX's own settings (babel-spanish minimums, final hyphens priced at 5000) give the faults
    // back on the same book: the counts above come from the rules, not from luck.
    fs::path dir = fresh_dir("typo-tex");
    fs::create_directories(dir / "book");
    fs::copy(source_dir() + "/content", dir / "book/content", fs::copy_options::recursive);
    fs::copy(source_dir() + "/assets", dir / "book/assets", fs::copy_options::recursive);
    std::string toml = slurp(source_dir() + "/book.toml");
    write(dir / "book/book.toml", toml + "right_hyphen_min = 2\n"
                                         "final_hyphen_if_nothing_else_fits = false\n");
    Counts c = count(build_pdf(dir / "book", dir / "out"));
    EXPECT_GT(c["final_fragments"], 0);
    EXPECT_GT(c["short_tails"], 0);
}

TEST(Typography, CronicaFollowsTheRules) {
    fs::path src = fs::path(shared_dir()) / "cronica";
    if (!fs::is_directory(src)) GTEST_SKIP() << "../shared/cronica not present";
    if (!have_tool("pdftotext") || !have_tool("python3")) GTEST_SKIP() << "pdftotext/python3";
    fs::path dir = fresh_dir("typo-cronica");
    fs::copy(src, dir / "site", fs::copy_options::recursive);
    fs::copy_file(fs::path(source_dir()) / "tests/fixtures/cronica/book.toml",
                  dir / "site/book.toml");
    fs::path pdf = build_pdf(dir / "site", dir / "out");
    fs::remove_all(dir / "site");
    expect_book_rules(pdf);
}

// hugo-book's columns are set one after another, each with its own words. The paragraph memo
// (the refits' cache) once keyed paragraphs by the address of their words, and the columns were
// laid out from temporary copies: the allocator gave the next column's copy the same address,
// and a column came out with its neighbour's text.
TEST(Typography, EachColumnKeepsItsOwnWords) {
    fs::path dir = fresh_dir("typo-columns");
    write(dir / "book.toml", "title = \"Columns\"\nauthor = \"A. Printer\"\nlanguage = \"en\"\n");
    std::string md = "# Three ways to ink a forme\n\n";
    for (int i = 0; i < 6; ++i)
        md += "A pressman inks the forme before each pull, and the evenness of that ink decides "
              "how the page reads: too little and the letters break, too much and they fill.\n\n";
    // As the Crónica writes them: a list of cards, each a heading and a paragraph with emphasis.
    md += "{{% columns %}}\n";
    for (const char* words :
         {"Made from *leather stuffed with wool*, the ink ball served the first printers for a "
          "very long time and was beaten on the forme by hand. (E.g. Mainz, Venice)",
          "Cast from *glue and treacle*, the composition roller replaced the ball and gave an "
          "even film. (E.g. Bryce, Harrild)",
          "Turning *many rollers at once*, the rotary inking train of later presses spread the "
          "ink over the whole forme before every impression it made. (E.g. Koenig, Hoe)"})
        md += std::string("- {{< card >}}\n  #### A way to ink (*one of three*)  \n  ") + words +
              "\n  {{< /card >}}\n\n";
    md += "{{% /columns %}}\n\nThat is all.\n";
    write(dir / "content" / "01-ink.md", md);
    auto r = imprenta("build -q -f pdf " + quote(dir.string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string text = normalize_words(pdftotext(dir / "dist" / "columns.pdf"));
    for (const char* words : {"made from leather stuffed with wool", "cast from glue and treacle",
                              "turning many rollers at once"}) {
        size_t at = text.find(words);
        EXPECT_NE(at, std::string::npos) << words << "\n" << text;
        EXPECT_EQ(text.find(words, at + 1), std::string::npos) << words << " twice";
    }
}
