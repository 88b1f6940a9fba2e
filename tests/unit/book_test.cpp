#include "book/frontmatter.h"
#include "book/load_config.h"
#include "book/scan.h"
#include "support/support.h"
#include "util/diag.h"

#include <gtest/gtest.h>

using namespace imprenta;
using namespace testing_support;
using book::normalize_newlines;
using book::split_front_matter;

namespace {
// Runs `f` and returns the BuildError it throws (fails the test if none).
template <typename F> util::BuildError expect_error(F f) {
    try {
        f();
    } catch (const util::BuildError& e) {
        return e;
    }
    ADD_FAILURE() << "expected a BuildError";
    return util::BuildError({}, "none");
}
} // namespace

TEST(FrontMatter, Yaml) {
    auto s = split_front_matter("---\ntitle: \"Uno\"\nweight: 3\nimage: a/b.webp\ndraft: false\n"
                                "bookHidden: true\nunknown: [1, 2]\n---\n\n# Hola\n",
                                "a.md");
    EXPECT_EQ(s.front.title, "Uno");
    EXPECT_EQ(s.front.weight, 3);
    EXPECT_EQ(s.front.image, "a/b.webp");
    EXPECT_EQ(s.front.image_line, 4);
    EXPECT_TRUE(s.front.book_hidden);
    EXPECT_FALSE(s.front.draft);
    EXPECT_EQ(s.body, "\n# Hola\n");
    EXPECT_EQ(s.body_line, 9);
}

TEST(FrontMatter, Toml) {
    auto s = split_front_matter("+++\ntitle = 'Dos'\nweight = 20\ndraft = true\nlang = 'en'\n+++\n"
                                "Texto",
                                "b.md");
    EXPECT_EQ(s.front.title, "Dos");
    EXPECT_EQ(s.front.weight, 20);
    EXPECT_TRUE(s.front.draft);
    EXPECT_EQ(s.front.lang, "en");
    EXPECT_EQ(s.body, "Texto");
    EXPECT_EQ(s.body_line, 7);
}

TEST(FrontMatter, BomCrlfAndLeadingBlankLines) {
    auto s =
        split_front_matter("\xEF\xBB\xBF\r\n\r\n---\r\ntitle: Tres\r\nweight: 1\r\n---\r\nUno\r\n"
                           "dos\r\n",
                           "c.md");
    EXPECT_EQ(s.front.title, "Tres");
    EXPECT_EQ(s.front.weight, 1);
    EXPECT_EQ(s.body, "Uno\ndos\n");
    EXPECT_EQ(s.body_line, 7);
}

// Old Mac (CR), Windows (CRLF) and Unix line ends, mixed, become LF; nothing else changes.
TEST(FrontMatter, EveryLineEndBecomesLf) {
    EXPECT_EQ(normalize_newlines("a\r\nb\rc\nd\r\r\ne\r"), "a\nb\nc\nd\n\ne\n");
    EXPECT_EQ(normalize_newlines("\r\n\r"), "\n\n");
    EXPECT_EQ(normalize_newlines("\xEF\xBB\xBFsin\nretornos"), "sin\nretornos");
    EXPECT_EQ(normalize_newlines("\xEF\xBB\xBF"), "");
    EXPECT_EQ(normalize_newlines("el ñandú \r\n"), "el ñandú \n");
}

// A file without CR takes the copy-only path; a BOM is still dropped, and a lone CR (old Mac
// files) still ends a line.
TEST(FrontMatter, BomWithoutCrAndLoneCr) {
    auto s = split_front_matter("\xEF\xBB\xBF---\ntitle: Cuatro\n---\nUno\ndos\n", "f.md");
    EXPECT_EQ(s.front.title, "Cuatro");
    EXPECT_EQ(s.body, "Uno\ndos\n");
    EXPECT_EQ(s.body_line, 4);
    EXPECT_EQ(imprenta::book::normalize_newlines("uno\rdos\r\ntres\n"), "uno\ndos\ntres\n");
    EXPECT_EQ(imprenta::book::normalize_newlines("sin retornos, con eñe\n"),
              "sin retornos, con eñe\n");
}

TEST(FrontMatter, NoneAtAll) {
    auto s = split_front_matter("Just text\n\nMore.", "d.txt");
    EXPECT_FALSE(s.front.title);
    EXPECT_EQ(s.front.weight, 0);
    EXPECT_EQ(s.body, "Just text\n\nMore.");
    EXPECT_EQ(s.body_line, 1);
}

TEST(FrontMatter, MalformedYamlNamesTheLine) {
    auto e =
        expect_error([] { split_front_matter("---\ntitle: ok\nweight: [1, 2\n---\n", "e.md"); });
    EXPECT_EQ(e.pos().file, "e.md");
    EXPECT_GE(e.pos().line, 3);
    EXPECT_LE(e.pos().line, 4);
    EXPECT_NE(std::string(e.what()).find("YAML"), std::string::npos);
}

