#include "pdf/print_boxes.h"

#include "book/print_config.h"
#include "pdf/writer.h"
#include "util/diag.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace imprenta::pdf {

namespace {

constexpr double kEdge = 0.5; // an image this close to the trim edge is meant to reach it

std::string page_name(const Document& doc, size_t i) {
    std::string s = "page " + std::to_string(i + 1);
    if (doc.pages[i].label != std::to_string(i + 1)) s += " (numbered " + doc.pages[i].label + ")";
    return s;
}

std::string image_name(const doc::Book& book, int asset) {
    if (asset >= 0 && size_t(asset) < book.assets.size())
        return "image " + book.assets[size_t(asset)].source_display;
    return "an image";
}

// What lies outside [lo, hi] by more than a rounding error.
bool outside(double a0, double a1, double lo, double hi) {
    return a0 < lo - 0.01 || a1 > hi + 0.01;
}

} // namespace

void bleed_edge_images(Document& doc, const doc::Book& book, util::Diagnostics& diags) {
    const Geometry& g = doc.geo;
    for (size_t i = 0; i < doc.pages.size(); ++i) {
        bool recto = i % 2 == 0; // no bleed at the spine: the inner edge is not cut
        for (ImageOp& im : doc.pages[i].paint.images) {
            bool left = im.x <= kEdge, right = im.x + im.w >= g.page_w - kEdge;
            bool top = im.y <= kEdge, bottom = im.y + im.h >= g.page_h - kEdge;
            if (!(left || right || top || bottom)) continue;
            if (g.bleed <= 0) {
                diags.warning({}, page_name(doc, i) + ": " + image_name(book, im.asset) +
                                      " reaches the trim edge; set [print] bleed = true so "
                                      "that it is printed to the edge, not to a white hairline");
                continue;
            }
            // The edges it touches move out by the bleed (none at the spine); the image grows
            // about its centre to cover them, and is cut at the bleed's edge.
            double x0 = im.x, x1 = im.x + im.w, y0 = im.y, y1 = im.y + im.h;
            if (left && !g.outer_right(recto)) x0 = -g.bleed;
            if (right && g.outer_right(recto)) x1 = g.page_w + g.bleed;
            if (top) y0 = -g.bleed;
            if (bottom) y1 = g.page_h + g.bleed;
            double s = std::max((x1 - x0) / im.w, (y1 - y0) / im.h);
            double w = im.w * s, h = im.h * s;
            im.clip_x = x0, im.clip_y = y0, im.clip_w = x1 - x0, im.clip_h = y1 - y0;
            im.x = x0 + (x1 - x0 - w) / 2;
            im.y = y0 + (y1 - y0 - h) / 2;
            im.w = w;
            im.h = h;
        }
    }
}

void check_safe_area(const Document& doc, const doc::Book& book) {
    const Geometry& g = doc.geo;
    if (g.safe <= 0) return;
    double x0 = g.safe, x1 = g.page_w - g.safe, y0 = g.safe, y1 = g.page_h - g.safe;
    auto fail = [&](size_t i, const std::string& what) {
        char buf[120];
        std::snprintf(buf, sizeof buf,
                      " crosses the printer's safe area (%.3g in inside the trim); "
                      "widen the [pdf] margins",
                      g.safe / 72);
        throw util::BuildError({}, "[print] " + page_name(doc, i) + ": " + what + buf);
    };
    for (size_t i = 0; i < doc.pages.size(); ++i) {
        const Paint& p = doc.pages[i].paint;
        for (const auto& t : p.texts) {
            double w = 0;
            size_t from = std::string::npos, to = 0; // the characters these glyphs stand for
            for (const auto& gl : t.glyphs()) {
                w += gl.advance * t.size / 1000;
                from = std::min<size_t>(from, gl.cluster);
                to = std::max<size_t>(to, size_t(gl.cluster) + gl.cluster_len);
            }
            double tx0 = t.turned ? t.x - 0.25 * t.size : t.x;
            double tx1 = t.turned ? t.x + 0.8 * t.size : t.x + w;
            double ty0 = t.turned ? t.y : t.y - 0.75 * t.size;
            double ty1 = t.turned ? t.y + w : t.y + 0.25 * t.size;
            if (outside(tx0, tx1, x0, x1) || outside(ty0, ty1, y0, y1)) {
                std::string_view all = t.text();
                std::string text(from < to && to <= all.size() ? all.substr(from, to - from) : all);
                if (text.size() > 40) text = text.substr(0, 40) + "...";
                fail(i, "text '" + text + "'");
            }
        }
        for (const auto& im : p.images) {
            if (im.clip_w > 0) continue; // printed to the edge on purpose (bleed)
            if (outside(im.x, im.x + im.w, x0, x1) || outside(im.y, im.y + im.h, y0, y1))
                fail(i, image_name(book, im.asset));
        }
    }
}

