#include "pdf/image_res.h"

#include "util/parallel.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace imprenta::pdf {

namespace {

void used_assets(const std::vector<doc::Inline>& v, std::set<int>& out) {
    for (const auto& in : v) {
        if (in.kind == doc::InlineKind::Image && in.asset >= 0) out.insert(in.asset);
        used_assets(in.children, out);
    }
}
void used_assets(const std::vector<doc::Block>& v, std::set<int>& out) {
    for (const auto& b : v) {
        used_assets(b.inlines, out);
        for (const auto& r : b.rows)
            for (const auto& c : r.cells)
                used_assets(c.inlines, out);
        used_assets(b.children, out);
    }
}

} // namespace

std::set<int> text_assets(const doc::Book& book) {
    // By chapter in parallel: the walk over every inline of the book is on the serial path of a
    // watch rebuild (twice: the images to prepare, then the PDF's).
    std::vector<std::set<int>> by_chapter(book.chapters.size());
    util::parallel_for(book.chapters.size(), [&](size_t i) {
        const doc::Chapter& ch = book.chapters[i];
        used_assets(ch.blocks, by_chapter[i]);
        used_assets(ch.title_inlines, by_chapter[i]);
        for (const auto& n : ch.notes)
            used_assets(n.blocks, by_chapter[i]);
    });
    std::set<int> used;
    for (const auto& s : by_chapter)
        used.insert(s.begin(), s.end());
    return used;
}

PrintSize figure_size(const Geometry& g, double width, double pw, double ph, bool captioned) {
    PrintSize s;
    s.w = std::min(width, pw * 0.75);
    s.h = s.w * ph / pw;
    double max_h = g.text_h() * (captioned ? 0.62 : 0.72);
    if (s.h > max_h) {
        s.h = max_h;
        s.w = s.h * pw / ph;
    }
    return s;
}

PrintSize banner_size(const Geometry& g, double width, double pw, double ph) {
    PrintSize s{width, width * ph / pw};
    double max_h = g.text_h() * 0.32;
    if (s.h > max_h) {
        s.h = max_h;
        s.w = s.h * pw / ph;
    }
    return s;
}

std::vector<image::PdfPolicy> image_policies(const Geometry& g, const doc::Book& book) {
    return image_policies(g, book, text_assets(book));
}

std::vector<image::PdfPolicy> image_policies(const Geometry& g, const doc::Book& book,
                                             const std::set<int>& in_text) {
    auto pixels = [&](double pt) { return int(std::ceil(pt / 72.0 * g.image_dpi)); };
    image::PdfPolicy whole; // the text block: for images of unknown size
    whole.max_width = pixels(g.text_w());
    whole.max_height = pixels(g.text_h());
    std::vector<bool> banner(book.assets.size(), false);
    for (const auto& ch : book.chapters)
        if (ch.banner >= 0 && size_t(ch.banner) < banner.size() &&
            ch.kind != doc::ChapterKind::Part)
            banner[ch.banner] = true;
    std::vector<image::PdfPolicy> out(book.assets.size(), whole);
    for (size_t i = 0; i < book.assets.size(); ++i) {
        double pw = book.assets[i].width, ph = book.assets[i].height;
        if (pw <= 0 || ph <= 0) continue;
        // An image drawn both as a banner and in the text gets the larger of the two.
        PrintSize f;
        if (in_text.count(int(i))) f = figure_size(g, g.text_w(), pw, ph, false);
        if (banner[i]) {
            PrintSize b = banner_size(g, g.text_w(), pw, ph);
            if (b.w > f.w) f = b;
        }
        if (f.w <= 0) continue; // not drawn (the cover): as before
        // A square bound: the image keeps its aspect, so its longer side is what binds, and
        // an EXIF rotation (which swaps the sides) cannot make it bind wrongly.
        int side = std::max(pixels(f.w), pixels(f.h));
        out[i].max_width = out[i].max_height = std::max(side, 1);
    }
    return out;
}

namespace {

// The widest each asset is drawn in `pages`, in points.
std::map<int, PrintSize> drawn_sizes(const std::vector<OutPage>& pages) {
    std::map<int, PrintSize> out;
    for (const auto& page : pages)
        for (const auto& im : page.paint.images) {
            if (im.asset < 0) continue;
            PrintSize& s = out[im.asset];
            if (im.w > s.w) s = {im.w, im.h};
        }
    return out;
}

} // namespace

void fit_to_print(std::map<int, image::PdfImage>& images, const std::vector<OutPage>& pages,
                  const doc::Book& book, const Geometry& g, const image::Cache* cache, bool raw) {
    for (const auto& [asset, size] : drawn_sizes(pages)) {
        auto it = images.find(asset);
        if (it == images.end() || size_t(asset) >= book.assets.size()) continue;
        const doc::Asset& a = book.assets[asset];
        if (a.format == "svg" || it->second.width <= 0 || it->second.height <= 0) continue;
        int side = int(std::ceil(std::max(size.w, size.h) / 72.0 * g.image_dpi));
        int has = std::max(it->second.width, it->second.height);
        if (side <= 0 || side * 1.15 >= has) continue;
        image::PdfPolicy p;
        p.max_width = p.max_height = side;
        p.raw = raw;
        try {
            it->second = image::prepare_for_pdf(a.source, p, cache);
        } catch (const std::exception&) {
        }
    }
}

void warn_low_resolution(const std::vector<OutPage>& pages, const doc::Book& book,
                         const std::vector<int>& pixel_w, util::Diagnostics& diags) {
    std::map<int, double> lowest; // asset -> lowest ppi it prints at
    for (const auto& page : pages)
        for (const auto& im : page.paint.images) {
            if (im.asset < 0 || size_t(im.asset) >= pixel_w.size() || im.w <= 0) continue;
            int px = pixel_w[im.asset];
            if (px <= 0) continue;
            double ppi = px / (im.w / 72.0);
            auto [it, fresh] = lowest.emplace(im.asset, ppi);
            if (!fresh) it->second = std::min(it->second, ppi);
        }
    for (const auto& [asset, ppi] : lowest) {
        if (ppi >= kLowPpi || size_t(asset) >= book.assets.size()) continue;
        const doc::Asset& a = book.assets[asset];
        diags.warning({a.source_display},
                      "image prints at " + std::to_string(int(std::lround(ppi))) + " ppi, below " +
                          std::to_string(int(kLowPpi)) + ": it will look soft on paper (" +
                          std::to_string(pixel_w[asset]) + " px wide; a file about " +
                          std::to_string(int(std::ceil(pixel_w[asset] * 300 / ppi))) +
                          " px wide would print at 300 ppi)",
                      "images print below " + std::to_string(int(kLowPpi)) + " ppi");
    }
}

} // namespace imprenta::pdf
