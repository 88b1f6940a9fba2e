// The CSS and page-template sanitiser (util/sanitize.h) and the path rule (util/fs.h).
#include "support/support.h"
#include "util/fs.h"
#include "util/sanitize.h"
#include "util/unique_names.h"

#include <gtest/gtest.h>
#include <unistd.h>

using namespace imprenta::util;
using testing_support::fresh_dir;
using testing_support::write;

TEST(CssForChecking, DecodesEveryEscapeForm) {
    EXPECT_EQ(css_for_checking("@\\69mport"), "@import");
    EXPECT_EQ(css_for_checking("u\\72 l("), "url(");    // hex escape eats one space
    EXPECT_EQ(css_for_checking("u\\000072l("), "url("); // six hex digits
    EXPECT_EQ(css_for_checking("u\\rl("), "url(");      // a plain escaped letter
    EXPECT_EQ(css_for_checking("U/**/RL("), "url(");    // comments vanish, case folds
    EXPECT_EQ(css_for_checking("'a\\\nb'"), "'ab'");    // line continuation
    EXPECT_EQ(css_for_checking("\\0"), "\xEF\xBF\xBD"); // NUL becomes U+FFFD
}

TEST(CssOutsideReference, FindsRemoteAndFileReferences) {
    EXPECT_TRUE(css_outside_reference("@import 'x.css'"));
    EXPECT_TRUE(css_outside_reference("fill: u\\72l(http://e.example/x)"));
    EXPECT_TRUE(css_outside_reference("background: url( \"file:///etc/passwd\" )"));
    EXPECT_TRUE(css_outside_reference("background: image-set('https://e.example/a.png' 1x)"));
    EXPECT_TRUE(css_outside_reference("background: -webkit-image-set(\"//e.example/a\" 1x)"));
    EXPECT_TRUE(css_outside_reference("width: expression(alert(1))"));
    // A comment opener inside a string hides nothing; an escaped quote opens no string.
    EXPECT_TRUE(css_outside_reference("a: \"/*\"; b: url(http://e.example/x); c: \"*/\""));
    EXPECT_TRUE(css_outside_reference("a: \\\" url(http://e.example/x) \\\""));
    // A function name inside a string is only text.
    EXPECT_FALSE(css_outside_reference("content: \"url(http://e.example/x)\""));
    EXPECT_FALSE(css_outside_reference("fill: url(#gradient)"));
    EXPECT_FALSE(css_outside_reference("background: url(data:image/png;base64,AAAA)"));
    EXPECT_FALSE(css_outside_reference("content: \"Note: see http://example.org\""));
    EXPECT_FALSE(css_outside_reference("font: 12px/1.4 serif"));
}

TEST(SanitizeCss, DropsOnlyWhatReachesOutsideAndSaysWhere) {
    std::vector<Dropped> d;
    std::string out =
        sanitize_css("p { margin: 0; background: url(http://x.example/a); }\n"
                     "@import 'b.css';\n"
                     "h1 { background: url(data:image/png;base64,A;B); color: red }\n",
                     d);
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(d[0].line, 1);
    EXPECT_EQ(d[0].col, 16);
    EXPECT_EQ(d[1].line, 2);
    EXPECT_EQ(out.find("x.example"), std::string::npos) << out;
    EXPECT_EQ(out.find("b.css"), std::string::npos) << out;
    EXPECT_NE(out.find("margin: 0"), std::string::npos) << out;
    EXPECT_NE(out.find("base64,A;B); color: red }"), std::string::npos) << out;
}

TEST(SanitizeCss, DropsABlockWhosePreludeImports) {
    std::vector<Dropped> d;
    std::string out = sanitize_css("@import url(x.css) { a { b: c } }\np { color: red }\n", d);
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(out, "\np { color: red }\n");
}

TEST(SanitizePageTemplate, UnchangedWhenClean) {
    std::string page = "<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>{{title}}"
                       "</title></head><body>{{body}}</body></html>";
    std::vector<Dropped> d;
    EXPECT_EQ(sanitize_page_template(page, d), page);
    EXPECT_TRUE(d.empty());
}

