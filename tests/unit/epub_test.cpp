// The EPUB writer on a book built in code that uses every block and inline kind: epubcheck, the
// zip layout, the package documents, the chapter XHTML, determinism and all-or-nothing writes.
#include "epub/epub.h"
#include "epub/plan.h"
#include "support/support.h"
#include "util/diag.h"

#include <climits>
#include <csignal>
#include <cstdlib>
#include <functional>
#include <gtest/gtest.h>
#include <map>
#include <regex>
#include <set>
#include <sys/resource.h>
#include <tinyxml2.h>
#include <unistd.h>
#include <zip.h>

using namespace imprenta;
using doc::Block;
using doc::BlockKind;
using doc::Inline;
using doc::InlineKind;
using testing_support::find_entry;
using testing_support::read_zip;
using tinyxml2::XMLDocument;
using tinyxml2::XMLElement;

namespace {

Inline text(std::string s) {
    Inline in;
    in.text = std::move(s);
    return in;
}

Inline span(InlineKind kind, std::vector<Inline> children) {
    Inline in;
    in.kind = kind;
    in.children = std::move(children);
    return in;
}

Inline leaf(InlineKind kind, std::string s = {}) {
    Inline in;
    in.kind = kind;
    in.text = std::move(s);
    return in;
}

Inline link_to(int chapter, std::string anchor, std::string label) {
    Inline in = span(InlineKind::Link, {text(std::move(label))});
    in.target.chapter = chapter;
    in.target.anchor = std::move(anchor);
    return in;
}

Inline url_link(std::string url, std::string label) {
    Inline in = span(InlineKind::Link, {text(std::move(label))});
    in.target.url = std::move(url);
    return in;
}

Inline note_ref(int note, std::string shown) {
    Inline in = leaf(InlineKind::NoteRef, std::move(shown));
    in.note = note;
    return in;
}

Inline image(int asset, std::string alt) {
    Inline in = leaf(InlineKind::Image, std::move(alt));
    in.asset = asset;
    return in;
}

Block block(BlockKind kind, std::vector<Inline> inlines = {}, std::vector<Block> children = {}) {
    Block b;
    b.kind = kind;
    b.inlines = std::move(inlines);
    b.children = std::move(children);
    return b;
}

Block para(std::vector<Inline> inlines, std::string id = {}) {
    Block b = block(BlockKind::Paragraph, std::move(inlines));
    b.id = std::move(id);
    return b;
}

Block heading(int level, std::string id, std::vector<Inline> inlines) {
    Block b = block(BlockKind::Heading, std::move(inlines));
    b.level = level;
    b.id = std::move(id);
    return b;
}

Block item(std::vector<Block> children, int task = -1) {
    Block b = block(BlockKind::ListItem, {}, std::move(children));
    b.task = task;
    return b;
}

doc::Chapter chapter(std::string slug, std::string title, int depth,
                     doc::ChapterKind kind = doc::ChapterKind::Chapter) {
    doc::Chapter ch;
    ch.kind = kind;
    ch.source = "content/" + slug + ".md";
    ch.slug = std::move(slug);
    ch.title = title;
    ch.title_inlines = {text(title)};
    ch.depth = depth;
    return ch;
}

doc::Note note(std::string text_) {
    doc::Note n;
    n.label = "1";
    n.id = "fn-1";
    n.ref_id = "fnref-1";
    n.blocks = {para({text(std::move(text_))})};
    return n;
}

// A book that uses every block and inline kind. Images are written under `dir`.
doc::Book sample_book(const fs::path& dir) {
    testing_support::write(dir / "img" / "fig_1.png", testing_support::make_png(40, 30, 0x336699));
    testing_support::write(dir / "cover.png", testing_support::make_png(60, 90, 0x993322));
    testing_support::write(dir / "unused.png", testing_support::make_png(8, 8, 0x000000));
    testing_support::write(dir / "broken.png", "this is not an image");
    testing_support::write(dir / "img" / "Fig_1.png", testing_support::make_png(8, 8, 0x00ff00));
    testing_support::write(dir / "fotos" / "Año 2024.png", testing_support::make_png(8, 8, 0xff));

    doc::Book book;
    book.root = dir;
    auto& m = book.meta;
    m.title = "Libro de prueba";
    m.subtitle = "Un subtítulo";
    m.authors = {"Ana Autora", "Beto Autor"};
    m.language = "es";
    m.identifier = "urn:uuid:0f1e2d3c-4b5a-5968-8776-a5b4c3d2e1f0";
    m.publisher = "Editorial Ejemplo";
    m.description = "Un libro para probar el escritor EPUB.";
    m.rights = "CC BY 4.0";
    m.date = "2024-05-01";
    m.modified = 1700000000;
    m.slug = "libro";
    m.cover = 1;

    auto asset = [&](const std::string& file, const std::string& name, const std::string& fmt) {
        doc::Asset a;
        a.source = dir / file;
        a.source_display = file;
        a.name = name;
        a.format = fmt;
        book.assets.push_back(a);
    };
    asset("img/fig_1.png", "img/fig_1", "png");           // 0: banner and inline image
    asset("cover.png", "cover", "png");                   // 1: cover
    asset("unused.png", "unused", "png");                 // 2: nobody uses it
    asset("broken.png", "broken", "png");                 // 3: fails to prepare
    asset("img/Fig_1.png", "img/Fig_1", "png");           // 4: differs from 0 only in case
    asset("fotos/Año 2024.png", "fotos/Año 2024", "png"); // 5: not a safe file name

    // 0: a part, with two chapters and a hidden one inside it.
    auto part = chapter("p1-primera", "Primera parte", 0, doc::ChapterKind::Part);
    part.blocks = {para({text("Introducción a la parte.")})};
    book.chapters.push_back(part);

    // 1: every block and inline kind.
    auto c1 = chapter("c01-uno", "Capítulo uno", 1);
    c1.title_inlines = {text("Capítulo "), span(InlineKind::Emphasis, {text("uno")})};
    c1.banner = 0;
    c1.banner_alt = "Un paisaje";
    Block list = block(BlockKind::List, {},
                       {item({para({text("hecho")})}, 1), item({para({text("pendiente")})}, 0)});
    list.ordered = true;
    list.start = 3;
    Block loose =
        block(BlockKind::List, {},
              {item({para({text("uno")}), para({text("dos")})}), item({para({text("tres")})})});
    loose.tight = false;
    Block code = block(BlockKind::CodeBlock);
    code.text = "int main() {\n    return a < b && c;\n}";
    code.info = "cpp {.numbered}";
    Block table = block(BlockKind::Table);
    table.aligns = {doc::Align::Left, doc::Align::Center, doc::Align::Right};
    table.header_rows = 1;
    auto row = [](std::vector<std::string> cells) {
        doc::TableRow r;
        for (auto& c : cells)
            r.cells.push_back({{text(c)}});
        return r;
    };
    table.rows = {row({"A", "B", "C"}), row({"1", "2", "3"}), row({"4", "5", "6"})};
    Block figure = block(BlockKind::Figure, {text("Una figura")}, {para({image(0, "Figura uno")})});
    figure.id = "fig-1";
    Block info = block(BlockKind::Aside, {text("Nota")}, {para({text("Información.")})});
    info.style = "info";
    Block warning = block(BlockKind::Aside, {}, {para({text("Cuidado.")})});
    warning.style = "warning";
    Block danger = block(BlockKind::Aside, {}, {para({text("Peligro.")})});
    danger.style = "danger";
    Block details = block(BlockKind::Details, {text("Más detalles")}, {para({text("Ocultos.")})});
    Block division = block(BlockKind::Division, {}, {para({text("Columna.")})});
    division.style = "columns";
    Inline nowhere = span(InlineKind::Link, {text("sin destino")});
    c1.blocks = {
        heading(2, "seccion", {text("Sección "), span(InlineKind::Strong, {text("fuerte")})}),
        para({text("Texto "),
              span(InlineKind::Emphasis, {text("énfasis")}),
              text(", "),
              span(InlineKind::Strong, {text("fuerte")}),
              text(", "),
              span(InlineKind::Strikethrough, {text("tachado")}),
              text(", H"),
              span(InlineKind::Subscript, {text("2")}),
              text("O, x"),
              span(InlineKind::Superscript, {text("2")}),
              text(", "),
              leaf(InlineKind::Code, "a<b"),
              leaf(InlineKind::SoftBreak),
              url_link("https://example.com/a b?x=1&y=2", "fuera"),
              text(" "),
              link_to(2, "destino", "al destino"),
              text(" "),
              link_to(2, "no-existe", "ancla perdida"),
              text(" "),
              nowhere,
              text(" "),
              link_to(1, "1-numerico", "aquí mismo"),
              leaf(InlineKind::LineBreak),
              text("control\x01"
                   "char\xef\xbf\xbf"),
              note_ref(0, "1"),
              text(" otra vez"),
              note_ref(0, "1")}),
        block(BlockKind::BlockQuote, {}, {para({text("Una cita.")})}),
        list,
        loose,
        code,
        block(BlockKind::ThematicBreak),
        table,
        figure,
        info,
        warning,
        danger,
        details,
        division,
        para({text("Párrafo con id numérico.")}, "1-numerico"),
        heading(3, "seccion", {text("Id repetido")}),
        para({}, "vacio"),
    };
    c1.notes = {note("Nota del capítulo uno.")};
    book.chapters.push_back(c1);

    // 2: its own note labelled "1", the anchor chapter 1 links to, and a broken image.
    auto c2 = chapter("c02-dos", "Capítulo dos", 1);
    c2.blocks = {heading(1, "capitulo-dos", {text("Capítulo dos")}),
                 heading(2, "destino", {text("Destino")}),
                 para({text("Otra nota"), note_ref(0, "1"), text(". "), image(3, "Imagen rota")})};
    c2.notes = {note("Nota del capítulo dos.")};
    book.chapters.push_back(c2);

    // 3: hidden from the tables of contents, still read.
    auto hidden = chapter("c03-oculto", "Capítulo oculto", 1);
    hidden.in_toc = false;
    hidden.blocks = {para({text("Nadie lo ve en el índice.")})};
    book.chapters.push_back(hidden);

    // 4: back at the top level; its slug collides with the title page.
    auto last = chapter("title", "Epílogo", 0);
    last.blocks = {para({link_to(0, "", "volver a la parte")}),
                   para({image(4, "Otra figura"), image(5, "Una foto")})};
    book.chapters.push_back(last);
    return book;
}

fs::path build(const doc::Book& book, const fs::path& out, util::Diagnostics& diags) {
    epub::write_epub(book, out, epub::Options{}, diags);
    return out;
}

std::unique_ptr<XMLDocument> parse(const std::string& xml) {
    auto doc = std::make_unique<XMLDocument>();
    EXPECT_EQ(doc->Parse(xml.data(), xml.size()), tinyxml2::XML_SUCCESS) << doc->ErrorStr() << "\n"
                                                                         << xml;
    return doc;
}

// Depth-first search for elements named `name` (and attribute `attr`=`value` when given).
void find_all(XMLElement* el, const char* name, std::vector<XMLElement*>& out,
              const char* attr = nullptr, const char* value = nullptr) {
    for (; el; el = el->NextSiblingElement()) {
        if (std::string_view(el->Name()) == name &&
            (!attr ||
             (el->Attribute(attr) && (!value || std::string_view(el->Attribute(attr)) == value))))
            out.push_back(el);
        find_all(el->FirstChildElement(), name, out, attr, value);
    }
}

std::vector<XMLElement*> all(XMLDocument& doc, const char* name, const char* attr = nullptr,
                             const char* value = nullptr) {
    std::vector<XMLElement*> out;
    find_all(doc.FirstChildElement(), name, out, attr, value);
    return out;
}

std::string entry(const std::vector<testing_support::ZipEntry>& entries, const std::string& name) {
    const auto* e = find_entry(entries, name);
    EXPECT_NE(e, nullptr) << name;
    return e ? e->data : std::string();
}

class EpubWriter : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = testing_support::fresh_dir("book");
        book_ = sample_book(dir_);
        fs::create_directories(dir_ / "out");
        out_ = build(book_, dir_ / "out" / "libro.epub", diags_);
        entries_ = read_zip(out_);
    }
    fs::path dir_, out_;
    doc::Book book_;
    util::Diagnostics diags_;
    std::vector<testing_support::ZipEntry> entries_;
};

