// Hostile input, round two (issue 13), findings 6, 10 and 11: front matter errors at their line,
// positions on diagnostics, files that are not files, animated images, and books large enough
// to show quadratic time.
#include "bad_input.h"

#include <gtest/gtest.h>

#include <chrono>
#include <sys/stat.h>

using namespace testing_support;
using namespace bad_input;

// Finding 10: an unclosed quote in YAML front matter built with a made-up title, exit 0.
TEST(BadInputReading, UnclosedYamlQuoteIsAnErrorAtItsLine) {
    auto b = make_book("book");
    auto canary = plant_canary(b);
    auto r = expect_failure_keeps_output(
        b, [&] { write_essay(b, "x.md", "---\nweight: 2\ntitle: \"sin cerrar\n---\n\nCuerpo.\n"); },
        {"content/x.md:3:8: error: malformed YAML front matter", "never closed"});
    expect_contained(b, canary, r);
}

TEST(BadInputReading, UnclosedSingleQuoteIsAnErrorAtItsLine) {
    auto b = make_book("book");
    expect_failure_keeps_output(
        b,
        [&] { write_essay(b, "x.md", "---\ntitle: 'it''s open\ndescription: x\n---\n\nBody.\n"); },
        {"content/x.md:2:8: error: malformed YAML front matter", "never closed"});
}

TEST(BadInputReading, QuotedValuesThatCloseStillBuild) {
    auto b = make_book("book");
    write_essay(b, "x.md",
                "---\ntitle: \"Dicho: \\\"hola\\\"\"\ndescription: 'it''s fine'\n"
                "tags: [\"a\", 'b']\n---\n\nBody.\n");
    expect_builds_with(b, {}, "--format epub");
    auto pages = xhtml_files(b.out / "hostile.epub");
    ASSERT_TRUE(pages.count("EPUB/text/x.xhtml"));
    // Titles get the same smart punctuation as the body (one title per chapter, issue 16).
    EXPECT_NE(pages["EPUB/text/x.xhtml"].find("Dicho: “hola”"), std::string::npos);
}

TEST(BadInputReading, MalformedTomlFrontMatterIsAnErrorAtItsLine) {
    auto b = make_book("book");
    expect_failure_keeps_output(
        b, [&] { write_essay(b, "x.md", "+++\nweight = 2\ntitle = \"sin cerrar\n+++\n\nBody.\n"); },
        {"content/x.md:3:", "malformed TOML front matter"});
}

// Finding 11: an essay that is a FIFO was skipped silently (reading it would block).
TEST(BadInputReading, FifoEssayIsAWarningNamingIt) {
    auto b = make_book("book");
    auto canary = plant_canary(b);
    ASSERT_EQ(::mkfifo((b.root / "content" / "pipe.md").c_str(), 0644), 0);
    auto r = expect_builds_with(
        b, {"content/pipe.md: warning: skipped: this essay is a named pipe (FIFO)"}, "");
    expect_contained(b, canary, r);
}

// Finding 11: an animated WebP became one frame silently.
TEST(BadInputReading, AnimatedWebpIsAWarningAtItsReference) {
    if (!have_tool("img2webp")) GTEST_SKIP() << "no img2webp (webp package) to make the animation";
    auto b = make_book("book");
    auto dir = b.root.parent_path();
    write(dir / "f1.png", make_png(8, 8, 0xcc3333));
    write(dir / "f2.png", make_png(8, 8, 0x3333cc));
    auto made = run("img2webp -loop 0 -d 100 " + quote((dir / "f1.png").string()) + " " +
                    quote((dir / "f2.png").string()) + " -o " +
                    quote((b.root / "content" / "blink.webp").string()));
    ASSERT_EQ(made.exit_code, 0) << made.err;
    write_essay(b, "a.md", "---\ntitle: Blink\n---\n\nIt blinks:\n\n  ![Blinking](blink.webp)\n");
    expect_builds_with(
        b, {"content/a.md:7:3: warning: image blink.webp is an animated WebP", "first frame"});
}

// Finding 11: a configuration error names its book.toml line and the column of the value.
TEST(BadInputReading, ConfigErrorsCarryLineAndColumn) {
    auto b = make_book("book");
    expect_failure_keeps_output(
        b,
        [&] {
            write(b.root / "book.toml",
                  "title = \"Hostile\"\nslug = \"hostile\"\n[pdf]\n  leading = 9\n");
        },
        {"book.toml:4:13: error:", "leading"});
}

