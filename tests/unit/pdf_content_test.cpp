// Page content streams: the operators a reader interprets, checked by interpreting them.
#include "pdf/content.h"
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

// A string shown by Tj/TJ, and where the reader puts it.
struct Shown {
    std::string font;
    double size = 0;
    double x = 0, y = 0;
    std::u32string text;
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
// advances of `fonts()`: each string's position is what a viewer would draw it at.
std::vector<Shown> interpret(const std::string& ops) {
    std::vector<Shown> out;
    std::vector<std::string> operands;
    std::string font;
    double size = 0, lx = 0, ly = 0, x = 0;
    Face face = Face::Regular;
    for (size_t i = 0; i < ops.size();) {
        char c = ops[i];
        if (c == ' ' || c == '\n') {
            ++i;
        } else if (c == '[' || c == ']') {
            operands.push_back(std::string(1, c));
            ++i;
        } else if (c == '(') {
            operands.push_back("(" + literal(ops, i));
        } else {
            size_t j = ops.find_first_of(" \n[]()", i);
            std::string tok = ops.substr(i, j - i);
            i = j;
            if (tok == "BT") {
                lx = ly = x = 0;
            } else if (tok == "Tf") {
                font = operands[operands.size() - 2];
                size = std::stod(operands.back());
                face = Face(std::stoi(font.substr(2)) - 1);
            } else if (tok == "Td") {
                lx += std::stod(operands[operands.size() - 2]);
                ly += std::stod(operands.back());
                x = lx;
            } else if (tok == "TJ") {
                size_t k = operands.size();
                while (operands[k - 1] != "[")
                    --k;
                for (; k < operands.size(); ++k) {
                    const std::string& o = operands[k];
                    if (o == "]") break;
                    if (o[0] != '(') {
                        x -= std::stod(o) / 1000 * size;
                        continue;
                    }
                    Shown s{font, size, x, ly, {}};
                    for (size_t b = 1; b + 1 < o.size(); b += 2)
                        s.text += char32_t((uint8_t(o[b]) << 8) | uint8_t(o[b + 1]));
                    for (char32_t cp : s.text)
                        x += fonts().char_width(face, cp, size);
                    out.push_back(s);
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

std::u32string u32(std::string_view s) {
    std::u32string out;
    for (size_t i = 0; i < s.size();)
        out += util::next_code_point(s, i);
    return out;
}

TextOp word(double x, double y, const char* text, Face face = Face::Regular, double size = 10.5) {
    TextOp t;
    t.x = x;
    t.y = y;
    t.face = face;
    t.size = size;
    t.text = text;
    return t;
}

} // namespace

TEST(PdfContent, EveryWordLandsWhereTheLayoutPutIt) {
    Paint p;
    // A justified line (uneven gaps), a style change inside it, and a second line.
    p.texts = {word(72, 100, "Los"),           word(93.417, 100, "tipos"),
               word(125.1234, 100, "móviles"), word(170.5, 100, "cambiaron", Face::Italic),
               word(226.75, 100, "todo."),     word(72, 113.65, "Otra"),
               word(101.3, 113.65, "línea")};
    PageUse use;
    std::string ops = page_operators(p, 800, fonts(), {}, use);
    auto shown = interpret(ops);
    ASSERT_EQ(shown.size(), p.texts.size()) << ops;
    for (size_t i = 0; i < shown.size(); ++i) {
        EXPECT_NEAR(shown[i].x, p.texts[i].x, 0.002) << i << "\n" << ops;
        EXPECT_NEAR(shown[i].y, 800 - p.texts[i].y, 0.002) << i;
        EXPECT_EQ(shown[i].text, u32(p.texts[i].text)) << i;
    }
    EXPECT_EQ(shown[3].font, "/F3"); // italic
    // One array a line and style run, not one operator per word.
    size_t arrays = 0;
    for (size_t at = 0; (at = ops.find("TJ", at)) != std::string::npos; ++at)
        ++arrays;
    EXPECT_EQ(arrays, 4u) << ops;
    EXPECT_EQ(ops.find("Tj"), std::string::npos);
}

TEST(PdfContent, StringsSurviveBytesThatNeedEscapes) {
    Paint p;
    // U+010D 'č' is the bytes 01 0D (a CR), U+0A28 has 0A (LF) and 28 '('; then ) and \.
    p.texts = {word(10, 10, "(a)\\ \u010d \u0a28 \u0129", Face::Fallback)};
    PageUse use;
    std::string ops = page_operators(p, 100, fonts(), {}, use);
    auto shown = interpret(ops);
    ASSERT_EQ(shown.size(), 1u);
    EXPECT_EQ(shown[0].text, u32(p.texts[0].text));
    // No bare CR or LF inside the string: a reader would turn them into LF.
    size_t open = ops.find('('), close = ops.rfind(')');
    EXPECT_EQ(ops.substr(open, close - open).find_first_of("\r\n"), std::string::npos);
}

TEST(PdfContent, ReportsFacesGlyphsAndImagesOnce) {
    Paint p;
    p.texts = {word(10, 10, "abba"), word(40, 10, "b\u4e2d\u4e2d", Face::Fallback),
               word(10, 30, "a", Face::Bold)};
    p.images = {{0, 0, 10, 10, 3}, {0, 20, 10, 10, 5}, {0, 40, 10, 10, 3}, {0, 60, 10, 10, 9}};
    std::vector<bool> drawable(10, false);
    drawable[3] = drawable[5] = true;
    PageUse use;
    std::string ops = page_operators(p, 100, fonts(), drawable, use);
    EXPECT_EQ(use.faces,
              (1u << int(Face::Regular)) | (1u << int(Face::Fallback)) | (1u << int(Face::Bold)));
    auto g = [](Face f, char32_t cp) { return (uint32_t(f) << 16) | uint32_t(cp); };
    std::vector<uint32_t> want = {g(Face::Regular, 'a'), g(Face::Regular, 'b'), g(Face::Bold, 'a'),
                                  g(Face::Fallback, 'b'), g(Face::Fallback, 0x4e2d)};
    std::sort(want.begin(), want.end());
    EXPECT_EQ(use.glyphs, want);
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
    std::string ops = page_operators(p, 800, fonts(), {true}, use);
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