TEST_F(EpubWriter, PassesEpubcheck) {
    auto r = testing_support::epubcheck(out_);
    EXPECT_EQ(r.fatals, 0) << r.output;
    EXPECT_EQ(r.errors, 0) << r.output;
    EXPECT_EQ(r.warnings, 0) << r.output;
}

TEST_F(EpubWriter, ZipLayout) {
    std::vector<std::string> names;
    for (const auto& e : entries_)
        names.push_back(e.name);
    std::vector<std::string> expected = {"mimetype",
                                         "META-INF/container.xml",
                                         "EPUB/content.opf",
                                         "EPUB/nav.xhtml",
                                         "EPUB/toc.ncx",
                                         "EPUB/style.css",
                                         "EPUB/text/cover.xhtml",
                                         "EPUB/text/title.xhtml",
                                         "EPUB/text/p1-primera.xhtml",
                                         "EPUB/text/c01-uno.xhtml",
                                         "EPUB/text/c02-dos.xhtml",
                                         "EPUB/text/c03-oculto.xhtml",
                                         "EPUB/text/title-2.xhtml",
                                         "EPUB/images/img/fig_1.png",
                                         "EPUB/images/cover.png",
                                         "EPUB/images/img/Fig_1-2.png",
                                         "EPUB/images/fotos/ano-2024.png"};
    EXPECT_EQ(names, expected);
    ASSERT_FALSE(entries_.empty());
    EXPECT_EQ(entries_[0].compression, ZIP_CM_STORE);
    // Text is deflated; images, compressed already, are stored.
    for (size_t i = 1; i < entries_.size(); ++i)
        EXPECT_EQ(entries_[i].compression,
                  entries_[i].name.ends_with(".png") ? ZIP_CM_STORE : ZIP_CM_DEFLATE)
            << entries_[i].name;

    // The raw local header: "mimetype", no extra field, the media type right after it.
    std::string raw = testing_support::slurp(out_);
    ASSERT_GT(raw.size(), 58u);
    EXPECT_EQ(raw.substr(0, 4), "PK\x03\x04");
    auto u16 = [&](size_t at) { return (unsigned char)raw[at] | (unsigned char)raw[at + 1] << 8; };
    EXPECT_EQ(u16(8), 0);  // stored
    EXPECT_EQ(u16(26), 8); // name length
    EXPECT_EQ(u16(28), 0); // extra field length
    EXPECT_EQ(raw.substr(30, 8 + 20), "mimetypeapplication/epub+zip");

    // Fixed time on every entry, and 0644 regular files.
    int err = 0;
    zip_t* z = zip_open(out_.c_str(), ZIP_RDONLY, &err);
    ASSERT_NE(z, nullptr);
    for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); ++i) {
        zip_uint8_t os = 0;
        zip_uint32_t attr = 0;
        zip_file_get_external_attributes(z, i, 0, &os, &attr);
        EXPECT_EQ(os, ZIP_OPSYS_UNIX);
        EXPECT_EQ(attr >> 16, 0100644u);
    }
    zip_discard(z);
    std::string central = raw.substr(raw.find("PK\x01\x02"));
    // dos_time_utc(1700000000) = 2023-11-14 22:13:20
    uint16_t time = (22 << 11) | (13 << 5) | 10, date = ((2023 - 1980) << 9) | (11 << 5) | 14;
    size_t count = 0;
    for (size_t at = raw.find("PK\x03\x04"); at != std::string::npos;
         at = raw.find("PK\x03\x04", at + 4)) {
        if (u16(at + 10) == time && u16(at + 12) == date) ++count;
    }
    EXPECT_EQ(count, entries_.size());

    // Only referenced images; the stylesheet is the built-in one.
    EXPECT_EQ(find_entry(entries_, "EPUB/images/unused.png"), nullptr);
    EXPECT_EQ(find_entry(entries_, "EPUB/images/broken.png"), nullptr);
    EXPECT_NE(entry(entries_, "EPUB/style.css").find("hyphens: auto"), std::string::npos);
}

