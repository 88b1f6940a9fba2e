// The cover drawn for a book that names none (book.toml `cover`): the EPUB's cover image, and the
// PDF's first page when [pdf] cover_page asks for one.
#pragma once
#include "doc/ir.h"
#include "image/prepare.h"
#include "render/memo.h"
#include "util/diag.h"

#include <string>
#include <string_view>

namespace imprenta::render {

inline constexpr int kCoverWidth = 1600;
inline constexpr int kCoverHeight = 2560;

// A picture under the title (the book's first banner): JPEG or PNG bytes.
struct CoverGround {
    std::string media_type; // "image/jpeg" | "image/png"
    std::string_view bytes;
};

// The cover template with the book's title, subtitle and authors filled in, over `ground` when
// there is one, else on the template's plain ground.
std::string cover_svg(const doc::Metadata& meta, std::string_view title, std::string tmpl,
                      const CoverGround* ground = nullptr);

// The drawn cover as a PNG: from `memo` when an earlier build in this process drew the same SVG,
// else from `cache` (on disk, keyed by the SVG), else drawn. Throws image::ImageError.
std::string cover_png(const doc::Book& book, std::string_view title, const CoverGround* ground,
                      const image::Cache* cache, util::Diagnostics* diags, Memo* memo = nullptr);
// The same with the cover template `tmpl` already loaded (util::load_template's
// "epub/cover.svg"): what a thread drawing the cover is given, so that the template's warnings
// come in the build's order.
std::string cover_png_from(const doc::Book& book, std::string_view title, std::string tmpl,
                           const CoverGround* ground, const image::Cache* cache,
                           Memo* memo = nullptr);

} // namespace imprenta::render
