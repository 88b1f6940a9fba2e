// Page content streams: the operators a reader interprets, checked by interpreting them.
#include "pdf/content.h"
#include "pdf/embed.h"
#include "pdf/shape.h"
#include "util/utf8.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>

using namespace imprenta;
using namespace imprenta::pdf;

namespace {

const FontSet& fonts() {
    static const FontSet f(book::PdfConfig{}, ".");
    return f;
}

const std::vector<int>& ranks() {
    static const std::vector<int> r = font_ranks(fonts());
    return r;
}

FontId font_of_resource(const std::string& name) { // "/F3" -> the font ranked 2
    int rank = std::stoi(name.substr(2)) - 1;
    for (size_t id = 0; id < ranks().size(); ++id)
        if (ranks()[id] == rank) return FontId(id);
    return 0;
}

// A glyph drawn by TJ, and where the reader puts it.
struct Shown {
    std::string font;
    double size = 0;
    double x = 0, y = 0;
    uint32_t gid = 0;
};

// Reads a literal string "(...)" at s[i] back into its bytes.
std::string literal(const std::string& s, size_t& i) {
    std::string out;
    ++i; // '('
    while (i < s.size() && s[i] != ')') {
        char c = s[i++];
        if (c != '\\') {
            out += c;
            continue;
        }
        char e = s[i++];
        out += e == 'r' ? '\r' : e == 'n' ? '\n' : e;
    }
    ++i; // ')'
    return out;
}

// Interprets the text operators of `ops` (Tf, Td, TJ, BT/ET) the way a PDF reader does, with the
// widths the fonts' /W arrays give: each glyph's position is where a viewer would draw it.
std::vector<Shown> interpret(const std::string& ops) {
    std::vector<Shown> out;
    std::vector<std::string> operands;
    std::string font;
    double size = 0, lx = 0, ly = 0, x = 0;
    for (size_t i = 0; i < ops.size();) {
        char c = ops[i];
        if (c == ' ' || c == '\n') {
            ++i;
        } else if (c == '[' || c == ']') {
            operands.push_back(std::string(1, c));
            ++i;
        } else if (c == '(') {
            std::string lit = "(";
            lit += literal(ops, i);
            operands.push_back(std::move(lit));
        } else {
            size_t j = ops.find_first_of(" \n[]()", i);
            std::string tok = ops.substr(i, j - i);
            i = j;
            if (tok == "BT") {
                lx = ly = x = 0;
            } else if (tok == "Tf") {
                font = operands[operands.size() - 2];
                size = std::stod(operands.back());
            } else if (tok == "Td") {
                lx += std::stod(operands[operands.size() - 2]);
                ly += std::stod(operands.back());
                x = lx;
            } else if (tok == "TJ") {
                size_t k = operands.size();
                while (operands[k - 1] != "[")
                    --k;
                const Font& f = fonts().font(font_of_resource(font));
                for (; k < operands.size(); ++k) {
                    const std::string& o = operands[k];
                    if (o == "]") break;
                    if (o[0] != '(') {
                        x -= std::stod(o) / 1000 * size;
                        continue;
                    }
                    for (size_t b = 1; b + 1 < o.size(); b += 2) {
                        uint32_t gid = (uint8_t(o[b]) << 8) | uint8_t(o[b + 1]);
                        out.push_back({font, size, x, ly, gid});
                        x += double(glyph_width(f, gid)) / 1e6 * size;
                    }
                }
            } else {
                operands.push_back(tok);
                continue;
            }
            if (tok == "BT" || tok == "Tf" || tok == "Td" || tok == "TJ") operands.clear();
        }
    }
    return out;
}

TextOp word(double x, double y, const char* text, Face face = Face::Regular, double size = 10.5) {
    TextOp t;
    t.x = x;
    t.y = y;
    t.size = size;
    auto runs = shape(fonts(), {face, size, "en", false}, text, nullptr).runs();
    t.font = runs.at(0).font();
    t.run = runs[0].shaped;
    t.first = runs[0].first;
    t.last = runs[0].last;
    return t;
}

// Where the layout means each glyph to be: the op's origin plus the shaped advances.
std::vector<Shown> intended(const Paint& p, double page_h) {
    std::vector<Shown> out;
    for (const auto& t : p.texts) {
        double x = t.x;
        for (const auto& g : t.glyphs()) {
            out.push_back({"", t.size, x + g.dx * t.size / 1000, page_h - t.y, g.gid});
            x += g.advance * t.size / 1000;
        }
    }
    return out;
}

} // namespace

TEST(PdfContent, EveryGlyphLandsWhereTheLayoutPutIt) {
    Paint p;
    // A justified line (uneven gaps), a style change inside it, a kerned pair, a second line.
    p.texts = {word(72, 100, "Los"),           word(93.417, 100, "tipos"),
               word(125.1234, 100, "móviles"), word(170.5, 100, "cambiaron", Face::Italic),
               word(226.75, 100, "AVATAR."),   word(72, 113.65, "Otra"),
               word(101.3, 113.65, "línea")};
    PageUse use;
    std::string ops = page_operators(p, 800, fonts(), ranks(), {}, use);
    auto shown = interpret(ops);
    auto want = intended(p, 800);
    ASSERT_EQ(shown.size(), want.size()) << ops;
    for (size_t i = 0; i < shown.size(); ++i) {
        EXPECT_NEAR(shown[i].x, want[i].x, 0.002) << i << "\n" << ops;
        EXPECT_NEAR(shown[i].y, want[i].y, 0.002) << i;
        EXPECT_EQ(shown[i].gid, want[i].gid) << i;
    }
    size_t italic =
        p.texts[0].glyphs().size() + p.texts[1].glyphs().size() + p.texts[2].glyphs().size();
    EXPECT_EQ(font_of_resource(shown[italic].font), fonts().id(Face::Italic)); // "cambiaron"
    // One array a line and style run, not one operator per word.
    size_t arrays = 0;
    for (size_t at = 0; (at = ops.find("TJ", at)) != std::string::npos; ++at)
        ++arrays;
    EXPECT_EQ(arrays, 4u) << ops;
    EXPECT_EQ(ops.find("Tj"), std::string::npos);
}

