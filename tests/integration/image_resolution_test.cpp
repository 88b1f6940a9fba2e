// Images in the PDF at the book's resolution (README, "Images"): scaled down to `image_dpi` at
// the size they print at, and a warning naming the file when one prints below 150 ppi.
#include "image/codec.h"
#include "support/support.h"

#include <gtest/gtest.h>

using namespace testing_support;
using imprenta::image::detail::Bitmap;

namespace {

// A photograph-like JPEG (smooth gradients, some texture), w x h.
std::string photo(int w, int h) {
    Bitmap bm;
    bm.width = w;
    bm.height = h;
    bm.rgba.resize(size_t(w) * h * 4);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            uint8_t* p = &bm.rgba[(size_t(y) * w + x) * 4];
            p[0] = uint8_t(x * 255 / w);
            p[1] = uint8_t(y * 255 / h);
            p[2] = uint8_t((x * 7 + y * 3) % 256);
            p[3] = 255;
        }
    return imprenta::image::detail::encode_jpeg(bm, 85);
}

const char* kEssay = R"(---
title: "Plates and Proofs"
image: banners/press.jpg
imageAlt: "A hand press in a print shop"
---

The plates came back from the engraver a week late, and the proofs showed why: the fine lines
of the map had filled in with ink, and the harbour had become a grey blur.

![The harbour map, second state](figures/map.jpg)

A second engraving was ordered at twice the size, to be reduced photographically. The printer
kept the small one for the archive and noted the cost in the ledger.

![The ledger page](figures/ledger.jpg)

The ledger survives; the map does not.
)";

fs::path make_book(const std::string& name, const std::string& pdf_keys) {
    fs::path dir = fresh_dir(name);
    write(dir / "book.toml", "title = \"Plates and Proofs\"\nauthor = \"A. Printer\"\n"
                             "language = \"en\"\n\n[pdf]\npaper = \"a5\"\n" +
                                 pdf_keys);
    write(dir / "content/01-plates.md", kEssay);
    write(dir / "assets/banners/press.jpg", photo(2400, 1200)); // printed ~ 308 x 154 pt
    write(dir / "assets/figures/map.jpg", photo(3000, 2000));   // printed at the text width
    write(dir / "assets/figures/ledger.jpg", photo(480, 360));  // 480 px over 320 pt: 108 ppi
    return dir;
}

struct Built {
    RunResult run;
    std::vector<PdfImageRow> images;
};

Built build(const fs::path& book) {
    Built b;
    b.run = testing_support::imprenta("build " + quote(book.string()) + " -o " +
                                      quote((book / "out").string()) + " --format pdf --no-cache");
    EXPECT_EQ(b.run.exit_code, 0) << b.run.err;
    for (const auto& e : fs::directory_iterator(book / "out"))
        if (e.path().extension() == ".pdf") b.images = pdfimages(e.path());
    return b;
}

// Widths of the images drawn, widest first.
std::vector<int> widths(const std::vector<PdfImageRow>& rows) {
    std::vector<int> w;
    for (const auto& r : rows)
        if (r.type == "image") w.push_back(r.width);
    std::sort(w.rbegin(), w.rend());
    return w;
}

} // namespace

TEST(ImageResolution, LargeImagesAreScaledToImageDpiAtTheirPrintedSize) {
    if (!have_tool("pdfimages")) GTEST_SKIP() << "pdfimages";
    // A5 with 20 + 15 mm margins: a 113 mm (320.3 pt) text width is 1335 px at 300 ppi.
    Built b = build(make_book("imgres-300", ""));
    std::vector<int> w = widths(b.images);
    ASSERT_EQ(w.size(), 3u);
    EXPECT_NEAR(w[0], 1335, 2); // the map, 3000 px wide, set at the text width
    // The banner is at most a third of the page tall (154 pt): 1200 px tall would be 561 ppi;
    // it is made 154 pt x 300 ppi = 643 px tall, so 1286 px wide.
    EXPECT_NEAR(w[1], 1286, 3);
    EXPECT_EQ(w[2], 480); // the ledger is smaller than it prints: left alone

    // The book's own resolution decides: at 150 ppi everything large halves.
    Built half = build(make_book("imgres-150", "image_dpi = 150\n"));
    std::vector<int> h = widths(half.images);
    ASSERT_EQ(h.size(), 3u);
    EXPECT_NEAR(h[0], 668, 2);
    EXPECT_NEAR(h[1], 643, 3);
}

