#include "image/cover.h"

#include "image/build.h"
#include "image/codec.h"
#include "image/svg_raster.h"

namespace imprenta::image {

std::string svg_to_png(std::string_view svg, int width, int height, const Cache* cache) {
    // A drawn cover costs a librsvg render and a PNG encode of 4 million pixels every build.
    std::string key, png;
    if (cache) {
        key = detail::cache_key("svg-png-paeth-rle-1idat",
                                std::to_string(width) + "x" + std::to_string(height), svg);
        if (cache->get(key, png) && png.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0) return png;
    }
    detail::Bitmap bm = detail::rasterize_svg(svg, width, height);
    if (bm.width != width || bm.height != height) bm = detail::scale_down(bm, width, height);
    png = detail::encode_png(bm, 6, /*runs=*/true);
    if (cache) cache->put(key, png);
    return png;
}

} // namespace imprenta::image
