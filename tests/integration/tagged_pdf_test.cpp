// The accessible PDF: the XMP packet and the catalog entries PDF/UA and PDF/A ask for, the
// opt-in PDF/A-2u output intent, and (below) the structure tree against the page contents.
#include "support/support.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

using namespace testing_support;

namespace {

const char* kToml = "title = \"The Reading Room\"\n"
                    "author = [\"Ada Lindqvist\", \"Tomás Ferreira\"]\n"
                    "language = \"en-GB\"\n"
                    "description = \"Essays on how readers meet a page.\"\n";

// One chapter with every kind of block a screen reader must be told about.
const char* kChapter = R"(# Signs on the Page

A reader who cannot see the page still needs its order: the heading first, then this
paragraph, and the note[^1] where it is called.

## Lists and tables

- Headings tell where a part begins.
- Lists say how many items follow.

| Tag | Meaning |
|-----|---------|
| H2  | section |
| P   | paragraph |

> A quotation stands apart from the voice of the essay.

```
print("code keeps its lines")
```

![A compositor's stick holding a line of type](stick.png)

More on this in [the guild's archive](https://example.org/archive).

[^1]: Notes sit at the foot of the page and link back to their call.
)";

fs::path make_book(const std::string& name, const std::string& extra_toml) {
    fs::path dir = fresh_dir(name);
    write(dir / "book.toml", std::string(kToml) + extra_toml);
    write(dir / "content" / "01-signs.md", kChapter);
    write(dir / "content" / "stick.png", make_png(240, 120, 0x884422));
    write(dir / "content" / "02-francais.md",
          "---\nlang: fr\n---\n# Une page en français\n\nLe lecteur entend cette phrase "
          "dans sa langue.\n");
    return dir;
}

fs::path build(const fs::path& dir) {
    auto r = run("SOURCE_DATE_EPOCH=1700000000 " + std::string(IMPRENTA_BIN) + " build -q -f pdf " +
                 quote(dir.string()));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return dir / "dist" / "the-reading-room.pdf";
}

// The file with every stream decoded and one object per "N 0 obj" block (qpdf's QDF form).
std::map<int, std::string> objects(const fs::path& pdf) {
    auto r = run("qpdf --qdf --object-streams=disable " + quote(pdf.string()) + " -");
    std::map<int, std::string> out;
    std::regex head("(?:^|\n)(\\d+) 0 obj\n");
    auto begin = std::sregex_iterator(r.out.begin(), r.out.end(), head);
    std::vector<std::pair<int, size_t>> starts;
    for (auto it = begin; it != std::sregex_iterator(); ++it)
        starts.emplace_back(std::stoi((*it)[1]), size_t(it->position() + it->length()));
    for (size_t i = 0; i < starts.size(); ++i) {
        size_t end = i + 1 < starts.size() ? starts[i + 1].second : r.out.size();
        out[starts[i].first] = r.out.substr(starts[i].second, end - starts[i].second);
    }
    return out;
}

std::string trailer(const fs::path& pdf) {
    return run("qpdf --show-object=trailer " + quote(pdf.string())).out;
}

} // namespace

TEST(TaggedPdf, XmpAndCatalogDescribeTheBook) {
    if (!have_tool("qpdf") || !have_tool("pdfinfo")) GTEST_SKIP() << "qpdf/pdfinfo missing";
    fs::path pdf = build(make_book("tagged-xmp", ""));
    auto info = run("pdfinfo " + quote(pdf.string())).out;
    EXPECT_NE(info.find("Metadata Stream: yes"), std::string::npos) << info;
    EXPECT_NE(info.find("PDF version:     1.7"), std::string::npos) << info;
    auto xmp = run("pdfinfo -meta " + quote(pdf.string())).out;
    EXPECT_NE(xmp.find("<rdf:li xml:lang=\"x-default\">The Reading Room</rdf:li>"),
              std::string::npos)
        << xmp;
    // One creator entry equal to the Info dictionary's Author (PDF/A compares them).
    EXPECT_NE(xmp.find("<rdf:li>Ada Lindqvist, Tomás Ferreira</rdf:li>"), std::string::npos);
    EXPECT_NE(info.find("Author:          Ada Lindqvist, Tomás Ferreira"), std::string::npos);
    EXPECT_NE(xmp.find("<rdf:li>en-GB</rdf:li>"), std::string::npos);
    EXPECT_NE(xmp.find("<xmp:CreateDate>2023-11-14T22:13:20Z</xmp:CreateDate>"), std::string::npos);
    EXPECT_NE(xmp.find("<pdfuaid:part>1</pdfuaid:part>"), std::string::npos);
    EXPECT_EQ(xmp.find("pdfaid"), std::string::npos); // PDF/A only when asked for
    std::regex producer("Producer: +(.+)\n");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(info, m, producer));
    EXPECT_NE(xmp.find("<pdf:Producer>" + m[1].str() + "</pdf:Producer>"), std::string::npos);

