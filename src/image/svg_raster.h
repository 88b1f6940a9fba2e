// SVG to pixels for the PDF (librsvg + cairo): checked first, sized to the page, rendered one at a
// time, and with no way for the document to reach a file or the network.
#pragma once
#include "image/codec.h"

#include <cstddef>
#include <string_view>

namespace imprenta::image::detail {

inline constexpr size_t kMaxSvgBytes = size_t(4) << 20;
inline constexpr int kDefaultSvgWidth = 1200; // an SVG with neither width/height nor viewBox

// Runs sanitize_svg (throws ImageError when unsafe or malformed), then renders the SVG scaled to
// fit max_w×max_h keeping its aspect (up or down: it is vector art); 0 = its natural size at
// 96 px per inch. Straight-alpha RGBA. Throws ImageError (too big, librsvg errors, pixel budget).
Bitmap rasterize_svg(std::string_view bytes, int max_w, int max_h);
// The same, as cairo drew it: for an encoder that reads ARGB32 (the drawn cover).
Argb32 rasterize_svg_argb32(std::string_view bytes, int max_w, int max_h);

// The renderer alone, WITHOUT sanitize_svg: only for tests proving that librsvg itself loads
// nothing from outside the document. Never call it on book input.
Bitmap render_svg_unchecked(std::string_view bytes, int max_w, int max_h);

} // namespace imprenta::image::detail
