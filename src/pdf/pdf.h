// The PDF backend: typesets the book (fonts, hyphenation, line breaking, pagination) and draws it
// with libharu.
#pragma once
#include "book/config.h"
#include "doc/ir.h"
#include "image/prepare.h"
#include "render/page_map.h"
#include "render/render.h"
#include "util/diag.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

namespace imprenta::pdf {

class FontSet;

struct Options {
    book::PdfConfig config;
    const image::Cache* cache = nullptr;
    render::Memo* memo = nullptr;    // chapters laid out by an earlier build (watch)
    std::filesystem::path report_as; // the file named in messages when `out` is a temporary
    // The book's fonts, loaded ahead (PdfRenderer::prepare); null: write_pdf loads them.
    std::function<std::unique_ptr<FontSet>()> fonts;
    // Called with the page map once it is final and every warning is reported, before the file
    // is written (libharu: about half of a watch rebuild's PDF time).
    std::function<void(const std::vector<render::PageStart>&)> pages_ready;
    std::function<void(size_t, int)> done_with_blocks; // render::Output's
};

// What the PDF asks the image stage for, per asset of `book`: the pixels that give image_dpi at
// the largest size the asset prints at (pdf/image_res.h).
std::vector<image::PdfPolicy> image_policies(const book::PdfConfig& config, const doc::Book& book);

// Where in the IR each printed page starts (render/page_map.h: later renderers read it).
using PageStart = render::PageStart;

// Writes the book to `out` and returns its page map. Throws util::BuildError; making `out`
// replace a previous file atomically along with the other outputs is the caller's part
// (util::OutputFolder).
std::vector<PageStart> write_pdf(const doc::Book& book, const std::filesystem::path& out,
                                 const Options& options, util::Diagnostics& diags);

// The PDF behind the render::Renderer interface ("pdf", <slug>.pdf): options from book.toml's
// [pdf] table; it hands its render::PageMap on to the renderers after it.
std::unique_ptr<render::Renderer> make_renderer();

} // namespace imprenta::pdf
