// [pdf] cover_page: the book's cover as the interior's first page, the same image the EPUB shows.
#include "pdf/cover.h"

#include "render/cover_art.h"

namespace imprenta::pdf {

namespace {

// The first banner the chapters show, prepared as the EPUB prepares it (so the drawn cover is
// the EPUB's, byte for byte), if librsvg can draw it and it keeps the SVG small.
bool first_banner(const doc::Book& book, const image::Cache* cache, image::EpubImage& out) {
    for (const auto& ch : book.chapters) {
        if (ch.banner < 0 || size_t(ch.banner) >= book.assets.size()) continue;
        try {
            out = image::prepare_for_epub(book.assets[size_t(ch.banner)].source, {}, cache);
        } catch (const std::exception&) {
            continue; // the EPUB skips a banner it cannot prepare too
        }
        bool drawable = out.media_type == "image/jpeg" || out.media_type == "image/png";
        return drawable && out.bytes.size() < (size_t(2) << 20);
    }
    return false;
}

} // namespace

std::vector<OutPage> cover_pages(const doc::Book& book, const Geometry& geo, const Options& options,
                                 std::map<int, image::PdfImage>& images, util::Diagnostics& diags) {
    if (!options.config.cover_page) return {};
    if (geo.print) {
        diags.warning({"book.toml"}, "[pdf] cover_page is left out of a [print] interior: the "
                                     "printer takes the cover as a file of its own (--format "
                                     "cover)");
        return {};
    }
    int key = book.meta.cover;
    int w = 0, h = 0;
    try {
        if (key >= 0 && size_t(key) < book.assets.size()) {
            image::PdfPolicy policy; // the cover's own pixels, up to 300 ppi over the page
            policy.max_width = int(geo.page_w / 72 * 300);
            policy.max_height = int(geo.page_h / 72 * 300);
            image::PdfImage im =
                image::prepare_for_pdf(book.assets[size_t(key)].source, policy, options.cache);
            w = im.width;
            h = im.height;
            images[key] = std::move(im);
        } else {
            image::EpubImage banner;
            render::CoverGround ground;
            if (first_banner(book, options.cache, banner))
                ground = {banner.media_type, banner.bytes};
            std::string png =
                render::cover_png(book, book.meta.title, ground.bytes.empty() ? nullptr : &ground,
                                  options.cache, &diags, options.memo);
            key = int(book.assets.size()); // past the asset table: no file of the book
            images[key] = image::pdf_image_from_png(png);
            w = render::kCoverWidth;
            h = render::kCoverHeight;
        }
    } catch (const std::exception& e) {
        diags.warning({"book.toml"}, std::string("[pdf] cover_page left out: ") + e.what());
        return {};
    }
    if (w <= 0 || h <= 0) return {};
    // Whole on the page, centred on a dark ground that fills it (the EPUB's cover page shows
    // it whole too).
    OutPage cover, verso;
    double s = std::min(geo.page_w / w, geo.page_h / h), iw = w * s, ih = h * s;
    cover.paint.rects.push_back({0, 0, geo.page_w, geo.page_h, {0.14f, 0.19f, 0.25f}});
    cover.paint.images.push_back(
        {(geo.page_w - iw) / 2, (geo.page_h - ih) / 2, iw, ih, key, kArtifact});
    cover.label.assign(1, 'i');
    verso.label.assign(2, 'i');
    verso.blank = true; // the title page stays a recto
    return {std::move(cover), std::move(verso)};
}

} // namespace imprenta::pdf
