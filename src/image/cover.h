// Drawing an SVG (a generated cover) to a PNG, with the libraries the SVG images already use.
#pragma once
#include "image/prepare.h"

#include <functional>
#include <future>
#include <string>
#include <string_view>

namespace imprenta::image {

// Renders `svg` to exactly width×height and encodes it as PNG. Same input, same bytes: with a
// cache, the PNG is kept there keyed by the SVG's bytes and size, and later builds reuse it.
// Throws ImageError (unsafe or malformed SVG, librsvg errors).
std::string svg_to_png(std::string_view svg, int width, int height, const Cache* cache = nullptr);

// Drawn covers are drawn on one thread per process, which a build readies while it reads the
// book (ready_drawing_thread): librsvg and the ~40 libraries it brings loaded, fontconfig's
// configuration read, and pango's font map, which is per thread, holding the cover's faces.
// About 25 ms of CPU that a cover drawn cold pays at the end of the build, on the critical path.
//
// Runs `job` there after the jobs posted before it; the future is ready once it has run (it
// must not throw). Throws std::system_error when no thread can be started.
std::future<void> on_drawing_thread(std::function<void()> job);

// Posts a first drawing of `svg` at width×height, its pixels thrown away, errors ignored: the
// drawing thread then has everything that drawing needed loaded. Never throws.
void ready_drawing_thread(std::string svg, int width, int height);

} // namespace imprenta::image