TEST_F(EpubWriter, PackageDocument) {
    auto doc = parse(entry(entries_, "EPUB/content.opf"));
    XMLElement* package = doc->FirstChildElement("package");
    ASSERT_NE(package, nullptr);
    EXPECT_STREQ(package->Attribute("version"), "3.0");
    EXPECT_STREQ(package->Attribute("xml:lang"), "es");
    EXPECT_STREQ(package->Attribute("unique-identifier"), "pub-id");
    XMLElement* md = package->FirstChildElement("metadata");
    ASSERT_NE(md, nullptr);
    EXPECT_STREQ(md->FirstChildElement("dc:identifier")->GetText(), book_.meta.identifier.c_str());
    EXPECT_STREQ(md->FirstChildElement("dc:identifier")->Attribute("id"), "pub-id");
    EXPECT_STREQ(md->FirstChildElement("dc:title")->GetText(), "Libro de prueba");
    EXPECT_STREQ(md->FirstChildElement("dc:language")->GetText(), "es");
    EXPECT_STREQ(md->FirstChildElement("dc:date")->GetText(), "2024-05-01");
    EXPECT_EQ(all(*doc, "dc:creator").size(), 2u);

    std::multiset<std::string> props;
    for (auto* m : all(*doc, "meta", "property")) {
        std::string p = m->Attribute("property");
        props.insert(p + "=" + (m->GetText() ? m->GetText() : ""));
    }
    EXPECT_EQ(props.count("dcterms:modified=2023-11-14T22:13:20Z"), 1u);
    size_t modified = 0;
    for (auto& p : props)
        modified += p.rfind("dcterms:modified=", 0) == 0;
    EXPECT_EQ(modified, 1u);
    EXPECT_EQ(props.count("schema:accessMode=textual"), 1u);
    EXPECT_EQ(props.count("schema:accessMode=visual"), 1u);
    EXPECT_EQ(props.count("schema:accessModeSufficient=textual"), 1u);
    EXPECT_EQ(props.count("schema:accessibilityFeature=structuralNavigation"), 1u);
    EXPECT_EQ(props.count("schema:accessibilityFeature=tableOfContents"), 1u);
    EXPECT_EQ(props.count("schema:accessibilityFeature=alternativeText"), 1u);
    EXPECT_EQ(props.count("schema:accessibilityHazard=none"), 1u);

    std::map<std::string, XMLElement*> items;
    for (auto* it : all(*doc, "item"))
        items[it->Attribute("id")] = it;
    auto type_of = [&](const std::string& href) -> std::string {
        for (auto& [id, it] : items)
            if (href == it->Attribute("href")) return it->Attribute("media-type");
        return "missing";
    };
    EXPECT_EQ(type_of("nav.xhtml"), "application/xhtml+xml");
    EXPECT_EQ(type_of("toc.ncx"), "application/x-dtbncx+xml");
    EXPECT_EQ(type_of("style.css"), "text/css");
    EXPECT_EQ(type_of("text/c01-uno.xhtml"), "application/xhtml+xml");
    EXPECT_EQ(type_of("images/img/fig_1.png"), "image/png");
    EXPECT_EQ(type_of("images/cover.png"), "image/png");
    EXPECT_EQ(type_of("images/unused.png"), "missing");
    EXPECT_STREQ(items.at("nav")->Attribute("properties"), "nav");
    size_t covers = 0;
    for (auto& [id, it] : items)
        if (it->Attribute("properties", "cover-image")) {
            ++covers;
            EXPECT_STREQ(it->Attribute("href"), "images/cover.png");
        }
    EXPECT_EQ(covers, 1u);

    XMLElement* spine = package->FirstChildElement("spine");
    ASSERT_NE(spine, nullptr);
    EXPECT_STREQ(spine->Attribute("toc"), "ncx");
    std::vector<std::string> order;
    for (auto* ref = spine->FirstChildElement("itemref"); ref; ref = ref->NextSiblingElement()) {
        order.push_back(items.at(ref->Attribute("idref"))->Attribute("href"));
        EXPECT_STREQ(ref->Attribute("linear"), order.back() == "nav.xhtml" ? "no" : nullptr);
    }
    // The nav is in the spine only because the landmarks link to it (RSC-011), out of the
    // reading order.
    std::vector<std::string> expected = {
        "text/cover.xhtml",      "text/title.xhtml",   "nav.xhtml",
        "text/p1-primera.xhtml", "text/c01-uno.xhtml", "text/c02-dos.xhtml",
        "text/c03-oculto.xhtml", "text/title-2.xhtml"};
    EXPECT_EQ(order, expected);
}

