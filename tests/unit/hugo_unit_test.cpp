// The small rules behind Hugo sites: URLs as a browser resolves them, Hugo's heading ids and
// section titles, escaped and self-closing shortcodes, GitHub alerts, shortcodes mapped in
// book.toml.
#include "book/scan.h"
#include "book/site_paths.h"
#include "doc/links.h"
#include "doc/markdown.h"
#include "doc/shortcodes.h"

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
