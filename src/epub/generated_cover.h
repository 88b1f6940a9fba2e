// A cover for books that name none (book.toml `cover`): stores and readers want one.
#pragma once
#include "doc/ir.h"
#include "epub/plan.h"
#include "image/prepare.h"
#include "render/memo.h"
#include "util/diag.h"

#include <string>
#include <string_view>

namespace imprenta::epub {

inline constexpr int kCoverWidth = 1600;
inline constexpr int kCoverHeight = 2560;

// The cover template with the book's title, subtitle and authors filled in, over `ground` (the
// book's first banner, JPEG or PNG) when there is one, else on the template's plain ground.
std::string generated_cover_svg(const doc::Metadata& meta, std::string_view title, std::string tmpl,
                                const ImageResource* ground = nullptr);

// The drawn cover as an image of the EPUB (images/cover.png), on the first banner the chapters
// show (from plan.images) if any. Taken from `memo` when an earlier build in this process drew
// the same SVG, else from `cache` (on disk, keyed by the SVG), else drawn. Throws
// image::ImageError.
ImageResource generated_cover(const Plan& plan, const image::Cache* cache, util::Diagnostics* diags,
                              render::Memo* memo = nullptr);

} // namespace imprenta::epub