TEST_F(EpubWriter, NavigationNestsChaptersUnderTheirPart) {
    auto doc = parse(entry(entries_, "EPUB/nav.xhtml"));
    auto tocs = all(*doc, "nav", "epub:type", "toc");
    ASSERT_EQ(tocs.size(), 1u);
    EXPECT_STREQ(tocs[0]->Attribute("role"), "doc-toc");
    XMLElement* ol = tocs[0]->FirstChildElement("ol");
    ASSERT_NE(ol, nullptr);
    std::vector<XMLElement*> top;
    for (auto* li = ol->FirstChildElement("li"); li; li = li->NextSiblingElement("li"))
        top.push_back(li);
    ASSERT_EQ(top.size(), 2u);
    EXPECT_STREQ(top[0]->FirstChildElement("a")->Attribute("href"), "text/p1-primera.xhtml");
    XMLElement* inner = top[0]->FirstChildElement("ol");
    ASSERT_NE(inner, nullptr);
    std::vector<std::string> nested;
    for (auto* li = inner->FirstChildElement("li"); li; li = li->NextSiblingElement("li"))
        nested.push_back(li->FirstChildElement("a")->Attribute("href"));
    EXPECT_EQ(nested, (std::vector<std::string>{"text/c01-uno.xhtml", "text/c02-dos.xhtml"}));
    // Each chapter's h2 sections nest under it (toc_depth 2, the default), as in the PDF outline.
    XMLElement* sections = inner->FirstChildElement("li")->FirstChildElement("ol");
    ASSERT_NE(sections, nullptr);
    EXPECT_STREQ(sections->FirstChildElement("li")->FirstChildElement("a")->Attribute("href"),
                 "text/c01-uno.xhtml#seccion");
    EXPECT_STREQ(top[1]->FirstChildElement("a")->Attribute("href"), "text/title-2.xhtml");
    EXPECT_STREQ(top[1]->FirstChildElement("a")->GetText(), "Epílogo");
    EXPECT_EQ(entry(entries_, "EPUB/nav.xhtml").find("c03-oculto"), std::string::npos);

    std::set<std::string> landmarks;
    for (auto* a : all(*doc, "a", "epub:type"))
        landmarks.insert(a->Attribute("epub:type"));
    EXPECT_EQ(landmarks, (std::set<std::string>{"cover", "titlepage", "toc", "bodymatter"}));

    auto ncx = parse(entry(entries_, "EPUB/toc.ncx"));
    XMLElement* map = ncx->FirstChildElement("ncx")->FirstChildElement("navMap");
    ASSERT_NE(map, nullptr);
    std::vector<XMLElement*> points;
    for (auto* np = map->FirstChildElement("navPoint"); np; np = np->NextSiblingElement("navPoint"))
        points.push_back(np);
    ASSERT_EQ(points.size(), 2u);
    EXPECT_EQ(all(*ncx, "navPoint").size(), 6u); // 2 chapters + 2 sections under a part, epilogue
    XMLElement* child = points[0]->FirstChildElement("navPoint");
    ASSERT_NE(child, nullptr);
    EXPECT_STREQ(child->FirstChildElement("content")->Attribute("src"), "text/c01-uno.xhtml");
    std::vector<int> orders;
    for (auto* np : all(*ncx, "navPoint"))
        orders.push_back(np->IntAttribute("playOrder"));
    EXPECT_EQ(orders, (std::vector<int>{1, 2, 3, 4, 5, 6}));
    std::string uid;
    for (auto* m : all(*ncx, "meta", "name", "dtb:uid"))
        uid = m->Attribute("content");
    EXPECT_EQ(uid, book_.meta.identifier);
}

