// A cover for books that name none (book.toml `cover`): stores and readers want one.
#pragma once
#include "epub/plan.h"
#include "image/prepare.h"
#include "render/cover_art.h"
#include "render/memo.h"
#include "util/diag.h"

namespace imprenta::epub {

// The drawn cover as an image of the EPUB (images/cover.png), on the first banner the chapters
// show (from plan.images) if any. Throws image::ImageError.
ImageResource generated_cover(const Plan& plan, const image::Cache* cache, util::Diagnostics* diags,
                              render::Memo* memo = nullptr);

} // namespace imprenta::epub
