// The small rules behind Hugo sites: URLs as a browser resolves them, Hugo's heading ids and
// section titles, escaped and self-closing shortcodes, GitHub alerts, shortcodes mapped in
// book.toml.
#include "book/scan.h"
#include "book/site_paths.h"
#include "doc/links.h"
#include "doc/markdown.h"
#include "doc/shortcodes.h"
#include "doc/translated_anchors.h"

#include <gtest/gtest.h>

using namespace imprenta;
using namespace imprenta::doc;

namespace {
MarkdownResult md(const std::string& text, util::Diagnostics* diags = nullptr,
                  const ShortcodeOptions* options = nullptr) {
    MarkdownInput in;
    in.body = text;
    in.source = "s.md";
    in.diags = diags;
    in.shortcodes = options;
    return read_markdown(in);
}
} // namespace

TEST(HugoUrls, RelativePathsResolveAsInABrowser) {
    EXPECT_EQ(book::resolve_url("/docs/05-x/", "../06-media/"), "/docs/06-media/");
    EXPECT_EQ(book::resolve_url("/docs/05-x/", "../images/a.png"), "/docs/images/a.png");
    EXPECT_EQ(book::resolve_url("/docs/05-x/", "./sub/b"), "/docs/05-x/sub/b");
    EXPECT_EQ(book::resolve_url("/docs/05-x/", "/abs/"), "/abs/");
    EXPECT_EQ(book::resolve_url("/a/", "../../../x"), "/x"); // never above the root
}

TEST(HugoUrls, ComparableFormDropsWhatHugoIgnores) {
    book::SiteConfig site;
    site.lang = "fr";
    site.url_prefix = "/fr";
    EXPECT_EQ(book::url_key("/Docs/Notes/", site), "/docs/notes");
    EXPECT_EQ(book::url_key("/fr/docs/notes/index.html", site), "/docs/notes");
    EXPECT_EQ(book::url_key("/docs/99-travail-not%C3%A9-1", site), "/docs/99-travail-noté-1");
    EXPECT_EQ(book::url_key("/fr", site), "/");
    EXPECT_EQ(book::url_key("/french/x", site), "/french/x"); // a prefix only as a whole segment
    site.path_to_lower = false;
    EXPECT_EQ(book::url_key("/Docs/Notes/", site), "/Docs/Notes");
}

TEST(HugoIds, HeadingIdsAsHugoMakesThem) {
    EXPECT_EQ(hugo_heading_id("Sender/Receiver Reports"), "senderreceiver-reports");
    EXPECT_EQ(hugo_heading_id("Receiver Reports / Sender Reports"),
              "receiver-reports--sender-reports");
    EXPECT_EQ(hugo_heading_id("  Full INTRA (FIR)  "), "full-intra-fir");
    EXPECT_EQ(hugo_heading_id("Qué es RTP_x"), "qué-es-rtp_x");
}

TEST(HugoSections, UntitledSectionTakesItsFolderNameCapitalised) {
    EXPECT_EQ(book::section_title("experimental"), "Experimental");
    EXPECT_EQ(book::section_title("notes of the day"), "Notes of the Day");
}

TEST(HugoShortcodes, EscapedShortcodesPrintAsHugoPrintsThem) {
    auto e = expand_shortcodes("a {{</* tabs \"x\" */>}} b\n{{%/* hint */%}}\n"
                               "```\n{{</* katex */>}}\nx >}} y\n{{</* /katex */>}}\n```\n",
                               1, "s.md", nullptr);
    EXPECT_EQ(e.markdown, "a {{< tabs \"x\" >}} b\n{{% hint %}}\n"
                          "```\n{{< katex >}}\nx >}} y\n{{< /katex >}}\n```\n");
}

TEST(HugoShortcodes, SelfClosingAndStrayBraces) {
    util::Diagnostics diags;
    auto r =
        md("| a | {{< katex />}} b |\n|---|---|\n| 1 | 2 |\n\n{{{< hint info >}}}x{{< /hint >}}\n",
           &diags);
    ASSERT_GE(r.blocks.size(), 1u);
    EXPECT_EQ(r.blocks[0].kind, BlockKind::Table);
    EXPECT_EQ(r.blocks[0].rows.size(), 2u); // the row did not fall apart
    EXPECT_EQ(diags.warning_count(), 0);
}

TEST(HugoShortcodes, UnknownShortcodesWarnOncePerName) {
    util::Diagnostics diags;
    WarnOnce once;
    ShortcodeOptions opts;
    opts.once = &once;
    md("{{< quiz >}}uno{{< /quiz >}}\n\n{{< quiz >}}dos{{< /quiz >}}\n\n{{< poll >}}\n", &diags,
       &opts);
    md("{{< quiz >}}tres{{< /quiz >}}\n", &diags, &opts);
    EXPECT_EQ(diags.warning_count(), 2); // quiz once, poll once
}

TEST(HugoShortcodes, MappedShortcodesTakeABuiltInBehaviour) {
    std::map<std::string, book::ShortcodeMapping> map{
        {"answer", {"details", "", ""}}, {"includecode", {"", "param:path", "param:lang"}}};
    ShortcodeOptions opts;
    opts.mappings = &map;
    opts.read_file = [](const std::string& path, const util::SourcePos&) {
        return std::optional<std::string>(path == "x.c" ? "int x;\n" : "");
    };
    util::Diagnostics diags;
    auto r =
        md("{{< answer >}}\nYes.\n{{< /answer >}}\n\n{{< includecode path=\"x.c\" lang=\"c\" >}}\n",
           &diags, &opts);
    ASSERT_EQ(r.blocks.size(), 2u);
    EXPECT_EQ(r.blocks[0].kind, BlockKind::Details);
    EXPECT_EQ(r.blocks[1].kind, BlockKind::CodeBlock);
    EXPECT_EQ(r.blocks[1].info, "c");
    EXPECT_EQ(r.blocks[1].text, "int x;");
    EXPECT_EQ(diags.warning_count(), 0);
}

