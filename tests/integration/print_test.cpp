// [print] in book.toml: the interior's TrimBox/BleedBox, the cover's size from the page count,
// and errors at book.toml's line.
#include "support/support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <sstream>

using namespace testing_support;

namespace {

const char* kWords[] = {"the",   "press",  "set",   "a",     "page",   "of",    "type",
                        "ink",   "paper",  "folio", "quire", "margin", "leaf",  "binding",
                        "stone", "galley", "proof", "sheet", "spine",  "cover", "reader"};

// A book of `essays` essays of plain prose, written for the test.
fs::path make_book(const std::string& name, int essays, const std::string& print) {
    fs::path dir = fresh_dir(name);
    write(dir / "book.toml", "title = \"Notes from the Composing Room\"\n"
                             "author = \"A. Compositor\"\n"
                             "language = \"en\"\n"
                             "description = \"Short essays on how a printed book is made.\"\n\n" +
                                 print);
    unsigned seed = 7;
    for (int e = 0; e < essays; ++e) {
        std::string md = "# Essay " + std::to_string(e + 1) + "\n\n";
        for (int p = 0; p < 14; ++p) {
            for (int w = 0; w < 90; ++w) {
                seed = seed * 1103515245u + 12345u;
                md += kWords[(seed >> 16) % (sizeof kWords / sizeof *kWords)];
                md += w % 13 == 12 ? ". " : " ";
            }
            md += "end.\n\n";
        }
        char file[32];
        std::snprintf(file, sizeof file, "%02d-essay.md", e + 1);
        write(dir / "content" / file, md);
    }
    return dir;
}

struct Box {
    double x0, y0, x1, y1;
};

// Every page's box named `which` ("TrimBox") from pdfinfo -box.
std::vector<Box> boxes(const fs::path& pdf, const std::string& which, int pages) {
    auto r = run("pdfinfo -box -f 1 -l " + std::to_string(pages) + " " + quote(pdf.string()));
    std::vector<Box> out;
    std::regex re("Page +\\d+ " + which + ": +(\\S+) +(\\S+) +(\\S+) +(\\S+)");
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (std::regex_search(line, m, re))
            out.push_back({std::stod(m[1]), std::stod(m[2]), std::stod(m[3]), std::stod(m[4])});
    }
    return out;
}

int page_count(const fs::path& pdf) {
    auto r = run("pdfinfo " + quote(pdf.string()));
    std::smatch m;
    std::regex_search(r.out, m, std::regex("Pages: +(\\d+)"));
    return m.empty() ? 0 : std::stoi(m[1]);
}

double page_width(const fs::path& pdf) {
    auto r = run("pdfinfo " + quote(pdf.string()));
    std::smatch m;
    std::regex_search(r.out, m, std::regex("Page size: +([0-9.]+) x ([0-9.]+)"));
    return m.empty() ? 0 : std::stod(m[1]);
}

void expect_clean(const fs::path& pdf) {
    EXPECT_EQ(qpdf_check(pdf).exit_code, 0) << pdf;
    auto fonts = pdffonts(pdf);
    EXPECT_FALSE(fonts.empty()) << pdf;
    for (const auto& [name, embedded] : fonts)
        EXPECT_TRUE(embedded) << name << " in " << pdf;
}

} // namespace

