// Page content streams. imprenta writes the operators itself instead of calling libharu once per
// word, so that every page is encoded and deflated on its own thread; libharu then only copies
// the finished bytes into the file (see writer.cpp).
#pragma once
#include "pdf/page.h"
#include "pdf/print_color.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace imprenta::pdf {

// A glyph of one font: (font << 32) | glyph id.
using GlyphKey = uint64_t;
inline GlyphKey glyph_key(FontId f, uint32_t gid) {
    return (GlyphKey(f) << 32) | gid;
}

// What a page's operators refer to: the writer registers these as the page's resources, and
// subsets the fonts to the glyphs drawn, with the text each stands for (ToUnicode).
struct PageUse {
    std::vector<FontId> fonts;    // outline fonts drawn, sorted, each once
    std::vector<int> images;      // assets drawn, in first-use order, each once
    std::vector<GlyphKey> glyphs; // sorted, each once
    std::vector<std::pair<GlyphKey, std::string>> texts; // a glyph's characters, first use
    // Colour bitmap glyphs (emoji) drawn through the page's Type 3 font /E1, whose code k + 1
    // is bitmaps[k]; their characters are in `texts` too.
    std::vector<GlyphKey> bitmaps;
    // Marked content: MCID k is the content of structure node marks[k] (pdf/tagging.h).
    std::vector<int> marks;
};

// Resource names the operators use: /F<rank + 1> by font (ranks from the writer, a stable
// order of the fonts), /Im<asset> by image, /E1 for the page's colour glyphs.
std::string font_resource(int rank);
std::string image_resource(int asset);
constexpr const char* kBitmapFont = "E1";

// Natural advance of a glyph as written in the font's /W array, in 1/1000 of 1/1000 em.
long long glyph_width(const Font& font, uint32_t gid);

// Whether page_operators draws `t` in its outline font (named in the page's /Font resources,
// then in PageUse::fonts): which fonts a document embeds is known before its pages are encoded.
bool draws_outline_font(const TextOp& t, const FontSet& fonts);

// The operators that paint `p` on a page `page_h` points high (PDF's y axis grows upwards).
// Images whose asset is not in `drawable` (asset index -> true) are left out. Glyphs are
// 2-byte codes equal to glyph ids (Identity-H over CID = glyph id), positioned with TJ
// displacements where the shaped advance differs from the font's. Text and images tagged with
// a node of `roles` (the role name of each node of the page's structure tree) are marked
// content with an MCID; everything else is an /Artifact. With `cmyk` (PDF/X) colours are
// written as CMYK of its output profile.
std::string page_operators(const Paint& p, double page_h, const FontSet& fonts,
                           const std::vector<int>& font_rank, const std::vector<bool>& drawable,
                           const std::vector<const char*>& roles, PageUse& use,
                           const PrintColor* cmyk = nullptr);

// zlib (RFC 1950) deflate: the bytes of a /FlateDecode stream.
std::string flate(std::string_view data);

} // namespace imprenta::pdf
