#include "pdf/cover.h"

#include "book/isbn.h"
#include "book/print_config.h"
#include "pdf/barcode.h"
#include "pdf/print_boxes.h"
#include "pdf/print_color.h"
#include "pdf/text.h"
#include "pdf/writer.h"
#include "util/fs.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace imprenta::pdf {

namespace {

constexpr double kSafe = 0.375 * 72; // text keeps this far from the trim and the spine folds
constexpr int kMinPpi = 300;
constexpr double kFoldGap = book::kBleedIn * 72 + 3; // fold marks start beyond the bleed

InlineStyle style_of(const FontSet& fonts, const doc::Book& book, double size, bool bold) {
    InlineStyle s;
    s.fonts = &fonts;
    s.lang = book.meta.language;
    s.size = size;
    s.leading = size * 1.3;
    s.bold = bold;
    return s;
}

// Lines of `text` set in `width`, centred or ragged, from y (top) down; returns the y below.
double paragraph(Paint& p, const FontSet& fonts, const doc::Book& book, const std::string& text,
                 double x, double y, double width, double size, bool bold, TextAlign align) {
    if (text.empty()) return y;
    doc::Inline in;
    in.text = text;
    ParagraphSpec spec;
    spec.width = width;
    spec.align = align;
    spec.hyphenate = false;
    for (auto& line : typeset({in}, style_of(fonts, book, size, bold), spec)) {
        double h = line.height;
        p.take(std::move(line.paint), x, y);
        y += h;
    }
    return y;
}

std::string authors_of(const doc::Book& book) {
    std::string s;
    for (const auto& a : book.meta.authors)
        s += (s.empty() ? "" : ", ") + a;
    return s;
}

// Title and author across the spine, reading top to bottom, centred both ways.
void spine_text(Paint& p, const FontSet& fonts, const doc::Book& book, const CoverSize& c) {
    std::string text = book.meta.title;
    if (std::string a = authors_of(book); !a.empty()) text += "  \u00B7  " + a;
    double size = std::min(11.0, c.spine * 0.45);
    auto line = typeset_plain(text, style_of(fonts, book, size, true));
    double room = c.height - 2 * kSafe;
    if (line.width > room) { // too long: a smaller size, then the title alone
        size *= room / line.width;
        line = typeset_plain(text, style_of(fonts, book, size, true));
    }
    double x = c.panel + c.spine / 2 - size * 0.35; // the cap height's middle on the centre
    double y = (c.height - line.width) / 2;
    for (auto& t : line.paint.texts) {
        t.turned = true;
        double along = t.x; // distance along the baseline
        t.x = x;
        t.y = y + along;
        p.texts.push_back(std::move(t));
    }
}

// The cover image over the front panel and its bleed, whole (scaled to fit), on a dark ground.
bool front_image(Paint& p, const doc::Book& book, const CoverSize& c, util::Diagnostics& diags) {
    int a = book.meta.cover;
    if (a < 0 || size_t(a) >= book.assets.size()) return false;
    const auto& asset = book.assets[size_t(a)];
    if (asset.width <= 0 || asset.height <= 0) return false;
    // The front panel and the bleed beyond its outer edge.
    double x0 = c.spine_right ? -c.bleed : c.front_x(), w = c.panel + c.bleed;
    double h = c.height + 2 * c.bleed;
    double s = std::min(w / asset.width, h / asset.height);
    double iw = asset.width * s, ih = asset.height * s;
    p.rects.push_back({x0, -c.bleed, w, h, {0.12f, 0.12f, 0.14f}});
    p.images.push_back({x0 + (w - iw) / 2, -c.bleed + (h - ih) / 2, iw, ih, a});
    double ppi = asset.width / (iw / 72);
    if (ppi + 0.5 < kMinPpi) {
        char buf[200];
        std::snprintf(buf, sizeof buf,
                      "cover image is %.0f ppi at its printed size (%.2f x %.2f in); printers "
                      "ask for %d: use one of at least %d x %d pixels",
                      ppi, iw / 72, ih / 72, kMinPpi, int(std::ceil(iw / 72 * kMinPpi)),
                      int(std::ceil(ih / 72 * kMinPpi)));
        diags.warning({asset.source_display}, buf);
    }
    return true;
}

// A typeset front: title, subtitle and author centred on the panel.
void front_text(Paint& p, const FontSet& fonts, const doc::Book& book, const CoverSize& c) {
    double x = c.front_x() + kSafe, w = c.panel - 2 * kSafe;
    double y = c.height * 0.28;
    y = paragraph(p, fonts, book, book.meta.title, x, y, w, 26, true, TextAlign::Center);
    y = paragraph(p, fonts, book, book.meta.subtitle, x, y + 10, w, 14, false, TextAlign::Center);
    paragraph(p, fonts, book, authors_of(book), x, c.height * 0.72, w, 14, false,
              TextAlign::Center);
}

// The ISBN barcode in the back's lower corner by the spine, at 100 % (0.33 mm modules),
// inside the safe area, when the book's identifier is an ISBN.
void back_barcode(Paint& p, const FontSet& fonts, const doc::Book& book,
                  const book::PrintConfig& print, const CoverSize& c) {
    if (!print.barcode) return;
    auto isbn = book::parse_isbn(book.meta.identifier);
    if (!isbn || !isbn->valid) return;
    std::string digits = isbn13_of(isbn->digits);
    if (digits.empty()) return;
    Barcode b = isbn_barcode(digits, print.price);
    const double module = 0.33 * kMm;
    double right = c.spine_right ? c.back_x() + kSafe + b.width * module : c.panel - kSafe;
    draw_barcode(p, b, digits, fonts, book.meta.language, module, right, c.height - kSafe);
}

} // namespace

