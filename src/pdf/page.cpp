#include "pdf/page.h"

#include "pdf/print_boxes.h"
#include "util/diag.h"

namespace imprenta::pdf {

double Paint::add_text(double x, double y, double size, Color color, std::vector<Run>&& runs) {
    for (auto& r : runs) {
        double w = r.width;
        texts.push_back({x, y, r.font, size, color, std::move(r.text), std::move(r.glyphs)});
        x += w;
    }
    return x;
}

void Paint::take(Paint&& o, double dx, double dy) {
    for (auto& r : o.rects)
        rects.push_back({r.x + dx, r.y + dy, r.w, r.h, r.color});
    for (auto& i : o.images)
        images.push_back({i.x + dx, i.y + dy, i.w, i.h, i.asset, i.tag});
    for (auto& l : o.rules)
        rules.push_back({l.x1 + dx, l.y1 + dy, l.x2 + dx, l.y2 + dy, l.width, l.color});
    for (auto& t : o.texts) {
        t.x += dx;
        t.y += dy;
        texts.push_back(std::move(t));
    }
    for (auto& l : o.links) {
        l.x += dx;
        l.y += dy;
        links.push_back(std::move(l));
    }
    for (auto& a : o.anchors) {
        a.y += dy;
        anchors.push_back(std::move(a));
    }
    for (auto& ol : o.outlines) {
        ol.y += dy;
        outlines.push_back(std::move(ol));
    }
    o = Paint{};
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
