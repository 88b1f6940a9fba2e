#include "book/load_config.h"
#include "book/scan.h"
#include "doc/assemble.h"
#include "doc/markdown.h"
#include "support/support.h"

#include <gtest/gtest.h>

using namespace imprenta;
using namespace imprenta::doc;
using namespace testing_support;

namespace {

MarkdownResult md(const std::string& text, util::Diagnostics* diags = nullptr) {
    MarkdownInput in;
    in.body = text;
    in.source = "t.md";
    in.diags = diags;
    return read_markdown(in);
}

Book build_book(const fs::path& dir, util::Diagnostics& diags) {
    auto cfg = book::load_config(dir);
    auto essays = book::scan_content(dir / "content", dir, diags);
    return assemble_book(cfg, std::move(essays), diags);
}

const Inline* find_inline(const std::vector<Inline>& ins, InlineKind kind) {
    for (const auto& i : ins) {
        if (i.kind == kind) return &i;
        if (auto* f = find_inline(i.children, kind)) return f;
    }
    return nullptr;
}

} // namespace

TEST(Markdown, BlocksAndInlines) {
    auto r = md("Párrafo con *énfasis*, **fuerte**, ~~tachado~~ y `código`.\n\n"
                "> cita\n\n- uno\n- dos\n\n3. tres\n4. cuatro\n\n```c\nint x;\n```\n\n---\n\n"
                "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [x] hecho\n- [ ] pendiente\n");
    ASSERT_EQ(r.blocks.size(), 8u);
    EXPECT_EQ(r.blocks[0].kind, BlockKind::Paragraph);
    EXPECT_TRUE(find_inline(r.blocks[0].inlines, InlineKind::Emphasis));
    EXPECT_TRUE(find_inline(r.blocks[0].inlines, InlineKind::Strong));
    EXPECT_TRUE(find_inline(r.blocks[0].inlines, InlineKind::Strikethrough));
    EXPECT_EQ(find_inline(r.blocks[0].inlines, InlineKind::Code)->text, "código");
    EXPECT_EQ(r.blocks[1].kind, BlockKind::BlockQuote);
    EXPECT_EQ(r.blocks[2].kind, BlockKind::List);
    EXPECT_FALSE(r.blocks[2].ordered);
    EXPECT_EQ(r.blocks[3].start, 3);
    EXPECT_TRUE(r.blocks[3].ordered);
    EXPECT_EQ(r.blocks[4].kind, BlockKind::CodeBlock);
    EXPECT_EQ(r.blocks[4].text, "int x;");
    EXPECT_EQ(r.blocks[4].info, "c");
    EXPECT_EQ(r.blocks[5].kind, BlockKind::ThematicBreak);
    const Block& t = r.blocks[6];
    EXPECT_EQ(t.kind, BlockKind::Table);
    EXPECT_EQ(t.header_rows, 1);
    EXPECT_EQ(t.aligns, (std::vector<Align>{Align::Left, Align::Right}));
    EXPECT_EQ(plain_text(t.rows[1].cells[1].inlines), "2");
    EXPECT_EQ(r.blocks[7].children[0].task, 1);
    EXPECT_EQ(r.blocks[7].children[1].task, 0);
}

TEST(Markdown, SmartPunctuationAndHardBreaks) {
    auto r = md("\"Hola\" -- dijo... y---fin  \nsegunda\\\ntercera");
    std::string t = plain_text(r.blocks[0].inlines);
    EXPECT_NE(t.find("“Hola”"), std::string::npos) << t;
    EXPECT_NE(t.find("–"), std::string::npos);
    EXPECT_NE(t.find("…"), std::string::npos);
    EXPECT_NE(t.find("—"), std::string::npos);
    int breaks = 0;
    for (const auto& i : r.blocks[0].inlines)
        breaks += i.kind == InlineKind::LineBreak;
    EXPECT_EQ(breaks, 2);
}

TEST(Markdown, FootnotesInOrderWithLabels) {
    auto r =
        md("Uno[^b] y dos[^a] y otra vez[^b].\n\n[^a]: Nota A.\n[^b]: Nota B.\n[^x]: Sin uso.\n");
    ASSERT_EQ(r.notes.size(), 2u); // unreferenced definitions are dropped
    EXPECT_EQ(r.notes[0].label, "b");
    EXPECT_EQ(plain_text(r.notes[0].blocks[0].inlines), "Nota B.");
    EXPECT_EQ(r.notes[0].id, "fn-1");
    std::vector<int> refs;
    for (const auto& i : r.blocks[0].inlines)
        if (i.kind == InlineKind::NoteRef) refs.push_back(i.note);
    EXPECT_EQ(refs, (std::vector<int>{0, 1, 0}));
}