TEST(PdfContent, StringsSurviveBytesThatNeedEscapes) {
    Paint p;
    // Glyph ids whose bytes are a CR, an LF, '(' , ')' and '\'.
    TextOp t = word(10, 10, "x", Face::Fallback);
    auto run = std::make_shared<GlyphRun>();
    run->font = t.font;
    for (uint32_t gid : {0x010Du, 0x0A28u, 0x2829u, 0x5C01u, 0x0D0Au})
        run->glyphs.push_back({gid, 0, 0, 500, 0, 0});
    t.run = run;
    t.first = 0;
    t.last = uint32_t(run->glyphs.size());
    p.texts = {t};
    PageUse use;
    std::string ops = page_operators(p, 100, fonts(), ranks(), {}, use);
    auto shown = interpret(ops);
    ASSERT_EQ(shown.size(), 5u) << ops;
    for (size_t i = 0; i < 5; ++i)
        EXPECT_EQ(shown[i].gid, t.glyphs()[i].gid);
    // No bare CR or LF inside the strings: a reader would turn them into LF.
    size_t open = ops.find('('), close = ops.rfind(')');
    EXPECT_EQ(ops.substr(open, close - open).find_first_of("\r\n"), std::string::npos);
}

TEST(PdfContent, ReportsFontsGlyphsTextsAndImagesOnce) {
    Paint p;
    p.texts = {word(10, 10, "abba"), word(40, 10, "b\u00e9\u00e9", Face::Fallback),
               word(10, 30, "a", Face::Bold)};
    p.images = {{0, 0, 10, 10, 3}, {0, 20, 10, 10, 5}, {0, 40, 10, 10, 3}, {0, 60, 10, 10, 9}};
    std::vector<bool> drawable(10, false);
    drawable[3] = drawable[5] = true;
    PageUse use;
    std::string ops = page_operators(p, 100, fonts(), ranks(), drawable, use);
    std::vector<FontId> want_fonts = {fonts().id(Face::Regular), fonts().id(Face::Bold),
                                      fonts().id(Face::Fallback)};
    std::sort(want_fonts.begin(), want_fonts.end());
    EXPECT_EQ(use.fonts, want_fonts);
    auto g = [](Face f, char32_t cp) {
        return glyph_key(fonts().id(f), fonts().file(f).glyph(cp));
    };
    std::vector<GlyphKey> want = {g(Face::Regular, 'a'), g(Face::Regular, 'b'), g(Face::Bold, 'a'),
                                  g(Face::Fallback, 'b'), g(Face::Fallback, 0xe9)};
    std::sort(want.begin(), want.end());
    EXPECT_EQ(use.glyphs, want);
    // Each glyph's characters, once.
    ASSERT_EQ(use.texts.size(), want.size());
    for (const auto& [key, text] : use.texts)
        EXPECT_TRUE(text == "a" || text == "b" || text == "\u00e9") << text;
    EXPECT_EQ(use.images, (std::vector<int>{3, 5}));
    EXPECT_NE(ops.find("/Im3 Do"), std::string::npos);
    EXPECT_EQ(ops.find("/Im9"), std::string::npos); // not drawable: left out
}

TEST(PdfContent, RectsRulesAndImagesUsePdfCoordinates) {
    Paint p;
    p.rects = {{10, 20, 30, 40, {1, 0.5f, 0}}};
    p.rules = {{5, 50, 105, 50, 0.4, {}}};
    p.images = {{72, 100, 200, 50, 0}};
    PageUse use;
    std::string ops = page_operators(p, 800, fonts(), ranks(), {true}, use);
    EXPECT_NE(ops.find("1 0.5 0 rg\n10 740 30 40 re\nf\n"), std::string::npos) << ops;
    EXPECT_NE(ops.find("0.4 w\n0 0 0 RG\n5 750 m\n105 750 l\nS\n"), std::string::npos) << ops;
    EXPECT_NE(ops.find("q\n200 0 0 50 72 650 cm\n/Im0 Do\nQ\n"), std::string::npos) << ops;
}

TEST(PdfContent, FlateRoundTrips) {
    std::string data;
    for (int i = 0; i < 5000; ++i)
        data += "BT /F1 10.5 Tf " + std::to_string(i) + " 0 Td (x) Tj ET\n";
    std::string z = flate(data);
    EXPECT_LT(z.size(), data.size() / 5);
    std::string back(data.size(), '\0');
    uLongf n = back.size();
    ASSERT_EQ(uncompress(reinterpret_cast<Bytef*>(back.data()), &n,
                         reinterpret_cast<const Bytef*>(z.data()), z.size()),
              Z_OK);
    back.resize(n);
    EXPECT_EQ(back, data);
}
