// [print] in book.toml: trim sizes, bleed, paper and the print-on-demand services' rules.
#pragma once
#include "book/config.h"

#include <string>

namespace imprenta::book {

constexpr double kBleedIn = 0.125; // every service asks for 0.125 in (3.175 mm)

// The service's least inner margin (gutter) and outer/top/bottom margin, in inches, for an
// interior of `pages` pages (KDP's gutter table; 0.5 in on every side for IngramSpark and Lulu).
double min_inner_margin_in(const PrintConfig& print, int pages);
double min_outer_margin_in(const PrintConfig& print);

// Paper thickness per page in inches: the spine is pages x this (KDP's figures).
double page_thickness_in(const PrintConfig& print);

// Fewest pages the service prints (KDP paperback: 24); and whether it wants an even count.
int min_pages(const PrintConfig& print);
bool wants_even_pages(const PrintConfig& print);

// Least spine width that may carry text: KDP prints spine text only above 79 pages.
int min_pages_for_spine_text(const PrintConfig& print);

} // namespace imprenta::book
