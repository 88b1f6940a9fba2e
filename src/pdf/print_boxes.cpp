#include "pdf/print_boxes.h"

#include "book/print_config.h"
#include "pdf/writer.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace imprenta::pdf {

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
}

void finish_print_pages(Document& doc, const book::PrintConfig& print, util::Diagnostics& diags) {
    if (!print.enabled()) return;
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
    if (g.cover) { // one sheet, bled all round
        haru::Obj p{page};
        double b = g.bleed;
        objects.put(p, "MediaBox", box(objects, -b, -b, g.page_w + b, g.page_h + b));
        objects.put(p, "BleedBox", box(objects, -b, -b, g.page_w + b, g.page_h + b));
        objects.put(p, "TrimBox", box(objects, 0, 0, g.page_w, g.page_h));
        return;
    }
    bool recto = index % 2 == 0;
    double b = g.bleed, w = g.page_w, h = g.page_h;
    // Bleed on the top, bottom and outer edges; none at the spine.
    double x0 = recto ? 0 : -b, x1 = recto ? w + b : w;
    haru::Obj p{page};
    objects.put(p, "MediaBox", box(objects, x0, -b, x1, h + b));
    objects.put(p, "BleedBox", box(objects, x0, -b, x1, h + b));
    objects.put(p, "TrimBox", box(objects, 0, 0, w, h));
}

void mark_untrapped(HPDF_Doc doc) {
    if (doc->info) HPDF_Dict_AddName(doc->info, "Trapped", "False");
}

} // namespace imprenta::pdf
