// Page breaking: fills pages from a vertical list, choosing each break by penalty and by how
// much space it leaves (widows, orphans and headings are penalties in the list), places each
// footnote on the page of its call, and floats figures that do not fit to the next page.
#pragma once
#include "pdf/page.h"

#include <map>
#include <vector>

namespace imprenta::pdf {

struct PageSpec {
    double height = 500;      // text block height
    double line = 13.65;      // body baseline distance (the unit of the cost of short pages)
    double note_sep = 12;     // space taken above the first footnote of a page (gap + rule)
    double float_sep = 13.65; // space below figures moved to the top of a page
    bool flush_bottom = true; // stretch glue so that full pages end on the same line
    // Cost of a page ending in a hyphen (a Penalty marked `broken`) on a verso, where the word
    // goes on across the spread (TeX's \brokenpenalty), and on a recto, where the reader turns
    // the leaf to finish it. A chapter opens on a recto: its even pages (0-based) are rectos.
    double broken_penalty = 100;
    double broken_turn_penalty = 100;
    // A chapter's last page holds at least this many lines (boxes) when the pages before can
    // give them up; 0 or 1: no rule.
    int chapter_end_min_lines = 0;
};

struct Placement {
    size_t item = 0;     // index into the vertical list
    double y = 0;        // top, from the top of the text block
    double scale = 1;    // figures shrunk to fit
    double height = 0;   // as placed (glue stretched, figures scaled)
    bool repeat = false; // draws the item's repeated table header, not the item
};

struct NotePlacement {
    int note = 0;
    size_t line = 0; // index into NoteBody::lines
    double y = 0;
};

struct PageBuild {
    std::vector<Placement> items;
    std::vector<NotePlacement> notes;
    double notes_top = 0; // where the footnote separator goes (valid if notes are present)
};

std::vector<PageBuild> paginate(const std::vector<VItem>& items, const std::vector<NoteBody>& notes,
                                const PageSpec& spec);

// What a chapter's pages cost: pages ending short of the foot (the last one aside; 100 times
// the lines missing, cubed), pages ending in a hyphen, a last page of too few lines.
double pages_cost(const std::vector<VItem>& items, const std::vector<PageBuild>& pages,
                  const PageSpec& spec);

// Settings worth a try where pages cost more than they should, best first: a map from
// top-level block (VItem::block) to TeX's \looseness for its paragraphs. A page ending in a
// hyphen tries its last paragraph and the one before a line tighter or looser; a chapter whose
// page before the last runs short tries its last two pages' paragraphs a line tighter (to pull
// the end back) or the page before's a line looser (to fill it).
std::vector<std::map<int, int>> refits(const std::vector<VItem>& items,
                                       const std::vector<PageBuild>& pages, const PageSpec& spec);

} // namespace imprenta::pdf
