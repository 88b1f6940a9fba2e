#include "pdf/page.h"

#include "pdf/print_boxes.h"
#include "util/diag.h"

namespace imprenta::pdf {

double Paint::add_text(double x, double y, double size, Color color, const ShapedText& text) {
    thread_local std::vector<Run> runs; // reused: no allocation per word
    runs.clear();
    text.append_runs(runs);
    for (auto& r : runs) {
        texts.push_back({x, y, r.font(), size, color, std::move(r.shaped), r.first, r.last});
        x += r.width;
    }
    runs.clear();
    return x;
}

namespace {

// Appends `from` to `to`, each element moved by `shift`; an empty `to` without the room takes
// `from`'s storage (most paints are taken whole into a fresh one: no allocation then).
template <class T, class F> void append(std::vector<T>& to, std::vector<T>& from, F shift) {
    for (auto& x : from)
        shift(x);
    if (to.empty() && to.capacity() < from.size()) {
        to.swap(from);
        return;
    }
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

} // namespace

void Paint::take(Paint&& o, double dx, double dy) {
    append(rects, o.rects, [&](RectOp& r) { r.x += dx, r.y += dy; });
    append(images, o.images,
           [&](ImageOp& i) { i.x += dx, i.y += dy, i.clip_x += dx, i.clip_y += dy; });
    append(rules, o.rules, [&](RuleOp& l) { l.x1 += dx, l.y1 += dy, l.x2 += dx, l.y2 += dy; });
    append(texts, o.texts, [&](TextOp& t) { t.x += dx, t.y += dy; });
    append(links, o.links, [&](LinkOp& l) { l.x += dx, l.y += dy; });
    append(anchors, o.anchors, [&](AnchorOp& a) { a.y += dy; });
    append(outlines, o.outlines, [&](OutlineOp& ol) { ol.y += dy; });
    o = Paint{};
}

void Paint::reserve(std::span<const Paint* const> more, size_t spare) {
    size_t n[7] = {rects.size() + spare, images.size(),  rules.size() + spare, texts.size() + spare,
                   links.size(),         anchors.size(), outlines.size()};
    for (const Paint* p : more) {
        n[0] += p->rects.size();
        n[1] += p->images.size();
        n[2] += p->rules.size();
        n[3] += p->texts.size();
        n[4] += p->links.size();
        n[5] += p->anchors.size();
        n[6] += p->outlines.size();
    }
    rects.reserve(n[0]);
    images.reserve(n[1]);
    rules.reserve(n[2]);
    texts.reserve(n[3]);
    links.reserve(n[4]);
    anchors.reserve(n[5]);
    outlines.reserve(n[6]);
}

void Paint::claim(int tag) {
    for (auto& t : texts)
        if (t.tag == kUntagged) t.tag = tag;
    for (auto& i : images)
        if (i.tag == kUntagged) i.tag = tag;
    for (auto& l : links)
        if (l.tag == kUntagged) l.tag = tag;
}

void Paint::as_artifact() {
    for (auto& t : texts)
        t.tag = kArtifact;
    for (auto& i : images)
        i.tag = kArtifact;
    for (auto& l : links)
        l.tag = kArtifact;
}

bool bound_on_right(const book::PdfConfig& config, bool rtl_book) {
    return config.binding.empty() ? rtl_book : config.binding == "right";
}

Geometry make_geometry(const book::PdfConfig& c) {
    // Defaults per paper, in mm: a text block near 60-75 characters a line at 10.5 pt, the inner
    // margin wider than the outer one and the bottom wider than the top (classic book proportions).
    //   a5     148 x 210    inner 20  outer 15  top 18  bottom 22   (text block 113 x 170)
    //   6x9in  152.4 x 228.6 inner 20 outer 16  top 18  bottom 23   (text block 116 x 188)
    //   a4     210 x 297    inner 35  outer 45  top 30  bottom 40   (text block 130 x 227)
    //   letter 215.9 x 279.4 inner 36 outer 46  top 28  bottom 38   (text block 134 x 213)
    struct Paper {
        const char* name;
        double w, h, inner, outer, top, bottom;
    };
    static const Paper papers[] = {
        {"a5", 148, 210, 20, 15, 18, 22},
        {"6x9in", 152.4, 228.6, 20, 16, 18, 23},
        {"a4", 210, 297, 35, 45, 30, 40},
        {"letter", 215.9, 279.4, 36, 46, 28, 38},
    };
    std::string name = c.paper.empty() ? "a5" : c.paper;
    for (char& ch : name)
        ch = char(std::tolower(static_cast<unsigned char>(ch)));
    const Paper* paper = nullptr;
    for (const auto& p : papers)
        if (name == p.name) paper = &p;
    if (!paper)
        throw util::BuildError({}, "unknown [pdf] paper '" + c.paper +
                                       "' (use a5, a4, letter or 6x9in)");
    Geometry g;
    g.page_w = paper->w * kMm;
    g.page_h = paper->h * kMm;
    auto pick = [](double v, double def) { return (v > 0 ? v : def) * kMm; };
    g.inner = pick(c.margin_inner, paper->inner);
    g.outer = pick(c.margin_outer, paper->outer);
    g.top = pick(c.margin_top, paper->top);
    g.bottom = pick(c.margin_bottom, paper->bottom);
    g.font_size = c.font_size > 0 ? c.font_size : 10.5;
    g.leading = c.leading > 0 ? c.leading : 1.3;
    g.image_dpi = c.image_dpi > 0 ? c.image_dpi : 300;
    apply_print_geometry(g, c.print);
    if (g.font_size < 4 || g.font_size > 40)
        throw util::BuildError({}, "[pdf] font_size must be between 4 and 40 points");
    if (g.leading < 0.8 || g.leading > 4)
        throw util::BuildError({}, "[pdf] leading must be between 0.8 and 4");
    if (g.text_w() < 20 * g.font_size || g.text_h() < 12 * g.line())
        throw util::BuildError({}, "[pdf] margins leave too little room for text");
    return g;
}

} // namespace imprenta::pdf
