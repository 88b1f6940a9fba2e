// The EPUB's page-list from the PDF built in the same run: one entry per body page of the PDF,
// each marker in the chapter file right before the word pdftotext finds first on that page; the
// print edition named as the source of pagination.
#include "support/support.h"

#include <gtest/gtest.h>
#include <tinyxml2.h>

#include <algorithm>
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

std::vector<std::string> words(const std::string& text) {
    std::istringstream in(normalize_words(text));
    return {std::istream_iterator<std::string>(in), {}};
}

// The text of XHTML markup as a reader sees it: tags that end a block (and <br>) part words,
// inline ones do not ("<em>im</em>prenta" is one word); entities are punctuation here.
std::string reader_text(std::string_view xhtml) {
    static const std::regex block_tag(
        R"(^</?(p|li|ol|ul|h[1-6]|td|th|tr|table|thead|tbody|div|section|aside|figure|figcaption|)"
        R"(blockquote|pre|br|img|hr)[\s/>])");
    std::string out;
    for (size_t i = 0; i < xhtml.size();) {
        if (xhtml[i] == '<') {
            size_t close = xhtml.find('>', i);
            if (close == std::string::npos) break;
            std::string tag(xhtml.substr(i, close + 1 - i));
            if (std::regex_search(tag, block_tag)) out += ' ';
            i = close + 1;
        } else if (xhtml[i] == '&') {
            size_t semi = xhtml.find(';', i);
            out += ' ';
            i = semi == std::string::npos ? xhtml.size() : semi + 1;
        } else {
            out += xhtml[i++];
        }
    }
    return out;
}

// The chapter file's words before and after the page-break marker with `id` (footnotes left
// out: they are not where the marker stands).
std::pair<std::vector<std::string>, std::vector<std::string>>
around_marker(const std::string& xhtml, const std::string& id) {
    size_t at = xhtml.find("id=\"" + id + "\"");
    if (at == std::string::npos) return {};
    size_t begin = xhtml.rfind("<span", at), after = xhtml.find("</span>", at) + 7;
    size_t body = xhtml.find("<body"), end = xhtml.find("<section epub:type=\"footnotes\"");
    if (end == std::string::npos) end = xhtml.find("</body>");
    std::string_view x(xhtml);
    return {words(reader_text(x.substr(body, begin - body))),
            words(reader_text(x.substr(after, end > after ? end - after : 0)))};
}

// A printed page's first line as words, the running head and folio left out.
std::vector<std::string> first_line(const std::vector<std::string>& lines,
                                    const std::vector<std::string>& heads) {
    size_t first = 0;
    while (first + 1 < lines.size() &&
           std::find(heads.begin(), heads.end(), lines[first]) != heads.end())
        ++first;
    return words(lines[first]);
}

