// The PDF backend: typesets the book (fonts, hyphenation, line breaking, pagination) and draws it
// with libharu.
#pragma once
#include "book/config.h"
#include "doc/ir.h"
#include "image/prepare.h"
#include "util/diag.h"

#include <filesystem>
#include <vector>

namespace imprenta::pdf {

struct Options {
    book::PdfConfig config;
    const image::Cache* cache = nullptr;
};

// What the PDF asks the image stage for: the text block's size at the configured dpi.
image::PdfPolicy image_policy(const book::PdfConfig& config);

// Where in the IR each printed page starts, for an EPUB page-list.
struct PageStart {
    int page = 0;       // 1-based physical page index
    std::string label;  // printed page number ("iii", "12")
    int chapter = -1;   // chapter index, -1 for front matter
    int block = 0;      // top-level block index within the chapter
    bool blank = false; // an empty page (a verso left blank so a chapter opens on a recto)
};

// Writes the book to `out` atomically. Throws util::BuildError.
std::vector<PageStart> write_pdf(const doc::Book& book, const std::filesystem::path& out,
                                 const Options& options, util::Diagnostics& diags);

} // namespace imprenta::pdf
