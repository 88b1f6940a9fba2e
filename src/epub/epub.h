// The EPUB 3 backend: XHTML chapters, package document, navigation and the zip container.
#pragma once
#include "doc/ir.h"
#include "image/prepare.h"
#include "util/diag.h"

#include <filesystem>

namespace imprenta::epub {

struct Options {
    image::EpubPolicy images;
    const image::Cache* cache = nullptr;
};

// Writes the book to `out` atomically (temporary file + rename). Throws util::BuildError.
void write_epub(const doc::Book& book, const std::filesystem::path& out, const Options& options,
                util::Diagnostics& diags);

} // namespace imprenta::epub
