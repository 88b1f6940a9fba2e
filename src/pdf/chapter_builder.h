// Internal to pdf/layout*.cpp: the builder that turns one chapter's blocks into a vertical list.
// Its general flow (paragraphs, headings, the chapter opening, notes) is in layout.cpp; the block
// kinds with layouts of their own (lists, code, figures, asides, tables) in layout_blocks.cpp.
#pragma once
#include "pdf/layout.h"
#include "pdf/script.h"
#include "pdf/shape.h"

#include <map>
#include <span>
#include <string>
#include <vector>

namespace imprenta::pdf::chapter {

constexpr Color kGrey{0.45f, 0.45f, 0.45f};
constexpr Color kCodeBg{0.95f, 0.95f, 0.95f};

struct Frame {
    double x = 0, width = 0;
    double size = 10.5, leading = 13.65;
    bool justify = true;
    bool indent = true;  // paragraphs after paragraphs get a first-line indent
    bool note = false;   // inside a footnote
    bool quoted = false; // inside a block quotation (set a little smaller, once)
    int list_depth = 0;
    // hugo-book's image size classes: a share of the measure (0 = the image's own size), and
    // where it stands ('l', 'r', else centred).
    double image_share = 0;
    char image_align = 0;
};

// `f` narrowed by `left` and `right`, but never below a usable measure: deep nesting stops
// indenting rather than squeezing text into nothing.
inline Frame inset(const Frame& f, double left, double right) {
    Frame g = f;
    double min_w = std::min(f.width, f.size * 12);
    double take = left + right;
    if (f.width - take < min_w) {
        double k = take > 0 ? std::max(0.0, f.width - min_w) / take : 0;
        left *= k;
        right *= k;
    }
    g.x += left;
    g.width -= left + right;
    return g;
}

struct AsideColors {
    Color bg, rule;
};

inline void collect_note_numbers(const std::vector<doc::Inline>& v,
                                 std::vector<std::string>& nums) {
    for (const auto& in : v) {
        if (in.kind == doc::InlineKind::NoteRef && in.note >= 0 && size_t(in.note) < nums.size() &&
            nums[in.note].empty())
            nums[in.note] = in.text;
        collect_note_numbers(in.children, nums);
    }
}
inline void collect_note_numbers(const std::vector<doc::Block>& v, std::vector<std::string>& nums) {
    for (const auto& b : v) {
        collect_note_numbers(b.inlines, nums);
        for (const auto& r : b.rows)
            for (const auto& c : r.cells)
                collect_note_numbers(c.inlines, nums);
        collect_note_numbers(b.children, nums);
    }
}

// A paragraph made of one image (and nothing but spaces): set as a figure.
inline int lone_image(const doc::Block& b) {
    int asset = -1;
    for (const auto& in : b.inlines) {
        if (in.kind == doc::InlineKind::Image) {
            if (asset >= 0) return -1;
            asset = in.asset;
        } else if (in.kind == doc::InlineKind::SoftBreak || in.kind == doc::InlineKind::LineBreak) {
        } else if (in.kind == doc::InlineKind::Text &&
                   in.text.find_first_not_of(" \t\n") == std::string::npos) {
        } else if (in.kind == doc::InlineKind::Link && in.children.size() == 1 &&
                   in.children[0].kind == doc::InlineKind::Image) {
            if (asset >= 0) return -1;
            asset = in.children[0].asset;
        } else {
            return -1;
        }
    }
    return asset < 0 ? -2 : asset; // -2: an image paragraph whose image is unknown
}

// The alt text of a paragraph's lone image (see lone_image).
inline std::string lone_image_alt(const doc::Block& b) {
    for (const auto& in : b.inlines) {
        if (in.kind == doc::InlineKind::Image) return in.text;
        if (in.kind == doc::InlineKind::Link && in.children.size() == 1 &&
            in.children[0].kind == doc::InlineKind::Image)
            return in.children[0].text;
    }
    return {};
}

class ChapterBuilder {
public:
    ChapterBuilder(const LayoutEnv& env, int ci, const Hyphenator* h)
        : env_(env), geo_(*env.geo), fonts_(*env.fonts), chap_(env.book->chapters[ci]), ci_(ci),
          hyph_(h) {}

