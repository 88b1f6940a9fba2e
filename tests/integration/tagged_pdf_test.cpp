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
