// Shaping and script handling for the PDF: HarfBuzz kerning, ligatures and Arabic joining through
// the fonts fontconfig finds; ICU bidi levels and line-break opportunities.
#include "pdf/fonts.h"
#include "pdf/script.h"
#include "pdf/shape.h"
#include "util/diag.h"
#include "util/utf8.h"

#include <set>

#include <gtest/gtest.h>

using namespace imprenta;
using namespace imprenta::pdf;

namespace {

const FontSet& default_fonts() {
    static const FontSet f(book::PdfConfig{}, ".");
    return f;
}

const FontSet& liberation() {
    static const FontSet f = [] {
        book::PdfConfig c;
        c.font_regular = "Liberation Serif";
        return FontSet(c, ".");
    }();
    return f;
}

std::vector<Run> shaped(const FontSet& fonts, const std::string& text,
                        const std::string& lang = "en", bool rtl = false) {
    return shape(fonts, {Face::Regular, 10, lang, rtl}, text, nullptr).runs();
}

double width_of(const std::vector<Run>& runs) {
    double w = 0;
    for (const auto& r : runs)
        w += r.width;
    return w;
}

size_t glyph_count(const std::vector<Run>& runs) {
    size_t n = 0;
    for (const auto& r : runs)
        n += r.glyphs().size();
    return n;
}

} // namespace

TEST(PdfShape, KernedPairsSetTighter) {
    // Liberation Serif kerns A-V (GPOS); O-O has no kerning. Unkerned, the two are nearly equal.
    const Font& f = liberation().file(Face::Regular);
    EXPECT_NE(f.postscript_name().find("Liberation"), std::string::npos);
    double av = width_of(shaped(liberation(), "AVAVAV"));
    double oo = width_of(shaped(liberation(), "OOOOOO"));
    double av_natural = 3 * (f.advance(f.glyph('A')) + f.advance(f.glyph('V'))) * 10 / 1000;
    EXPECT_LT(av, oo);
    EXPECT_LT(av, av_natural - 1.0); // five kerned pairs take more than a point off
}

TEST(PdfShape, DefaultFaceLigatesAndKeepsTheText) {
    for (const char* word : {"office", "fluffy", "affluent"}) {
        auto runs = shaped(default_fonts(), word);
        ASSERT_EQ(runs.size(), 1u) << word;
        EXPECT_EQ(runs[0].font(), default_fonts().id(Face::Regular));
        EXPECT_LT(glyph_count(runs), std::string(word).size()) << word; // ffi, ffl, ff
        // The ligature glyph stands for all its characters (what ToUnicode will say).
        std::string back;
        for (const auto& g : runs[0].glyphs())
            back += runs[0].text().substr(g.cluster, g.cluster_len);
        EXPECT_EQ(back, word);
    }
    // Monospaced code is set as typed.
    auto code = shape(default_fonts(), {Face::Mono, 10, "en", false}, "office", nullptr).runs();
    EXPECT_EQ(glyph_count(code), 6u);
}

TEST(PdfShape, ArabicLettersJoin) {
    const std::string word = "الطباعة";
    auto runs = shaped(default_fonts(), word, "ar", true);
    ASSERT_EQ(runs.size(), 1u);
    const Font& font = default_fonts().font(runs[0].font());
    // Isolated forms are the cmap's glyphs; joined letters take initial/medial/final forms.
    std::set<uint32_t> isolated;
    for (size_t i = 0; i < word.size();) {
        size_t at = i;
        i = at + (static_cast<unsigned char>(word[at]) < 0x80 ? 1 : 2);
        auto alone = shaped(default_fonts(), word.substr(at, i - at), "ar", true);
        isolated.insert(alone.at(0).glyphs()[0].gid);
        EXPECT_EQ(alone[0].glyphs()[0].gid, font.glyph(util::next_code_point(word, at)));
    }
    int joined = 0;
    for (const auto& g : runs[0].glyphs())
        if (!isolated.count(g.gid)) ++joined;
    EXPECT_GE(joined, 4);
    // Visual order: the word's first letter (alef) is drawn last, at the right.
    EXPECT_EQ(runs[0].glyphs().back().cluster, 0u);
}

