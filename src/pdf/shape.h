// Shaping with HarfBuzz: text in one style -> runs of positioned glyphs, one run per font (the
// style's face or a fallback per character), with kerning, ligatures, marks, Arabic joining and
// Indic conjuncts. Results are cached per thread by (fonts, face, direction, language, text).
#pragma once
#include "pdf/fonts.h"

#include <memory>
#include <set>
#include <span>
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

// Glyphs of one font, in visual order, for text in logical order: shaped once and shared by every
// use (the shaping cache hands out views of it, so a word set a thousand times is stored once).
struct GlyphRun {
    FontId font = 0;
    bool rtl = false;
    std::string text;
    std::vector<Glyph> glyphs; // clusters are byte offsets in `text`
};

// The glyphs [first, last) of a shared GlyphRun: a whole run, or the part of it on one side of a
// break. Copying one costs no allocation.
struct Run {
    std::shared_ptr<const GlyphRun> shaped;
    uint32_t start = 0;                  // byte offset of shaped->text in the text that was shaped
    uint32_t first = 0, last = 0;        // glyphs
    uint32_t text_from = 0, text_to = 0; // bytes of shaped->text these glyphs stand for
    double width = 0;                    // points at the size it was shaped for

    FontId font() const { return shaped->font; }
    bool rtl() const { return shaped->rtl; }
    std::span<const Glyph> glyphs() const {
        return {shaped->glyphs.data() + first, size_t(last - first)};
    }
    std::string_view text() const {
        return std::string_view(shaped->text).substr(text_from, text_to - text_from);
    }
};

struct ShapeSpec {
    Face face = Face::Regular;
    double size = 10;
    std::string lang; // BCP 47 of the text
    bool rtl = false; // the text is one right-to-left bidi run
};

// Runs in visual order (widths for spec.size). Characters no installed font has are drawn as '?' in
// the face asked for and added to `missing`; invisible characters (pdf::invisible) are never drawn.
std::vector<Run> shape(const FontSet& fonts, const ShapeSpec& spec, std::string_view text,
                       std::set<char32_t>* missing);

// The glyphs of `runs` (shaped from one text) whose clusters start in [from, to) of that text,
// with widths for `size`. `from` and `to` should be cluster boundaries (cluster_boundary).
std::vector<Run> slice(const std::vector<Run>& runs, size_t from, size_t to, double size);
bool cluster_boundary(const std::vector<Run>& runs, size_t at);

double width_of(const std::vector<Run>& runs);

} // namespace imprenta::pdf