// Ids are unique, every fragment link lands, and no non-void element prints self-closed.
void check_page(const std::string& name, const std::string& xhtml) {
    SCOPED_TRACE(name);
    EXPECT_EQ(xhtml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html", 0),
              0u);
    auto doc = parse(xhtml);
    std::set<std::string> ids;
    std::function<void(XMLElement*)> walk = [&](XMLElement* el) {
        for (; el; el = el->NextSiblingElement()) {
            if (const char* id = el->Attribute("id")) {
                EXPECT_TRUE(ids.insert(id).second) << "duplicate id " << id;
                EXPECT_TRUE(std::regex_match(id, std::regex("[A-Za-z_][A-Za-z0-9_.-]*"))) << id;
            }
            walk(el->FirstChildElement());
        }
    };
    walk(doc->FirstChildElement());
    for (auto* a : all(*doc, "a", "href")) {
        std::string href = a->Attribute("href");
        if (href[0] == '#') {
            EXPECT_TRUE(ids.count(href.substr(1))) << "dangling " << href;
        }
    }
    std::smatch m;
    std::regex self_closed(R"(<(\w+)[^<>]*/>)");
    for (auto it = std::sregex_iterator(xhtml.begin(), xhtml.end(), self_closed);
         it != std::sregex_iterator(); ++it) {
        std::string tag = (*it)[1];
        EXPECT_TRUE(tag == "img" || tag == "br" || tag == "hr" || tag == "link" || tag == "meta")
            << "self-closed <" << tag << ">";
    }
    for (unsigned char c : xhtml)
        EXPECT_FALSE(c < 0x20 && c != '\n' && c != '\t') << int(c);
    EXPECT_EQ(xhtml.find("\xef\xbf\xbf"), std::string::npos);
}

TEST_F(EpubWriter, ChapterPagesAreWellFormed) {
    for (const auto& e : entries_)
        if (e.name.size() > 6 && e.name.substr(e.name.size() - 6) == ".xhtml")
            check_page(e.name, e.data);
    std::string title = entry(entries_, "EPUB/text/title.xhtml");
    for (const char* s :
         {"<section epub:type=\"titlepage\" class=\"titlepage\">",
          "<h1 class=\"title\">Libro de prueba</h1>", "<p class=\"subtitle\">Un subtítulo</p>",
          "<p class=\"author\">Ana Autora</p>", "<p class=\"author\">Beto Autor</p>",
          "<p class=\"publisher\">Editorial Ejemplo</p>"})
        EXPECT_NE(title.find(s), std::string::npos) << s << "\n" << title;
    std::string cover = entry(entries_, "EPUB/text/cover.xhtml");
    EXPECT_NE(cover.find("src=\"../images/cover.png\""), std::string::npos) << cover;
}

