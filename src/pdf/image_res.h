// Images at the book's resolution: the size each image prints at, the pixel budget that gives it
// `image_dpi` there (larger images are scaled down before embedding), and a warning for images
// that print below 150 ppi.
#pragma once
#include "doc/ir.h"
#include "image/prepare.h"
#include "pdf/page.h"
#include "pdf/writer.h"
#include "util/diag.h"

#include <map>
#include <set>
#include <vector>

namespace imprenta::pdf {

constexpr double kLowPpi = 150; // below this a printed image looks soft

struct PrintSize {
    double w = 0, h = 0; // points
};

// A figure of pw x ph pixels in a column `width` wide: at most 0.75 pt a pixel (96 ppi, as a
// browser shows it), never wider than the column nor taller than most of the page.
PrintSize figure_size(const Geometry& g, double width, double pw, double ph, bool captioned);
// A chapter's banner: the column's width, at most a third of the page tall.
PrintSize banner_size(const Geometry& g, double width, double pw, double ph);

// The assets drawn in a chapter's text (blocks, titles, notes): everything but banners and the
// cover.
std::set<int> text_assets(const doc::Book& book);

// What the image stage is asked for each asset of `book` (indexed like book.assets): pixels
// enough for image_dpi at the largest size the asset prints at (as a banner or as a figure).
// An asset of unknown size (an SVG without one) gets the text block at image_dpi.
std::vector<image::PdfPolicy> image_policies(const Geometry& g, const doc::Book& book);
// The same with text_assets(book) already at hand (it walks the whole book).
std::vector<image::PdfPolicy> image_policies(const Geometry& g, const doc::Book& book,
                                             const std::set<int>& in_text);

// Images the page builder drew smaller than their policy assumed (a figure shrunk to fit the
// foot of a page) are made again for the size they print at, when that saves over 15 % of
// their width. Images that fail to be made again keep what they have.
void fit_to_print(std::map<int, image::PdfImage>& images, const std::vector<OutPage>& pages,
                  const doc::Book& book, const Geometry& g, const image::Cache* cache, bool raw);

// One warning per image that prints below kLowPpi somewhere in `pages`, naming its file and its
// lowest effective resolution. `pixel_w` is each asset's own width in pixels (0: unknown).
void warn_low_resolution(const std::vector<OutPage>& pages, const doc::Book& book,
                         const std::vector<int>& pixel_w, util::Diagnostics& diags);

} // namespace imprenta::pdf
