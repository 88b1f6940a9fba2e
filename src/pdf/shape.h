// Shaping with HarfBuzz: text in one style -> runs of positioned glyphs, one run per font (the
// style's face or a fallback per character), with kerning, ligatures, marks, Arabic joining and
// Indic conjuncts. Results are cached per thread by (fonts, face, direction, language, text).
#pragma once
#include "pdf/fonts.h"

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace imprenta::pdf {

struct Glyph {
    uint32_t gid = 0;
    uint32_t cluster = 0;     // byte offset in the run's text where the glyph's cluster starts
    uint32_t cluster_len = 0; // bytes of text the glyph stands for (0: another glyph of the
                              // same cluster carries them)
    float advance = 0, dx = 0, dy = 0; // 1/1000 em: shaped advance and offsets
};

// Glyphs of one font, in visual order, for text in logical order.
struct Run {
    FontId font = 0;
    bool rtl = false;
    uint32_t start = 0; // byte offset of `text` in the text that was shaped
    std::string text;
    std::vector<Glyph> glyphs;
    double width = 0; // points at the size it was shaped for
};

struct ShapeSpec {
    Face face = Face::Regular;
    double size = 10;
    std::string lang; // BCP 47 of the text
    bool rtl = false; // the text is one right-to-left bidi run
};

// Runs in visual order. Characters no installed font has are drawn as '?' in the face asked for
// and added to `missing`; invisible characters (pdf::invisible) are never drawn.
std::vector<Run> shape(const FontSet& fonts, const ShapeSpec& spec, std::string_view text,
                       std::set<char32_t>* missing);

// The glyphs of `runs` (shaped from one text) whose clusters start in [from, to) of that text,
// with widths for `size`. `from` and `to` should be cluster boundaries (cluster_boundary).
std::vector<Run> slice(const std::vector<Run>& runs, size_t from, size_t to, double size);
bool cluster_boundary(const std::vector<Run>& runs, size_t at);

double width_of(const std::vector<Run>& runs);

} // namespace imprenta::pdf