TEST_F(EpubWriter, ChapterRendersEveryKind) {
    std::string xhtml = entry(entries_, "EPUB/text/c01-uno.xhtml");
    auto doc = parse(xhtml);
    XMLElement* html = doc->FirstChildElement("html");
    ASSERT_NE(html, nullptr);
    EXPECT_STREQ(html->Attribute("xml:lang"), "es");
    EXPECT_STREQ(html->Attribute("xmlns:epub"), "http://www.idpf.org/2007/ops");
    auto sections = all(*doc, "section", "epub:type", "chapter");
    ASSERT_EQ(sections.size(), 1u);
    EXPECT_STREQ(sections[0]->Attribute("role"), "doc-chapter");
    // Banner first, then the one h1 with the title's markup.
    XMLElement* first = sections[0]->FirstChildElement();
    ASSERT_NE(first, nullptr);
    EXPECT_STREQ(first->Attribute("class"), "banner");
    EXPECT_STREQ(first->FirstChildElement("img")->Attribute("alt"), "Un paisaje");
    EXPECT_STREQ(first->FirstChildElement("img")->Attribute("src"), "../images/img/fig_1.png");
    EXPECT_EQ(all(*doc, "h1").size(), 1u);
    EXPECT_NE(xhtml.find("<h1 class=\"chapter-title\">Capítulo <em>uno</em></h1>"),
              std::string::npos);

    EXPECT_NE(xhtml.find("<h2 id=\"seccion\">Sección <strong>fuerte</strong></h2>"),
              std::string::npos);
    EXPECT_NE(xhtml.find("<h3 id=\"seccion-2\">"), std::string::npos);
    for (const char* s :
         {"<em>énfasis</em>",
          "<del>tachado</del>",
          "<sub>2</sub>",
          "<sup>2</sup>",
          "<code>a&lt;b</code>",
          "</code> <a href=\"https://example.com/a%20b?x=1&amp;y=2\">fuera</a>",
          "<a href=\"c02-dos.xhtml#destino\">al destino</a>",
          "<a href=\"c02-dos.xhtml\">ancla perdida</a>",
          " sin destino ",
          "<a href=\"#id-1-numerico\">aquí mismo</a><br/>",
          "controlchar",
          "<blockquote><p>Una cita.</p></blockquote>",
          "<ol start=\"3\" class=\"tasks\">",
          "<li class=\"task done\"><span class=\"task-box\">\u2611</span> hecho</li>",
          "<li class=\"task\"><span class=\"task-box\">\u2610</span> pendiente</li>",
          "<li><p>uno</p><p>dos</p></li>",
          "<pre><code class=\"language-cpp\">int main() {\n    return a &lt; b &amp;&amp; "
          "c;\n}</code></pre>",
          "<hr/>",
          "<thead><tr><th scope=\"col\" class=\"align-left\">A</th>",
          "<td class=\"align-right\">3</td>",
          "<tbody>",
          "<figure id=\"fig-1\"><p><img src=\"../images/img/fig_1.png\" alt=\"Figura uno\"/></p>"
          "<figcaption>Una figura</figcaption></figure>",
          "<aside class=\"hint info\" role=\"note\"><p "
          "class=\"hint-title\">Nota</p><p>Información.</p></aside>",
          "<aside class=\"hint warning\" role=\"note\">",
          "<aside class=\"hint danger\" role=\"note\">",
          "<div class=\"details\"><p class=\"details-title\">Más detalles</p><p>Ocultos.</p></div>",
          "<div class=\"division columns\"><p>Columna.</p></div>",
          "<p id=\"id-1-numerico\">",
          "<p id=\"vacio\"></p>"})
        EXPECT_NE(xhtml.find(s), std::string::npos) << s << "\n" << xhtml;
    EXPECT_EQ(xhtml.find("<a>"), std::string::npos);
    EXPECT_EQ(xhtml.find("epub:type=\"footnote\" class=\"hint"), std::string::npos);

    // Two references to one note: both link to it, with ids of their own.
    auto refs = all(*doc, "a", "epub:type", "noteref");
    ASSERT_EQ(refs.size(), 2u);
    EXPECT_STREQ(refs[0]->Attribute("id"), "fnref-1");
    EXPECT_STREQ(refs[1]->Attribute("id"), "fnref-1-2");
    for (auto* r : refs) {
        EXPECT_STREQ(r->Attribute("href"), "#fn-1");
        EXPECT_STREQ(r->Attribute("role"), "doc-noteref");
        EXPECT_STREQ(r->Parent()->ToElement()->Name(), "sup");
    }
    auto notes = all(*doc, "aside", "epub:type", "footnote");
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_STREQ(notes[0]->Attribute("id"), "fn-1");
    EXPECT_STREQ(notes[0]->Attribute("role"), "doc-footnote");
    EXPECT_STREQ(notes[0]->Parent()->ToElement()->Attribute("epub:type"), "footnotes");
    auto back = all(*doc, "a", "role", "doc-backlink");
    ASSERT_EQ(back.size(), 1u);
    EXPECT_STREQ(back[0]->Attribute("href"), "#fnref-1");
}

TEST_F(EpubWriter, FootnotesArePerChapter) {
    std::string xhtml = entry(entries_, "EPUB/text/c02-dos.xhtml");
    auto doc = parse(xhtml);
    auto refs = all(*doc, "a", "epub:type", "noteref");
    auto notes = all(*doc, "aside", "epub:type", "footnote");
    ASSERT_EQ(refs.size(), 1u);
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_STREQ(refs[0]->Attribute("href"), "#fn-1");
    EXPECT_STREQ(notes[0]->Attribute("id"), "fn-1");
    EXPECT_NE(xhtml.find("Nota del capítulo dos."), std::string::npos);
    EXPECT_EQ(xhtml.find("Nota del capítulo uno."), std::string::npos);
    // The leading H1 that repeats the title is the chapter heading, shown once, with its id.
    auto h1 = all(*doc, "h1");
    ASSERT_EQ(h1.size(), 1u);
    EXPECT_STREQ(h1[0]->Attribute("id"), "capitulo-dos");
    // The broken image shows its alt text.
    EXPECT_NE(xhtml.find("<span class=\"image-alt\">Imagen rota</span>"), std::string::npos);
    auto part = parse(entry(entries_, "EPUB/text/p1-primera.xhtml"));
    auto parts = all(*part, "section", "epub:type", "part");
    ASSERT_EQ(parts.size(), 1u);
    EXPECT_STREQ(parts[0]->Attribute("role"), "doc-part");
    EXPECT_NE(entry(entries_, "EPUB/text/title-2.xhtml").find("href=\"p1-primera.xhtml\""),
              std::string::npos);
}

TEST_F(EpubWriter, ReportsWarnings) {
    std::vector<std::string> messages;
    for (const auto& d : diags_.all())
        messages.push_back(util::format_diagnostic(d));
    auto has = [&](const std::string& needle) {
        for (const auto& m : messages)
            if (m.find(needle) != std::string::npos) return true;
        return false;
    };
    EXPECT_TRUE(has("content/c01-uno.md: warning: link to '#no-existe' in content/c02-dos.md"))
        << ::testing::PrintToString(messages);
    EXPECT_TRUE(has("broken.png: warning: cannot use image broken.png ("))
        << ::testing::PrintToString(messages);
    EXPECT_EQ(diags_.error_count(), 0);
}

