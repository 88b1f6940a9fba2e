// Drawing an SVG (a generated cover) to a PNG, with the libraries the SVG images already use.
#pragma once
#include "image/prepare.h"

#include <string>
#include <string_view>

namespace imprenta::image {

// Renders `svg` to exactly width×height and encodes it as PNG. Same input, same bytes: with a
// cache, the PNG is kept there keyed by the SVG's bytes and size, and later builds reuse it.
// Throws ImageError (unsafe or malformed SVG, librsvg errors).
std::string svg_to_png(std::string_view svg, int width, int height, const Cache* cache = nullptr);

} // namespace imprenta::image
