// Page content streams. imprenta writes the operators itself instead of calling libharu once per
// word, so that every page is encoded and deflated on its own thread; libharu then only copies
// the finished bytes into the file (see writer.cpp).
#pragma once
#include "pdf/page.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace imprenta::pdf {

// What a page's operators refer to: the writer registers these as the page's resources, and
// marks the glyphs in the fonts so that libharu's subsets contain them.
struct PageUse {
    uint32_t faces = 0;           // bit (1 << Face) for every face drawn
    std::vector<int> images;      // assets drawn, in first-use order, each once
    std::vector<uint32_t> glyphs; // (face << 16) | code point, sorted, each once
};

// Resource names the operators use: /F1../F7 by face, /Im<asset> by image.
std::string font_resource(Face f);
std::string image_resource(int asset);

// The operators that paint `p` on a page `page_h` points high (PDF's y axis grows upwards).
// Images whose asset is not in `drawable` (asset index -> true) are left out. Text is written as
// 2-byte codes equal to the code points, the Identity-H encoding libharu's UTF-8 fonts use, and
// measured with `fonts` (the widths libharu writes) to set the words of a line in one array.
std::string page_operators(const Paint& p, double page_h, const FontSet& fonts,
                           const std::vector<bool>& drawable, PageUse& use);

// zlib (RFC 1950) deflate: the bytes of a /FlateDecode stream.
std::string flate(std::string_view data);

} // namespace imprenta::pdf
