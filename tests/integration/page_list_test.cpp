// The EPUB's page-list from the PDF built in the same run: one entry per body page of the PDF,
// each marker in the chapter file and before the top-level block where pdftotext finds that
// page's first words; the print edition named as the source of pagination.
#include "support/support.h"

#include <gtest/gtest.h>
#include <tinyxml2.h>

#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <regex>
#include <sstream>

using namespace testing_support;
using tinyxml2::XMLElement;

namespace {

struct Built {
    fs::path epub, pdf;
    std::vector<ZipEntry> zip;
};

Built build_sample(const std::string& name, const std::string& extra = "") {
    fs::path out = fresh_dir(name);
    RunResult r = imprenta("build --quiet -o " + quote(out.string()) + " " + extra + " " +
                           quote(source_dir()));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    Built b;
    for (const auto& e : fs::directory_iterator(out)) {
        if (e.path().extension() == ".epub") b.epub = e.path();
        if (e.path().extension() == ".pdf") b.pdf = e.path();
    }
    if (!b.epub.empty()) b.zip = read_zip(b.epub);
    return b;
}

std::string entry(const Built& b, const std::string& name) {
    const ZipEntry* e = find_entry(b.zip, name);
    EXPECT_TRUE(e) << name;
    return e ? e->data : std::string();
}

XMLElement* find(XMLElement* el, const std::function<bool(XMLElement*)>& pred) {
    if (!el) return nullptr;
    if (pred(el)) return el;
    for (XMLElement* c = el->FirstChildElement(); c; c = c->NextSiblingElement())
        if (XMLElement* f = find(c, pred)) return f;
    return nullptr;
}

bool attr_is(XMLElement* el, const char* name, const char* value) {
    const char* v = el->Attribute(name);
    return v && std::string(v) == value;
}

std::string text_of(XMLElement* el) {
    tinyxml2::XMLPrinter p;
    el->Accept(&p);
    return normalize_words(xml_text(p.CStr()));
}

// The physical page where arabic numbering starts (qpdf's view of /PageLabels), 0-based.
int first_body_page(const fs::path& pdf) {
    RunResult r = run("qpdf --json --json-key=pagelabels " + quote(pdf.string()));
    std::smatch m;
    std::regex body(R"re("index": (\d+),\s*"label": \{\s*"/S": "/D")re");
    EXPECT_TRUE(std::regex_search(r.out, m, body)) << r.out;
    return m.empty() ? 0 : std::stoi(m[1]);
}

int page_count(const fs::path& pdf) {
    RunResult r = run("pdfinfo " + quote(pdf.string()));
    std::smatch m;
    std::regex pages(R"(Pages:\s+(\d+))");
    EXPECT_TRUE(std::regex_search(r.out, m, pages));
    return m.empty() ? 0 : std::stoi(m[1]);
}

// The lines pdftotext gives for one page, folios (a line of digits) left out.
std::vector<std::string> page_lines(const fs::path& pdf, int physical) {
    std::string p = std::to_string(physical);
    std::istringstream in(pdftotext(pdf, "-f " + p + " -l " + p));
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        std::string w = normalize_words(line);
        if (!w.empty() && w.find_first_not_of("0123456789") != std::string::npos)
            lines.push_back(w);
    }
    return lines;
}

struct Marker {
    std::string file;  // chapter file inside EPUB/
    XMLElement* span;  // the marker
    XMLElement* after; // the first element after it with text (null: none)
};

} // namespace