TEST(Markdown, LeadingH1BecomesTheHeading) {
    auto r = md("# El *título*\n\nTexto.");
    EXPECT_TRUE(r.has_leading_h1);
    EXPECT_EQ(plain_text(r.leading_h1), "El título");
    ASSERT_EQ(r.blocks.size(), 1u);
    EXPECT_EQ(r.blocks[0].kind, BlockKind::Paragraph);
}

TEST(Markdown, HeadingIdsAreUniqueAndXmlNames) {
    auto r =
        md("## Introducción\n\n## Introducción\n\n## 2023: el año\n\n## Otra {#propia}\n\n## ¿?");
    std::vector<std::string> used{"fn-1"};
    assign_heading_ids(r.blocks, used);
    EXPECT_EQ(r.blocks[0].id, "introduccion");
    EXPECT_EQ(r.blocks[1].id, "introduccion-2");
    EXPECT_EQ(r.blocks[2].id, "h-2023-el-ano");
    EXPECT_EQ(r.blocks[3].id, "propia");
    EXPECT_EQ(plain_text(r.blocks[3].inlines), "Otra");
    EXPECT_EQ(r.blocks[4].id, "section");
}

TEST(Markdown, InlineHtmlIsSanitised) {
    util::Diagnostics diags;
    auto r = md("a <sup>2</sup> <span>b</span> <script>alert(1)</script> c "
                "<a href=\"javascript:x()\">d</a><br>e",
                &diags);
    const auto& ins = r.blocks[0].inlines;
    EXPECT_EQ(find_inline(ins, InlineKind::Superscript)->children[0].text, "2");
    EXPECT_EQ(plain_text(ins).find("alert"), std::string::npos) << plain_text(ins);
    const Inline* link = find_inline(ins, InlineKind::Link);
    ASSERT_TRUE(link);
    EXPECT_TRUE(link->target.url.empty());
    EXPECT_TRUE(find_inline(ins, InlineKind::LineBreak));
    EXPECT_GE(diags.warning_count(), 2);
}

TEST(Markdown, DeepNestingIsBounded) {
    std::string deep(5000, '>');
    auto r = md(deep + " fondo\n\n" + std::string(3000, '*') + "x" + std::string(3000, '*'));
    ASSERT_FALSE(r.blocks.empty());
    std::string all;
    std::function<void(const std::vector<Block>&, int)> walk = [&](const std::vector<Block>& bs,
                                                                   int depth) {
        ASSERT_LT(depth, 100);
        for (const auto& b : bs) {
            all += plain_text(b.inlines);
            walk(b.children, depth + 1);
        }
    };
    walk(r.blocks, 0);
    EXPECT_NE(all.find("fondo"), std::string::npos);
}

TEST(Assemble, TitleInference) {
    auto dir = fresh_dir("book");
    write(dir / "content/a.md",
          "---\ntitle: Desde front matter\nweight: 1\n---\n# Otro H1\n\nTexto.");
    write(dir / "content/b.md", "---\nweight: 2\n---\n\n# Desde el *H1*\n\nTexto.");
    write(dir / "content/c.txt", "Carta abierta sobre algo.\n\nPrimer párrafo.\n\nSegundo.");
    write(dir / "content/d_sin_titulo.md", "Una línea\nque sigue.\n\nOtro párrafo.");
    util::Diagnostics diags;
    Book b = build_book(dir, diags);
    ASSERT_EQ(b.chapters.size(), 4u);
    EXPECT_EQ(b.chapters[0].title, "Desde front matter");
    EXPECT_EQ(plain_text(b.chapters[0].title_inlines), "Otro H1"); // heading rendered once
    EXPECT_EQ(b.chapters[0].blocks.size(), 1u);
    EXPECT_EQ(b.chapters[1].title, "Desde el H1");
    EXPECT_EQ(b.chapters[2].title, "Carta abierta sobre algo");
    EXPECT_EQ(plain_text(b.chapters[2].blocks[0].inlines), "Primer párrafo.");
    EXPECT_EQ(b.chapters[3].title, "d sin titulo");
    EXPECT_EQ(b.chapters[3].blocks.size(), 2u);
    EXPECT_EQ(b.meta.language, "es");
}

