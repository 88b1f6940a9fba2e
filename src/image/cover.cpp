#include "image/cover.h"

#include "image/codec.h"
#include "image/svg_raster.h"

namespace imprenta::image {

std::string svg_to_png(std::string_view svg, int width, int height) {
    detail::Bitmap bm = detail::rasterize_svg(svg, width, height);
    if (bm.width != width || bm.height != height) bm = detail::scale_down(bm, width, height);
    return detail::encode_png(bm, 6);
}

} // namespace imprenta::image