TEST(FrontMatter, MalformedTomlNamesTheLine) {
    auto e =
        expect_error([] { split_front_matter("+++\ntitle = 'x'\nweight = = 3\n+++\n", "f.md"); });
    EXPECT_EQ(e.pos().line, 3);
    EXPECT_NE(std::string(e.what()).find("TOML"), std::string::npos);
}

TEST(FrontMatter, NonIntegerWeightIsAnError) {
    auto e = expect_error([] { split_front_matter("---\ntitle: x\nweight: dos\n---\n", "g.md"); });
    EXPECT_EQ(e.pos().line, 3);
    EXPECT_NE(std::string(e.what()).find("weight"), std::string::npos);
    auto t = expect_error([] { split_front_matter("+++\nweight = 1.5\n+++\n", "h.md"); });
    EXPECT_EQ(t.pos().line, 2);
}

TEST(FrontMatter, UnclosedFenceIsAnError) {
    auto e = expect_error([] { split_front_matter("\n---\ntitle: x\n\nBody text", "i.md"); });
    EXPECT_EQ(e.pos().line, 2);
}

TEST(Scan, OrdersLikeHugo) {
    auto dir = fresh_dir("book");
    write(dir / "content/b.md", "---\ntitle: Beta\nweight: 2\n---\nx");
    write(dir / "content/a.md", "---\ntitle: Alfa\nweight: 10\n---\nx");
    write(dir / "content/c.md", "---\ntitle: Gamma\n---\nx"); // no weight: after weighted
    write(dir / "content/d.md", "---\ntitle: Delta\nweight: 2\n---\nx"); // tie: by title
    write(dir / "content/e.md", "---\ntitle: Borrador\nweight: 1\ndraft: true\n---\nx");
    write(dir / "content/f.txt", "Zeta sin nada\n\ntexto");
    write(dir / "content/notes.json", "{}");
    util::Diagnostics diags;
    auto essays = book::scan_content(dir / "content", dir, diags);
    std::vector<std::string> names;
    for (const auto& e : essays)
        names.push_back(e.path.filename().string());
    EXPECT_EQ(names, (std::vector<std::string>{"b.md", "d.md", "a.md", "f.txt", "c.md"}));
    EXPECT_EQ(essays[0].display, "content/b.md");
}

TEST(Scan, PartsNestTheirPages) {
    auto dir = fresh_dir("book");
    write(dir / "content/intro.md", "---\nweight: 1\n---\nx");
    write(dir / "content/part2/_index.md", "---\ntitle: Segunda\nweight: 3\n---\nIntro");
    write(dir / "content/part2/z.md", "---\nweight: 2\n---\nx");
    write(dir / "content/part2/y.md", "---\nweight: 1\n---\nx");
    write(dir / "content/part1/_index.md", "---\ntitle: Primera\nweight: 2\n---\n");
    write(dir / "content/part1/x.md", "x");
    write(dir / "content/loose/w.md", "---\nweight: 5\n---\nx"); // no _index: joins the level
    util::Diagnostics diags;
    auto essays = book::scan_content(dir / "content", dir, diags);
    std::vector<std::string> got;
    for (const auto& e : essays)
        got.push_back(e.path.parent_path().filename().string() + "/" + e.path.filename().string() +
                      ":" + std::to_string(e.depth));
    EXPECT_EQ(got, (std::vector<std::string>{"content/intro.md:0", "part1/_index.md:0",
                                             "part1/x.md:1", "part2/_index.md:0", "part2/y.md:1",
                                             "part2/z.md:1", "loose/w.md:0"}));
    EXPECT_TRUE(essays[1].is_section);
}

TEST(Scan, InvalidUtf8NamesLine) {
    auto dir = fresh_dir("book");
    write(dir / "content/a.md", "uno\ndos\ntr\xff"
                                "es\n");
    util::Diagnostics diags;
    auto e = expect_error([&] { book::scan_content(dir / "content", dir, diags); });
    EXPECT_EQ(e.pos().file, "content/a.md");
    EXPECT_EQ(e.pos().line, 3);
    EXPECT_NE(std::string(e.what()).find("UTF-8"), std::string::npos);
}

TEST(Config, ReadsBookToml) {
    auto dir = fresh_dir("book");
    write(dir / "book.toml", "title = 'Libro'\nauthors = ['Ana', 'Luis']\nlanguage = 'es'\n"
                             "cover = 'assets/c.png'\n[aliases]\n_din_style = 'style_1'\n"
                             "[pdf]\npaper = 'a4'\nfont_size = 11\n");
    auto cfg = book::load_config(dir);
    EXPECT_EQ(cfg.title, "Libro");
    EXPECT_EQ(cfg.authors, (std::vector<std::string>{"Ana", "Luis"}));
    EXPECT_EQ(cfg.language, "es");
    EXPECT_EQ(cfg.cover, "assets/c.png");
    EXPECT_EQ(cfg.path_aliases.at("_din_style"), "style_1");
    EXPECT_EQ(cfg.pdf.paper, "a4");
    EXPECT_DOUBLE_EQ(cfg.pdf.font_size, 11);
}