    auto root = run("qpdf --show-object=1 " + quote(pdf.string())).out;
    EXPECT_NE(root.find("/Lang (en-GB)"), std::string::npos) << root;
    EXPECT_NE(root.find("/DisplayDocTitle true"), std::string::npos) << root;
    EXPECT_EQ(root.find("/OutputIntents"), std::string::npos);
    EXPECT_NE(trailer(pdf).find("/ID [ <"), std::string::npos);
    EXPECT_EQ(qpdf_check(pdf).exit_code, 0);
}

TEST(TaggedPdf, PdfA2uAddsTheSrgbOutputIntent) {
    if (!have_tool("qpdf") || !have_tool("pdfinfo")) GTEST_SKIP() << "qpdf/pdfinfo missing";
    if (!fs::exists("/usr/share/color/icc/sRGB.icc")) GTEST_SKIP() << "icc-profiles-free missing";
    fs::path pdf = build(make_book("tagged-pdfa", "\n[pdf]\nstandard = \"pdf/a-2u\"\n"));
    auto xmp = run("pdfinfo -meta " + quote(pdf.string())).out;
    EXPECT_NE(xmp.find("<pdfaid:part>2</pdfaid:part>"), std::string::npos) << xmp;
    EXPECT_NE(xmp.find("<pdfaid:conformance>U</pdfaid:conformance>"), std::string::npos);
    bool intent = false, profile = false;
    for (const auto& [id, text] : objects(pdf)) {
        if (text.find("/Type /OutputIntent") != std::string::npos) {
            intent =
                text.find("/S /GTS_PDFA1") != std::string::npos &&
                text.find("/OutputConditionIdentifier (sRGB IEC61966-2.1)") != std::string::npos;
        }
        // The ICC profile: three components, the 'acsp' signature at byte 36 of its header.
        if (text.find("/N 3") != std::string::npos && text.find("acsp") != std::string::npos)
            profile = true;
    }
    EXPECT_TRUE(intent);
    EXPECT_TRUE(profile);
    EXPECT_EQ(qpdf_check(pdf).exit_code, 0);
}