// The same link path names a different page from each folder, and the same page from two
// pages of one folder; a missing target warns at each place it is written.
TEST(Assemble, SameLinkPathFromTwoFoldersFindsEachFoldersPage) {
    auto dir = fresh_dir("book");
    write(dir / "content/mar/uno.md",
          "---\nweight: 1\n---\n# Uno\n\n[vecina](vecina.md), [sin extensión](vecina), "
          "[al otro lado](../tierra/vecina.md#orilla), [rota](faro.md)\n");
    write(dir / "content/mar/vecina.md", "---\nweight: 2\n---\n# Vecina del mar\n\n"
                                         "[otra vez](vecina.md)\n");
    write(dir / "content/tierra/dos.md",
          "---\nweight: 3\n---\n# Dos\n\nTexto.\n\n[vecina](vecina.md), [rota](faro.md)\n");
    write(dir / "content/tierra/vecina.md",
          "---\nweight: 4\n---\n# Vecina de tierra\n\n## Orilla\n\n[raíz](/mar/uno.md)\n");
    util::Diagnostics diags;
    Book b = build_book(dir, diags);
    auto chapter = [&](const std::string& source) {
        for (size_t i = 0; i < b.chapters.size(); ++i)
            if (b.chapters[i].source == source) return int(i);
        ADD_FAILURE() << "no chapter from " << source;
        return -1;
    };
    auto links_of = [&](int c) {
        std::vector<const Inline*> out;
        std::function<void(const std::vector<Inline>&)> collect =
            [&](const std::vector<Inline>& ins) {
                for (const auto& i : ins) {
                    if (i.kind == InlineKind::Link) out.push_back(&i);
                    collect(i.children);
                }
            };
        for (const auto& bl : b.chapters[c].blocks)
            collect(bl.inlines);
        return out;
    };
    int uno = chapter("content/mar/uno.md"), vecina_mar = chapter("content/mar/vecina.md");
    int dos = chapter("content/tierra/dos.md"), vecina_tierra = chapter("content/tierra/vecina.md");
    auto l = links_of(uno);
    ASSERT_EQ(l.size(), 4u);
    EXPECT_EQ(l[0]->target.chapter, vecina_mar);
    EXPECT_EQ(l[1]->target.chapter, vecina_mar);
    EXPECT_EQ(l[2]->target.chapter, vecina_tierra);
    EXPECT_EQ(l[2]->target.anchor, "orilla");
    EXPECT_FALSE(l[3]->target.internal());
    l = links_of(vecina_mar);
    ASSERT_EQ(l.size(), 1u);
    EXPECT_EQ(l[0]->target.chapter, vecina_mar);
    l = links_of(dos);
    ASSERT_EQ(l.size(), 2u);
    EXPECT_EQ(l[0]->target.chapter, vecina_tierra);
    EXPECT_FALSE(l[1]->target.internal());
    l = links_of(vecina_tierra);
    ASSERT_EQ(l.size(), 1u);
    EXPECT_EQ(l[0]->target.chapter, uno);
    std::vector<std::string> missing;
    for (const auto& d : diags.all())
        if (d.message.find("link to a missing essay: faro.md") != std::string::npos)
            missing.push_back(util::format_pos(d.pos));
    EXPECT_EQ(missing,
              (std::vector<std::string>{"content/mar/uno.md:6:92", "content/tierra/dos.md:8:22"}));
}