TEST(Config, BadValuesNameTheLine) {
    auto dir = fresh_dir("book");
    write(dir / "book.toml", "title = 'x'\n[pdf]\npaper = 'a3'\n");
    auto e = expect_error([&] { book::load_config(dir); });
    EXPECT_EQ(e.pos().file, "book.toml");
    EXPECT_EQ(e.pos().line, 3);
    write(dir / "book.toml", "title = \n");
    auto e2 = expect_error([&] { book::load_config(dir); });
    EXPECT_EQ(e2.pos().line, 1);
}

TEST(Config, ReadsTheTypesettingRules) {
    auto dir = fresh_dir("book");
    auto cfg0 = book::load_config(dir); // no book.toml: the documented defaults
    EXPECT_TRUE(cfg0.pdf.final_hyphen_if_nothing_else_fits);
    EXPECT_EQ(cfg0.pdf.max_hyphenated_lines, 2);
    EXPECT_FALSE(cfg0.pdf.hyphenate_capitalized);
    EXPECT_EQ(cfg0.pdf.chapter_end_min_lines, 3);
    write(dir / "book.toml", "title = 'Libro'\n[pdf]\nhyphenation = ['Zucker-berg', 'ta-ble']\n"
                             "final_hyphen_demerits = 0\nmax_hyphenated_lines = 3\n"
                             "right_hyphen_min = 2\nhyphenate_capitalized = true\n"
                             "emergency_stretch = 0\nbroken_penalty = 100\n"
                             "final_hyphen_if_nothing_else_fits = false\n");
    auto cfg = book::load_config(dir);
    EXPECT_EQ(cfg.pdf.hyphenation, (std::vector<std::string>{"Zucker-berg", "ta-ble"}));
    EXPECT_EQ(cfg.pdf.final_hyphen_demerits, 0);
    EXPECT_EQ(cfg.pdf.max_hyphenated_lines, 3);
    EXPECT_EQ(cfg.pdf.right_hyphen_min, 2);
    EXPECT_TRUE(cfg.pdf.hyphenate_capitalized);
    EXPECT_EQ(cfg.pdf.emergency_stretch, 0);
    EXPECT_EQ(cfg.pdf.broken_penalty, 100);
    EXPECT_FALSE(cfg.pdf.final_hyphen_if_nothing_else_fits);
}

TEST(Config, BadTypesettingRulesNameTheLine) {
    auto dir = fresh_dir("book");
    write(dir / "book.toml", "title = 'x'\n[pdf]\nhyphenation = ['ok-ay', 'bad word']\n");
    auto e = expect_error([&] { book::load_config(dir); });
    EXPECT_EQ(e.pos().line, 3);
    EXPECT_NE(std::string(e.what()).find("bad word"), std::string::npos) << e.what();
    write(dir / "book.toml", "title = 'x'\n[pdf]\nmax_hyphenated_lines = -1\n");
    auto e2 = expect_error([&] { book::load_config(dir); });
    EXPECT_EQ(e2.pos().line, 3);
    write(dir / "book.toml", "title = 'x'\n[pdf]\n\nbroken_penalty = 'high'\n");
    auto e3 = expect_error([&] { book::load_config(dir); });
    EXPECT_EQ(e3.pos().line, 4);
}

#include "book/isbn.h"

TEST(Isbn, ChecksumsOfIsbn10And13) {
    using imprenta::book::parse_isbn;
    auto a = parse_isbn("978-0-306-40615-7");
    ASSERT_TRUE(a);
    EXPECT_TRUE(a->valid);
    EXPECT_EQ(a->digits, "9780306406157");
    EXPECT_FALSE(parse_isbn("978-0-306-40615-8")->valid);
    auto b = parse_isbn("ISBN 0-306-40615-2");
    ASSERT_TRUE(b);
    EXPECT_TRUE(b->valid);
    EXPECT_TRUE(parse_isbn("urn:isbn:080442957X")->valid);
    EXPECT_FALSE(parse_isbn("urn:isbn:12345")->valid); // declared, wrong length
    EXPECT_FALSE(parse_isbn("urn:uuid:0a1b2c3d-0000-4000-8000-000000000000"));
    EXPECT_FALSE(parse_isbn("https://example.org/book"));
    EXPECT_FALSE(parse_isbn("2024")); // a number of another length is not taken for an ISBN
}
