// The EPUB writer's text hygiene: XML-safe text, ids epubcheck accepts, language tags and the page
// skeleton's placeholders.
#include "epub/plan.h"
#include "epub/xml.h"
#include "util/diag.h"
#include "util/utf8.h"

#include <gtest/gtest.h>
#include <tinyxml2.h>

using namespace imprenta::epub;

TEST(EpubXml, CleanTextDropsWhatXmlForbids) {
    EXPECT_EQ(imprenta::util::xml_safe_text("plain «texto» ok"), "plain «texto» ok");
    EXPECT_EQ(imprenta::util::xml_safe_text("a\x01"
                                            "b\x1f"
                                            "c\td\ne\r"),
              "abc\td\ne");
    EXPECT_EQ(imprenta::util::xml_safe_text("x\xef\xbf\xbe"
                                            "y\xef\xbf\xbf"
                                            "z\xef\xbf\xbd"),
              "xyz\xef\xbf\xbd");
    EXPECT_EQ(imprenta::util::xml_safe_text("bad\xff"
                                            "byte"),
              "bad\xef\xbf\xbd"
              "byte");
    EXPECT_EQ(escape_xml("<a href=\"x\">&'</a>\x02"),
              "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
}

TEST(EpubXml, IdsAreXmlNamesWithoutColons) {
    EXPECT_EQ(xml_id("fn-1"), "fn-1");
    EXPECT_EQ(xml_id("_x.y"), "_x.y");
    EXPECT_EQ(xml_id("1-intro"), "id-1-intro");
    EXPECT_EQ(xml_id("Introducción"), "introduccion");
    EXPECT_EQ(xml_id("a:b c"), "a-b-c");
    EXPECT_EQ(xml_id("日本"), "id");
    EXPECT_EQ(xml_id(""), "id");
}

TEST(EpubXml, ClassTokens) {
    EXPECT_EQ(class_tokens("info"), "info");
    EXPECT_EQ(class_tokens("  Card  Big_One x\"y "), "card big-one x-y");
    EXPECT_EQ(class_tokens("<>"), "");
}

TEST(EpubXml, IdAllocatorKeepsIdsUnique) {
    IdAllocator ids;
    EXPECT_EQ(ids.take("a"), "a");
    EXPECT_EQ(ids.take("a-2"), "a-2");
    EXPECT_EQ(ids.take("a"), "a-3");
    EXPECT_EQ(ids.take("a"), "a-4");
    EXPECT_TRUE(ids.contains("a-3"));
    EXPECT_FALSE(ids.contains("b"));
}

TEST(EpubXml, LanguageTags) {
    for (const char* ok : {"es", "en-US", "zh-Hant-TW", "es-419", "x-private"})
        EXPECT_TRUE(valid_language_tag(ok)) << ok;
    for (const char* bad : {"", "español", "en_US", "e", "en-", "-en", "toolongtag"})
        EXPECT_FALSE(valid_language_tag(bad)) << bad;
}

TEST(EpubXml, ChapterIdsFollowDocumentOrder) {
    imprenta::doc::Chapter ch;
    imprenta::doc::Block h;
    h.kind = imprenta::doc::BlockKind::Heading;
    h.level = 2;
    h.id = "x";
    ch.blocks = {h, h};
    imprenta::doc::Inline ref;
    ref.kind = imprenta::doc::InlineKind::NoteRef;
    ref.note = 0;
    imprenta::doc::Block p;
    p.inlines = {ref};
    ch.blocks.push_back(p);
    imprenta::doc::Note unreferenced;
    unreferenced.id = "x"; // collides with the heading
    ch.notes = {imprenta::doc::Note{"1", "fn-1", "fnref-1", {}}, unreferenced};
    ChapterIds ids = collect_ids(ch);
    EXPECT_EQ(ids.blocks.at(&ch.blocks[0]), "x");
    EXPECT_EQ(ids.blocks.at(&ch.blocks[1]), "x-2");
    EXPECT_EQ(ids.anchors.at("x"), "x");
    EXPECT_EQ(ids.notes, (std::vector<std::string>{"fn-1", "x-3"}));
    EXPECT_EQ(ids.note_refs, (std::vector<std::string>{"fnref-1", ""}));
}

TEST(EpubXml, PageTemplateSubstitutesAndChecks) {
    PageTemplate page("<!-- doc: {{nothing}} -->\n<html lang=\"{{lang}}\"><title>{{title}}</title>"
                      "<link href=\"{{stylesheet}}\"/><body>{{body}}</body></html>",
                      "test");
    EXPECT_EQ(page.render("es", "A & B", "../style.css", "<p>{{title}}</p>"),
              "<html lang=\"es\"><title>A &amp; B</title><link href=\"../style.css\"/><body>"
              "<p>{{title}}</p></body></html>");
    EXPECT_THROW(PageTemplate("<html>{{body}}</htm>", "t"), imprenta::util::BuildError);
    EXPECT_THROW(PageTemplate("<html>{{body}}{{author}}</html>", "t"), imprenta::util::BuildError);
    EXPECT_THROW(PageTemplate("<html></html>", "t"), imprenta::util::BuildError);
    PageTemplate builtin = PageTemplate::load({});
    std::string out = builtin.render("en", "T", "style.css", "<p>x</p>");
    tinyxml2::XMLDocument doc;
    EXPECT_EQ(doc.Parse(out.c_str()), tinyxml2::XML_SUCCESS);
    EXPECT_EQ(out.rfind("<?xml", 0), 0u);
}

TEST(EpubXml, EmptyElementsPrintOpen) {
    tinyxml2::XMLDocument doc;
    auto* p = doc.NewElement("p");
    doc.InsertEndChild(p);
    p->InsertNewChildElement("a")->SetAttribute("id", "x");
    p->InsertNewChildElement("br");
    p->InsertNewChildElement("img");
    open_empty_elements(p);
    EXPECT_EQ(print_compact(*p), "<p><a id=\"x\"></a><br/><img/></p>");
}
