// The EPUB's drawn cover (render/cover_art.h) on the first banner its chapters show.
#include "epub/generated_cover.h"

namespace imprenta::epub {

namespace {

// The first banner the chapters show, prepared as the EPUB prepares its images (the same bytes
// as images/), if librsvg can draw it and it keeps the SVG small.
bool first_banner(const doc::Book& book, const image::EpubPolicy& policy, const image::Cache* cache,
                  image::EpubImage& out) {
    for (const auto& ch : book.chapters) {
        if (ch.banner < 0 || size_t(ch.banner) >= book.assets.size()) continue;
        try {
            out = image::prepare_for_epub(book.assets[size_t(ch.banner)].source, policy, cache);
        } catch (const image::ImageError&) {
            continue; // left out of the EPUB: the next banner
        }
        bool drawable = out.media_type == "image/jpeg" || out.media_type == "image/png";
        return drawable && out.bytes.size() < (size_t(2) << 20);
    }
    return false;
}

} // namespace

CoverDrawing::CoverDrawing(const doc::Book& book, std::string title, std::string tmpl,
                           const image::EpubPolicy& policy, const image::Cache* cache,
                           render::Memo* memo)
    : book_(book), title_(std::move(title)), tmpl_(std::move(tmpl)), policy_(policy), cache_(cache),
      memo_(memo) {}

void CoverDrawing::draw() noexcept {
    try {
        image::EpubImage banner;
        render::CoverGround ground;
        bool drawn_on_banner = first_banner(book_, policy_, cache_, banner);
        if (drawn_on_banner) ground = {banner.media_type, banner.bytes};
        png_ = render::cover_png_from(book_, title_, std::move(tmpl_),
                                      drawn_on_banner ? &ground : nullptr, cache_, memo_);
    } catch (const image::ImageError& e) {
        error_ = e.what();
    } catch (...) {
        failure_ = std::current_exception();
    }
}

std::optional<std::string> CoverDrawing::take(std::string& error) {
    if (failure_) std::rethrow_exception(failure_);
    error = error_;
    return std::move(png_);
}

} // namespace imprenta::epub