TEST(ImageResolution, AnImagePrintedBelow150PpiIsNamedInAWarning) {
    if (!have_tool("pdfimages")) GTEST_SKIP() << "pdfimages";
    Built b = build(make_book("imgres-warn", ""));
    const std::string& err = b.run.err;
    size_t at = err.find("ledger.jpg");
    ASSERT_NE(at, std::string::npos) << err;
    std::string line = err.substr(err.rfind('\n', at) + 1);
    line = line.substr(0, line.find('\n'));
    EXPECT_NE(line.find("warning"), std::string::npos) << line;
    EXPECT_NE(line.find("assets/figures/ledger.jpg"), std::string::npos) << line;
    EXPECT_NE(line.find("108 ppi"), std::string::npos) << line;
    // The others print at 300 ppi (scaled) and are not named.
    EXPECT_EQ(err.find("map.jpg"), std::string::npos) << err;
    EXPECT_EQ(err.find("press.jpg"), std::string::npos) << err;
}

TEST(ImageResolution, ManyLowResolutionImagesAreFoldedIntoOneNoteUnlessVerbose) {
    fs::path dir = fresh_dir("imgres-fold");
    write(dir / "book.toml", "title = \"Proof Sheets\"\nauthor = \"A. Printer\"\n"
                             "language = \"en\"\n\n[pdf]\npaper = \"a5\"\n");
    std::string essay = "# Proof sheets\n\nSix proofs pulled on the same afternoon, each from "
                        "a plate too small for the page it now fills.\n";
    for (int i = 1; i <= 6; ++i) {
        std::string name = "proof-" + std::to_string(i) + ".jpg";
        write(dir / "assets" / name, photo(400 + 10 * i, 300));
        essay += "\n![Proof " + std::to_string(i) + "](" + name + ")\n";
    }
    write(dir / "content/01-proofs.md", essay);
    auto count = [](const std::string& err, const std::string& what) {
        size_t n = 0;
        for (size_t at = err.find(what); at != std::string::npos; at = err.find(what, at + 1))
            ++n;
        return n;
    };
    std::string base = "build " + quote(dir.string()) + " -o " + quote((dir / "out").string()) +
                       " --format pdf --no-cache";
    auto quiet = testing_support::imprenta(base + " -q");
    ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
    // The first three in order, with their paths; then one note for the other three.
    EXPECT_EQ(count(quiet.err, "ppi, below 150"), 3u) << quiet.err;
    for (int i = 1; i <= 3; ++i)
        EXPECT_NE(quiet.err.find("assets/proof-" + std::to_string(i) + ".jpg: warning"),
                  std::string::npos)
            << quiet.err;
    EXPECT_EQ(quiet.err.find("proof-4.jpg"), std::string::npos) << quiet.err;
    EXPECT_NE(quiet.err.find("note: 3 more images print below 150 ppi"), std::string::npos)
        << quiet.err;

    auto verbose = testing_support::imprenta(base + " -v");
    ASSERT_EQ(verbose.exit_code, 0) << verbose.err;
    EXPECT_EQ(count(verbose.err, "ppi, below 150"), 6u) << verbose.err;
    EXPECT_EQ(verbose.err.find("more images"), std::string::npos) << verbose.err;
    // Six warnings either way: the count and --strict do not depend on what is printed.
    EXPECT_NE(verbose.out.find("6 warnings"), std::string::npos) << verbose.out;
}
