// The print interior's pieces on their own: the ISBN barcode's bars decoded back with the EAN-13
// tables (written here from the standard, not from libzint), images that reach the trim pushed
// into the bleed, the safe-area check, and CMYK colours of the output profile.
#include "pdf/barcode.h"
#include "pdf/print_boxes.h"
#include "pdf/print_color.h"
#include "pdf/writer.h"
#include "util/diag.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

using namespace imprenta;
using namespace imprenta::pdf;

namespace {

// 95 modules of an EAN-13 from the bars (each bar's x and width are whole modules), from the
// left guard on; "" if the bars do not fill them so.
std::string modules(const Barcode& b) {
    std::vector<Barcode::Bar> main;
    for (const auto& bar : b.bars)
        if (bar.x < 11 + 95) main.push_back(bar); // the add-on follows after a gap
    if (main.empty()) return {};
    double x0 = main.front().x;
    std::string m(95, '0');
    for (const auto& bar : main)
        for (int k = 0; k < int(std::lround(bar.w)); ++k) {
            int at = int(std::lround(bar.x - x0)) + k;
            if (at < 0 || at >= 95) return {};
            m[size_t(at)] = '1';
        }
    return m;
}

// The standard's L (odd) codes; G is R reversed, R is L inverted.
const char* kL[] = {"0001101", "0011001", "0010011", "0111101", "0100011",
                    "0110001", "0101111", "0111011", "0110111", "0001011"};
// Parity of the six left digits by the first digit (L = odd, G = even).
const char* kFirst[] = {"LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
                        "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"};

std::string invert(std::string s) {
    for (char& c : s)
        c = c == '1' ? '0' : '1';
    return s;
}

std::string decode_ean13(const std::string& m) {
    if (m.size() != 95 || m.substr(0, 3) != "101" || m.substr(45, 5) != "01010" ||
        m.substr(92) != "101")
        return "guards?";
    std::string digits, parity;
    for (int i = 0; i < 12; ++i) {
        size_t at = i < 6 ? 3 + size_t(i) * 7 : 50 + size_t(i - 6) * 7;
        std::string code = m.substr(at, 7);
        int found = -1;
        char kind = '?';
        for (int d = 0; d < 10; ++d) {
            std::string l = kL[d], r = invert(l), g(r.rbegin(), r.rend());
            if (i < 6 && code == l) found = d, kind = 'L';
            if (i < 6 && code == g) found = d, kind = 'G';
            if (i >= 6 && code == r) found = d, kind = 'R';
        }
        if (found < 0) return "code?";
        digits += char('0' + found);
        if (i < 6) parity += kind;
    }
    for (int d = 0; d < 10; ++d)
        if (parity == kFirst[d]) return char('0' + d) + digits;
    return "parity?";
}

} // namespace

TEST(PrintBarcode, Isbn10BecomesIsbn13WithItsOwnCheckDigit) {
    EXPECT_EQ(isbn13_of("0306406152"), "9780306406157");
    EXPECT_EQ(isbn13_of("9780306406157"), "9780306406157");
    EXPECT_EQ(isbn13_of("080442957X"), "9780804429573");
    EXPECT_EQ(isbn13_of("12345"), "");
}

TEST(PrintBarcode, BarsDecodeBackToTheIsbn) {
    for (const char* isbn : {"9780306406157", "9791090636071", "9780804429573"}) {
        Barcode b = isbn_barcode(isbn, "");
        EXPECT_EQ(decode_ean13(modules(b)), isbn);
        // The human-readable digits are there, the first one left of the bars.
        std::string shown;
        for (const auto& d : b.digits)
            shown += d.text;
        EXPECT_EQ(shown, isbn);
    }
}

TEST(PrintBarcode, PriceAddOnFollowsTheMainSymbol) {
    Barcode plain = isbn_barcode("9780306406157", "");
    Barcode priced = isbn_barcode("9780306406157", "51995");
    EXPECT_EQ(decode_ean13(modules(priced)), "9780306406157");
    EXPECT_GT(priced.width, plain.width + 40); // 47 modules of add-on and its gap
    bool shown = std::any_of(priced.digits.begin(), priced.digits.end(),
                             [](const auto& d) { return d.text == "51995"; });
    EXPECT_TRUE(shown);
}

