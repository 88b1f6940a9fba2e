// The interior for a print-on-demand service ([print] in book.toml): page size from the trim,
// the service's least margins, bleed, the TrimBox/BleedBox of each page, an even page count.
#pragma once
#include "book/config.h"
#include "doc/ir.h"
#include "pdf/haru_objects.h"
#include "pdf/page.h"
#include "util/diag.h"

#include <hpdf.h>

namespace imprenta::pdf {

struct Document;

// Sets the page to the trim size and raises the margins to the service's least ones (the
// gutter for the longest book its table allows is checked once pages are counted).
void apply_print_geometry(Geometry& g, const book::PrintConfig& print);

// Adds blank pages to an even count where the service asks for one; warns under the service's
// least page count; throws BuildError when the inner margin is under the service's gutter for
// the book's page count.
// Then extends images that reach the trim (bleed_edge_images) and checks the safe area.
void finish_print_pages(Document& doc, const book::PrintConfig& print, const doc::Book& book,
                        util::Diagnostics& diags);

// Images that reach a trim edge (within 0.5 pt) are enlarged into the bleed there and cut at
// its edge; without bleed, a warning naming the page says to set [print] bleed = true.
void bleed_edge_images(Document& doc, const doc::Book& book, util::Diagnostics& diags);

// Throws BuildError naming the page and the text or image that lies inside the trim but within
// the service's safe margin (Geometry::safe) of its edge. Images bled on purpose are exempt.
void check_safe_area(const Document& doc, const doc::Book& book);

// Room beyond the trim for crop marks: the MediaBox grows by this on every side.
constexpr double kMarksRoom = 36; // 0.5 in: bleed (9 pt), a 3 pt gap, 18 pt marks, 6 pt spare

// Crop marks at the trim's four corners, beyond the bleed (Geometry::marks).
void add_crop_marks(Paint& p, const Geometry& g);

// MediaBox, BleedBox and TrimBox of the `index`th page (0-based: even indexes are rectos, whose
// inner edge is on the left). The trim keeps the page's own coordinates; bleed lies outside it.
void set_page_boxes(haru::Objects& objects, HPDF_Page page, size_t index, const Geometry& g);

// /Trapped /False in the document information (printers ask it to be set).
void mark_untrapped(HPDF_Doc doc);

} // namespace imprenta::pdf
