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

// Glyphs of one font, in visual order, for text in logical order.
struct GlyphRun {
    FontId font = 0;
    bool rtl = false;
    std::string text;
    std::vector<Glyph> glyphs; // clusters are byte offsets in `text`
};

// A text shaped once, as the shaping cache keeps it: shared by every use, never changed.
struct Shaped {
    std::vector<GlyphRun> runs;   // visual order
    std::vector<uint32_t> starts; // byte offset of each run's text in the text shaped
    std::vector<double> widths;   // of each run, 1/1000 em
    std::vector<char32_t> missing;
};

// The glyphs [first, last) of a shared GlyphRun (for drawing and inspection).
struct Run {
    std::shared_ptr<const GlyphRun> shaped;
    uint32_t start = 0;                  // byte offset of shaped->text in the text shaped
    uint32_t first = 0, last = 0;        // glyphs
    uint32_t text_from = 0, text_to = 0; // bytes of shaped->text these glyphs stand for
    double width = 0;                    // points

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

// The clusters in bytes [from, to) of a shaped text, at a size: what a box of a line draws.
// Copying one costs no allocation, so a word set a thousand times is shaped and stored once.
struct ShapedText {
    std::shared_ptr<const Shaped> shaped;
    uint32_t from = 0, to = 0;
    double size = 0;
    double width = 0; // points
    bool cut = false; // a part of the text (widths then add up glyph by glyph)
    // Of a text shaped as one run: the glyphs [first_glyph, last_glyph) that [from, to) draws,
    // found once by shape() and slice() instead of by every look at the text.
    bool one_run = false;
    uint32_t first_glyph = 0, last_glyph = 0;

    bool empty() const { return !shaped || shaped->runs.empty(); }
    // The runs drawn, in visual order, as views of the shared glyphs.
    std::vector<Run> runs() const;
    void append_runs(std::vector<Run>& out) const;
};

// One short text (the hyphen of a break) shaped for each spec asked, remembered by the caller so
// that a paragraph's every hyphenation point does not look it up in the shaping cache.
class ShapeMemo {
public:
    explicit ShapeMemo(std::string_view text) : text_(text) {}
    const ShapedText& get(const FontSet& fonts, const ShapeSpec& spec);

private:
    std::string_view text_;
    std::vector<std::pair<ShapeSpec, ShapedText>> done_;
};

// A run's glyphs [first, last) drawn by a ShapedText, without holding the shared glyphs (valid
// while the ShapedText lives): what append_runs gives, for callers that only look.
struct RunView {
    const GlyphRun* run = nullptr;
    uint32_t first = 0, last = 0;        // glyphs
    uint32_t text_from = 0, text_to = 0; // bytes of run->text these glyphs stand for
};
// The first and last runs drawn (the same one when there is one); false when none is drawn.
bool edge_runs(const ShapedText& t, RunView& first, RunView& last);

// Runs in visual order. Characters no installed font has are drawn as '?' in the face asked for
// and added to `missing`; invisible characters (pdf::invisible) are never drawn.
ShapedText shape(const FontSet& fonts, const ShapeSpec& spec, std::string_view text,
                 std::set<char32_t>* missing);

// Frees every thread's cached shapes of `fonts` (what the chapters' layout shaped: 200,000
// entries, 40 MB, in a book of notes), once its text is set. Only while no thread shapes with it.
void forget_shapes(const FontSet& fonts);

// The clusters of `t` that start in [from, to) of the text shaped. `from` and `to` should be
// cluster boundaries (cluster_boundary).
ShapedText slice(const ShapedText& t, size_t from, size_t to);
bool cluster_boundary(const ShapedText& t, size_t at);

} // namespace imprenta::pdf
