// The package around the chapters: container.xml, content.opf, nav.xhtml, toc.ncx and the
// title and cover pages.
#include "epub/plan.h"
#include "epub/xml.h"
#include "util/time.h"
#include "util/utf8.h"

#include <algorithm>
#include <cctype>
#include <tinyxml2.h>

namespace imprenta::epub {

using tinyxml2::XMLDocument;
using tinyxml2::XMLElement;
using tinyxml2::XMLNode;

namespace {

XMLElement* add(XMLNode* parent, const char* name) {
    XMLElement* el = parent->GetDocument()->NewElement(name);
    parent->InsertEndChild(el);
    return el;
}

XMLElement* add_text(XMLNode* parent, const char* name, std::string_view text) {
    XMLElement* el = add(parent, name);
    el->InsertEndChild(parent->GetDocument()->NewText(util::xml_safe_text(text).c_str()));
    return el;
}

std::string print_document(const XMLDocument& doc) {
    tinyxml2::XMLPrinter printer; // indented: these files have no mixed content
    doc.Print(&printer);
    return std::string(printer.CStr(), static_cast<size_t>(printer.CStrSize() - 1));
}

std::string render_body(const PageTemplate& page, std::string_view lang, std::string_view title,
                        std::string_view stylesheet, XMLDocument& doc) {
    std::string body;
    for (XMLElement* el = doc.FirstChildElement(); el; el = el->NextSiblingElement()) {
        open_empty_elements(el);
        body += print_compact(*el);
    }
    return page.render(lang, title, stylesheet, body);
}

// Words the package itself shows, in the book's language when we know it.
struct Words {
    const char* contents;
    const char* cover;
    const char* title_page;
    const char* start;
    const char* pages;
};

Words words_for(std::string_view lang) {
    std::string primary(lang.substr(0, lang.find('-')));
    for (auto& c : primary)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (primary == "es") return {"Índice", "Cubierta", "Portada", "Comienzo", "Páginas"};
    if (primary == "pt") return {"Sumário", "Capa", "Folha de rosto", "Início", "Páginas"};
    if (primary == "fr")
        return {"Table des matières", "Couverture", "Page de titre", "Début", "Pages"};
    if (primary == "de") return {"Inhalt", "Umschlag", "Titelseite", "Beginn", "Seiten"};
    if (primary == "it") return {"Indice", "Copertina", "Frontespizio", "Inizio", "Pagine"};
    if (primary == "ca") return {"Índex", "Coberta", "Portada", "Inici", "Pàgines"};
    return {"Contents", "Cover", "Title page", "Start", "Pages"};
}

// One entry of the table of contents; levels never jump by more than one.
struct TocEntry {
    std::string label;
    std::string href; // relative to EPUB/
    size_t level;
};

// A chapter's section headings down to `toc_depth` (h2 is level 2), as the PDF outline has them:
// top-level headings only, the chapter's own title heading left out.
void add_sections(const Plan& plan, size_t chapter, size_t chapter_level,
                  std::vector<TocEntry>& out) {
    const doc::Chapter& ch = plan.book->chapters[chapter];
    int depth = plan.book->meta.toc_depth;
    const doc::Block* tb = title_block(ch);
    const ChapterIds& ids = plan.ids[chapter];
    size_t prev = chapter_level;
    for (const auto& b : ch.blocks) {
        if (&b == tb || b.kind != doc::BlockKind::Heading || b.level < 2 || b.level > depth)
            continue;
        auto id = ids.blocks.find(&b);
        std::string label = doc::plain_text(b.inlines);
        if (id == ids.blocks.end() || label.find_first_not_of(" \t\n") == std::string::npos)
            continue;
        size_t level = std::min(chapter_level + static_cast<size_t>(b.level - 1), prev + 1);
        out.push_back({label, "text/" + plan.files[chapter] + "#" + id->second, level});
        prev = level;
    }
}

std::vector<TocEntry> toc_entries(const Plan& plan) {
    const doc::Book& book = *plan.book;
    std::vector<TocEntry> out;
    int prev = -1;
    for (size_t i = 0; i < book.chapters.size(); ++i) {
        const auto& ch = book.chapters[i];
        if (!ch.in_toc) continue;
        int level = std::clamp(ch.depth, 0, prev + 1);
        out.push_back({ch.title.empty() ? plan.files[i] : ch.title, "text/" + plan.files[i],
                       static_cast<size_t>(level)});
        prev = level;
        add_sections(plan, i, static_cast<size_t>(level), out);
    }
    return out;
}

bool all_digits(std::string_view s, size_t n) {
    if (s.size() < n) return false;
    for (size_t i = 0; i < n; ++i)
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
}

// W3CDTF as the OPF wants it: YYYY, YYYY-MM, YYYY-MM-DD, optionally with a time and zone.
bool valid_w3c_date(std::string_view d) {
    if (!all_digits(d, 4)) return false;
    if (d.size() == 4) return true;
    if (d[4] != '-' || !all_digits(d.substr(5), 2)) return false;
    if (d.size() == 7) return true;
    if (d[7] != '-' || !all_digits(d.substr(8), 2)) return false;
    if (d.size() == 10) return true;
    std::string_view t = d.substr(10);
    if (t.size() < 7 || t[0] != 'T' || !all_digits(t.substr(1), 2) || t[3] != ':' ||
        !all_digits(t.substr(4), 2))
        return false;
    t.remove_prefix(6);
    if (t.size() >= 3 && t[0] == ':' && all_digits(t.substr(1), 2)) t.remove_prefix(3);
    if (!t.empty() && t[0] == '.') {
        t.remove_prefix(1);
        size_t n = 0;
        while (n < t.size() && std::isdigit(static_cast<unsigned char>(t[n])))
            ++n;
        if (n == 0) return false;
        t.remove_prefix(n);
    }
    if (t == "Z") return true;
    return t.size() == 6 && (t[0] == '+' || t[0] == '-') && all_digits(t.substr(1), 2) &&
           t[3] == ':' && all_digits(t.substr(4), 2);
}

bool has_images(const Plan& plan) {
    return std::any_of(plan.images.begin(), plan.images.end(),
                       [](const ImageResource& r) { return r.ok; });
}

bool has_notes(const doc::Book& book) {
    return std::any_of(book.chapters.begin(), book.chapters.end(),
                       [](const doc::Chapter& c) { return !c.notes.empty(); });
}

std::string accessibility_summary(const Plan& plan) {
    std::string s = "This publication has structured headings, a table of contents and a reading "
                    "order that follows it.";
    if (has_notes(*plan.book)) s += " Footnotes link to their references and back.";
    if (has_images(plan))
        s += plan.all_alt ? " Images have text alternatives."
                          : " Some images have no text alternative.";
    if (plan.has_page_list())
        s += " Page breaks and a page list give the page numbers of the print edition.";
    return s;
}

std::string chapter_item_id(size_t i) {
    return "chapter-" + std::to_string(i + 1);
}

} // namespace

bool valid_language_tag(std::string_view tag) {
    if (tag.empty()) return false;
    size_t start = 0;
    bool first = true;
    while (start <= tag.size()) {
        size_t end = tag.find('-', start);
        if (end == std::string_view::npos) end = tag.size();
        std::string_view sub = tag.substr(start, end - start);
        if (sub.empty() || sub.size() > 8) return false;
        for (char c : sub) {
            bool alpha = std::isalpha(static_cast<unsigned char>(c));
            bool digit = std::isdigit(static_cast<unsigned char>(c));
            if (first ? !alpha : !(alpha || digit)) return false;
        }
        if (first && sub.size() == 1 && sub != "x" && sub != "i") return false;
        first = false;
        start = end + 1;
    }
    return true;
}

std::string container_xml() {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
           "    <rootfiles>\n"
           "        <rootfile full-path=\"EPUB/content.opf\" "
           "media-type=\"application/oebps-package+xml\"/>\n"
           "    </rootfiles>\n"
           "</container>\n";
}

namespace {

// Accessibility metadata (schema.org, as EPUB Accessibility 1.0 asks); claim only what holds.
// Also the EPUB 2 cover meta.
void accessibility_metadata(XMLElement* md, const Plan& plan) {
    bool images = has_images(plan);
    auto schema = [&](const char* property, std::string_view value) {
        add_text(md, "meta", value)->SetAttribute("property", property);
    };
    schema("schema:accessMode", "textual");
    if (images) schema("schema:accessMode", "visual");
    schema("schema:accessModeSufficient", "textual");
    schema("schema:accessibilityFeature", "structuralNavigation");
    schema("schema:accessibilityFeature", "tableOfContents");
    schema("schema:accessibilityFeature", "readingOrder");
    if (images && plan.all_alt) schema("schema:accessibilityFeature", "alternativeText");
    if (plan.has_page_list()) {
        schema("schema:accessibilityFeature", "pageBreakMarkers");
        schema("schema:accessibilityFeature", "pageNavigation");
    }
    schema("schema:accessibilityHazard", "none");
    XMLElement* summary = add_text(md, "meta", accessibility_summary(plan));
    summary->SetAttribute("property", "schema:accessibilitySummary");
    summary->SetAttribute("xml:lang", "en");
    if (plan.cover >= 0) { // EPUB 2 readers look for the cover this way
        XMLElement* cover = add(md, "meta");
        cover->SetAttribute("name", "cover");
        cover->SetAttribute("content", plan.images[plan.cover].id.c_str());
    }
}

// Every file of the book in the manifest; the reading order in the spine.
void manifest_and_spine(XMLElement* package, const Plan& plan) {
    XMLElement* manifest = add(package, "manifest");
    auto item = [&](const std::string& id, const std::string& href, const char* type,
                    const char* properties = nullptr) {
        XMLElement* it = add(manifest, "item");
        it->SetAttribute("id", id.c_str());
        it->SetAttribute("href", href.c_str());
        it->SetAttribute("media-type", type);
        if (properties) it->SetAttribute("properties", properties);
    };
    item("nav", "nav.xhtml", "application/xhtml+xml", "nav");
    item("ncx", "toc.ncx", "application/x-dtbncx+xml");
    item("css", "style.css", "text/css");
    if (plan.cover >= 0) item("cover-page", "text/cover.xhtml", "application/xhtml+xml");
    item("title-page", "text/title.xhtml", "application/xhtml+xml");
    for (size_t i = 0; i < plan.files.size(); ++i)
        item(chapter_item_id(i), "text/" + plan.files[i], "application/xhtml+xml");
    for (size_t i = 0; i < plan.images.size(); ++i) {
        const auto& r = plan.images[i];
        if (!r.ok) continue;
        item(r.id, r.path, r.media_type.c_str(),
             static_cast<int>(i) == plan.cover ? "cover-image" : nullptr);
    }

    XMLElement* spine = add(package, "spine");
    spine->SetAttribute("toc", "ncx");
    if (plan.book->meta.rtl) spine->SetAttribute("page-progression-direction", "rtl");
    auto itemref = [&](const std::string& id) {
        add(spine, "itemref")->SetAttribute("idref", id.c_str());
    };
    if (plan.cover >= 0) itemref("cover-page");
    itemref("title-page");
    // The landmarks point at the toc, and epubcheck wants every link target in the spine (RSC-011);
    // outside the linear reading order, so readers do not page through it.
    add(spine, "itemref")->SetAttribute("idref", "nav");
    spine->LastChildElement()->SetAttribute("linear", "no");
    for (size_t i = 0; i < plan.files.size(); ++i)
        itemref(chapter_item_id(i));
    if (plan.cover >= 0) { // EPUB 2's cover reference: without it Kindle conversions add a second
        XMLElement* ref = add(add(package, "guide"), "reference");
        ref->SetAttribute("type", "cover");
        ref->SetAttribute("title", words_for(plan.lang).cover);
        ref->SetAttribute("href", "text/cover.xhtml");
    }
}

} // namespace

std::string package_opf(const Plan& plan, std::vector<Warning>& warnings) {
    const doc::Book& book = *plan.book;
    const doc::Metadata& meta = book.meta;
    XMLDocument doc;
    doc.InsertEndChild(doc.NewDeclaration());
    XMLElement* package = add(&doc, "package");
    package->SetAttribute("xmlns", "http://www.idpf.org/2007/opf");
    package->SetAttribute("version", "3.0");
    package->SetAttribute("unique-identifier", "pub-id");
    package->SetAttribute("xml:lang", plan.lang.c_str());

    XMLElement* md = add(package, "metadata");
    md->SetAttribute("xmlns:dc", "http://purl.org/dc/elements/1.1/");
    add_text(md, "dc:identifier", plan.identifier)->SetAttribute("id", "pub-id");
    add_text(md, "dc:title", plan.title)->SetAttribute("id", "title");
    for (size_t i = 0; i < meta.authors.size(); ++i) {
        if (meta.authors[i].empty()) continue;
        std::string id = "creator-" + std::to_string(i + 1);
        add_text(md, "dc:creator", meta.authors[i])->SetAttribute("id", id.c_str());
        XMLElement* role = add_text(md, "meta", "aut");
        role->SetAttribute("refines", ("#" + id).c_str());
        role->SetAttribute("property", "role");
        role->SetAttribute("scheme", "marc:relators");
    }
    if (std::none_of(meta.authors.begin(), meta.authors.end(),
                     [](const std::string& a) { return !a.empty(); }))
        add_warning(warnings, "",
                    "the book has no author: readers and stores will show 'Unknown'; set "
                    "author = \"Name\" (or authors = [\"A\", \"B\"]) in book.toml");
    add_text(md, "dc:language", plan.lang);
    if (!meta.publisher.empty()) add_text(md, "dc:publisher", meta.publisher);
    if (!meta.description.empty()) add_text(md, "dc:description", meta.description);
    if (!meta.rights.empty()) add_text(md, "dc:rights", meta.rights);
    if (valid_w3c_date(meta.date))
        add_text(md, "dc:date", meta.date);
    else if (!meta.date.empty())
        add_warning(warnings, "",
                    "date '" + meta.date +
                        "' is not YYYY, YYYY-MM or YYYY-MM-DD; the EPUB has no dc:date");
    add_text(md, "meta", util::iso8601_utc(meta.modified))
        ->SetAttribute("property", "dcterms:modified");
    if (!meta.version.empty())
        add_text(md, "meta", meta.version)->SetAttribute("property", "schema:version");

    // The edition the page numbers come from (EPUB Accessibility 1.1). The newer single
    // `pageBreakSource` property is OPF-027 "undefined" to epubcheck 4.2.6 (EPUB 3.2 rules), with
    // or without the a11y: prefix, so the EPUB 3.2 way: dc:source refined as source-of pagination.
    if (plan.has_page_list()) {
        add_text(md, "dc:source", plan.page_source)->SetAttribute("id", "page-source");
        XMLElement* of = add_text(md, "meta", "pagination");
        of->SetAttribute("refines", "#page-source");
        of->SetAttribute("property", "source-of");
    }
    accessibility_metadata(md, plan);
    manifest_and_spine(package, plan);
    return print_document(doc);
}

namespace {

// The print edition's pages, in order, each linking to its marker (EPUB 3 page-list).
void page_list(XMLDocument* doc, const Plan& plan, const Words& w) {
    XMLElement* nav = add(doc, "nav");
    nav->SetAttribute("epub:type", "page-list");
    nav->SetAttribute("role", "doc-pagelist");
    nav->SetAttribute("hidden", "hidden");
    add_text(nav, "h2", w.pages);
    XMLElement* list = add(nav, "ol");
    for (size_t ci = 0; ci < plan.page_breaks.size(); ++ci)
        for (const auto& pb : plan.page_breaks[ci])
            add_text(add(list, "li"), "a", pb.label)
                ->SetAttribute("href", ("text/" + plan.files[ci] + "#" + pb.id).c_str());
}

} // namespace

std::string nav_xhtml(const Plan& plan, const PageTemplate& page) {
    Words w = words_for(plan.lang);
    XMLDocument doc;
    XMLElement* toc = add(&doc, "nav");
    toc->SetAttribute("epub:type", "toc");
    toc->SetAttribute("role", "doc-toc");
    toc->SetAttribute("id", "toc");
    add_text(toc, "h1", w.contents);
    XMLElement* root = add(toc, "ol");
    auto entries = toc_entries(plan);
    if (entries.empty()) { // a nav list may not be empty
        add_text(add(root, "li"), "a", plan.title)->SetAttribute("href", "text/title.xhtml");
    }
    std::vector<XMLElement*> lists{root}; // open <ol> per level
    std::vector<XMLElement*> items;       // last <li> per level
    for (const auto& e : entries) {
        while (lists.size() > e.level + 1)
            lists.pop_back();
        if (lists.size() == e.level) lists.push_back(add(items[e.level - 1], "ol"));
        XMLElement* li = add(lists.back(), "li");
        items.resize(lists.size());
        items.back() = li;
        add_text(li, "a", e.label)->SetAttribute("href", e.href.c_str());
    }

    XMLElement* landmarks = add(&doc, "nav");
    landmarks->SetAttribute("epub:type", "landmarks");
    landmarks->SetAttribute("hidden", "hidden");
    XMLElement* list = add(landmarks, "ol");
    auto landmark = [&](const char* type, const std::string& href, const char* label) {
        XMLElement* a = add_text(add(list, "li"), "a", label);
        a->SetAttribute("epub:type", type);
        a->SetAttribute("href", href.c_str());
    };
    if (plan.cover >= 0) landmark("cover", "text/cover.xhtml", w.cover);
    landmark("titlepage", "text/title.xhtml", w.title_page);
    landmark("toc", "nav.xhtml#toc", w.contents);
    if (!plan.files.empty()) landmark("bodymatter", "text/" + plan.files.front(), w.start);
    if (plan.has_page_list()) page_list(&doc, plan, w);
    return render_body(page, plan.lang, w.contents, "style.css", doc);
}

std::string toc_ncx(const Plan& plan) {
    XMLDocument doc;
    doc.InsertEndChild(doc.NewDeclaration());
    XMLElement* ncx = add(&doc, "ncx");
    ncx->SetAttribute("xmlns", "http://www.daisy.org/z3986/2005/ncx/");
    ncx->SetAttribute("version", "2005-1");
    ncx->SetAttribute("xml:lang", plan.lang.c_str());
    auto entries = toc_entries(plan);
    size_t depth = 1;
    for (const auto& e : entries)
        depth = std::max(depth, e.level + 1);
    XMLElement* head = add(ncx, "head");
    auto meta = [&](const char* name, const std::string& content) {
        XMLElement* m = add(head, "meta");
        m->SetAttribute("name", name);
        m->SetAttribute("content", util::xml_safe_text(content).c_str());
    };
    meta("dtb:uid", plan.identifier);
    meta("dtb:depth", std::to_string(depth));
    meta("dtb:totalPageCount", "0");
    meta("dtb:maxPageNumber", "0");
    add_text(add(ncx, "docTitle"), "text", plan.title);
    XMLElement* map = add(ncx, "navMap");
    int order = 0;
    auto nav_point = [&](XMLElement* parent, const std::string& label, const std::string& src) {
        XMLElement* np = add(parent, "navPoint");
        ++order;
        np->SetAttribute("id", ("np-" + std::to_string(order)).c_str());
        np->SetAttribute("playOrder", order);
        add_text(add(np, "navLabel"), "text", label);
        add(np, "content")->SetAttribute("src", src.c_str());
        return np;
    };
    if (entries.empty()) nav_point(map, plan.title, "text/title.xhtml");
    std::vector<XMLElement*> parents{map};
    for (const auto& e : entries) {
        parents.resize(e.level + 1);
        parents.push_back(nav_point(parents.back(), e.label, e.href));
    }
    return print_document(doc);
}

std::string title_page(const Plan& plan, const PageTemplate& page) {
    const doc::Metadata& meta = plan.book->meta;
    XMLDocument doc;
    XMLElement* section = add(&doc, "section");
    section->SetAttribute("epub:type", "titlepage");
    section->SetAttribute("class", "titlepage");
    add_text(section, "h1", plan.title)->SetAttribute("class", "title");
    if (!meta.subtitle.empty())
        add_text(section, "p", meta.subtitle)->SetAttribute("class", "subtitle");
    for (const auto& author : meta.authors)
        if (!author.empty()) add_text(section, "p", author)->SetAttribute("class", "author");
    if (!meta.publisher.empty())
        add_text(section, "p", meta.publisher)->SetAttribute("class", "publisher");
    return render_body(page, plan.lang, plan.title, "../style.css", doc);
}

std::string cover_page(const Plan& plan, const PageTemplate& page) {
    XMLDocument doc;
    XMLElement* section = add(&doc, "section");
    section->SetAttribute("class", "cover");
    XMLElement* img = add(section, "img");
    img->SetAttribute("src", ("../" + plan.images[plan.cover].path).c_str());
    img->SetAttribute("alt", util::xml_safe_text(plan.title).c_str());
    // On the image: doc-cover is the role that matches epub:type="cover", and it is an img role.
    img->SetAttribute("epub:type", "cover");
    img->SetAttribute("role", "doc-cover");
    return render_body(page, plan.lang, plan.title, "../style.css", doc);
}

} // namespace imprenta::epub
