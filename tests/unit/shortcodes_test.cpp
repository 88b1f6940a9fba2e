#include "doc/markdown.h"
#include "doc/shortcodes.h"

#include <gtest/gtest.h>

using namespace imprenta;
using namespace imprenta::doc;

namespace {
MarkdownResult md(const std::string& text, util::Diagnostics* diags = nullptr) {
    MarkdownInput in;
    in.body = text;
    in.source = "s.md";
    in.diags = diags;
    return read_markdown(in);
}

bool contains_shortcode_syntax(const std::vector<Block>& blocks) {
    for (const auto& b : blocks) {
        std::string t = plain_text(b.inlines) + b.text;
        if (t.find("{{") != std::string::npos || t.find("imprenta-") != std::string::npos)
            return true;
        if (contains_shortcode_syntax(b.children)) return true;
    }
    return false;
}
} // namespace

TEST(Shortcodes, ParsesArguments) {
    auto e =
        expand_shortcodes("{{% details title=\"Un título\" open=false %}}\nx\n{{% /details %}}\n",
                          1, "a.md", nullptr);
    ASSERT_EQ(e.containers.size(), 1u);
    EXPECT_EQ(e.containers[0].name, "details");
    EXPECT_EQ(e.containers[0].arg("title"), "Un título");
    EXPECT_EQ(e.containers[0].arg("open"), "false");
    EXPECT_EQ(e.markdown.find("{{"), std::string::npos) << e.markdown;
}

TEST(Shortcodes, DetailsHintAndRelref) {
    util::Diagnostics diags;
    auto r = md("Antes.\n\n{{% details title=\"Más\" open=false %}}\n**Dentro** del bloque.\n"
                "{{% /details %}}\n\n{{% hint info %}}\nUna pista.\n\n- uno\n{{% /hint %}}\n\n"
                "[otro]({{< relref \"02_x.md\" >}})\n",
                &diags);
    ASSERT_EQ(r.blocks.size(), 4u);
    EXPECT_EQ(r.blocks[1].kind, BlockKind::Details);
    EXPECT_EQ(plain_text(r.blocks[1].inlines), "Más");
    ASSERT_EQ(r.blocks[1].children.size(), 1u);
    EXPECT_EQ(plain_text(r.blocks[1].children[0].inlines), "Dentro del bloque.");
    EXPECT_EQ(r.blocks[2].kind, BlockKind::Aside);
    EXPECT_EQ(r.blocks[2].style, "info");
    EXPECT_EQ(r.blocks[2].children.size(), 2u);
    const Inline& link = r.blocks[3].inlines[0];
    EXPECT_EQ(link.kind, InlineKind::Link);
    EXPECT_EQ(link.target.url, "hugo-ref:02_x.md");
    EXPECT_EQ(diags.warning_count(), 0);
    EXPECT_FALSE(contains_shortcode_syntax(r.blocks));
}

TEST(Shortcodes, ColumnsOfCardsWithIndentedClosingTags) {
    auto r = md("{{% columns %}}\n- {{< card >}}\n  #### Uno  \n  Texto uno.\n  {{< /card >}}\n\n"
                "- {{< card >}}\n  #### Dos\n  Texto dos.\n  {{< /card >}}\n{{% /columns %}}\n\n"
                "Después.\n");
    ASSERT_EQ(r.blocks.size(), 2u);
    const Block& cols = r.blocks[0];
    EXPECT_EQ(cols.kind, BlockKind::Division);
    EXPECT_EQ(cols.style, "columns");
    ASSERT_EQ(cols.children.size(), 2u); // two cards, no bullet list
    EXPECT_EQ(cols.children[0].style, "card");
    EXPECT_EQ(cols.children[0].children[0].kind, BlockKind::Heading);
    EXPECT_EQ(plain_text(cols.children[1].children[1].inlines), "Texto dos.");
    EXPECT_EQ(plain_text(r.blocks[1].inlines), "Después.");
    EXPECT_FALSE(contains_shortcode_syntax(r.blocks));
}

TEST(Shortcodes, ImageButtonMermaidAndUnknown) {
    util::Diagnostics diags;
    std::vector<std::string> srcs;
    MarkdownInput in;
    std::string text =
        "{{< image src=\"general/x.png\" alt=\"Una imagen\" title=\"T\" class=\"img-small\" >}}\n\n"
        "{{< button href=\"/docs/\" >}}Leer{{< /button >}}\n\n"
        "{{< mermaid >}}\ngraph TD; A-->B\n{{< /mermaid >}}\n\n"
        "{{< raro x=1 >}}\nSe conserva.\n{{< /raro >}}\n\n{{< suelto >}}\n";
    in.body = text;
    in.source = "s.md";
    in.diags = &diags;
    in.resolve_image = [&](const std::string& src, const util::SourcePos&) {
        srcs.push_back(src);
        return 0;
    };
    auto r = read_markdown(in);
    ASSERT_EQ(srcs, std::vector<std::string>{"general/x.png"});
    EXPECT_EQ(r.blocks[0].inlines[0].kind, InlineKind::Image);
    EXPECT_EQ(r.blocks[0].inlines[0].text, "Una imagen");
    EXPECT_EQ(r.blocks[1].inlines[0].kind, InlineKind::Link);
    EXPECT_EQ(r.blocks[1].inlines[0].target.url, "/docs/");
    EXPECT_EQ(r.blocks[2].kind, BlockKind::CodeBlock);
    EXPECT_EQ(r.blocks[2].info, "mermaid");
    EXPECT_EQ(r.blocks[2].text, "graph TD; A-->B");
    EXPECT_EQ(r.blocks[3].kind, BlockKind::Division);
    EXPECT_EQ(plain_text(r.blocks[3].children[0].inlines), "Se conserva.");
    EXPECT_EQ(diags.warning_count(), 3); // mermaid, unknown container, unknown single tag
    EXPECT_FALSE(contains_shortcode_syntax(r.blocks));
}

TEST(Shortcodes, LineNumbersSurviveTheRewrite) {
    util::Diagnostics diags;
    MarkdownInput in;
    std::string text = "{{% hint %}}\nuno\n{{% /hint %}}\n\n![x](falta.png)\n";
    in.body = text;
    in.first_line = 10;
    in.source = "s.md";
    in.diags = &diags;
    int line = 0;
    in.resolve_image = [&](const std::string&, const util::SourcePos& pos) {
        line = pos.line;
        return -1;
    };
    read_markdown(in);
    EXPECT_EQ(line, 14);
}

TEST(Shortcodes, StepsKeepTheNumberedList) {
    auto r = md("{{% steps %}}\n\n1. ### [Uno]({{< relref \"01.md\" >}})\n    Descripción.\n\n"
                "2. ### [Dos]({{< relref \"02.md\" >}})\n    Otra.\n\n{{% /steps %}}\n");
    ASSERT_EQ(r.blocks.size(), 1u);
    EXPECT_EQ(r.blocks[0].style, "steps");
    ASSERT_EQ(r.blocks[0].children.size(), 1u);
    EXPECT_TRUE(r.blocks[0].children[0].ordered);
    EXPECT_EQ(r.blocks[0].children[0].children.size(), 2u);
}