TEST_F(EpubWriter, ByteIdenticalRebuilds) {
    std::string first = testing_support::slurp(out_);
    util::Diagnostics d2, d3;
    build(book_, out_, d2);
    EXPECT_EQ(testing_support::slurp(out_), first);
    fs::path other = testing_support::fresh_dir("elsewhere") / "copy.epub";
    build(book_, other, d3);
    EXPECT_EQ(testing_support::slurp(other), first);
    // Chapters and images are done in parallel; one thread must give the same bytes.
    ::setenv("IMPRENTA_THREADS", "1", 1);
    util::Diagnostics d4;
    build(book_, other, d4);
    ::unsetenv("IMPRENTA_THREADS");
    EXPECT_EQ(testing_support::slurp(other), first);
    EXPECT_EQ(util::format_diagnostic(d4.all().at(0)), util::format_diagnostic(diags_.all().at(0)));
    EXPECT_EQ(d4.warning_count(), diags_.warning_count());
}

TEST_F(EpubWriter, FailedWriteKeepsThePreviousFile) {
    std::string before = testing_support::slurp(out_);
    fs::path dir = out_.parent_path();
    auto no_temp_files = [&] {
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().filename().string().find(".tmp") != std::string::npos) return false;
        return true;
    };

    // A broken page template in the book: the build stops before anything is written.
    testing_support::write(dir_ / "templates" / "epub" / "page.xhtml", "<html>{{body}}</htm>");
    util::Diagnostics d;
    EXPECT_THROW(build(book_, out_, d), util::BuildError);
    EXPECT_EQ(testing_support::slurp(out_), before);
    EXPECT_TRUE(no_temp_files());
    fs::remove_all(dir_ / "templates");

    // The disk fills up while libzip writes: a file size limit makes write() fail (EFBIG).
    ASSERT_GT(before.size(), 4096u);
    rlimit old_limit{};
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
    rlimit small = old_limit;
    small.rlim_cur = 4096;
    auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
    bool threw = false;
    try {
        build(book_, out_, d);
    } catch (const util::BuildError&) {
        threw = true;
    }
    ::setrlimit(RLIMIT_FSIZE, &old_limit);
    std::signal(SIGXFSZ, old_handler);
    EXPECT_TRUE(threw);
    EXPECT_EQ(testing_support::slurp(out_), before);
    EXPECT_TRUE(no_temp_files());

    // A directory in the way of the target.
    fs::path in_the_way = dir / "dir.epub";
    fs::create_directories(in_the_way / "keep");
    EXPECT_THROW(build(book_, in_the_way, d), util::BuildError);
    EXPECT_TRUE(fs::is_directory(in_the_way / "keep"));
    EXPECT_TRUE(no_temp_files());

    // A target folder that does not exist.
    EXPECT_THROW(build(book_, dir / "missing" / "x.epub", d), util::BuildError);
}

TEST_F(EpubWriter, BookTemplatesOverrideTheBuiltIns) {
    testing_support::write(dir_ / "templates" / "epub" / "style.css", "body { color: #123456; }\n");
    testing_support::write(
        dir_ / "templates" / "epub" / "page.xhtml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
        "xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{{lang}}\">"
        "<head><title>{{title}}</title><link rel=\"stylesheet\" "
        "href=\"{{stylesheet}}\"/></head><body class=\"custom\">{{body}}</body></html>");
    fs::path out = dir_ / "custom.epub";
    util::Diagnostics d;
    build(book_, out, d);
    auto entries = read_zip(out);
    EXPECT_EQ(entry(entries, "EPUB/style.css"), "body { color: #123456; }\n");
    EXPECT_NE(entry(entries, "EPUB/text/c02-dos.xhtml").find("<body class=\"custom\"><section"),
              std::string::npos);
}

// A minimal book: no cover, no images, no notes, nothing in the toc.
TEST(EpubMinimal, PassesEpubcheck) {
    fs::path dir = testing_support::fresh_dir("min");
    doc::Book book;
    book.meta.title = "";
    book.meta.language = "no es un idioma";
    book.meta.modified = 0;
    auto ch = chapter("", "", 0);
    ch.in_toc = false;
    ch.title_inlines.clear();
    ch.blocks = {para({text("Solo texto.")})};
    book.chapters.push_back(ch);
    util::Diagnostics diags;
    build(book, dir / "min.epub", diags);
    auto entries = read_zip(dir / "min.epub");
    EXPECT_NE(find_entry(entries, "EPUB/text/chapter-1.xhtml"), nullptr);
    // No cover given: a drawn one, whose alt text (the title) makes the claim of alternatives true.
    EXPECT_NE(find_entry(entries, "EPUB/text/cover.xhtml"), nullptr);
    EXPECT_NE(find_entry(entries, "EPUB/images/cover.png"), nullptr);
    auto opf = entry(entries, "EPUB/content.opf");
    EXPECT_NE(opf.find("<dc:language>en</dc:language>"), std::string::npos);
    EXPECT_NE(opf.find("urn:uuid:"), std::string::npos);
    EXPECT_NE(opf.find("<reference type=\"cover\""), std::string::npos);
    EXPECT_GE(diags.warning_count(), 1);
    auto r = testing_support::epubcheck(dir / "min.epub");
    EXPECT_EQ(r.fatals, 0) << r.output;
    EXPECT_EQ(r.errors, 0) << r.output;
    EXPECT_EQ(r.warnings, 0) << r.output;
}

} // namespace

