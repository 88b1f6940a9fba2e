#include "image/cover.h"

#include "image/build.h"
#include "image/codec.h"
#include "image/svg_raster.h"

namespace imprenta::image {

std::string svg_to_png(std::string_view svg, int width, int height, const Cache* cache) {
    // A drawn cover costs a librsvg render and a PNG encode of 4 million pixels every build.
    std::string key, png;
    if (cache) {
        key = detail::cache_key("svg-png-paeth-runs-1idat",
                                std::to_string(width) + "x" + std::to_string(height), svg);
        if (cache->get(key, png) && png.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0) return png;
    }
    // Encoded from cairo's pixels as they are when the drawing is opaque (a cover always is): no
    // pass over its 16 MB to make them straight RGBA first, none to look for alpha.
    detail::Argb32 drawn = detail::rasterize_svg_argb32(svg, width, height);
    std::optional<std::string> direct;
    if (drawn.width == width && drawn.height == height) direct = detail::encode_drawn_argb32(drawn);
    if (direct) {
        png = std::move(*direct);
    } else {
        detail::Bitmap bm = detail::straight_rgba(std::move(drawn));
        if (bm.width != width || bm.height != height) bm = detail::scale_down(bm, width, height);
        png = detail::encode_png(bm, 6, /*runs=*/true);
    }
    if (cache) cache->put(key, png);
    return png;
}

} // namespace imprenta::image