// Finding 6: 20,000 headings with the same text took 73 s (ids de-duplicated in quadratic time).
TEST(BadInputReading, TwentyThousandSameHeadingsBuildQuickly) {
    auto b = make_book("book");
    std::string text = "---\ntitle: Repeats\n---\n\n";
    for (int i = 0; i < 20000; ++i)
        text += "## Same heading\n\nA line under it.\n\n";
    write_essay(b, "a.md", text);
    auto started = std::chrono::steady_clock::now();
    auto r = expect_builds_with(b, {}, "--format epub");
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    // 0.55 s measured on a loaded 2-core machine; the quadratic version took 73 s.
    if (!kSanitized) {
        EXPECT_LT(secs, 10.0) << "ids de-duplicated in more than linear time?";
    }
    auto pages = xhtml_files(b.out / "hostile.epub");
    const std::string& page = pages["EPUB/text/a.xhtml"];
    EXPECT_NE(page.find("id=\"same-heading\""), std::string::npos);
    EXPECT_NE(page.find("id=\"same-heading-2\""), std::string::npos);
    EXPECT_NE(page.find("id=\"same-heading-20000\""), std::string::npos);
    EXPECT_EQ(page.find("id=\"same-heading-20001\""), std::string::npos);
}

TEST(BadInputReading, HeadingIdsNeverCollideWithWrittenSuffixes) {
    // "Intro", "Intro 2" (slug intro-2) and "Intro" again: the third cannot take intro-2.
    auto b = make_book("book");
    write_essay(b, "a.md",
                "---\ntitle: Ids\n---\n\n## Intro\n\nx\n\n## Intro 2\n\ny\n\n## Intro\n\nz\n");
    expect_builds_with(b, {}, "--format epub");
    auto page = xhtml_files(b.out / "hostile.epub")["EPUB/text/a.xhtml"];
    EXPECT_NE(page.find("id=\"intro\""), std::string::npos) << page;
    EXPECT_NE(page.find("id=\"intro-2\""), std::string::npos) << page;
    EXPECT_NE(page.find("id=\"intro-3\""), std::string::npos) << page;
}

// Finding 11: SVG rejections, missing glyphs, an unknown `language` and link warnings named the
// file or the line only. Each now points at the place to fix: the image or link in the essay,
// the character, the value in book.toml.
TEST(BadInputReading, DiagnosticsPointAtLineAndColumn) {
    auto b = make_book("book");
    auto canary = plant_canary(b);
    write(b.root / "book.toml",
          "title = \"Hostile\"\nslug = \"hostile\"\nauthor = \"A\"\n  language = \"not a tag!\"\n");
    write(b.root / "content" / "logo.svg",
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><style>"
          "@\\69mport \"http://example.com/x.css\";</style><rect width=\"10\" "
          "height=\"10\"/></svg>\n");
    // U+0378 is unassigned: no font has it.
    write_essay(b, "a.md",
                "---\ntitle: Diag\n---\n\nIntro.\n\nSee   ![Logo](logo.svg) here.\n\n"
                "A [bad link](other.md#x) and [anchor](#nowhere) and ok.\n\nOdd: ab\xcd\xb8"
                "c.\n");
    auto r = expect_builds_with(
        b, {"content/a.md:7:7: warning: cannot use image content/logo.svg (unsafe SVG",
            "content/a.md:7:7: warning: image content/logo.svg left out of the PDF",
            "content/a.md:9:3: warning: link to a missing essay: other.md#x",
            "content/a.md:9:30: warning: link to a missing anchor: #nowhere",
            "content/a.md:11:8: warning: no font has a glyph for U+0378",
            "book.toml:4:14: warning: language 'not a tag!' is not a BCP 47 tag"});
    // Said once, at book.toml, not again for the chapter that inherits it.
    EXPECT_EQ(r.err.find("content/a.md: warning: language"), std::string::npos) << r.err;
    expect_contained(b, canary, r);
}

// An essay's own `lang` that is not a language tag is reported at its value in the front matter
// (YAML and TOML), not at the file alone; a banner that cannot be used, at its value's column.
TEST(BadInputReading, FrontMatterLangAndBannerPointAtTheirValues) {
    auto b = make_book("book");
    write_essay(b, "x.md",
                "---\ntitle: Ensayo\nlang:   \"no es válido\"\nimage:    falta.png\n---\n\n"
                "Texto del ensayo.\n");
    write_essay(b, "y.md", "+++\ntitle = \"Otro\"\n\n  lang = \"x y\"\n+++\n\nMás texto.\n");
    auto r = expect_builds_with(
        b, {"content/x.md:3:9: warning: language 'no es válido' is not a BCP 47 tag",
            "content/y.md:4:10: warning: language 'x y' is not a BCP 47 tag",
            "content/x.md:4:11: warning:"});
    EXPECT_NE(r.err.find("falta.png"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("content/x.md: warning: language"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("content/x.md:4:0"), std::string::npos) << r.err;
}
