// The cover drawn for a book that names none: set on the book's first banner (under a veil of
// the ground colour) or on the template's plain ground, and kept in the build cache by its SVG;
// with [pdf] cover_page, also the PDF's first page.
#include "image/codec.h"
#include "support/support.h"

#include <gtest/gtest.h>

namespace ts = testing_support;
namespace fs = std::filesystem;

namespace {

const char* kToml = "title = \"Cartas desde Salamanca\"\n"
                    "author = \"Ana Prieto\"\n"
                    "language = \"es\"\n";

// Builds `book` (EPUB only) into book/out and returns the decoded cover and its PNG bytes.
std::pair<imprenta::image::detail::Bitmap, std::string>
cover_of(const fs::path& book, const std::string& out, const std::string& cache_args) {
    auto r = ts::imprenta("build " + ts::quote(book.string()) + " -o " +
                          ts::quote((book / out).string()) + " --format epub -q " + cache_args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    fs::path epub;
    for (const auto& e : fs::directory_iterator(book / out))
        if (e.path().extension() == ".epub") epub = e.path();
    auto zip = ts::read_zip(epub);
    const ts::ZipEntry* png = ts::find_entry(zip, "EPUB/images/cover.png");
    EXPECT_TRUE(png) << "no drawn cover in " << epub;
    if (!png) return {};
    return {imprenta::image::detail::decode_png(png->data), png->data};
}

} // namespace

TEST(DrawnCover, OnTheFirstBannerAndCached) {
    fs::path book = ts::fresh_dir("cover-banner");
    ts::write(book / "book.toml", kToml);
    ts::write(book / "content/01-llegada.md", "# La llegada\n\nLlegamos con poca prisa.\n");
    ts::write(book / "content/02-puente.md",
              "---\ntitle: El puente\nimage: banner.png\n---\n# El puente\n\nLo cruzamos.\n");
    ts::write(book / "content/03-partida.md",
              "---\ntitle: La partida\nimage: other.png\n---\n# La partida\n\nAl alba.\n");
    ts::write(book / "content/banner.png", ts::make_png(1200, 400, 0x8899aa));
    ts::write(book / "content/other.png", ts::make_png(1200, 400, 0xff0000));
    fs::path cache = book / "cache";
    auto [bm, png] = cover_of(book, "out1", "--cache-dir " + ts::quote(cache.string()));
    ASSERT_EQ(bm.width, 1600);
    ASSERT_EQ(bm.height, 2560);
    // A corner outside the frame: 72% ground #23303f over 28% of the first banner (#8899aa; the
    // first chapter has none, the third's is red).
    const uint8_t* px = &bm.rgba[(40 * 1600 + 40) * 4];
    EXPECT_NEAR(px[0], 0x3f, 3);
    EXPECT_NEAR(px[1], 0x4d, 3);
    EXPECT_NEAR(px[2], 0x5d, 3);

    // Kept in the cache (after the cache's own header); the next build gives the same bytes.
    bool cached = false;
    for (const auto& e : fs::recursive_directory_iterator(cache))
        if (e.is_regular_file()) {
            std::string data = ts::slurp(e.path());
            cached = cached || (data.size() > png.size() &&
                                data.compare(data.size() - png.size(), png.size(), png) == 0);
        }
    EXPECT_TRUE(cached) << "the drawn cover is not in " << cache;
    EXPECT_EQ(cover_of(book, "out2", "--cache-dir " + ts::quote(cache.string())).second, png);
    EXPECT_EQ(cover_of(book, "out3", "--no-cache").second, png) << "cached bytes differ";
}

TEST(DrawnCover, PlainGroundWithoutBanner) {
    fs::path book = ts::fresh_dir("cover-plain");
    ts::write(book / "book.toml", kToml);
    ts::write(book / "content/01-uno.md", "# Uno\n\nSin imagen.\n");
    auto [bm, png] = cover_of(book, "out", "--no-cache");
    ASSERT_EQ(bm.width, 1600);
    const uint8_t* g = &bm.rgba[(40 * 1600 + 40) * 4];
    EXPECT_EQ(g[0], 0x23);
    EXPECT_EQ(g[1], 0x30);
    EXPECT_EQ(g[2], 0x3f);
}

// A cover template librsvg cannot draw: a warning, and an EPUB without a cover whose package
// files (written while the cover was being drawn) say so too.
TEST(DrawnCover, UndrawableTemplateLeavesTheEpubWithoutACover) {
    fs::path book = ts::fresh_dir("cover-undrawable");
    ts::write(book / "book.toml", kToml);
    ts::write(book / "content/01-uno.md", "# Uno\n\nSin portada.\n");
    ts::write(book / "templates/epub/cover.svg",
              "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1600\" height=\"2560\">"
              "<rect width=\"10\" height=\"10\"></svg>\n");
    auto r = ts::imprenta("build " + ts::quote(book.string()) + " -o " +
                          ts::quote((book / "out").string()) + " --format epub --no-cache");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("cannot draw a cover (malformed SVG"), std::string::npos) << r.err;
    auto zip = ts::read_zip(book / "out/cartas-desde-salamanca.epub");
    ASSERT_FALSE(zip.empty());
    EXPECT_FALSE(ts::find_entry(zip, "EPUB/images/cover.png"));
    EXPECT_FALSE(ts::find_entry(zip, "EPUB/text/cover.xhtml"));
    for (const char* name : {"EPUB/content.opf", "EPUB/nav.xhtml", "EPUB/toc.ncx"}) {
        const ts::ZipEntry* e = ts::find_entry(zip, name);
        ASSERT_TRUE(e) << name;
        EXPECT_EQ(e->data.find("cover"), std::string::npos) << name << ":\n" << e->data;
    }
}