TEST(HugoAlerts, FiveKindsBecomeHintsLineForLine) {
    std::string in = "> [!NOTE]\n> One.\n\ntext\n\n> [!caution]- Mind it\n> Two.\n> Three.\n\n"
                     "```\n> [!TIP]\n```\n";
    std::string out = rewrite_alerts(in);
    EXPECT_EQ(std::count(in.begin(), in.end(), '\n'), std::count(out.begin(), out.end(), '\n'));
    EXPECT_NE(out.find("{{< hint type=\"note\" title=\"Note\" >}}\nOne. {{< /hint >}}"),
              std::string::npos);
    EXPECT_NE(
        out.find("{{< hint type=\"caution\" title=\"Mind it\" >}}\nTwo.\nThree. {{< /hint >}}"),
        std::string::npos);
    EXPECT_NE(out.find("```\n> [!TIP]\n```"), std::string::npos); // code stays code
    auto r = md(in);
    ASSERT_GE(r.blocks.size(), 3u);
    EXPECT_EQ(r.blocks[0].kind, BlockKind::Aside);
    EXPECT_EQ(r.blocks[0].style, "note");
    EXPECT_EQ(r.blocks[2].style, "caution");
}

// Escaped shortcodes reach the book as written: straight quotes, no emphasis, in text and code.
TEST(HugoShortcodes, EscapedShortcodeKeepsStraightQuotesInText) {
    auto r = md(
        "Use {{</* hint \"danger\" */>}} or {{</* x '_a_' */>}} -- and `{{</* y \"b\" */>}}`.\n");
    ASSERT_EQ(r.blocks.size(), 1u);
    EXPECT_EQ(plain_text(r.blocks[0].inlines),
              "Use {{< hint \"danger\" >}} or {{< x '_a_' >}} \u2013 and {{< y \"b\" >}}.");
    EXPECT_EQ(r.blocks[0].inlines.back().kind, InlineKind::Text);
}

// goldmark's passthrough: TeX between the configured delimiters, never read as Markdown.
TEST(HugoMath, PassthroughDelimitersHoldTexOutsideCode) {
    book::MathDelimiters inl{{"$", "$"}, {"\\(", "\\)"}}, block{{"$$", "$$"}, {"\\[", "\\]"}};
    MarkdownInput in;
    in.body = "Area $a_1 * b_2$ and \\(x\\), not \\$3 nor `$y$`.\n\n$$\nE = m c^2\n$$\n\n"
              "$$ \\sum_i x_i $$\n\n```\n$$\n```\n";
    in.source = "m.md";
    in.math_inline = &inl;
    in.math_block = &block;
    auto r = read_markdown(in);
    ASSERT_EQ(r.blocks.size(), 4u);
    const auto& p = r.blocks[0].inlines;
    ASSERT_GE(p.size(), 5u);
    EXPECT_EQ(p[1].kind, InlineKind::Code);
    EXPECT_EQ(p[1].text, "a_1 * b_2");
    EXPECT_EQ(p[3].kind, InlineKind::Code);
    EXPECT_EQ(p[3].text, "x");
    EXPECT_EQ(plain_text(r.blocks[0].inlines), "Area a_1 * b_2 and x, not $3 nor $y$.");
    EXPECT_EQ(r.blocks[1].kind, BlockKind::CodeBlock);
    EXPECT_EQ(r.blocks[1].info, "math");
    EXPECT_EQ(r.blocks[1].text, "E = m c^2");
    EXPECT_EQ(r.blocks[2].kind, BlockKind::CodeBlock); // display math alone in its paragraph
    EXPECT_EQ(r.blocks[2].text, "\\sum_i x_i");
    EXPECT_EQ(r.blocks[3].text, "$$"); // inside a code fence: as written
    // Without delimiters (passthrough not enabled) dollars are text.
    auto plain = md("Costs $5 and $6.\n");
    EXPECT_EQ(plain_text(plain.blocks[0].inlines), "Costs $5 and $6.");
}

// A translation's link that kept the source language's anchor lands on the heading standing in
// the same place, found by aligning the two pages' heading levels (and untranslated ids).
TEST(HugoAnchors, TranslatedHeadingsAlignWithTheSource) {
    auto src = markdown_headings("---\ntitle: x\n# not a heading\n---\n# Media\n## Video 101\n"
                                 "### Inter frames\n```\n## code\n```\n## RTP\n### Packet format\n"
                                 "## Reports {#reports}\n");
    ASSERT_EQ(src.size(), 6u);
    EXPECT_EQ(src[1].id, "video-101");
    EXPECT_EQ(src[5].id, "reports");
    // The translation has no H1 in its body, one heading fewer under Video 101, and kept "RTP".
    std::vector<HeadingRef> tr{{2, "video-101-ru"}, {2, "rtp"}, {3, "format"}, {2, "otchety"}};
    auto map = align_headings(src, tr);
    EXPECT_EQ(map, (std::vector<int>{-1, 0, -1, 1, 2, 3}));
}
