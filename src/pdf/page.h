// The PDF backend's intermediate forms: drawing operations, the vertical list a chapter is typeset
// into (boxes, glue, penalties, as in TeX), and finished pages ready for the libharu writer.
// Coordinates are points with y growing downwards from the top of whatever holds them.
#pragma once
#include "book/config.h"
#include "pdf/fonts.h"
#include "pdf/shape.h"

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace imprenta::pdf {

struct Color {
    float r = 0, g = 0, b = 0;
    bool operator==(const Color&) const = default;
};

// What an operation belongs to in the tagged PDF's structure: a node of its chapter's tree
// (pdf/tagging.h), or nothing yet (claimed by the block that encloses it), or decoration.
constexpr int kUntagged = -1; // an enclosing block may still claim it; an artifact otherwise
constexpr int kArtifact = -2; // decoration (ornaments, decorative banners, repeated headers)

// Shaped glyphs of one font drawn from (x, y) on the baseline, left to right.
struct TextOp {
    double x = 0, y = 0; // baseline start
    FontId font = 0;
    double size = 10;
    Color color;
    std::shared_ptr<const GlyphRun> run; // the glyphs [first, last) of it are drawn
    uint32_t first = 0, last = 0;
    bool turned = false; // rotated 90 degrees clockwise about (x, y): a book's spine
    int tag = kUntagged;

    // Visual order; clusters are offsets in text().
    std::span<const Glyph> glyphs() const {
        return run ? std::span<const Glyph>(run->glyphs.data() + first, last - first)
                   : std::span<const Glyph>();
    }
    // The characters the run's glyphs stand for (their clusters).
    std::string_view text() const { return run ? std::string_view(run->text) : ""; }
};
struct RectOp { // filled
    double x = 0, y = 0, w = 0, h = 0;
    Color color;
};
struct RuleOp { // stroked line
    double x1 = 0, y1 = 0, x2 = 0, y2 = 0, width = 0.4;
    Color color;
};
struct ImageOp {
    double x = 0, y = 0, w = 0, h = 0; // top-left and size
    int asset = -1;
    int tag = kUntagged;
    // Drawn only inside this rectangle (an image enlarged into the bleed); w = 0: no clip.
    double clip_x = 0, clip_y = 0, clip_w = 0, clip_h = 0;
};
// A clickable area: an external URL, or a place in the book (chapter, anchor id; "" = its start).
struct LinkOp {
    double x = 0, y = 0, w = 0, h = 0;
    std::string url;
    int chapter = -1;
    std::string anchor;
    int tag = kUntagged; // the structure node the link's text belongs to
};
// A named place links can point at.
struct AnchorOp {
    double y = 0;
    int chapter = -1;
    std::string id;
};
// An entry of the PDF outline (bookmarks), at this place.
struct OutlineOp {
    double y = 0;
    int level = 0; // nesting depth in the outline
    std::string title;
};

struct Paint {
    std::vector<RectOp> rects;
    std::vector<ImageOp> images;
    std::vector<RuleOp> rules;
    std::vector<TextOp> texts;
    std::vector<LinkOp> links;
    std::vector<AnchorOp> anchors;
    std::vector<OutlineOp> outlines;

    // Draws `text` (shaped at `size`) from x on baseline y; returns the x after it.
    double add_text(double x, double y, double size, Color color, const ShapedText& text);
    // Moves everything of `other` into this, shifted by (dx, dy).
    void take(Paint&& other, double dx, double dy);
    // Room for the operations of `more` besides these, and `spare` more texts, rects and rules:
    // a page that takes its lines' paints one by one would grow its lists by doubling.
    void reserve(std::span<const Paint* const> more, size_t spare);
    // Gives the untagged text, images and links to structure node `tag` (rects and rules are
    // always artifacts).
    void claim(int tag);
    // Everything as decoration (a table header repeated on the next page).
    void as_artifact();
    // Backgrounds that must lie under what is already here.
    void prepend_rect(const RectOp& r) { rects.insert(rects.begin(), r); }
};

// A box drawn around a run of the vertical list (a hint, details, a card): its tint and its
// rules, drawn on each page the run reaches and closed where a page cuts it (pdf/boxes.h).
struct BoxFrame {
    double x = 0, width = 0; // relative to the text block's left
    Color fill;
    bool filled = false;
    Color line;
    double left_rule = 0; // width of a rule down the left side (0 = none)
    double frame = 0;     // width of a frame all round (0 = none)
};

// A text line on which no word starts (a word broken by a hyphen ends there): see VItem::at.
constexpr int kNoWord = -2;

// One element of a vertical list.
struct VItem {
    enum class Kind { Box, Glue, Penalty } kind = Kind::Box;
    double height = 0;      // Box: height; Glue: natural space
    double stretch = 0;     // Glue
    double penalty = 0;     // Penalty: >= 10000 forbids a page break here, <= -10000 forces one
    bool broken = false;    // Penalty: after a line ending in a hyphen (PageSpec::broken)
    Paint paint;            // Box: relative to the box's top-left corner at the text block's left
    std::vector<int> notes; // Box: notes (Chapter::notes indexes) first called on this line
    int block = 0;          // top-level block of the chapter it belongs to (page map)
    // Box: where in the IR it starts (page map): `path` indexes ChapterLayout::paths (-1: none,
    // the chapter opening), `at` is a doc::TextPos offset: its first word's, -1 for a box that
    // is no text line (the block starts there), kNoWord for a line no word starts on.
    int path = -1, at = -1;
    double baseline = 0; // Box made of one text line: its first baseline (list markers)
    // A figure that may shrink (down to min_scale) or float to the next page when it does
    // not fit; image_h of its height is the scalable image, at image_y.
    bool floatable = false;
    double image_h = 0, image_y = 0, min_scale = 1;
    // A table row: the header rows, repeated above it when it opens a page.
    std::shared_ptr<const Paint> repeat;
    double repeat_h = 0;
    // The boxes this item stands in, outermost first.
    std::vector<std::shared_ptr<const BoxFrame>> frames;

    static VItem box(double h, Paint p = {}) {
        VItem v;
        v.height = h;
        v.paint = std::move(p);
        return v;
    }
    static VItem glue(double h, double stretch = 0) {
        VItem v;
        v.kind = Kind::Glue;
        v.height = h;
        v.stretch = stretch;
        return v;
    }
    static VItem pen(double p) {
        VItem v;
        v.kind = Kind::Penalty;
        v.penalty = p;
        return v;
    }
};

constexpr double kForbid = 10000;
constexpr double kForce = -10000;

// A footnote typeset as lines (boxes only), drawn at the foot of the page that calls it.
struct NoteBody {
    std::vector<VItem> lines;
};

// Page and type sizes, all in points.
struct Geometry {
    double page_w = 0, page_h = 0;
    double inner = 0, outer = 0, top = 0, bottom = 0; // margins
    double font_size = 10.5;
    double leading = 1.3; // baseline distance / font size
    int image_dpi = 300;
    bool cover = false; // a print cover: bleed on all four sides around the page
    bool print = false; // [print]: the page is the trim, with TrimBox/BleedBox (print_boxes.h)
    double bleed = 0;   // beyond the trim on the top, bottom and outer edges
    double safe = 0;    // content keeps this far inside the trim (the service's safe area)
    bool marks = false; // crop marks outside the bleed, on a MediaBox kMarksRoom larger
    // Bound on the right (a right-to-left book): its rectos are left-hand pages, the spine on
    // their right.
    bool spine_right = false;

    double text_w() const { return page_w - inner - outer; }
    double text_h() const { return page_h - top - bottom; }
    double line() const { return font_size * leading; } // body baseline distance
    // The outer (cut) edge of a recto (odd) page is on its right, unless bound on the right.
    bool outer_right(bool recto) const { return recto != spine_right; }
    // Left edge of the text block: the inner margin is on the spine's side.
    double left(bool recto) const { return outer_right(recto) ? inner : outer; }
};

// Geometry from [pdf] in book.toml, with the defaults for each paper size. Throws BuildError for
// an unknown paper name or margins that leave no room for text.
Geometry make_geometry(const book::PdfConfig& config);

// Whether the book is bound on the right: `[pdf] binding`, else (auto) a right-to-left book is,
// as Typst's `binding: auto`. The interior's pages and the cover's panels both follow it.
bool bound_on_right(const book::PdfConfig& config, bool rtl_book);

constexpr double kMm = 72.0 / 25.4;

} // namespace imprenta::pdf
