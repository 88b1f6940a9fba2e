// Keys under which laid-out PDF chapters are kept between builds (render::Memo, `imprenta
// watch`). A chapter's layout and its page breaks depend on the chapter alone, not on where it
// starts in the book (page numbers are given later), so a layout is reused whenever the chapter,
// the book's metadata and the images' sizes are the same. The [pdf] options, fonts and
// hyphenation files are the memo owner's part: it clears the memo when the configuration changes.
#pragma once
#include "doc/ir.h"
#include "pdf/text.h"
#include "render/memo.h"

#include <vector>

namespace imprenta::pdf {

std::vector<render::Key> layout_keys(const doc::Book& book, const ImageSizes& sizes);

} // namespace imprenta::pdf