TEST(Assemble, LinksBetweenEssays) {
    auto dir = fresh_dir("book");
    write(dir / "content/uno.md",
          "---\nweight: 1\n---\n# Uno\n\n[a dos](dos.md#la-sección), [rota](nada.md), "
          "[ancla mala](dos.md#no-existe), [aquí](#mas), [web](https://example.org)\n\n## Más\n");
    write(dir / "content/sub/dos.md", "---\nweight: 2\n---\n# Dos\n\n## La sección\n\n"
                                      "[vuelta](../uno.md)\n");
    write(dir / "content/sub/_index.md", "---\nweight: 2\ntitle: Parte\n---\n");
    // the link above points at content/dos.md, which is at content/sub/dos.md: fix the path
    write(
        dir / "content/uno.md",
        "---\nweight: 1\n---\n# Uno\n\n[a dos](sub/dos.md#la-sección), [rota](nada.md), "
        "[ancla mala](sub/dos.md#no-existe), [aquí](#mas), [web](https://example.org)\n\n## Más\n");
    util::Diagnostics diags;
    Book b = build_book(dir, diags);
    ASSERT_EQ(b.chapters.size(), 3u);
    std::vector<const Inline*> links;
    std::function<void(const std::vector<Inline>&)> collect = [&](const std::vector<Inline>& ins) {
        for (const auto& i : ins) {
            if (i.kind == InlineKind::Link) links.push_back(&i);
            collect(i.children);
        }
    };
    collect(b.chapters[0].blocks[0].inlines);
    ASSERT_EQ(links.size(), 5u);
    EXPECT_EQ(links[0]->target.chapter, 2);
    EXPECT_EQ(links[0]->target.anchor, "la-seccion");
    EXPECT_FALSE(links[1]->target.internal());
    EXPECT_TRUE(links[1]->target.url.empty()); // missing essay -> plain text
    EXPECT_EQ(links[2]->target.chapter, 2);
    EXPECT_EQ(links[2]->target.anchor, "");
    EXPECT_EQ(links[3]->target.chapter, 0);
    EXPECT_EQ(links[3]->target.anchor, "mas");
    EXPECT_EQ(links[4]->target.url, "https://example.org");
    int link_warnings = 0;
    for (const auto& d : diags.all()) {
        if (d.message.find("link to a missing") != std::string::npos) {
            ++link_warnings;
            EXPECT_EQ(d.pos.file, "content/uno.md");
            EXPECT_EQ(d.pos.line, 6);
        }
    }
    EXPECT_EQ(link_warnings, 2);
    links.clear();
    collect(b.chapters[2].blocks[1].inlines);
    ASSERT_EQ(links.size(), 1u);
    EXPECT_EQ(links[0]->target.chapter, 0);
}

TEST(Assemble, FootnotesAreScopedToTheirChapter) {
    auto dir = fresh_dir("book");
    write(dir / "content/a.md", "---\nweight: 1\n---\nUno[^1].\n\n[^1]: Nota de A.\n");
    write(dir / "content/b.md", "---\nweight: 2\n---\nDos[^1] y[^2].\n\n[^1]: Nota de B.\n"
                                "[^2]: Otra de B.\n");
    util::Diagnostics diags;
    Book b = build_book(dir, diags);
    ASSERT_EQ(b.chapters[0].notes.size(), 1u);
    ASSERT_EQ(b.chapters[1].notes.size(), 2u);
    EXPECT_EQ(plain_text(b.chapters[0].notes[0].blocks[0].inlines), "Nota de A.");
    EXPECT_EQ(plain_text(b.chapters[1].notes[0].blocks[0].inlines), "Nota de B.");
}

TEST(Assemble, ImagesResolveInsideTheBookOnly) {
    auto dir = fresh_dir("book");
    write(dir / "assets/banner.png", make_png(40, 20, 0x336699));
    write(dir / "content/img/local.png", make_png(10, 10, 0xff0000));
    write(dir / "outside.png", make_png(10, 10, 0xff0000));
    write(dir / "content/a.md", "---\nweight: 1\nimage: banner.png\n---\n"
                                "![local](img/local.png) ![fuera](../../outside.png) "
                                "![falta](no.png) ![remota](https://x.org/a.png)\n");
    util::Diagnostics diags;
    Book b = build_book(dir, diags);
    const Chapter& ch = b.chapters[0];
    ASSERT_GE(ch.banner, 0);
    EXPECT_EQ(b.assets[ch.banner].width, 40);
    EXPECT_EQ(b.assets[ch.banner].format, "png");
    const Inline* img = find_inline(ch.blocks[0].inlines, InlineKind::Image);
    ASSERT_TRUE(img);
    EXPECT_EQ(img->text, "local");
    EXPECT_EQ(b.assets.size(), 2u); // banner + local; the outside one is refused
    const Inline* link = find_inline(ch.blocks[0].inlines, InlineKind::Link);
    ASSERT_TRUE(link);
    EXPECT_EQ(link->target.url, "https://x.org/a.png");
    std::string all;
    for (const auto& d : diags.all())
        all += util::format_diagnostic(d) + "\n";
    EXPECT_NE(all.find("content/a.md:5"), std::string::npos) << all;
    EXPECT_NE(all.find("no.png"), std::string::npos) << all;
    EXPECT_NE(all.find("remote image"), std::string::npos) << all;
}

TEST(Assemble, EmptyBookIsAnError) {
    auto dir = fresh_dir("book");
    write(dir / "content/draft.md", "---\ndraft: true\n---\nx");
    util::Diagnostics diags;
    EXPECT_THROW(build_book(dir, diags), util::BuildError);
}
