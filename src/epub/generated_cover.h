// A cover for books that name none (book.toml `cover`): stores and readers want one.
#pragma once
#include "doc/ir.h"
#include "epub/plan.h"
#include "render/memo.h"
#include "util/diag.h"

#include <string>
#include <string_view>

namespace imprenta::epub {

inline constexpr int kCoverWidth = 1600;
inline constexpr int kCoverHeight = 2560;

// The cover template with the book's title, subtitle and authors filled in.
std::string generated_cover_svg(const doc::Metadata& meta, std::string_view title,
                                std::string tmpl);

// The drawn cover as an image of the EPUB (images/cover.png), taken from `memo` when an earlier
// build drew the same SVG. Throws image::ImageError.
ImageResource generated_cover(const doc::Book& book, std::string_view title,
                              util::Diagnostics* diags, render::Memo* memo = nullptr);

} // namespace imprenta::epub
