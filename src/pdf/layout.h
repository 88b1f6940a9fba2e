// Block layout: a chapter's IR blocks -> one vertical list (lines, figures, table rows, rules,
// with the glue and penalties that carry spacing, widow/orphan and keep-with-next rules) and its
// footnotes typeset as separate line lists.
#pragma once
#include "doc/ir.h"
#include "pdf/fonts.h"
#include "pdf/hyphenate.h"
#include "pdf/page.h"
#include "pdf/table_fit.h"
#include "pdf/tagging.h"
#include "pdf/text.h"

#include <functional>
#include <map>
#include <set>
#include <tuple>
#include <vector>

namespace imprenta::pdf {

// Read-only services shared by every chapter's layout (safe to use from several threads).
struct LayoutEnv {
    const doc::Book* book = nullptr;
    const FontSet* fonts = nullptr;
    const Geometry* geo = nullptr;
    const ImageSizes* images = nullptr;
    BreakParams breaking; // the book's rules; emergency_stretch in ems (see InlineStyle)
    // render::Output::done_with_blocks: a chapter too long to be refitted is read once, and
    // its blocks and notes' blocks are released as soon as they are laid out (null: kept).
    std::function<void(size_t chapter, int note)> release;
};

// A chapter of more pages is never laid out again to refit its pages (pdf.cpp's refit): each
// try lays out the whole chapter again.
constexpr size_t kMaxRefitPages = 40;

struct ChapterLayout {
    std::vector<VItem> items;
    std::vector<NoteBody> notes;          // indexed like Chapter::notes
    std::set<char32_t> missing;           // code points no font could draw
    std::vector<SmallTable> small_tables; // tables set under kTableWarnSize or split
    StructTree structure;                 // node 0 is the chapter; ops name their node (tag)
    std::vector<std::vector<int>> paths;  // block paths of the boxes (VItem::path)
    bool blocks_released = false;         // LayoutEnv::release was called: never laid out again
};

// The paragraphs a chapter's layout has set, by their inputs, so that laying the chapter out
// again with a few paragraphs looser or tighter (pdf.cpp's refit) sets only those again.
// Keys are the address of a paragraph's inlines: only paragraphs of the book's IR, which outlives
// the memo, may go through it (a temporary copy could share an address with another paragraph).
class ParagraphMemo {
public:
    // Keeps at most `max_lines` lines: a chapter too long to be refitted (a book of notes) is
    // not held twice while it is laid out. Paragraphs past it are set each time, the same.
    explicit ParagraphMemo(size_t max_lines = SIZE_MAX) : room_(max_lines) {}
    std::vector<TypesetLine> typeset(const std::vector<doc::Inline>& inlines,
                                     const InlineStyle& style, const ParagraphSpec& spec);

private:
    size_t room_;
    // Everything else a paragraph's lines depend on is the chapter's and stays the same.
    using Key = std::tuple<const void*, double, double, double, double, int, bool, int, bool, bool>;
    std::map<Key, std::vector<TypesetLine>> lines_;
};

// `hyphenator` may be null (no dictionary for the chapter's language). `looseness` sets the
// justified paragraphs of some top-level blocks (VItem::block) a line longer or shorter. With a
// `memo`, paragraphs it has already seen are not set again, and those set are added to it.
ChapterLayout layout_chapter(const LayoutEnv& env, int chapter, const Hyphenator* hyphenator,
                             const std::map<int, int>& looseness = {},
                             ParagraphMemo* memo = nullptr);

// Typographic scale shared with the front matter.
struct Type {
    static double chapter_title(const Geometry& g) { return g.font_size * 2.0; }
    static double part_title(const Geometry& g) { return g.font_size * 2.3; }
    static double note_size(const Geometry& g) { return g.font_size * 0.82; }
    static double head_size(const Geometry& g) { return g.font_size * 0.86; }
};

// The text of a task marker or bullet the fonts can draw.
std::string drawable_or(const FontSet& fonts, const std::string& wanted, const std::string& plain);

} // namespace imprenta::pdf