TEST(SanitizePageTemplate, LinesCountTheLeadingComment) {
    std::string page = "<!--\n doc\n-->\n<html xmlns=\"http://www.w3.org/1999/xhtml\">\n"
                       "<body onclick=\"x()\">{{body}}<script>x()</script></body></html>";
    std::vector<Dropped> d;
    std::string out = sanitize_page_template(page, d);
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(d[0].line, 5);
    EXPECT_EQ(d[1].line, 5);
    EXPECT_EQ(out.find("onclick"), std::string::npos);
    EXPECT_EQ(out.find("script"), std::string::npos);
    EXPECT_EQ(out.rfind("<!--\n doc\n-->", 0), 0u);
}

TEST(UniqueNames, SuffixesSkipNamesAlreadyTaken) {
    UniqueNames n;
    n.reserve("a-2");
    EXPECT_EQ(n.take("a"), "a");
    EXPECT_EQ(n.take("a"), "a-3");
    EXPECT_EQ(n.take("a"), "a-4");
    EXPECT_EQ(n.take("a-3"), "a-3-2");
}

TEST(PathRule, PlainFileNames) {
    EXPECT_TRUE(is_plain_file_name("book.epub"));
    EXPECT_TRUE(is_plain_file_name("a..b"));
    for (const char* bad : {"", ".", "..", "../x", "a/b", "/abs", "a\\b"})
        EXPECT_FALSE(is_plain_file_name(bad)) << bad;
    EXPECT_FALSE(is_plain_file_name(std::string("a\0b", 3)));
    EXPECT_THROW(output_path("/out", "../x.epub"), BuildError);
    EXPECT_EQ(output_path("/out", "x.epub"), fs::path("/out/x.epub"));
}

TEST(PathRule, InputsResolveInsideTheBook) {
    auto dir = fresh_dir("paths");
    write(dir / "book" / "in.txt", "in");
    write(dir / "outside.txt", "out");
    fs::create_symlink(dir / "outside.txt", dir / "book" / "link.txt");
    fs::create_symlink(dir / "book" / "in.txt", dir / "book" / "inner-link.txt");
    auto root = fs::canonical(dir / "book");
    EXPECT_EQ(resolve_input(root, "in.txt"), root / "in.txt");
    EXPECT_EQ(resolve_input(root, "inner-link.txt"), root / "in.txt");
    try {
        resolve_input(root, "link.txt");
        ADD_FAILURE() << "a symlink out of the book was followed";
    } catch (const BuildError& e) {
        EXPECT_EQ(e.pos().file, "link.txt");
        EXPECT_NE(std::string(e.what()).find("through a symlink"), std::string::npos) << e.what();
    }
    EXPECT_THROW(resolve_input(root, "../outside.txt"), BuildError);
    EXPECT_THROW(resolve_input(root, "/etc/hostname"), BuildError);
    EXPECT_THROW(read_book_file(root, "link.txt"), BuildError);
}

TEST(PathRule, SystemFontFoldersOnlyForFonts) {
    const char* font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    if (!fs::exists(font)) GTEST_SKIP() << "no " << font;
    auto root = fs::canonical(fresh_dir("fonts"));
    EXPECT_THROW(resolve_input(root, font), BuildError);
    EXPECT_NO_THROW(resolve_input(root, font, /*allow_system_fonts=*/true));
    EXPECT_THROW(resolve_input(root, "/etc/hostname", true), BuildError);
}

TEST(StaleTempFiles, OnlyOursOfDeadProcessesGo) {
    auto dir = fresh_dir("stale");
    // PID 2^22+1 is above Linux's pid_max limit (4194304): no process has it.
    write(dir / ".book.epub.tmp-4194305-0", "dead");
    write(dir / ".book.epub.tmp-4194305-0.tmp-4194305-1.Ab12Cd", "libzip's");
    write(dir / (".book.pdf.tmp-" + std::to_string(::getpid()) + "-0"), "alive");
    write(dir / ".book.epub.tmp-x", "not ours");
    write(dir / "book.epub", "kept");
    EXPECT_EQ(remove_stale_temp_files(dir), 2);
    EXPECT_TRUE(fs::exists(dir / (".book.pdf.tmp-" + std::to_string(::getpid()) + "-0")));
    EXPECT_TRUE(fs::exists(dir / ".book.epub.tmp-x"));
    EXPECT_TRUE(fs::exists(dir / "book.epub"));
}