TEST(Print, KdpInteriorHasTrimAndBleedBoxesOnEveryPage) {
    if (!have_tool("pdfinfo")) GTEST_SKIP() << "pdfinfo not installed";
    auto dir = make_book("print-interior", 3,
                         "[print]\nservice = \"kdp\"\ntrim = \"6x9\"\nbleed = true\n");
    auto r = imprenta("build -q -f pdf " + quote(dir.string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    fs::path pdf = dir / "dist" / "notes-from-the-composing-room.pdf";
    int pages = page_count(pdf);
    ASSERT_GT(pages, 4);
    EXPECT_EQ(pages % 2, 0) << "KDP's interior has an even page count";
    auto trims = boxes(pdf, "TrimBox", pages);
    auto bleeds = boxes(pdf, "BleedBox", pages);
    ASSERT_EQ(int(trims.size()), pages);
    ASSERT_EQ(int(bleeds.size()), pages);
    for (int i = 0; i < pages; ++i) {
        EXPECT_NEAR(trims[i].x1 - trims[i].x0, 432, 0.01) << "page " << i + 1;
        EXPECT_NEAR(trims[i].y1 - trims[i].y0, 648, 0.01) << "page " << i + 1;
        // 9 pt beyond the trim at the top, the bottom and the outer edge, none at the spine.
        bool recto = i % 2 == 0;
        EXPECT_NEAR(bleeds[i].y1 - trims[i].y1, 9, 0.01);
        EXPECT_NEAR(trims[i].y0 - bleeds[i].y0, 9, 0.01);
        EXPECT_NEAR(recto ? bleeds[i].x1 - trims[i].x1 : trims[i].x0 - bleeds[i].x0, 9, 0.01);
        EXPECT_NEAR(recto ? trims[i].x0 - bleeds[i].x0 : bleeds[i].x1 - trims[i].x1, 0, 0.01);
    }
    expect_clean(pdf);
    auto qdf = run("qpdf --qdf --object-streams=disable " + quote(pdf.string()) + " -");
    EXPECT_NE(qdf.out.find("/Trapped /False"), std::string::npos);
}

TEST(Print, WithoutBleedTheBleedBoxIsTheTrim) {
    if (!have_tool("pdfinfo")) GTEST_SKIP() << "pdfinfo not installed";
    auto dir = make_book("print-nobleed", 1, "[print]\nservice = \"kdp\"\ntrim = \"5x8\"\n");
    auto r = imprenta("build -q -f pdf " + quote(dir.string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    fs::path pdf = dir / "dist" / "notes-from-the-composing-room.pdf";
    int pages = page_count(pdf);
    auto trims = boxes(pdf, "TrimBox", pages), bleeds = boxes(pdf, "BleedBox", pages);
    ASSERT_EQ(int(trims.size()), pages);
    for (int i = 0; i < pages; ++i) {
        EXPECT_NEAR(trims[i].x1 - trims[i].x0, 360, 0.01);
        EXPECT_NEAR(trims[i].y1 - trims[i].y0, 576, 0.01);
        EXPECT_NEAR(bleeds[i].x1 - bleeds[i].x0, 360, 0.01);
    }
}

// The cover's width is two panels with their bleed plus a spine of pages x 0.002252 in.
TEST(Print, CoverWidthFollowsThePageCount) {
    if (!have_tool("pdfinfo")) GTEST_SKIP() << "pdfinfo not installed";
    std::vector<int> counts;
    for (int essays : {2, 22}) {
        auto dir = make_book("print-cover-" + std::to_string(essays), essays,
                             "[print]\nservice = \"kdp\"\ntrim = \"6x9\"\n");
        auto r = imprenta("build -q -f pdf,cover " + quote(dir.string()));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        fs::path interior = dir / "dist" / "notes-from-the-composing-room.pdf";
        fs::path cover = dir / "dist" / "notes-from-the-composing-room-cover.pdf";
        int pages = page_count(interior);
        counts.push_back(pages);
        double spine = pages * 0.002252 * 72;
        EXPECT_NEAR(page_width(cover), 2 * (432 + 9) + spine, 0.01) << pages << " pages";
        auto trims = boxes(cover, "TrimBox", 1);
        ASSERT_EQ(trims.size(), 1u);
        EXPECT_NEAR(trims[0].x1 - trims[0].x0, 2 * 432 + spine, 0.01);
        expect_clean(cover);
        std::string text = normalize_words(pdftotext(cover));
        EXPECT_NE(text.find("short essays on how a printed book is made"), std::string::npos);
        // The title is typeset on the front (no cover image), and on a spine of 80+ pages too.
        size_t first = text.find("notes from the composing room");
        ASSERT_NE(first, std::string::npos) << text;
        bool twice = text.find("notes from the composing room", first + 1) != std::string::npos;
        EXPECT_EQ(twice, pages >= 80) << pages << " pages";
        // Cover only: the same cover, no interior written.
        fs::path only = dir / "only";
        r = imprenta("build -q -f cover -o " + quote(only.string()) + " " + quote(dir.string()));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_NEAR(page_width(only / cover.filename()), 2 * (432 + 9) + spine, 0.01);
        EXPECT_FALSE(fs::exists(only / interior.filename()));
    }
    ASSERT_EQ(counts.size(), 2u);
    EXPECT_LT(counts[0], 80);
    EXPECT_GE(counts[1], 80);
}

// A book bound on the right (a right-to-left book) has its front on the left of the cover's
// sheet and its back on the right, the barcode by the spine; the interior agrees.
TEST(Print, RightBoundCoverHasItsFrontOnTheLeft) {
    if (!have_tool("pdftotext")) GTEST_SKIP() << "pdftotext not installed";
    auto x_of = [](const fs::path& pdf, const std::string& word) {
        std::string html = pdftotext(pdf, "-bbox");
        size_t at = html.find(">" + word + "</word>");
        if (at == std::string::npos) return -1.0;
        size_t x = html.rfind("xMin=\"", at);
        return std::stod(html.substr(x + 6));
    };
    for (const std::string side : {"left", "right"}) {
        auto dir = make_book("print-cover-" + side, 2,
                             "identifier = \"0-306-40615-2\"\n\n[pdf]\nbinding = \"" + side +
                                 "\"\n\n[print]\nservice = \"kdp\"\ntrim = \"6x9\"\n");
        auto r = imprenta("build -q -f cover " + quote(dir.string()));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        fs::path cover = dir / "dist" / "notes-from-the-composing-room-cover.pdf";
        expect_clean(cover);
        double mid = page_width(cover) / 2;
        double title = x_of(cover, "Composing"), blurb = x_of(cover, "essays"),
               isbn = x_of(cover, "ISBN");
        ASSERT_GT(title, 0) << side;
        ASSERT_GT(blurb, 0) << side;
        ASSERT_GT(isbn, 0) << side;
        bool right_bound = side == "right";
        EXPECT_EQ(title < mid, right_bound) << side << ": front title at " << title;
        EXPECT_EQ(blurb > mid, right_bound) << side << ": back text at " << blurb;
        EXPECT_EQ(isbn > mid, right_bound) << side << ": barcode at " << isbn;
        // By the spine: within the back panel's half next to the middle.
        EXPECT_LT(std::abs(isbn - mid), 432 * 0.75) << side;
    }
}

TEST(Print, BadValuesAreErrorsAtTheirLine) {
    struct Case {
        std::string print, words;
    };
    for (const Case& c : {Case{"trim = \"7x7\"", "trim must be one of"},
                          Case{"service = \"kinko\"", "service must be one of"},
                          Case{"paper = \"pink\"", "paper must be one of"},
                          Case{"bleed = \"yes\"", "bleed must be true or false"},
                          Case{"trimm = \"6x9\"", "no setting 'trimm'"}}) {
        auto dir = make_book("print-bad", 1, "[print]\n" + c.print + "\n");
        auto r = imprenta("build -q -f pdf " + quote(dir.string()));
        EXPECT_EQ(r.exit_code, 1) << c.print;
        EXPECT_NE(r.err.find("book.toml:7:"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find(c.words), std::string::npos) << r.err;
        EXPECT_FALSE(fs::exists(dir / "dist" / "notes-from-the-composing-room.pdf"));
    }
}

// The margin is raised to KDP's least gutter (0.375 in); past 150 pages KDP asks for 0.5 in.
TEST(Print, InnerMarginUnderKdpGutterIsAnError) {
    auto dir = make_book("print-gutter", 42,
                         "[print]\nservice = \"kdp\"\n\n[pdf]\nmargin_inner = 6\nfont_size = 12\n");
    auto r = imprenta("build -q -f pdf " + quote(dir.string()));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("gutter"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("0.5 in"), std::string::npos) << r.err;
}

TEST(Print, LowResolutionCoverImageIsAWarning) {
    auto dir = make_book("print-lowres", 1,
                         "cover = \"cover.png\"\n\n[print]\nservice = \"kdp\"\ntrim = \"6x9\"\n");
    write(dir / "cover.png", make_png(400, 600, 0x334455));
    auto r = imprenta("build -f cover " + quote(dir.string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("cover.png: warning: cover image is"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("ppi"), std::string::npos) << r.err;
    fs::path cover = dir / "dist" / "notes-from-the-composing-room-cover.pdf";
    EXPECT_EQ(qpdf_check(cover).exit_code, 0);
    EXPECT_EQ(pdfimages(cover).size(), 1u); // the image on the front
}

TEST(Print, PrintMustBeATable) {
    auto dir = make_book("print-notable", 1, "");
    write(dir / "book.toml", "title = \"T\"\nprint = \"kdp\"\n");
    auto r = imprenta("build -q -f pdf " + quote(dir.string()));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("book.toml:2:"), std::string::npos) << r.err;
}

TEST(Print, CoverWithoutPrintTableIsAnError) {
    auto dir = make_book("print-nocover", 1, "");
    auto r = imprenta("build -q -f cover " + quote(dir.string()));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("[print]"), std::string::npos) << r.err;
}

namespace {

// The file uncompressed (qpdf --qdf): its dictionaries and content streams as text.
std::string qdf(const fs::path& pdf) {
    return run("qpdf --qdf --object-streams=disable " + quote(pdf.string()) + " -").out;
}

// `pdfimages -list` colour column of every image ("rgb", "cmyk", "gray", "icc").
std::vector<std::string> image_colors(const fs::path& pdf) {
    auto r = run("pdfimages -list " + quote(pdf.string()));
    std::vector<std::string> out;
    std::istringstream in(r.out);
    std::string line;
    std::getline(in, line);
    std::getline(in, line); // header and rule
    while (std::getline(in, line)) {
        std::istringstream f(line);
        std::string page, num, type, w, h, color;
        f >> page >> num >> type >> w >> h >> color;
        out.push_back(type + ":" + color);
    }
    return out;
}

} // namespace

// Done-when: the interior's XMP names PDF/X-4, an output intent carries a CMYK profile, the
// information dictionary agrees; every colour on the pages is CMYK; images say they are sRGB.
TEST(Print, KdpInteriorIsPdfX4WithAnOutputIntent) {
    if (!have_tool("pdfinfo") || !have_tool("qpdf")) GTEST_SKIP() << "poppler/qpdf missing";
    auto dir = make_book("print-pdfx4", 2, "[print]\nservice = \"kdp\"\ntrim = \"6x9\"\n");
    write(dir / "content" / "03-plate.md",
          "# A plate\n\nA proof of colour.\n\n![A red plate](plate.png)\n\nAfter the plate.\n");
    write(dir / "content" / "plate.png", make_png(300, 200, 0xC02020));
    auto r = imprenta("build -q -f pdf,cover " + quote(dir.string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* name :
         {"notes-from-the-composing-room.pdf", "notes-from-the-composing-room-cover.pdf"}) {
        fs::path pdf = dir / "dist" / name;
        expect_clean(pdf);
        auto meta = run("pdfinfo -meta " + quote(pdf.string())).out;
        EXPECT_NE(meta.find("<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"),
                  std::string::npos)
            << meta;
        EXPECT_NE(meta.find("<pdf:Trapped>False</pdf:Trapped>"), std::string::npos);
        EXPECT_NE(meta.find("Notes from the Composing Room"), std::string::npos);
        auto info = run("pdfinfo " + quote(pdf.string())).out;
        EXPECT_TRUE(std::regex_search(info, std::regex("PDF version: +1\\.6"))) << info;
        std::string q = qdf(pdf);
        EXPECT_NE(q.find("/GTS_PDFXVersion (PDF/X-4)"), std::string::npos);
        EXPECT_NE(q.find("/Trapped /False"), std::string::npos);
        EXPECT_NE(q.find("/S /GTS_PDFX"), std::string::npos);
        EXPECT_NE(q.find("/DestOutputProfile"), std::string::npos);
        EXPECT_NE(q.find("/OutputConditionIdentifier"), std::string::npos);
        EXPECT_NE(q.find("/ID ["), std::string::npos) << "PDF/X asks for a file identifier";
        EXPECT_EQ(q.find("/Annot"), std::string::npos) << "no annotations on a PDF/X page";
        // No DeviceRGB colour operators: text and rules are CMYK.
        EXPECT_EQ(std::regex_search(q, std::regex("\\d rg\\n")), false);
        EXPECT_TRUE(std::regex_search(q, std::regex("0 0 0 1 k\\n")));
    }
    auto colors = image_colors(dir / "dist" / "notes-from-the-composing-room.pdf");
    ASSERT_EQ(colors.size(), 1u);
    EXPECT_EQ(colors[0], "image:icc") << "the RGB plate is tagged sRGB";
}

// PDF/X-1a: the RGB image with transparency becomes one CMYK image, no soft mask, PDF 1.4.
TEST(Print, PdfX1aConvertsImagesToCmykWithoutTransparency) {
    if (!have_tool("pdfinfo") || !have_tool("qpdf")) GTEST_SKIP() << "poppler/qpdf missing";
    auto dir = make_book("print-pdfx1a", 1,
                         "[print]\nservice = \"ingramspark\"\ntrim = \"6x9\"\npdfx = \"x1a\"\n");
    write(dir / "content" / "02-plate.md",
          "# A plate\n\nA proof.\n\n![A green plate](plate.png)\n\nAfter the plate.\n");
    write(dir / "content" / "plate.png", make_png(300, 200, 0x20A040, true));
    auto r = imprenta("build -q -f pdf " + quote(dir.string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    fs::path pdf = dir / "dist" / "notes-from-the-composing-room.pdf";
    expect_clean(pdf);
    auto colors = image_colors(pdf);
    ASSERT_EQ(colors.size(), 1u);
    EXPECT_EQ(colors[0], "image:cmyk");
    auto info = run("pdfinfo " + quote(pdf.string())).out;
    EXPECT_TRUE(std::regex_search(info, std::regex("PDF version: +1\\.4"))) << info;
    std::string q = qdf(pdf);
    EXPECT_NE(q.find("/GTS_PDFXConformance (PDF/X-1a:2003)"), std::string::npos);
    EXPECT_EQ(q.find("/SMask"), std::string::npos);
    EXPECT_EQ(q.find("DeviceRGB"), std::string::npos);
    EXPECT_EQ(q.find("ICCBased"), std::string::npos);
    auto meta = run("pdfinfo -meta " + quote(pdf.string())).out;
    EXPECT_NE(meta.find("<pdfx:GTS_PDFXConformance>PDF/X-1a:2003</pdfx:GTS_PDFXConformance>"),
              std::string::npos);
}

TEST(Print, PdfXRerunIsByteIdentical) {
    auto dir = make_book("print-pdfx-repro", 1,
                         "identifier = \"978-0-306-40615-7\"\n\n[print]\nservice = \"kdp\"\n");
    std::string a, b;
    for (std::string* out : {&a, &b}) {
        auto r = run("SOURCE_DATE_EPOCH=1700000000 " + quote(source_dir() + "/build/imprenta") +
                     " build -q -f pdf,cover " + quote(dir.string()));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        *out = slurp(dir / "dist" / "notes-from-the-composing-room.pdf") +
               slurp(dir / "dist" / "notes-from-the-composing-room-cover.pdf");
    }
    EXPECT_FALSE(a.empty());
    EXPECT_TRUE(a == b);
}

// Crop marks: the MediaBox grows 0.5 in beyond the trim on every side; the marks start beyond
// the bleed (12 pt from the trim) and run 18 pt along each trim edge.
TEST(Print, CropMarksLieOutsideTheBleed) {
    if (!have_tool("pdfinfo")) GTEST_SKIP() << "pdfinfo not installed";
    auto dir =
        make_book("print-marks", 1,
                  "[print]\nservice = \"kdp\"\ntrim = \"6x9\"\nbleed = true\nmarks = true\n");
    auto r = imprenta("build -q -f pdf,cover " + quote(dir.string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    fs::path pdf = dir / "dist" / "notes-from-the-composing-room.pdf";
    int pages = page_count(pdf);
    auto media = boxes(pdf, "MediaBox", pages), trims = boxes(pdf, "TrimBox", pages),
         bleeds = boxes(pdf, "BleedBox", pages);
    ASSERT_EQ(int(media.size()), pages);
    for (int i = 0; i < pages; ++i) {
        EXPECT_NEAR(trims[i].x0 - media[i].x0, 36, 0.01);
        EXPECT_NEAR(media[i].y1 - trims[i].y1, 36, 0.01);
        EXPECT_LT(media[i].x0, bleeds[i].x0);
        EXPECT_NEAR(trims[i].x1 - trims[i].x0, 432, 0.01);
    }
    std::string q = qdf(pdf);
    // Top-left corner: the horizontal mark from x = -12 to -30 on the trim's top edge.
    EXPECT_NE(q.find("-12 648 m\n-30 648 l"), std::string::npos);
    EXPECT_NE(q.find("444 0 m\n462 0 l"), std::string::npos); // bottom-right
    expect_clean(pdf);
    fs::path cover = dir / "dist" / "notes-from-the-composing-room-cover.pdf";
    auto cm = boxes(cover, "MediaBox", 1), ct = boxes(cover, "TrimBox", 1);
    ASSERT_EQ(cm.size(), 1u);
    EXPECT_NEAR(ct[0].x0 - cm[0].x0, 36, 0.01);
    expect_clean(cover);
}

// The back cover carries the ISBN as an EAN-13 with its EAN-5 price add-on, which a barcode
// reader (zbarimg) reads back from the rendered cover.
TEST(Print, IsbnBarcodeOnTheBackReadsBack) {
    if (!have_tool("pdftoppm") || !have_tool("zbarimg"))
        GTEST_SKIP() << "pdftoppm or zbarimg not installed";
    auto dir = make_book("print-barcode", 1,
                         "identifier = \"0-306-40615-2\"\n\n[print]\nservice = \"kdp\"\n"
                         "price = \"51995\"\n");
    auto r = imprenta("build -q -f cover " + quote(dir.string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    fs::path cover = dir / "dist" / "notes-from-the-composing-room-cover.pdf";
    expect_clean(cover);
    fs::path png = dir / "back";
    // The back panel's lower half at 600 ppi.
    r = run("pdftoppm -r 600 -png -singlefile -x 0 -y 2700 -W 3700 -H 2700 " +
            quote(cover.string()) + " " + quote(png.string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto z = run("zbarimg -q --raw -Sean5.enable -Sisbn13.disable " + quote(png.string() + ".png"));
    EXPECT_NE(z.out.find("9780306406157"), std::string::npos) << z.out << z.err;
    EXPECT_NE(pdftotext(cover).find("ISBN 978-0306406157"), std::string::npos);
}

// Content that pushes at the margins (a word longer than the line, a long unbroken code line,
// a table of 30 columns, a long URL) still lies inside KDP's safe area (0.25 in from the trim):
// the build passes the safe-area check, and every word pdftotext finds is inside it. (The
// check's error, naming the page, is unit-tested in pdf_print_test.cpp: nothing a book can say
// makes the layout cross it.)
TEST(Print, HostileContentStaysInsideTheSafeArea) {
    if (!have_tool("pdftotext")) GTEST_SKIP() << "pdftotext not installed";
    auto dir = make_book("print-safe", 1, "[print]\nservice = \"kdp\"\ntrim = \"5x8\"\n");
    std::string md = "# Edges\n\nA word too long: " + std::string(120, 'm') +
                     " ends here.\n\n```\n" + std::string(200, 'x') + "\n```\n\n|";
    for (int c = 0; c < 30; ++c)
        md += " col" + std::to_string(c) + " |";
    md += "\n|";
    for (int c = 0; c < 30; ++c)
        md += "---|";
    md += "\n|";
    for (int c = 0; c < 30; ++c)
        md += " averyveryverylongcellword" + std::to_string(c) + " |";
    md += "\n\nSee https://example.com/" + std::string(150, 'a') + " for more.\n";
    write(dir / "content" / "02-edges.md", md);
    auto r = imprenta("build -q -f pdf " + quote(dir.string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    fs::path pdf = dir / "dist" / "notes-from-the-composing-room.pdf";
    auto words = run("pdftotext -bbox " + quote(pdf.string()) + " -").out;
    std::regex re("<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\" "
                  "yMax=\"([0-9.]+)\">([^<]*)<");
    int n = 0;
    for (std::sregex_iterator it(words.begin(), words.end(), re), end; it != end; ++it, ++n) {
        const auto& m = *it;
        EXPECT_GE(std::stod(m[1]), 18) << m[5];
        EXPECT_GE(std::stod(m[2]), 18) << m[5];
        EXPECT_LE(std::stod(m[3]), 360 - 18) << m[5];
        EXPECT_LE(std::stod(m[4]), 576 - 18) << m[5];
    }
    EXPECT_GT(n, 500);
}

TEST(Print, BadPdfxPriceAndProfileAreErrors) {
    struct Case {
        std::string print, words;
    };
    for (const Case& c :
         {Case{"pdfx = \"x3\"", "pdfx must be one of"}, Case{"price = \"19.95\"", "price must be"},
          Case{"marks = 1", "marks must be true or false"},
          Case{"output_profile = \"../../etc/passwd\"", "outside the book"},
          Case{"output_profile = \"rgb.icc\"", "not a CMYK output"}}) {
        auto dir = make_book("print-bad-x", 1, "[print]\nservice = \"kdp\"\n" + c.print + "\n");
        write(dir / "rgb.icc", "an RGB profile would be refused too; this is not even one");
        auto r = imprenta("build -q -f pdf " + quote(dir.string()));
        EXPECT_EQ(r.exit_code, 1) << c.print;
        EXPECT_NE(r.err.find(c.words), std::string::npos) << c.print << ": " << r.err;
        EXPECT_FALSE(fs::exists(dir / "dist" / "notes-from-the-composing-room.pdf"));
    }
}
