// The EPUB's drawn cover (render/cover_art.h) on the first banner its chapters show.
#include "epub/generated_cover.h"

namespace imprenta::epub {

namespace {

// The first banner the chapters show, if librsvg can draw it and it keeps the SVG small.
const ImageResource* first_banner(const Plan& plan) {
    for (const auto& ch : plan.book->chapters) {
        if (ch.banner < 0 || size_t(ch.banner) >= plan.images.size()) continue;
        const ImageResource& r = plan.images[ch.banner];
        if (!r.ok) continue;
        bool drawable = r.media_type == "image/jpeg" || r.media_type == "image/png";
        return drawable && r.bytes.size() < (size_t(2) << 20) ? &r : nullptr;
    }
    return nullptr;
}

} // namespace

ImageResource generated_cover(const Plan& plan, const image::Cache* cache, util::Diagnostics* diags,
                              render::Memo* memo) {
    const ImageResource* banner = first_banner(plan);
    render::CoverGround ground;
    if (banner) ground = {banner->media_type, banner->bytes};
    ImageResource r;
    r.bytes =
        render::cover_png(*plan.book, plan.title, banner ? &ground : nullptr, cache, diags, memo);
    r.media_type = "image/png";
    r.path = "images/cover.png";
    r.id = "cover-image";
    r.ok = true;
    return r;
}

} // namespace imprenta::epub
