// Boxes in the PDF as in the EPUB: hints and GitHub alerts (a tint and a rule on the left in their
// kind's colour), details, cards and columns (a frame all round, lightly tinted), steps (a rule).
// The builder marks the items a box holds; the frame is drawn per page, around the part of the run
// on that page, so a box split by a page break is closed on both parts.
#pragma once
#include "pdf/page.h"
#include "pdf/paginate.h"

#include <string>
#include <vector>

namespace imprenta::pdf {

// The frames of the items placed on one page, drawn into the page's `paint` (text block at x0,
// y0): tints under everything already there, rules over them.
void draw_box_frames(const PageBuild& page, const std::vector<VItem>& items, Paint& paint,
                     double x0, double y0);

// The modules of a QR code of `text` (libqrencode, error correction M), row by row, true = dark;
// empty if it cannot be encoded. `size` is set to the modules per side.
std::vector<bool> qr_modules(const std::string& text, int& size);

} // namespace imprenta::pdf
