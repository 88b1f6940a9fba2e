// The EPUB 3 backend: XHTML chapters, package document, navigation and the zip container.
#pragma once
#include "doc/ir.h"
#include "image/prepare.h"
#include "render/memo.h"
#include "render/page_map.h"
#include "render/render.h"
#include "util/diag.h"

#include <filesystem>
#include <memory>

namespace imprenta::epub {

struct Options {
    image::EpubPolicy images;
    const image::Cache* cache = nullptr;
    render::Memo* memo = nullptr;    // pages and the drawn cover of an earlier build (watch)
    std::filesystem::path report_as; // the file named in messages when `out` is a temporary
    // The print edition's pages, when the PDF was built first: gives the EPUB page-break markers
    // and a page-list.
    const render::PageMap* pages = nullptr;
};

// Writes the book to `out`. Throws util::BuildError, and then `out` is not created (libzip writes
// the archive at the end); making it replace a previous file atomically along with the other
// outputs is the caller's part (util::OutputFolder).
void write_epub(const doc::Book& book, const std::filesystem::path& out, const Options& options,
                util::Diagnostics& diags);

// The EPUB behind the render::Renderer interface ("epub", <slug>.epub).
std::unique_ptr<render::Renderer> make_renderer();

} // namespace imprenta::epub