TEST(PdfShape, FallbackFacesByScriptAndNoQuestionMarks) {
    std::set<char32_t> missing;
    auto han = shape(default_fonts(), {Face::Regular, 10, "zh-CN", false}, "漢字", &missing).runs();
    auto he = shape(default_fonts(), {Face::Regular, 10, "he", true}, "שלום", &missing).runs();
    auto hi = shape(default_fonts(), {Face::Regular, 10, "hi", false}, "क्ष", &missing).runs();
    EXPECT_TRUE(missing.empty());
    EXPECT_NE(default_fonts().font(han.at(0).font()).postscript_name().find("CJK"),
              std::string::npos);
    EXPECT_NE(default_fonts().font(he.at(0).font()).postscript_name().find("Hebrew"),
              std::string::npos);
    EXPECT_EQ(glyph_count(hi), 1u); // the conjunct is one glyph
    // Invisible format characters draw nothing.
    auto zw = shaped(default_fonts(), "a\u200bb\u2060c\u200e");
    EXPECT_EQ(glyph_count(zw), 3u);
}

TEST(PdfShape, SlicesCutBetweenClustersOnly) {
    auto word = shape(default_fonts(), {Face::Regular, 10, "en", false}, "office", nullptr);
    EXPECT_TRUE(cluster_boundary(word, 1));
    EXPECT_FALSE(cluster_boundary(word, 2)); // inside the ffi ligature
    auto head = slice(word, 0, 1), tail = slice(word, 1, 6);
    EXPECT_NEAR(head.width + tail.width, word.width, 1e-9);
    EXPECT_NEAR(width_of(head.runs()) + width_of(tail.runs()), word.width, 1e-9);
    EXPECT_EQ(head.runs().at(0).text(), "o");
    EXPECT_EQ(tail.runs().at(0).text(), "ffice");
    EXPECT_EQ(tail.runs().at(0).glyphs().size(), 3u); // ffi ligature, c, e
}

TEST(PdfScript, BidiLevelsAndBreaks) {
    Bidi b = bidi_levels("שלום 123 abc", -1);
    EXPECT_EQ(b.paragraph, 1);
    ASSERT_EQ(b.levels.size(), std::string("שלום 123 abc").size());
    EXPECT_EQ(b.levels[0], 1);  // Hebrew
    EXPECT_EQ(b.levels[9], 2);  // digits inside RTL
    EXPECT_EQ(b.levels[13], 2); // Latin inside RTL
    EXPECT_TRUE(bidi_levels("plain text", -1).levels.empty());

    std::string zh = "读书，写字。好";
    auto at = icu_breaks(zh, "zh");
    EXPECT_FALSE(at.empty());
    for (size_t b2 : at) {
        EXPECT_NE(zh.compare(b2, 3, "，"), 0); // never before closing punctuation
        EXPECT_NE(zh.compare(b2, 3, "。"), 0);
    }
    EXPECT_TRUE(needs_icu_breaks("ภาษาไทย"));
    EXPECT_FALSE(needs_icu_breaks("plain words"));
    EXPECT_TRUE(unhyphenated_language("zh-CN"));
    EXPECT_FALSE(unhyphenated_language("fr"));
    EXPECT_EQ(language_direction("he"), 1);
}

TEST(PdfFonts, FamilyNamesAndConfinedFiles) {
    book::PdfConfig c;
    c.font_regular = "No Such Family Anywhere";
    EXPECT_THROW(FontSet(c, "."), util::BuildError);
    c.font_regular = "/etc/passwd.ttf"; // outside the book and the font folders
    EXPECT_THROW(FontSet(c, "."), util::BuildError);
    c.font_regular = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";
    FontSet ok(c, ".");
    EXPECT_NE(ok.file(Face::Regular).postscript_name().find("DejaVuSerif"), std::string::npos);
    // A .ttc member (Noto Sans CJK) and a CFF font load.
    FontId cjk;
    ASSERT_TRUE(ok.resolve(Face::Regular, U'漢', "ja", cjk));
    EXPECT_TRUE(ok.font(cjk).cff());
}