// Where each PDF page's marker goes in the chapters (epub/page_list.cpp).
TEST(EpubPageBreaks, FromThePdfPageMap) {
    using imprenta::doc::TextPos;
    using imprenta::render::PageMap;
    imprenta::doc::Book book;
    book.meta.title = "Libro";
    book.chapters.resize(2);
    for (auto& ch : book.chapters)
        ch.blocks.resize(4, para({text("Una línea de texto corrido.")}));
    book.chapters[1].blocks[0].kind = imprenta::doc::BlockKind::Heading;
    book.chapters[1].blocks[0].id = "page-7"; // an author's id that our marker must not take
    imprenta::epub::Plan plan;
    plan.book = &book;
    plan.title = "Libro";
    plan.files = {"uno.xhtml", "dos.xhtml"};
    for (const auto& ch : book.chapters)
        plan.ids.push_back(imprenta::epub::collect_ids(ch));
    PageMap map{{{1, "i", -1, 0, {}, false},       // front matter: none
                 {2, "1", 0, 0, {{0}, 0}, false},  // opens chapter 0: its start
                 {3, "2", 0, 2, {{2}, -1}, false}, // before block 2 (a figure, say)
                 {4, "3", 0, 3, {{3}, 4}, false},  // at a word of block 3
                 {5, "4", 0, 3, {}, false},        // footnotes only: where the next starts
                 {6, "5", 0, 1, {{1}, 9}, false},  // earlier (floats): kept in order
                 {7, "6", 0, 3, {}, true},         // blank verso: after the chapter
                 {8, "7", 1, 0, {{0}, 0}, false}}, // opens chapter 1
                "libro.pdf"};
    imprenta::epub::plan_page_breaks(plan, map);
    ASSERT_EQ(plan.page_breaks.size(), 2u);
    const auto& a = plan.page_breaks[0];
    ASSERT_EQ(a.size(), 6u);
    const std::vector<int> start{INT_MIN}, end{INT_MAX};
    EXPECT_EQ(a[0].key, start);
    EXPECT_EQ(a[0].label, "1");
    EXPECT_EQ(a[0].id, "page-1");
    EXPECT_EQ(a[1].key, (std::vector<int>{2, imprenta::doc::kBeforeBlock}));
    EXPECT_EQ(a[2].key, (std::vector<int>{3, imprenta::doc::kInlines, 4}));
    EXPECT_EQ(a[3].key, a[2].key);
    EXPECT_EQ(a[4].key, a[2].key);
    EXPECT_EQ(a[5].key, end); // past the last block
    ASSERT_EQ(plan.page_breaks[1].size(), 1u);
    EXPECT_EQ(plan.page_breaks[1][0].key, start);
    EXPECT_EQ(plan.page_breaks[1][0].id, "page-7-2");
    EXPECT_EQ(plan.page_source, "Libro (libro.pdf)");
    EXPECT_TRUE(plan.has_page_list());

    imprenta::epub::Plan none;
    none.book = &book;
    none.ids = plan.ids;
    imprenta::epub::plan_page_breaks(none, PageMap{{{1, "i", -1, 0, {}, false}}, "x.pdf"});
    EXPECT_FALSE(none.has_page_list()); // no body page: no (empty, invalid) page-list
}

// The markers stand right before the word a page starts with, wherever it is: inside emphasis, a
// list item, a table cell, a code block or a figure's caption (epub/xhtml.cpp, PageMarks).
TEST(EpubPageBreaks, MarkersStandBeforeTheWordInsideInlinesListsTablesAndCode) {
    using imprenta::doc::TextPos;
    fs::path dir = testing_support::fresh_dir("epub-page-marks");
    doc::Book book;
    book.meta.title = "Marcas";
    book.meta.language = "es";
    book.meta.identifier = "urn:uuid:0b7e0c1a-3d44-4c6e-9a7b-5f1e2d3c4b5a";
    doc::Chapter ch;
    ch.title = "Capítulo";
    ch.slug = "c01";
    ch.lang = "es";
    Block code = block(BlockKind::CodeBlock);
    code.text = "primera();\nsegunda();";
    Block table = block(BlockKind::Table);
    table.rows.resize(2);
    table.rows[0].cells = {{{text("Ciudad")}}, {{text("Año")}}};
    table.rows[1].cells = {{{text("Sevilla")}}, {{text("1477")}}};
    table.header_rows = 1;
    Block figure = block(BlockKind::Figure, {text("Pie de la figura")},
                         {para({text("Primera parte.")}), para({text("Segunda parte.")})});
    ch.blocks = {para({text("Un texto con "),
                       span(InlineKind::Emphasis, {text("palabras en cursiva")}), text(" y más.")}),
                 block(BlockKind::List, {},
                       {item({para({text("uno dos")})}), item({para({text("tres cuatro")})})}),
                 table, code, figure};
    book.chapters.push_back(ch);
    // Byte offsets in the inlines' text (doc/position.h): "Un texto con palabras en cursiva y".
    render::PageMap map{{{1, "1", 0, 0, {{0}, 0}, false},
                         {2, "2", 0, 0, {{0}, 22}, false},      // "en", inside <em>
                         {3, "3", 0, 1, {{1, 1, 0}, 5}, false}, // "cuatro", second item
                         {4, "4", 0, 2, {{2, 1, 0}, 0}, false}, // "Sevilla", a body cell
                         {5, "5", 0, 3, {{3}, 11}, false},      // "segunda();"
                         {6, "6", 0, 4, {{4}, 7}, false}},      // "la figura", the caption
                        "marcas.pdf"};
    epub::Options options;
    options.pages = &map;
    util::Diagnostics diags;
    epub::write_epub(book, dir / "marcas.epub", options, diags);
    std::string xhtml = entry(read_zip(dir / "marcas.epub"), "EPUB/text/c01.xhtml");
    auto marker = [](int n) {
        std::string s = std::to_string(n);
        return "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-" + s +
               "\" aria-label=\"" + s + "\"></span>";
    };
    EXPECT_NE(xhtml.find("<em>palabras " + marker(2) + "en cursiva</em>"), std::string::npos)
        << xhtml;
    EXPECT_NE(xhtml.find("<li>tres " + marker(3) + "cuatro</li>"), std::string::npos) << xhtml;
    EXPECT_NE(xhtml.find("<td>" + marker(4) + "Sevilla</td>"), std::string::npos) << xhtml;
    EXPECT_NE(xhtml.find("primera();\n" + marker(5) + "segunda();"), std::string::npos) << xhtml;
    EXPECT_NE(xhtml.find("<figcaption>Pie de " + marker(6) + "la figura</figcaption>"),
              std::string::npos)
        << xhtml;
    parse(xhtml);
}
