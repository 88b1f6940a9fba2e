// Drawing an SVG (a generated cover) to a PNG, with the libraries the SVG images already use.
#pragma once
#include <string>
#include <string_view>

namespace imprenta::image {

// Renders `svg` to exactly width×height and encodes it as PNG. Same input, same bytes.
// Throws ImageError (unsafe or malformed SVG, librsvg errors).
std::string svg_to_png(std::string_view svg, int width, int height);

} // namespace imprenta::image