    const std::map<int, int>* looseness = nullptr; // by top-level block
    ParagraphMemo* memo = nullptr;

    ChapterLayout run();

private:
    const LayoutEnv& env_;
    const Geometry& geo_;
    const FontSet& fonts_;
    const doc::Chapter& chap_;
    int ci_;
    const Hyphenator* hyph_;
    ChapterLayout out_;
    std::vector<VItem>* list_ = nullptr;
    int block_ = 0;
    std::vector<int> path_; // the block being laid out (doc::TextPos::path)
    int col_base_ = 0;      // a table's first column, when set in groups of columns
    int keep_ = 0;          // boxes still to come before a page break is allowed again
    std::vector<std::string> note_numbers_;
    int parent_ = 0; // the structure node new nodes go under (pdf/tagging.h)

    double L() const { return geo_.line(); }

    Frame body_frame() const;

    InlineStyle style(const Frame& f);

    // `path` as an index into the layout's paths (consecutive boxes share one).
    int path_index(const std::vector<int>& path) {
        auto& ps = out_.paths;
        if (ps.empty() || ps.back() != path) ps.push_back(path);
        return int(ps.size()) - 1;
    }

    // ---- vertical list primitives ----
    bool last_is(VItem::Kind k) const { return !list_->empty() && list_->back().kind == k; }

    void box(VItem v);
    void glue(double h, double stretch);
    void penalty(double p);
    void space_around() { glue(0.5 * L(), 0.25 * L()); }

    // Lines of a paragraph, with TeX's club/widow and broken-line penalties between them.
    void lines(std::vector<TypesetLine>&& ls, const Frame& f, const std::string& anchor);

    void paragraph(const std::vector<doc::Inline>& inlines, const Frame& f, bool indent,
                   const std::string& anchor, TextAlign align = TextAlign::Justify,
                   bool bold = false, bool italic = false);

    // ---- structure (tagged PDF) ----
    int node(Role role, std::string alt = {}) {
        return out_.structure.add(role, parent_, std::move(alt));
    }
    // The node a block opens; kUntagged when it makes its own (figures), kArtifact for ornaments.
    int block_node(const doc::Block& b);
    // Gives what the current list got since `start` to `tag`, where nothing smaller claimed it.
    void claim(size_t start, int tag) {
        for (size_t i = start; i < list_->size(); ++i)
            (*list_)[i].paint.claim(tag);
    }

    // ---- blocks ----
    // `base`: the index of v[0] among its siblings (when `v` is a part of them).
    // `v` must be the book's own blocks, never a temporary copy: the paragraph memo keys
    // paragraphs by the address of their inlines.
    void children(std::span<const doc::Block> v, const Frame& f, int base = 0);

    void one_block(const doc::Block& b, const Frame& f, bool after_par);

    // Puts anchor `id` on the first box made since `start` (if it has none of that name).
    void anchor_next(const std::string& id, size_t start);

    void heading(const doc::Block& b, const Frame& f);

    void list(const doc::Block& b, const Frame& f);

    void code(const doc::Block& b, const Frame& f);

    void thematic(const Frame& f);

    // An image scaled to the measure (CSS pixels: 96 per inch, never enlarged past the width),
    // as one floatable box with its caption.
    void figure(int asset, const std::vector<doc::Inline>* caption, const Frame& f,
                const std::string& id, const std::string& alt);

    void figure_block(const doc::Block& b, const Frame& f);

    // A hint, details, card, columns or steps block in its box (pdf/boxes.cpp); other blocks'
    // children as they are.
    void boxed(const doc::Block& b, const Frame& f);
    // A QR code of `url`, about three lines tall, kept with the line above it.
    void qr_code(const std::string& url, const Frame& f);

    // The columns [first, last) of `b` as a table of their own (header rows kept).
    static doc::Block column_group(const doc::Block& b, size_t first, size_t last);

    // `size`: 0 = the body size's table size, checked against the width (pdf/table_fit.h);
    // otherwise the size fit_table chose.
    void table(const doc::Block& b, const Frame& f, double size = 0);

    // ---- chapter opening ----
    size_t opening();

    // ---- footnotes ----
    void note_body(int n);
    bool too_long_to_refit() const;
};

} // namespace imprenta::pdf::chapter