CoverSize cover_size(const book::PrintConfig& print, int pages) {
    CoverSize c;
    c.panel = print.trim_w * kMm;
    c.height = print.trim_h * kMm;
    c.spine = pages * book::page_thickness_in(print) * 72;
    c.width = 2 * c.panel + c.spine;
    c.bleed = book::kBleedIn * 72;
    return c;
}

void write_cover(const doc::Book& book, const std::filesystem::path& out, const Options& options,
                 int pages, util::Diagnostics& diags) {
    const book::PrintConfig& print = options.config.print;
    if (!print.enabled())
        throw util::BuildError({"book.toml"}, "--format cover needs a [print] table in book.toml "
                                              "(service, trim, paper)");
    CoverSize c = cover_size(print, pages);
    c.spine_right = bound_on_right(options.config, book.meta.rtl);
    std::unique_ptr<PrintColor> color;
    if (wants_pdfx(print)) color = std::make_unique<PrintColor>(print, book.root);
    FontSet fonts(options.config, book.root);

    OutPage page;
    page.label = "1";
    Paint& p = page.paint;
    std::map<int, image::PdfImage> images;
    if (front_image(p, book, c, diags)) {
        image::PdfPolicy policy; // the cover's own pixels, up to 600 ppi over the panel
        policy.max_width = int(std::ceil((c.panel + c.bleed) / 72 * 600));
        policy.max_height = int(std::ceil((c.height + 2 * c.bleed) / 72 * 600));
        policy.raw = color && color->all_cmyk();
        const auto& asset = book.assets[size_t(book.meta.cover)];
        try {
            images.emplace(book.meta.cover,
                           image::prepare_for_pdf(asset.source, policy, options.cache));
        } catch (const std::exception& e) {
            diags.warning({asset.source_display},
                          std::string("cover image left out of the cover: ") + e.what());
            p = Paint{};
        }
    }
    if (images.empty()) front_text(p, fonts, book, c);
    if (pages >= book::min_pages_for_spine_text(print)) spine_text(p, fonts, book, c);
    // The back: the book's description, above the area the printer keeps for the barcode.
    double back_w = c.panel - 2 * kSafe;
    paragraph(p, fonts, book, book.meta.description, c.back_x() + kSafe, kSafe + 0.5 * 72, back_w,
              11, false, TextAlign::Left);
    back_barcode(p, fonts, book, print, c);

    Document d;
    d.color = color.get();
    d.geo.page_w = c.width;
    d.geo.page_h = c.height;
    d.geo.bleed = c.bleed;
    d.geo.print = true;
    d.geo.cover = true;
    d.geo.marks = print.marks;
    add_crop_marks(p, d.geo);
    if (print.marks) // the spine's folds, marked above and below the sheet like the corners
        for (double x : {c.panel, c.panel + c.spine}) {
            p.rules.push_back({x, -kFoldGap, x, -kFoldGap - 12, 0.25, {}});
            p.rules.push_back({x, c.height + kFoldGap, x, c.height + kFoldGap + 12, 0.25, {}});
        }
    d.pages.push_back(std::move(page));
    write_document(d, book, fonts, images, out,
                   options.report_as.empty() ? out : options.report_as);
}

namespace {

class CoverRenderer : public render::Renderer {
public:
    std::string name() const override { return "cover"; }
    std::string extension() const override { return "pdf"; }
    std::string file_name(const std::string& slug) const override { return slug + "-cover.pdf"; }
    std::string activity() const override { return "making the print cover"; }
    void prepare(const book::Config&) override { load_font_config_ahead(); }
    void configure(const book::Config& config) override { config_ = config.pdf; }
    void render(const doc::Book& book, render::Output& out) override {
        Options options;
        options.config = config_;
        options.cache = out.cache;
        options.report_as = out.target;
        size_t pages = 0;
        if (const auto* map = out.handoff.get<render::PageMap>()) {
            pages = map->pages.size();
        } else { // the spine needs the interior's page count
            std::filesystem::path interior = out.path;
            interior += ".interior";
            util::PendingFile scratch(interior); // never committed: removed when done
            pages = write_pdf(book, scratch.temp_path(), options, out.diags).size();
        }
        write_cover(book, out.path, options, int(pages), out.diags);
    }

private:
    book::PdfConfig config_;
};

} // namespace

std::unique_ptr<render::Renderer> make_cover_renderer() {
    return std::make_unique<CoverRenderer>();
}

} // namespace imprenta::pdf
