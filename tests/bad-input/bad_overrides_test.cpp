// Hostile input, round two (issue 13), findings 4 and 5: template and CSS overrides go through
// the same sanitiser as content, CSS escapes are decoded before anything is checked (SVG too),
// what is dropped is a warning at file:line, and the EPUB still passes epubcheck.
#include "bad_input.h"

#include <gtest/gtest.h>

using namespace testing_support;
using namespace bad_input;

namespace {

// Every entry of the EPUB, concatenated: what a reading system could act on.
std::string epub_text(const fs::path& epub) {
    std::string all;
    for (const auto& e : read_zip(epub))
        all += e.data;
    return all;
}

constexpr const char* kPage = R"T(<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="{{lang}}" lang="{{lang}}">
<head>
<title>{{title}}</title>
<link rel="stylesheet" type="text/css" href="{{stylesheet}}"/>
<script src="http://tracker.example/t.js"></script>
<link rel="stylesheet" href="https://tracker.example/more.css"/>
<style>body { background: url(http://tracker.example/bg.png); margin: 0 }</style>
</head>
<body onload="track()"><div class="book">{{body}}</div><img src="file:///etc/hostname" alt=""/><p><a href="https://example.org/">Publisher</a></p></body>
</html>
)T";

constexpr const char* kCss = R"T(/* A house style with a few things a book must not do. */
@import "http://tracker.example/a.css";
@\69mport url(http://tracker.example/b.css);
body { font-family: serif; background: u\72l(http://tracker.example/c.png); }
p { margin: 0; background-image: image-set("https://tracker.example/d.png" 1x); }
h1 { color: #335; background: url(data:image/png;base64,iVBORw0KGgo=); }
blockquote { font-style: italic; }
)T";

} // namespace

// Finding 5: a template override with <script src="http://..."> or a CSS with a remote @import
// built an EPUB that failed epubcheck (12 errors), exit 0.
TEST(BadInputOverrides, PageTemplateIsSanitisedWithWarningsAtTheirLines) {
    auto b = make_book("book");
    auto canary = plant_canary(b);
    write(b.root / "templates" / "epub" / "page.xhtml", kPage);
    auto r = expect_builds_with(b,
                                {"templates/epub/page.xhtml:7: warning: dropped", "<script>",
                                 "templates/epub/page.xhtml:8: warning: dropped", "<link>",
                                 "templates/epub/page.xhtml:9: warning: dropped",
                                 "templates/epub/page.xhtml:11: warning: dropped",
                                 "event handler onload", "src=\"file:///etc/hostname\""},
                                "--format epub");
    auto all = epub_text(b.out / "hostile.epub");
    EXPECT_EQ(all.find("tracker.example"), std::string::npos);
    EXPECT_EQ(all.find("onload"), std::string::npos);
    EXPECT_EQ(all.find("file:"), std::string::npos);
    // What is allowed stays: the wrapper, the stylesheet link and a plain hyperlink.
    auto pages = xhtml_files(b.out / "hostile.epub");
    ASSERT_TRUE(pages.count("EPUB/text/a.xhtml"));
    EXPECT_NE(pages["EPUB/text/a.xhtml"].find("<div class=\"book\">"), std::string::npos);
    EXPECT_NE(pages["EPUB/text/a.xhtml"].find("https://example.org/"), std::string::npos);
    EXPECT_NE(pages["EPUB/text/a.xhtml"].find("margin: 0"), std::string::npos);
    expect_epubcheck_clean(b.out / "hostile.epub");
    expect_contained(b, canary, r);
}

TEST(BadInputOverrides, StyleSheetIsSanitisedInEveryEscapeForm) {
    auto b = make_book("book");
    auto canary = plant_canary(b);
    write(b.root / "templates" / "epub" / "style.css", kCss);
    auto r = expect_builds_with(b,
                                {"templates/epub/style.css:2:1: warning: dropped", "@import",
                                 "templates/epub/style.css:3:1: warning: dropped",
                                 "templates/epub/style.css:4:28: warning: dropped",
                                 "templates/epub/style.css:5:16: warning: dropped", "image-set"},
                                "--format epub");
    auto css_entries = read_zip(b.out / "hostile.epub");
    auto css = find_entry(css_entries, "EPUB/style.css");
    ASSERT_NE(css, nullptr);
    std::string decoded = css->data;
    EXPECT_EQ(decoded.find("tracker"), std::string::npos) << decoded;
    EXPECT_EQ(decoded.find("mport"), std::string::npos) << decoded;
    // The rest of the house style is kept, data: URLs included.
    for (const char* kept : {"font-family: serif", "margin: 0", "color: #335", "url(data:image/png",
                             "font-style: italic"})
        EXPECT_NE(decoded.find(kept), std::string::npos) << kept << " lost:\n" << decoded;
    expect_epubcheck_clean(b.out / "hostile.epub");
    expect_contained(b, canary, r);
}

TEST(BadInputOverrides, CleanOverridesAreShippedByteForByte) {
    auto b = make_book("book");
    std::string css = "p { text-indent: 1em; }\nh1 { font-variant: small-caps; }\n";
    write(b.root / "templates" / "epub" / "style.css", css);
    auto r = expect_builds_with(b, {}, "--format epub");
    EXPECT_EQ(r.err.find("dropped"), std::string::npos) << r.err;
    auto entry_entries = read_zip(b.out / "hostile.epub");
    auto entry = find_entry(entry_entries, "EPUB/style.css");
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(entry->data, css);
}

// Finding 4: SVG CSS with escapes passed the SVG check and shipped.
TEST(BadInputOverrides, SvgCssEscapesAreDecodedBeforeTheCheck) {
    auto b = make_book("book");
    auto canary = plant_canary(b);
    const char* head = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\">";
    write(b.root / "content" / "import.svg",
          std::string(head) + "<style>@\\69mport \"http://tracker.example/a.css\";</style>"
                              "<rect width=\"9\" height=\"9\"/></svg>\n");
    write(b.root / "content" / "url.svg",
          std::string(head) + "<style>rect { fill: u\\72l(http://tracker.example/p.svg#x) }"
                              "</style><rect width=\"9\" height=\"9\"/></svg>\n");
    write(b.root / "content" / "attr.svg",
          std::string(head) + "<rect width=\"9\" height=\"9\" "
                              "style=\"fill:u\\rl(http://tracker.example/q)\"/></svg>\n");
    write(b.root / "content" / "set.svg",
          std::string(head) + "<rect width=\"9\" height=\"9\" style=\"fill: "
                              "image-set('http://tracker.example/r.png' 1x)\"/></svg>\n");
    write(b.root / "content" / "fine.svg",
          std::string(head) + "<defs><linearGradient id=\"g\"><stop offset=\"0\" "
                              "stop-color=\"#a33\"/></linearGradient></defs><rect width=\"9\" "
                              "height=\"9\" style=\"fill:u\\72l(#g)\"/></svg>\n");
    write_essay(b, "a.md",
                "---\ntitle: Diagrams\n---\n\nFour drawings.\n\n![Import](import.svg)\n\n"
                "![Url](url.svg)\n\n![Attribute](attr.svg)\n\n![Set](set.svg)\n\n"
                "![Fine](fine.svg)\n");
    auto r = expect_builds_with(b,
                                {"content/import.svg", "an @import rule", "content/url.svg",
                                 "url(http://tracker.example/p.svg#x)", "content/attr.svg",
                                 "content/set.svg", "image-set"},
                                "--format epub");
    EXPECT_EQ(r.err.find("fine.svg"), std::string::npos) << r.err;
    auto all = epub_text(b.out / "hostile.epub");
    EXPECT_EQ(all.find("tracker.example"), std::string::npos);
    auto entries = read_zip(b.out / "hostile.epub");
    EXPECT_NE(find_entry(entries, "EPUB/images/fine.svg"), nullptr);
    expect_epubcheck_clean(b.out / "hostile.epub");
    expect_contained(b, canary, r);
}

// Issue 16: SVG 2 attributes (paint-order, href ...) made epubcheck fail; they become SVG 1.1.
TEST(BadInputOverrides, Svg2AttributesBecomeSvg11) {
    auto b = make_book("book");
    write(b.root / "content" / "map.svg",
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"60\" height=\"30\" role=\"img\" "
          "aria-label=\"A map\"><rect id=\"r\" width=\"20\" height=\"10\" fill=\"#eee\" "
          "stroke=\"#333\" paint-order=\"stroke\" vector-effect=\"non-scaling-stroke\" "
          "data-layer=\"base\" tabindex=\"0\"/><use href=\"#r\" x=\"30\"/><text x=\"2\" y=\"28\" "
          "white-space=\"pre\" style=\"font-size:8px\">North</text></svg>\n");
    write_essay(b, "a.md", "---\ntitle: Map\n---\n\nA map.\n\n![Map](map.svg)\n");
    auto r = expect_builds_with(b, {}, "--format epub");
    EXPECT_EQ(r.err.find("map.svg"), std::string::npos) << r.err;
    auto svg_entries = read_zip(b.out / "hostile.epub");
    auto svg = find_entry(svg_entries, "EPUB/images/map.svg");
    ASSERT_NE(svg, nullptr);
    const std::string& s = svg->data;
    EXPECT_NE(s.find("style=\"paint-order:stroke;vector-effect:non-scaling-stroke;\""),
              std::string::npos)
        << s;
    EXPECT_NE(s.find("xlink:href=\"#r\""), std::string::npos) << s;
    EXPECT_NE(s.find("style=\"white-space:pre;font-size:8px\""), std::string::npos) << s;
    EXPECT_NE(s.find("aria-label=\"A map\""), std::string::npos) << s;
    for (const char* gone : {" paint-order=", " href=", "data-layer", "tabindex", " white-space="})
        EXPECT_EQ(s.find(gone), std::string::npos) << gone << " kept:\n" << s;
    expect_epubcheck_clean(b.out / "hostile.epub");
}
