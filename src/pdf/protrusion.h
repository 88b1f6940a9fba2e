// Character protrusion (margin kerning, pdfTeX's \lpcode/\rpcode as microtype sets them): how far
// a line's first and last characters hang into the margins, so that justified edges look
// straight to the eye rather than to the ruler.
#pragma once
#include "pdf/shape.h"

#include <vector>

namespace imprenta::pdf {

// Fraction of the character's width that may hang into the left (start of a line) and right
// (end of a line) margin; 0 for most characters.
struct Protrusion {
    float left = 0, right = 0;
};
Protrusion protrusion_factors(char32_t c);

// The points the first glyph of `text` (left-to-right) may hang into the left margin and the
// last one into the right margin, at `size`.
Protrusion protrusion_of(const ShapedText& text, double size);

} // namespace imprenta::pdf