bool starts_with(const std::vector<std::string>& w, size_t from,
                 const std::vector<std::string>& prefix) {
    if (w.size() < from + prefix.size()) return false;
    return std::equal(prefix.begin(), prefix.end(), w.begin() + long(from));
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

struct MarkerCheck {
    size_t pages = 0;   // body pages in the page-list
    size_t checked = 0; // of them, pages with text whose first words were compared
    size_t tails = 0;   // of them, pages that start with the end of a word hyphenated before
};

// Word precision: the text right after each marker in the EPUB is the text at the top of that
// PDF page. A word hyphenated across two pages belongs to the first: its marker stands after the
// word, before the next one (the printed page's first line then starts with the word's end).
MarkerCheck check_markers(const Built& b, const std::string& book_title) {
    MarkerCheck result;
    // The nav's page-list: labels 1..n, one per body page of the PDF.
    tinyxml2::XMLDocument nav;
    if (nav.Parse(entry(b, "EPUB/nav.xhtml").c_str()) != tinyxml2::XML_SUCCESS) {
        ADD_FAILURE() << "nav.xhtml does not parse";
        return result;
    }
    XMLElement* list = find(nav.RootElement(), [](XMLElement* e) {
        return attr_is(e, "epub:type", "page-list") && attr_is(e, "role", "doc-pagelist");
    });
    if (!list) {
        ADD_FAILURE() << "no page-list";
        return result;
    }
    std::vector<std::pair<std::string, std::string>> entries; // label, href
    for (XMLElement* li = list->FirstChildElement("ol")->FirstChildElement("li"); li;
         li = li->NextSiblingElement("li"))
        entries.emplace_back(li->FirstChildElement("a")->GetText(),
                             li->FirstChildElement("a")->Attribute("href"));
    int front = first_body_page(b.pdf), total = page_count(b.pdf);
    EXPECT_GT(total, front);
    EXPECT_EQ(int(entries.size()), total - front);
    result.pages = entries.size();

    std::string previous_file;
    for (size_t i = 0; i < entries.size(); ++i) {
        const auto& [label, href] = entries[i];
        EXPECT_EQ(label, std::to_string(i + 1));
        std::string file = href.substr(0, href.find('#')), id = href.substr(href.find('#') + 1);
        std::string xhtml = entry(b, "EPUB/" + file);
        tinyxml2::XMLDocument doc;
        EXPECT_EQ(doc.Parse(xhtml.c_str()), tinyxml2::XML_SUCCESS) << file;
        XMLElement* span =
            find(doc.RootElement(), [&](XMLElement* e) { return attr_is(e, "id", id.c_str()); });
        if (!span) {
            ADD_FAILURE() << "no marker for " << href;
            continue;
        }
        EXPECT_TRUE(attr_is(span, "epub:type", "pagebreak"));
        EXPECT_TRUE(attr_is(span, "role", "doc-pagebreak"));
        EXPECT_TRUE(attr_is(span, "aria-label", label.c_str()));
        auto [before, after] = around_marker(xhtml, id);

        std::vector<std::string> lines = page_lines(b.pdf, front + int(i) + 1);
        if (lines.empty()) { // a verso left blank: its marker ends the chapter before it
            EXPECT_EQ(file, previous_file) << "blank page " << label;
            EXPECT_TRUE(after.empty()) << "page " << label << ": " << after[0];
            continue;
        }
        previous_file = file;
        if (after.empty()) {
            ADD_FAILURE() << "nothing after the marker of page " << label;
            continue;
        }
        // The running head (book title on a verso, chapter title on a recto) is not content.
        XMLElement* h1 = doc.RootElement()
                             ->FirstChildElement("body")
                             ->FirstChildElement("section")
                             ->FirstChildElement("h1");
        std::string chapter_title = h1 ? text_of(h1) : "";
        bool opening = !chapter_title.empty() && starts_with(after, 0, words(chapter_title));
        std::vector<std::string> pdf =
            opening ? first_line(lines, {}) : first_line(lines, {book_title, chapter_title});
        if (pdf.empty()) continue;
        // The EPUB's first words (up to three, never the line's last: it may be hyphenated)
        // open the PDF's first line. In the PDF, a list item's number or the end of a word
        // hyphenated on the page before may come first.
        size_t n = std::min<size_t>({3, after.size(), pdf.size() > 1 ? pdf.size() - 1 : 1});
        std::vector<std::string> expect(after.begin(), after.begin() + long(n));
        bool number = pdf[0].find_first_not_of("0123456789") == std::string::npos;
        bool tail = !before.empty() && ends_with(before.back(), pdf[0]) && before.back() != pdf[0];
        bool ok = starts_with(pdf, 0, expect) || ((number || tail) && starts_with(pdf, 1, expect));
        ++result.checked;
        if (ok && tail && !starts_with(pdf, 0, expect)) ++result.tails;
        EXPECT_TRUE(ok) << "page " << label << " starts with '" << lines[0] << "' / '"
                        << normalize_words(pdf[0] + " " + (pdf.size() > 1 ? pdf[1] : ""))
                        << "' but its marker in " << file << " stands before '" << after[0]
                        << (after.size() > 1 ? " " + after[1] : "") << "'";
    }
    return result;
}

} // namespace

TEST(PageList, OneEntryPerPdfBodyPageEachBeforeThePagesFirstWord) {
    if (!have_tool("pdftotext") || !have_tool("qpdf") || !have_tool("pdfinfo"))
        GTEST_SKIP() << "poppler-utils/qpdf not installed";
    Built b = build_sample("page-list-sample");
    ASSERT_FALSE(b.pdf.empty());
    ASSERT_FALSE(b.epub.empty());
    MarkerCheck c = check_markers(b, normalize_words("Tipos móviles"));
    EXPECT_GT(c.checked, c.pages / 2);
}

// A book of long words, hyphenated at almost every line's end: some page starts with the end of
// a word whose start closes the page before, and its marker follows that word.
TEST(PageList, WordHyphenatedAcrossPagesBelongsToTheFirst) {
    if (!have_tool("pdftotext") || !have_tool("qpdf") || !have_tool("pdfinfo"))
        GTEST_SKIP() << "poppler-utils/qpdf not installed";
    fs::path dir = fresh_dir("page-list-hyphens");
    write(dir / "book.toml", "title = \"Palabras largas\"\nauthor = \"Taller\"\nlanguage = \"es\"\n"
                             "[pdf]\nfont_size = 13\n");
    const char* long_words[] = {"desproporcionadamente",  "extraordinaria",
                                "circunstancialmente",    "internacionalización",
                                "contrarrevolucionarias", "anticonstitucionalmente",
                                "otorrinolaringológicas", "electroencefalografistas",
                                "paralelepípedos",        "incomprensiblemente"};
    std::string md = "# Palabras largas\n\n";
    for (int p = 0; p < 3; ++p) {
        for (int w = 0; w < 160; ++w)
            md += std::string(w ? " " : "") + long_words[(w * 7 + p * 3 + w / 10) % 10];
        md += ".\n\n";
    }
    write(dir / "content" / "01-largas.md", md);
    fs::path out = dir / "out";
    RunResult r = imprenta("build --quiet -o " + quote(out.string()) + " " + quote(dir.string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    Built b;
    b.epub = out / "palabras-largas.epub";
    b.pdf = out / "palabras-largas.pdf";
    b.zip = read_zip(b.epub);
    MarkerCheck c = check_markers(b, normalize_words("Palabras largas"));
    EXPECT_GT(c.checked, 3u);
    EXPECT_GT(c.tails, 0u) << "no page starts with the end of a hyphenated word any more: make "
                              "the fixture's words longer";
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