TEST(PageList, OneEntryPerPdfBodyPageEachBeforeThePagesFirstWords) {
    if (!have_tool("pdftotext") || !have_tool("qpdf") || !have_tool("pdfinfo"))
        GTEST_SKIP() << "poppler-utils/qpdf not installed";
    Built b = build_sample("page-list-sample");
    ASSERT_FALSE(b.pdf.empty());
    ASSERT_FALSE(b.epub.empty());

    // The nav's page-list: labels 1..n, one per body page of the PDF.
    tinyxml2::XMLDocument nav;
    ASSERT_EQ(nav.Parse(entry(b, "EPUB/nav.xhtml").c_str()), tinyxml2::XML_SUCCESS);
    XMLElement* list = find(nav.RootElement(), [](XMLElement* e) {
        return attr_is(e, "epub:type", "page-list") && attr_is(e, "role", "doc-pagelist");
    });
    ASSERT_TRUE(list);
    std::vector<std::pair<std::string, std::string>> entries; // label, href
    for (XMLElement* li = list->FirstChildElement("ol")->FirstChildElement("li"); li;
         li = li->NextSiblingElement("li"))
        entries.emplace_back(li->FirstChildElement("a")->GetText(),
                             li->FirstChildElement("a")->Attribute("href"));
    int front = first_body_page(b.pdf), total = page_count(b.pdf);
    ASSERT_GT(total, front);
    ASSERT_EQ(int(entries.size()), total - front);

    std::map<std::string, std::unique_ptr<tinyxml2::XMLDocument>> files;
    std::string book_title = normalize_words("Tipos móviles"), previous_file;
    for (size_t i = 0; i < entries.size(); ++i) {
        const auto& [label, href] = entries[i];
        EXPECT_EQ(label, std::to_string(i + 1));
        std::string file = href.substr(0, href.find('#')), id = href.substr(href.find('#') + 1);
        auto& doc = files[file];
        if (!doc) {
            doc = std::make_unique<tinyxml2::XMLDocument>();
            ASSERT_EQ(doc->Parse(entry(b, "EPUB/" + file).c_str()), tinyxml2::XML_SUCCESS) << file;
        }
        XMLElement* span =
            find(doc->RootElement(), [&](XMLElement* e) { return attr_is(e, "id", id.c_str()); });
        ASSERT_TRUE(span) << href;
        EXPECT_TRUE(attr_is(span, "epub:type", "pagebreak"));
        EXPECT_TRUE(attr_is(span, "role", "doc-pagebreak"));
        EXPECT_TRUE(attr_is(span, "aria-label", label.c_str()));
        XMLElement* after = span->NextSiblingElement();
        while (after && (attr_is(after, "epub:type", "pagebreak") || text_of(after).empty()))
            after = after->NextSiblingElement();

        std::vector<std::string> lines = page_lines(b.pdf, front + int(i) + 1);
        if (lines.empty()) { // a verso left blank: its marker ends the chapter before it
            EXPECT_EQ(file, previous_file) << "blank page " << label;
            EXPECT_TRUE(!after || attr_is(after, "epub:type", "footnotes")) << "page " << label;
            continue;
        }
        previous_file = file;
        ASSERT_TRUE(after) << "nothing after the marker of page " << label;
        // The running head (book title on a verso, chapter title on a recto) is not content.
        XMLElement* h1 = doc->RootElement()
                             ->FirstChildElement("body")
                             ->FirstChildElement("section")
                             ->FirstChildElement("h1");
        std::string chapter_title = h1 ? text_of(h1) : "";
        bool opening = after == h1;
        size_t first = 0;
        if (!opening && lines.size() > 1 && (lines[0] == book_title || lines[0] == chapter_title))
            first = 1;
        // Its first words, not the last one of the line (it may be hyphenated).
        std::istringstream words(lines[first]);
        std::vector<std::string> w{std::istream_iterator<std::string>(words), {}};
        // A list item's number is drawn in the PDF; the XHTML's <ol> counts it.
        while (w.size() > 1 && w[0].find_first_not_of("0123456789") == std::string::npos)
            w.erase(w.begin());
        size_t n = std::min<size_t>(3, w.size() > 1 ? w.size() - 1 : 1);
        std::string start;
        for (size_t k = 0; k < n; ++k)
            start += (k ? " " : "") + w[k];
        EXPECT_NE(text_of(after).find(start), std::string::npos)
            << "page " << label << " starts with '" << start << "' but its marker in " << file
            << " stands before: " << text_of(after).substr(0, 200);
    }
}

TEST(PageList, PrintEditionNamedAsTheSourceOfPagination) {
    Built b = build_sample("page-list-opf");
    std::string opf = entry(b, "EPUB/content.opf");
    EXPECT_NE(
        opf.find("<dc:source id=\"page-source\">Tipos móviles (tipos-moviles.pdf)</dc:source>"),
        std::string::npos)
        << opf;
    EXPECT_NE(opf.find("<meta refines=\"#page-source\" property=\"source-of\">pagination</meta>"),
              std::string::npos);
    EXPECT_NE(opf.find(">pageBreakMarkers<"), std::string::npos);
    EXPECT_NE(opf.find(">pageNavigation<"), std::string::npos);
    if (have_tool("java")) {
        EpubcheckResult check = epubcheck(b.epub);
        EXPECT_EQ(check.errors, 0) << check.output;
        EXPECT_EQ(check.warnings, 0) << check.output;
    }
}

TEST(PageList, NoneWithoutThePdf) {
    Built b = build_sample("page-list-epub-only", "--format epub");
    ASSERT_TRUE(b.pdf.empty());
    EXPECT_EQ(entry(b, "EPUB/nav.xhtml").find("page-list"), std::string::npos);
    std::string opf = entry(b, "EPUB/content.opf");
    EXPECT_EQ(opf.find("dc:source"), std::string::npos);
    EXPECT_EQ(opf.find("pageBreakMarkers"), std::string::npos);
    for (const auto& e : b.zip)
        EXPECT_EQ(e.data.find("doc-pagebreak"), std::string::npos) << e.name;
}