namespace {

Document one_page(double bleed) {
    Document d;
    d.geo.page_w = 432;
    d.geo.page_h = 648;
    d.geo.print = true;
    d.geo.bleed = bleed;
    d.geo.safe = 18;
    d.pages.resize(2);
    return d;
}

} // namespace

TEST(PrintBleed, ImageAtTheOuterEdgeGrowsIntoTheBleed) {
    doc::Book book;
    util::Diagnostics diags;
    Document d = one_page(9);
    // Recto: the right edge is outer; a full-width plate on the top of the page.
    d.pages[0].paint.images.push_back({0, 0, 432, 216, 0});
    // Verso: the right edge is the spine: no bleed there.
    d.pages[1].paint.images.push_back({0, 0, 432, 216, 0});
    bleed_edge_images(d, book, diags);
    const ImageOp& r = d.pages[0].paint.images[0];
    EXPECT_NEAR(r.clip_x, 0, 1e-9) << "no bleed at the recto's spine";
    EXPECT_NEAR(r.clip_y, -9, 1e-9);
    EXPECT_NEAR(r.clip_x + r.clip_w, 441, 1e-9);
    EXPECT_NEAR(r.clip_y + r.clip_h, 216, 1e-9);
    EXPECT_LE(r.x, r.clip_x + 1e-9);
    EXPECT_GE(r.x + r.w, r.clip_x + r.clip_w - 1e-9) << "the image covers its clip";
    EXPECT_NEAR(r.w / r.h, 2.0, 1e-9) << "and keeps its aspect";
    const ImageOp& v = d.pages[1].paint.images[0];
    EXPECT_NEAR(v.clip_x, -9, 1e-9);
    EXPECT_NEAR(v.clip_x + v.clip_w, 432, 1e-9);
    EXPECT_TRUE(diags.all().empty());
    EXPECT_NO_THROW(check_safe_area(d, book)); // bled images are meant to reach the edge
}

TEST(PrintBleed, WithoutBleedAnEdgeImageIsAWarning) {
    doc::Book book;
    util::Diagnostics diags;
    Document d = one_page(0);
    d.pages[1].paint.images.push_back({100, 300, 332, 100, 0});
    bleed_edge_images(d, book, diags);
    ASSERT_EQ(diags.all().size(), 1u);
    EXPECT_NE(diags.all()[0].message.find("page 2"), std::string::npos);
    EXPECT_NE(diags.all()[0].message.find("bleed = true"), std::string::npos);
    EXPECT_EQ(d.pages[1].paint.images[0].clip_w, 0);
}

TEST(PrintSafeArea, ImageInTheMarginIsNamedWithItsPage) {
    doc::Book book;
    Document d = one_page(0);
    d.pages[1].label = "iv";
    d.pages[1].paint.images.push_back({30, 630, 100, 12, -1}); // 6 pt from the bottom edge
    try {
        check_safe_area(d, book);
        FAIL() << "no error";
    } catch (const util::BuildError& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("page 2 (numbered iv)"), std::string::npos) << m;
        EXPECT_NE(m.find("safe area"), std::string::npos) << m;
    }
}

TEST(PrintColorTest, GreysGoOnTheBlackPlateAndColoursThroughTheProfile) {
    if (!std::filesystem::exists(kDefaultOutputProfile)) GTEST_SKIP() << "libgs-common missing";
    book::PrintConfig print;
    print.trim = "6x9";
    print.pdfx = "x4";
    PrintColor c(print, std::filesystem::temp_directory_path());
    auto black = c.cmyk({0, 0, 0});
    EXPECT_EQ(black[0] + black[1] + black[2], 0);
    EXPECT_EQ(black[3], 1);
    EXPECT_NEAR(c.cmyk({0.5f, 0.5f, 0.5f})[3], 0.5, 1e-6);
    auto red = c.cmyk({1, 0, 0});
    EXPECT_LT(red[0], 0.1);
    EXPECT_GT(red[1], 0.7);
    EXPECT_GT(red[2], 0.7);
    std::vector<uint8_t> px = {255, 255, 255, 0, 0, 255};
    c.to_cmyk(px, 3, {0, 255}); // a transparent pixel is paper white
    ASSERT_EQ(px.size(), 8u);
    EXPECT_LT(px[0] + px[1] + px[2] + px[3], 8);
    EXPECT_GT(px[4], 128); // blue: much cyan
    EXPECT_FALSE(c.condition().empty());
    EXPECT_EQ(c.srgb().substr(36, 4), "acsp");
}
