// Fonts into the PDF: every outline font drawn is subset with HarfBuzz (hb-subset) to its glyphs
// and embedded as a Type 0 font over a CIDFontType2 (TrueType) or CIDFontType0C (CFF) program,
// codes = glyph ids, with a ToUnicode map from each glyph to the characters it stands for
// (a ligature to all of them). Colour bitmap glyphs (emoji) become a Type 3 font per page whose
// glyphs paint the font's PNG strikes.
#pragma once
#include "pdf/content.h"
#include "pdf/fonts.h"
#include "pdf/haru_objects.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace imprenta::pdf {

// The glyphs every page drew, merged in page order (the first text seen for a glyph wins).
struct FontUse {
    std::map<FontId, std::vector<uint32_t>> glyphs; // outline fonts: glyph ids, each once
    std::map<GlyphKey, std::string> texts;
    void add(const PageUse& page);

private:
    // By font, by glyph id: in `glyphs` already (every page draws mostly the same glyphs).
    std::vector<std::vector<uint8_t>> seen_;
    std::vector<std::vector<bool>> has_text_; // the same, for the keys of `texts`
};

class FontEmbedder {
public:
    FontEmbedder(haru::Objects& objects, const FontSet& fonts);
    ~FontEmbedder();

    // Numbers the objects of `fonts` (outline fonts, each drawn somewhere) before their glyphs
    // are known: they come before the pages in the file, and the pages are encoded meanwhile.
    // Then font(id) is a font's dictionary.
    void declare(const std::vector<FontId>& fonts);
    haru::Obj font(FontId id) const { return fonts_.at(id); }
    size_t declared() const;

    // Once every page is in `use`: the glyphs each declared font keeps. Throws util::BuildError
    // if `use` does not draw from exactly the declared fonts.
    void plan(const FontUse& use, const std::string& target);
    // Subsets declared font k (HarfBuzz and deflate, no libharu): fonts may be subset on
    // several threads at once, and beside the thread that adds objects.
    void subset(size_t k);
    // Writes every declared font: program, descriptor, widths, ToUnicode map. Throws
    // util::BuildError if a font could not be subset.
    void embed(const FontUse& use, const std::string& target);

    // The Type 3 font for a page's colour glyphs (code k + 1 = bitmaps[k]).
    haru::Obj bitmap_font(const std::vector<GlyphKey>& bitmaps, const FontUse& use);

private:
    struct Planned; // a declared font: its objects, glyphs and subset program
    haru::Objects& obj_;
    const FontSet& set_;
    std::vector<Planned> planned_; // in the order of font_ranks
    std::map<FontId, haru::Obj> fonts_;
    std::map<GlyphKey, haru::Obj> glyph_images_; // shared by the pages' Type 3 fonts

    haru::Obj glyph_image(GlyphKey key);
    // The FontDescriptor `desc` of a subset named `base` whose program is `file`.
    void describe(haru::Obj desc, const Font& font, const std::string& base, haru::Obj file);
};

// The order fonts are named and written in: by file and face index, so the output never depends
// on which thread met a fallback font first. rank[id] for every loaded font.
std::vector<int> font_ranks(const FontSet& fonts);

} // namespace imprenta::pdf