// [pdf] cover_page: the EPUB's cover, pixel for pixel, is the PDF's first page; a blank verso
// keeps the title page on a recto. A book with its own cover gets that one.
TEST(DrawnCover, SameImageOnThePdfsFirstPageWhenAsked) {
    if (!ts::have_tool("pdfimages") || !ts::have_tool("pdftotext"))
        GTEST_SKIP() << "poppler-utils not installed";
    fs::path book = ts::fresh_dir("cover-pdf-page");
    ts::write(book / "book.toml", std::string(kToml) + "[pdf]\ncover_page = true\n");
    ts::write(book / "content/01-puente.md",
              "---\ntitle: El puente\nimage: banner.png\n---\n# El puente\n\nLo cruzamos.\n");
    ts::write(book / "content/banner.png", ts::make_png(1200, 400, 0x8899aa));
    auto r = ts::imprenta("build " + ts::quote(book.string()) + " -q -o " +
                          ts::quote((book / "out").string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    fs::path pdf = book / "out/cartas-desde-salamanca.pdf";
    auto rows = ts::pdfimages(pdf);
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows[0].page, 1);
    EXPECT_EQ(rows[0].width, 1600);
    EXPECT_EQ(rows[0].height, 2560);
    EXPECT_EQ(ts::pdftotext(pdf, "-f 1 -l 2").find_first_not_of(" \n\f"), std::string::npos);
    EXPECT_NE(ts::pdftotext(pdf, "-f 3 -l 3").find("Cartas desde Salamanca"), std::string::npos);
    // The same pixels as the EPUB's cover.
    fs::path root = book / "page1";
    ASSERT_EQ(ts::run("pdfimages -png -f 1 -l 1 " + ts::quote(pdf.string()) + " " +
                      ts::quote(root.string()))
                  .exit_code,
              0);
    auto in_pdf = imprenta::image::detail::decode_png(ts::slurp(book / "page1-000.png"));
    auto zip = ts::read_zip(book / "out/cartas-desde-salamanca.epub");
    const ts::ZipEntry* png = ts::find_entry(zip, "EPUB/images/cover.png");
    ASSERT_TRUE(png);
    auto in_epub = imprenta::image::detail::decode_png(png->data);
    ASSERT_EQ(in_pdf.width, in_epub.width);
    ASSERT_EQ(in_pdf.height, in_epub.height);
    EXPECT_TRUE(in_pdf.rgba == in_epub.rgba);

    // A book's own cover, at its own size.
    ts::write(book / "book.toml",
              std::string(kToml) + "cover = \"cubierta.png\"\n[pdf]\ncover_page = true\n");
    ts::write(book / "cubierta.png", ts::make_png(900, 1400, 0x336699));
    r = ts::imprenta("build " + ts::quote(book.string()) + " -q --format pdf -o " +
                     ts::quote((book / "out2").string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    rows = ts::pdfimages(book / "out2/cartas-desde-salamanca.pdf");
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows[0].page, 1);
    EXPECT_EQ(rows[0].width, 900);
    EXPECT_EQ(rows[0].height, 1400);
}

// A [print] interior has no cover page: the printer takes the cover as a file of its own.
TEST(DrawnCover, NoCoverPageInAPrintInterior) {
    if (!ts::have_tool("pdfimages")) GTEST_SKIP() << "poppler-utils not installed";
    fs::path book = ts::fresh_dir("cover-pdf-print");
    ts::write(book / "book.toml", std::string(kToml) +
                                      "[pdf]\ncover_page = true\n"
                                      "[print]\nservice = \"kdp\"\ntrim = \"5x8\"\n");
    ts::write(book / "content/01-puente.md", "# El puente\n\nLo cruzamos al alba.\n");
    auto r = ts::imprenta("build " + ts::quote(book.string()) + " --format pdf -o " +
                          ts::quote((book / "out").string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("book.toml: warning: [pdf] cover_page is left out of a [print] interior"),
              std::string::npos)
        << r.err;
    EXPECT_TRUE(ts::pdfimages(book / "out/cartas-desde-salamanca.pdf").empty());
}
