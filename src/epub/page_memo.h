// Keys under which rendered EPUB pages are kept between builds (render::Memo, `imprenta watch`):
// everything a page is made from, so a page is reused only when rendering it again would give
// the same bytes.
#pragma once
#include "epub/plan.h"
#include "epub/xml.h"
#include "render/memo.h"

#include <vector>

namespace imprenta::epub {

// One key per chapter: its IR, its file name and language, the book's title, language, metadata
// and page template, the images table (names, not bytes), and the file names, titles and ids
// of the chapters it links to.
std::vector<render::Key> page_keys(const Plan& plan, const PageTemplate& page, render::Memo& memo);

} // namespace imprenta::epub