void add_crop_marks(Paint& p, const Geometry& g) {
    if (!g.marks) return;
    // Each corner: a line along each trim edge, starting beyond the bleed (pdfTeX's crop,
    // InDesign).
    constexpr double kGap = book::kBleedIn * 72 + 3, kLen = 18, kWidth = 0.25;
    for (double x : {0.0, g.page_w})
        for (double y : {0.0, g.page_h}) {
            double sx = x == 0 ? -1 : 1, sy = y == 0 ? -1 : 1;
            p.rules.push_back({x + sx * kGap, y, x + sx * (kGap + kLen), y, kWidth, {}});
            p.rules.push_back({x, y + sy * kGap, x, y + sy * (kGap + kLen), kWidth, {}});
        }
}

void apply_print_geometry(Geometry& g, const book::PrintConfig& print) {
    if (!print.enabled()) return;
    g.print = true;
    g.page_w = print.trim_w * kMm;
    g.page_h = print.trim_h * kMm;
    g.bleed = print.bleed ? book::kBleedIn * 72 : 0;
    double inner = book::min_inner_margin_in(print, 0) * 72;
    double outer = book::min_outer_margin_in(print) * 72;
    g.inner = std::max(g.inner, inner);
    g.outer = std::max(g.outer, outer);
    g.top = std::max(g.top, outer);
    g.bottom = std::max(g.bottom, outer);
    g.safe = outer;
    g.marks = print.marks;
    // The running head and the foot folio sit in the margins: keep them inside the safe area.
    double head = g.font_size * 0.86; // Type::head_size
    g.top = std::max(g.top, g.safe + 1.7 * g.line() + 0.8 * head);
    g.bottom = std::max(g.bottom, g.safe + 2.0 * g.line() + 0.3 * head);
}

void finish_print_pages(Document& doc, const book::PrintConfig& print, const doc::Book& book,
                        util::Diagnostics& diags) {
    if (!print.enabled()) return;
    bleed_edge_images(doc, book, diags);
    check_safe_area(doc, book);
    if (book::wants_even_pages(print) && doc.pages.size() % 2 == 1) {
        OutPage blank;
        blank.chapter = doc.pages.back().chapter;
        blank.block = doc.pages.back().block;
        blank.blank = true;
        blank.label = std::to_string(doc.pages.size() - doc.front_pages + 1);
        doc.pages.push_back(std::move(blank));
    }
    int pages = int(doc.pages.size());
    if (pages < book::min_pages(print))
        diags.warning({}, "[print] " + print.service + " prints books of " +
                              std::to_string(book::min_pages(print)) +
                              " pages or more; this one has " + std::to_string(pages));
    for (auto& page : doc.pages)
        add_crop_marks(page.paint, doc.geo);
    double gutter = book::min_inner_margin_in(print, pages);
    if (doc.geo.inner + 0.01 < gutter * 72) {
        char buf[240];
        std::snprintf(buf, sizeof buf,
                      "[print] %s needs an inner margin (gutter) of at least %.3g in (%.1f mm) "
                      "for %d pages; [pdf] margin_inner gives %.1f mm",
                      print.service.c_str(), gutter, gutter * 25.4, pages, doc.geo.inner / kMm);
        throw util::BuildError({}, buf);
    }
}

namespace {

haru::Obj box(haru::Objects& objects, double x0, double y0, double x1, double y1) {
    haru::Obj a = objects.array();
    for (double v : {x0, y0, x1, y1})
        objects.push_number(a, std::round(v * 1000) / 1000);
    return a;
}

} // namespace

void set_page_boxes(haru::Objects& objects, HPDF_Page page, size_t index, const Geometry& g) {
    if (!g.print) return;
    double m = g.marks ? kMarksRoom : 0;
    if (g.cover) { // one sheet, bled all round
        haru::Obj p{page};
        double b = g.bleed;
        double mb = std::max(b, m);
        objects.put(p, "MediaBox", box(objects, -mb, -mb, g.page_w + mb, g.page_h + mb));
        objects.put(p, "BleedBox", box(objects, -b, -b, g.page_w + b, g.page_h + b));
        objects.put(p, "TrimBox", box(objects, 0, 0, g.page_w, g.page_h));
        return;
    }
    bool recto = index % 2 == 0;
    double b = g.bleed, w = g.page_w, h = g.page_h;
    // Bleed on the top, bottom and outer edges; none at the spine.
    double x0 = g.outer_right(recto) ? 0 : -b, x1 = g.outer_right(recto) ? w + b : w;
    haru::Obj p{page};
    if (m > 0)
        objects.put(p, "MediaBox", box(objects, -m, -m, w + m, h + m));
    else
        objects.put(p, "MediaBox", box(objects, x0, -b, x1, h + b));
    objects.put(p, "BleedBox", box(objects, x0, -b, x1, h + b));
    objects.put(p, "TrimBox", box(objects, 0, 0, w, h));
}

void mark_untrapped(HPDF_Doc doc) {
    if (doc->info) HPDF_Dict_AddName(doc->info, "Trapped", "False");
}

} // namespace imprenta::pdf