TEST(TaggedPdf, UnknownStandardIsAnErrorAtItsLine) {
    fs::path dir = make_book("tagged-badstd", "\n[pdf]\nstandard = \"pdf/x-4\"\n");
    auto r = imprenta("build -q -f pdf " + quote(dir.string()));
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("book.toml:7:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("pdf/a-2u"), std::string::npos) << r.err;
}

namespace {

// The text `pdfinfo -struct-text` prints, and where `needle` first occurs after `from`.
size_t after(const std::string& text, const std::string& needle, size_t from) {
    size_t at = text.find(needle, from == std::string::npos ? text.size() : from);
    return at;
}

// The ParentTree's /Nums: key -> entries of its array (-1: a single element, an annotation's).
std::map<int, int> parent_tree(const std::string& root) {
    size_t at = root.find("/Nums");
    std::map<int, int> out;
    if (at == std::string::npos) return out;
    std::string s;
    int depth = 0;
    for (size_t i = root.find('[', at); i < root.size(); ++i) {
        char c = root[i];
        if (c == '[' || c == ']') {
            depth += c == '[' ? 1 : -1;
            s += std::string(" ") + c + " ";
            if (depth == 0) break;
        } else {
            s += c;
        }
    }
    std::istringstream in(s);
    std::vector<std::string> tok;
    for (std::string t; in >> t;)
        tok.push_back(t);
    for (size_t k = 1; k + 1 < tok.size() && tok[k] != "]";) {
        int key = std::stoi(tok[k++]);
        if (tok[k] == "[") {
            int n = 0;
            for (++k; tok[k] != "]"; k += 3)
                ++n;
            ++k;
            out[key] = n;
        } else {
            k += 3;
            out[key] = -1;
        }
    }
    return out;
}

int ref(const std::string& text, const std::string& key) {
    std::smatch m;
    std::regex re(key + " (\\d+) 0 R");
    return std::regex_search(text, m, re) ? std::stoi(m[1]) : -1;
}

} // namespace

TEST(TaggedPdf, StructureListsTheChapterInReadingOrder) {
    if (!have_tool("pdfinfo")) GTEST_SKIP() << "pdfinfo missing";
    fs::path pdf = build(make_book("tagged-struct", ""));
    auto info = run("pdfinfo " + quote(pdf.string())).out;
    EXPECT_NE(info.find("Tagged:          yes"), std::string::npos) << info;
    std::string s = run("pdfinfo -struct-text " + quote(pdf.string())).out;
    // Each in reading order: the chapter's heading, paragraph, list, table, quotation, code,
    // figure, link, then its note.
    const char* order[] = {"Document",
                           "Sect",
                           "\"The Reading Room\"",
                           "\"Ada Lindqvist\"",
                           "TOC",
                           "TOCI",
                           "\"Signs on the Page\"",
                           "Link",
                           "Sect",
                           "H1",
                           "\"Signs on the Page\"",
                           "P (block)",
                           "\"A reader who cannot see the page still needs its order: the "
                           "heading first, then this paragraph, and the note",
                           "H2",
                           "\"Lists and tables\"",
                           "L (block)",
                           "LI",
                           "Lbl",
                           "LBody",
                           "\"Headings tell where a part begins.\"",
                           "\"Lists say how many items follow.\"",
                           "Table",
                           "TR",
                           "TH",
                           "\"Tag\"",
                           "TD",
                           "\"section\"",
                           "BlockQuote",
                           "\"A quotation stands apart from the voice of the essay.\"",
                           "Code",
                           "print(\"code keeps its lines\")",
                           "Figure",
                           "\"More on this in the guild\u2019s archive.\"",
                           "Link",
                           "Note",
                           "\"Notes sit at the foot of the page and link back to their call.\"",
                           "Sect",
                           "\"Une page en français\""};
    size_t at = 0;
    for (const char* o : order) {
        at = after(s, o, at);
        EXPECT_NE(at, std::string::npos) << "missing or out of order: " << o << "\n" << s;
    }
    // Running heads (the book's title on versos) and folios are artifacts, not text: the
    // title is read once, on the title page, and the chapters hold no page number.
    size_t title = s.find("\"The Reading Room\"");
    EXPECT_NE(title, std::string::npos) << s;
    EXPECT_EQ(s.find("The Reading Room", title + 2), std::string::npos) << s;
    std::string chapters = s.substr(s.find("\n  Sect", s.find("TOCI")));
    EXPECT_EQ(chapters.find("\"2\""), std::string::npos) << chapters;
    EXPECT_EQ(chapters.find("\"3\""), std::string::npos) << chapters;
    // pdftotext still reads the page as before: words, not glyph runs.
    EXPECT_NE(pdftotext(pdf).find("A reader who cannot see the page still needs its order"),
              std::string::npos);
}

TEST(TaggedPdf, MarkedContentMatchesTheStructure) {
    if (!have_tool("qpdf")) GTEST_SKIP() << "qpdf missing";
    fs::path pdf = build(make_book("tagged-mcid", ""));
    auto objs = objects(pdf);
    // Marked content of each page, by page object: MCIDs 0, 1, ... in order, sequences closed.
    std::set<std::pair<int, int>> drawn, referenced;
    std::map<int, int> struct_parents; // page object -> key
    std::set<int> links;
    std::string root;
    for (const auto& [id, text] : objs) {
        if (text.find("/Type /StructTreeRoot") != std::string::npos) root = text;
        if (text.find("/Subtype /Link") != std::string::npos) {
            links.insert(id);
            EXPECT_NE(text.find("/StructParent "), std::string::npos);
            EXPECT_NE(text.find("/Contents "), std::string::npos);
        }
        if (text.find("/Type /Page\n") == std::string::npos) continue;
        std::smatch m;
        ASSERT_TRUE(std::regex_search(text, m, std::regex("/StructParents (\\d+)")));
        struct_parents[id] = std::stoi(m[1]);
        EXPECT_NE(text.find("/Tabs /S"), std::string::npos);
        const std::string& content = objs[ref(text, "/Contents")];
        int next = 0;
        std::regex mcid("/MCID (\\d+)>> BDC");
        for (auto it = std::sregex_iterator(content.begin(), content.end(), mcid);
             it != std::sregex_iterator(); ++it) {
            EXPECT_EQ(std::stoi((*it)[1]), next) << "page object " << id;
            drawn.insert({id, next++});
        }
        size_t open = 0, close = 0;
        for (size_t p = 0; (p = content.find(" BDC\n", p)) != std::string::npos; ++p)
            ++open;
        for (size_t p = 0; (p = content.find(" BMC\n", p)) != std::string::npos; ++p)
            ++open;
        for (size_t p = 0; (p = content.find("EMC\n", p)) != std::string::npos; ++p)
            ++close;
        EXPECT_EQ(open, close) << "page object " << id;
    }
    ASSERT_FALSE(root.empty());
    // Every MCID drawn is claimed by exactly one element's MCR, and no MCR points nowhere.
    std::regex mcr("/MCID (\\d+)\\s+/Pg (\\d+) 0 R\\s+/Type /MCR");
    std::set<int> objr_targets;
    std::regex objr("/Obj (\\d+) 0 R\\s+/Pg \\d+ 0 R\\s+/Type /OBJR");
    for (const auto& [id, text] : objs) {
        for (auto it = std::sregex_iterator(text.begin(), text.end(), mcr);
             it != std::sregex_iterator(); ++it)
            EXPECT_TRUE(referenced.insert({std::stoi((*it)[2]), std::stoi((*it)[1])}).second);
        for (auto it = std::sregex_iterator(text.begin(), text.end(), objr);
             it != std::sregex_iterator(); ++it)
            objr_targets.insert(std::stoi((*it)[1]));
    }
    EXPECT_FALSE(drawn.empty());
    EXPECT_EQ(drawn, referenced);
    // The parent tree has one entry per MCID of each page, and one per link annotation.
    auto tree = parent_tree(root);
    for (const auto& [page, key] : struct_parents) {
        int n = 0;
        for (const auto& d : drawn)
            n += d.first == page;
        ASSERT_TRUE(tree.count(key)) << key;
        EXPECT_EQ(tree[key], n) << "page object " << page;
    }
    EXPECT_FALSE(links.empty());
    for (int l : links)
        EXPECT_TRUE(objr_targets.count(l)) << "link annotation " << l << " has no OBJR";
    EXPECT_EQ(int(tree.size()), int(struct_parents.size() + links.size()));
    // Languages: the catalog's, and the French chapter's on its Sect.
    bool french = false;
    for (const auto& [id, text] : objs)
        french = french || (text.find("/S /Sect") != std::string::npos &&
                            text.find("/Lang (fr)") != std::string::npos);
    EXPECT_TRUE(french);
}

TEST(TaggedPdf, FigureCarriesItsAltText) {
    if (!have_tool("qpdf")) GTEST_SKIP() << "qpdf missing";
    fs::path pdf = build(make_book("tagged-alt", ""));
    bool found = false;
    std::regex alt("/Alt <feff([0-9a-f]+)>");
    for (const auto& [id, text] : objects(pdf)) {
        if (text.find("/S /Figure") == std::string::npos) continue;
        std::smatch m;
        ASSERT_TRUE(std::regex_search(text, m, alt)) << text;
        std::string hex = m[1], decoded; // UTF-16BE, ASCII here but for the apostrophe
        for (size_t i = 0; i + 4 <= hex.size(); i += 4) {
            unsigned v = std::stoul(hex.substr(i, 4), nullptr, 16);
            decoded += v < 0x80 ? char(v) : '?';
        }
        EXPECT_EQ(decoded, "A compositor?s stick holding a line of type");
        found = true;
    }
    EXPECT_TRUE(found);
}

// PDF/UA: a header cell says which cells it heads. Markdown's header row heads its columns.
TEST(TaggedPdf, TableHeadersHeadTheirColumns) {
    if (!have_tool("qpdf")) GTEST_SKIP() << "qpdf missing";
    fs::path pdf = build(make_book("tagged-scope", ""));
    int th = 0, td = 0;
    std::regex scope("/A <<\\s*/O /Table\\s*/Scope /Column\\s*>>");
    for (const auto& [id, text] : objects(pdf)) {
        if (text.find("/S /TH\n") != std::string::npos) {
            ++th;
            EXPECT_TRUE(std::regex_search(text, scope)) << text;
        }
        if (text.find("/S /TD\n") != std::string::npos) {
            ++td;
            EXPECT_EQ(text.find("/Scope"), std::string::npos) << text;
        }
    }
    EXPECT_EQ(th, 2);
    EXPECT_EQ(td, 4);
}

TEST(TaggedPdf, SameBytesOnRebuild) {
    fs::path dir = make_book("tagged-again", "");
    std::string first = slurp(build(dir));
    std::string second = slurp(build(dir));
    EXPECT_EQ(first, second);
}

// The repository's sample book: Spanish with an English chapter, a list, a table, a figure.
TEST(TaggedPdf, SampleBookIsTaggedWithoutRunningHeadsOrFolios) {
    if (!have_tool("pdfinfo") || !have_tool("qpdf")) GTEST_SKIP() << "poppler/qpdf missing";
    fs::path out = fresh_dir("sample");
    auto r = run("SOURCE_DATE_EPOCH=1700000000 " + std::string(IMPRENTA_BIN) +
                 " build -q -f pdf -o " + quote(out.string()) + " " + quote(source_dir()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    fs::path pdf = out / "tipos-moviles.pdf";
    auto info = run("pdfinfo " + quote(pdf.string())).out;
    EXPECT_NE(info.find("Tagged:          yes"), std::string::npos) << info;
    EXPECT_NE(run("qpdf --show-object=1 " + quote(pdf.string())).out.find("/Lang (es)"),
              std::string::npos);
    std::string s = run("pdfinfo -struct-text " + quote(pdf.string())).out;
    const char* order[] = {"TOC",
                           "\"Tipos móviles\"",
                           "\"Una letra, muchas veces\"",
                           "Lbl",
                           "\"1.\"",
                           "LBody",
                           "Figure",
                           "BlockQuote",
                           "\"La imprenta en España\"",
                           "TH",
                           "\"Ciudad\"",
                           "TD",
                           "\"Segovia\"",
                           "Note"};
    size_t at = 0;
    for (const char* o : order) {
        at = after(s, o, at);
        EXPECT_NE(at, std::string::npos) << "missing or out of order: " << o << "\n" << s;
    }
    // The book's title is the first chapter's too: in the chapters, once, as its heading,
    // never as a running head; and no folio ("12") stands as text there.
    std::string chapters = s.substr(s.find("\n  Sect", s.find("TOCI")));
    size_t first = chapters.find("\"Tipos móviles\"");
    EXPECT_NE(first, std::string::npos) << chapters;
    EXPECT_EQ(chapters.find("\"Tipos móviles\"", first + 1), std::string::npos) << chapters;
    EXPECT_EQ(chapters.find("\"12\""), std::string::npos) << chapters;
    // The English chapter says so on its Sect.
    bool english = false;
    for (const auto& [id, text] : objects(pdf))
        english = english || (text.find("/S /Sect") != std::string::npos &&
                              text.find("/Lang (en)") != std::string::npos);
    EXPECT_TRUE(english);
    EXPECT_EQ(qpdf_check(pdf).exit_code, 0);
}
