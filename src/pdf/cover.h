// The print cover ([print] in book.toml, `--format cover`): back, spine and front on one sheet
// with bleed on every side, the spine as wide as the interior is thick.
#pragma once
#include "pdf/pdf.h"
#include "pdf/writer.h"

#include <filesystem>
#include <map>
#include <memory>
#include <vector>

namespace imprenta::pdf {

// The sheet in points, bleed left out: two trims and the spine across, one trim high.
struct CoverSize {
    double width = 0, height = 0, spine = 0, panel = 0; // panel: the front's (and back's) width
    double bleed = 0;                                   // around all four sides
    bool spine_right = false; // bound on the right: the front panel is the sheet's left one
    double front_x() const { return spine_right ? 0 : panel + spine; }
    double back_x() const { return spine_right ? panel + spine : 0; }
};
CoverSize cover_size(const book::PrintConfig& print, int pages);

// Writes the cover for an interior of `pages` pages to `out`. Throws BuildError.
void write_cover(const doc::Book& book, const std::filesystem::path& out, const Options& options,
                 int pages, util::Diagnostics& diags);

// [pdf] cover_page: the book's cover (book.toml `cover`, else the one drawn for the EPUB) whole
// on the first page and a blank verso after it, so the title page stays a recto; none in a
// [print] interior. The image joins `images`, a drawn one under an index past the asset table.
std::vector<OutPage> cover_pages(const doc::Book& book, const Geometry& geo, const Options& options,
                                 std::map<int, image::PdfImage>& images, util::Diagnostics& diags);

// `--format cover`: <slug>-cover.pdf, sized from the PDF's page map when the PDF was built
// first, else from an interior typeset for the count and thrown away.
std::unique_ptr<render::Renderer> make_cover_renderer();

} // namespace imprenta::pdf
