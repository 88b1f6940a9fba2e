// Building the IR of a whole book: every essay read in parallel (Markdown -> chapter), then, in
// reading order, titles, ids, links between essays and the asset table settled.
#pragma once
#include "book/assets.h"
#include "book/config.h"
#include "book/scan.h"
#include "doc/ir.h"
#include "util/diag.h"

#include <vector>

namespace imprenta::doc {

class EssayCache;

// `essays` in reading order (book::scan_content). Warnings go to `diags`; throws util::BuildError
// for what stops the build (an empty book). `cache`: essays parsed by earlier builds of the book
// (imprenta watch), used and added to.
Book assemble_book(const book::Config& config, std::vector<book::Essay> essays,
                   util::Diagnostics& diags, EssayCache* cache = nullptr);

// "es" or "en" from common function words, for books that do not say their language.
std::string guess_language(std::string_view text);

} // namespace imprenta::doc
