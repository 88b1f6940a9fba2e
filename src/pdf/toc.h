// Front matter (title page, its verso, the table of contents with dot leaders and links) and the
// furniture every page gets: running heads and folios.
#pragma once
#include "doc/ir.h"
#include "pdf/fonts.h"
#include "pdf/page.h"
#include "pdf/tagging.h"
#include "pdf/writer.h"

#include <set>
#include <string>
#include <vector>

namespace imprenta::pdf {

enum class Folio { None, Foot, Head };

// Adds the running head `head` (italic, centred) and the folio `label` to a page.
void furnish(OutPage& page, const Geometry& g, const FontSet& fonts, bool recto, Folio folio,
             const std::string& head, std::set<char32_t>* missing);

struct FrontInput {
    const doc::Book* book = nullptr;
    const FontSet* fonts = nullptr;
    const Geometry* geo = nullptr;
    // Printed page number where each chapter starts (index = chapter), "" if it has no entry.
    std::vector<std::string> chapter_labels;
    std::set<char32_t>* missing = nullptr;
    int first_number = 1; // of the title page (3 after [pdf] cover_page's two pages)
};

// The front matter pages, an even number of them so the body starts on a recto. Labels are
// lower-case roman numerals. `structure` gets their tagged structure (node 0: a Sect).
std::vector<OutPage> front_matter(const FrontInput& in, StructTree& structure);

// The title of the table of contents in the book's language ("Índice", "Contents").
std::string contents_title(const std::string& lang);

std::string roman(int n);

// The entries of the table of contents as (chapter index, nesting level) in reading order.
std::vector<std::pair<int, int>> toc_entries(const doc::Book& book);

} // namespace imprenta::pdf
