#include "pdf/toc.h"

#include "pdf/layout.h"
#include "pdf/paginate.h"
#include "pdf/script.h"
#include "pdf/shape.h"
#include "pdf/text.h"
#include "util/utf8.h"

#include <algorithm>
#include <cmath>

namespace imprenta::pdf {

namespace {

InlineStyle base_style(const FontSet& fonts, double size, std::set<char32_t>* missing) {
    InlineStyle s;
    s.fonts = &fonts;
    s.size = size;
    s.leading = size * 1.25;
    s.missing = missing;
    s.direction = -1; // titles read in the direction of their first strong character

    return s;
}

// `text` shortened with an ellipsis to fit `width`.
std::string fit(const std::string& text, const InlineStyle& s, double width) {
    if (typeset_plain(text, s).width <= width) return text;
    std::vector<size_t> starts;
    for (size_t i = 0; i < text.size();) {
        starts.push_back(i);
        util::next_code_point(text, i);
    }
    size_t lo = 0, hi = starts.size();
    while (lo < hi) { // longest prefix that fits with the ellipsis
        size_t mid = (lo + hi + 1) / 2;
        std::string t = text.substr(0, mid < starts.size() ? starts[mid] : text.size()) + "\u2026";
        if (typeset_plain(t, s).width <= width)
            lo = mid;
        else
            hi = mid - 1;
    }
    std::string t = text.substr(0, lo < starts.size() ? starts[lo] : text.size());
    while (!t.empty() && t.back() == ' ')
        t.pop_back();
    return t + "\u2026";
}

void centered(Paint& paint, const std::vector<doc::Inline>& inlines, const InlineStyle& s, double x,
              double width, double& y) {
    ParagraphSpec spec;
    spec.width = width;
    spec.align = TextAlign::Center;
    spec.hyphenate = false;
    for (auto& l : typeset(inlines, s, spec)) {
        paint.take(std::move(l.paint), x, y);
        y += l.height;
    }
}

doc::Inline text_inline(const std::string& t) {
    doc::Inline in;
    in.text = t;
    return in;
}

} // namespace

std::string roman(int n) {
    static const std::pair<int, const char*> table[] = {
        {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
        {40, "xl"},  {10, "x"},   {9, "ix"},  {5, "v"},    {4, "iv"},  {1, "i"}};
    std::string out;
    for (const auto& [v, s] : table)
        while (n >= v) {
            out += s;
            n -= v;
        }
    return out;
}

std::string contents_title(const std::string& lang) {
    std::string l = lang.substr(0, lang.find_first_of("-_"));
    for (char& c : l)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    if (l == "es") return "\u00cdndice";
    if (l == "fr") return "Table des mati\u00e8res";
    if (l == "de") return "Inhalt";
    if (l == "it") return "Indice";
    if (l == "pt") return "Sum\u00e1rio";
    if (l == "ca") return "\u00cdndex";
    if (l == "gl") return "\u00cdndice";
    if (l == "nl") return "Inhoud";
    if (l == "he")
        return "\u05ea\u05d5\u05db\u05df \u05d4\u05e2\u05e0\u05d9\u05d9\u05e0\u05d9\u05dd";
    if (l == "ar") return "\u0627\u0644\u0645\u062d\u062a\u0648\u064a\u0627\u062a";
    if (l == "fa") return "\u0641\u0647\u0631\u0633\u062a";
    return "Contents";
}

std::vector<std::pair<int, int>> toc_entries(const doc::Book& book) {
    std::vector<std::pair<int, int>> out;
    for (size_t i = 0; i < book.chapters.size(); ++i)
        if (book.chapters[i].in_toc) out.push_back({int(i), std::max(0, book.chapters[i].depth)});
    return out;
}

void furnish(OutPage& page, const Geometry& g, const FontSet& fonts, bool recto, Folio folio,
             const std::string& head, std::set<char32_t>* missing) {
    double left = g.left(recto), w = g.text_w();
    InlineStyle s = base_style(fonts, Type::head_size(g), missing);
    if (folio == Folio::Head) {
        double baseline = g.top - 1.7 * g.line();
        TypesetLine num = typeset_plain(page.label, s);
        double nx = g.outer_right(recto) ? left + w - num.width : left; // on the outer edge
        page.paint.take(std::move(num.paint), nx, baseline - num.baseline);
        if (!head.empty()) {
            InlineStyle hs = s;
            hs.italic = true;
            std::string t = fit(head, hs, w - 8 * s.size);
            TypesetLine h = typeset_plain(t, hs);
            page.paint.take(std::move(h.paint), left + (w - h.width) / 2, baseline - h.baseline);
        }
    } else if (folio == Folio::Foot) {
        double baseline = g.page_h - g.bottom + 2.0 * g.line();
        TypesetLine num = typeset_plain(page.label, s);
        page.paint.take(std::move(num.paint), left + (w - num.width) / 2, baseline - num.baseline);
    }
}

namespace {

// What the front matter's pages share while they are set.
struct Front {
    const FrontInput& in;
    const doc::Book& book;
    const Geometry& g;
    const FontSet& fonts;
    StructTree& tree;
    double fs, L, W;

    // Each piece of the title and copyright pages a paragraph of its own.
    void paragraph(Paint& p) { p.claim(tree.add(Role::P, 0)); }
};

// Title page: title, subtitle and authors in the upper half, the publisher at the foot.
OutPage title_page(Front& f) {
    const auto& meta = f.book.meta;
    OutPage p;
    double x = f.g.left(true);
    double y = f.g.top + f.g.text_h() * 0.16;
    InlineStyle ts = base_style(f.fonts, f.fs * 2.4, f.in.missing);
    ts.bold = true;
    ts.leading = ts.size * 1.18;
    std::string title = meta.title.empty() ? "Untitled" : meta.title;
    centered(p.paint, {text_inline(title)}, ts, x, f.W, y);
    p.paint.claim(f.tree.add(Role::H1, 0));
    p.paint.outlines.clear();
    if (!meta.subtitle.empty()) {
        y += f.L * 0.8;
        InlineStyle ss = base_style(f.fonts, f.fs * 1.35, f.in.missing);
        ss.italic = true;
        ss.leading = ss.size * 1.25;
        centered(p.paint, {text_inline(meta.subtitle)}, ss, x, f.W, y);
        f.paragraph(p.paint);
    }
    if (!meta.authors.empty()) {
        y = std::max(y + 2.5 * f.L, f.g.top + f.g.text_h() * 0.45);
        InlineStyle as = base_style(f.fonts, f.fs * 1.25, f.in.missing);
        as.leading = as.size * 1.4;
        for (const auto& a : meta.authors) {
            centered(p.paint, {text_inline(a)}, as, x, f.W, y);
            f.paragraph(p.paint);
        }
    }
    if (!meta.publisher.empty()) {
        InlineStyle ps = base_style(f.fonts, f.fs, f.in.missing);
        double py = f.g.top + f.g.text_h() - ps.leading;
        centered(p.paint, {text_inline(meta.publisher)}, ps, x, f.W, py);
        f.paragraph(p.paint);
    }
    return p;
}

// The title page's verso: rights, publisher and date at the foot (the copyright page).
OutPage copyright_page(Front& f) {
    const auto& meta = f.book.meta;
    OutPage p;
    std::vector<std::string> lines;
    if (!meta.rights.empty()) lines.push_back(meta.rights);
    if (!meta.publisher.empty()) lines.push_back(meta.publisher);
    if (!meta.date.empty()) lines.push_back(meta.date);
    InlineStyle s = base_style(f.fonts, f.fs * 0.85, f.in.missing);
    ParagraphSpec spec;
    spec.width = f.W;
    spec.align = TextAlign::Left;
    spec.hyphenate = false;
    std::vector<TypesetLine> all;
    for (const auto& t : lines)
        for (auto& l : typeset({text_inline(t)}, s, spec))
            all.push_back(std::move(l));
    double h = 0;
    for (const auto& l : all)
        h += l.height;
    double y = f.g.top + f.g.text_h() - h;
    for (auto& l : all) {
        p.paint.take(std::move(l.paint), f.g.left(false), y);
        y += l.height;
    }
    if (!all.empty()) f.paragraph(p.paint);
    return p;
}

// The contents page's heading, sunk a little below the top of the text area.
void contents_heading(Front& f, const std::string& title, bool rtl, std::vector<VItem>& items) {
    VItem sink;
    sink.height = f.g.text_h() * 0.12;
    items.push_back(std::move(sink));
    InlineStyle hs = base_style(f.fonts, Type::chapter_title(f.g), f.in.missing);
    hs.bold = true;
    hs.leading = hs.size * 1.2;
    TypesetLine t = typeset_plain(title, hs);
    VItem v;
    v.height = t.height;
    t.paint.claim(f.tree.add(Role::H1, 0));
    v.paint.take(std::move(t.paint), rtl ? f.W - t.width : 0, 0);
    v.paint.outlines.push_back({0, 0, title});
    items.push_back(VItem::pen(kForbid));
    items.push_back(std::move(v));
    items.push_back(VItem::pen(kForbid));
    items.push_back(VItem::glue(2.2 * f.L));
}

// One contents entry: the chapter's title (wrapped), a dot leader and its page number.
struct EntryStyle {
    InlineStyle text;
    bool rtl;
    double num_w; // the page-number column
    double pitch; // dot leader spacing, aligned on a grid down the page
    double dot_w;
    ShapedText dot;
};

void contents_entry(Front& f, const EntryStyle& es, int ci, int depth, int toc,
                    std::vector<VItem>& items) {
    const double fs = f.fs, W = f.W;
    const doc::Chapter& ch = f.book.chapters[ci];
    double indent = depth * fs * 1.5;
    InlineStyle s = es.text;
    s.bold = ch.kind == doc::ChapterKind::Part;
    ParagraphSpec spec;
    spec.width = W - indent - es.num_w;
    spec.align = TextAlign::Left;
    spec.hyphenate = false;
    // The chapter's title, as the nav, the outline and the running heads give it (the
    // page's own H1 may differ from a front-matter title). Entries are plain text.
    std::string title = ch.title.empty() ? plain_text_with_alt(ch.title_inlines) : ch.title;
    auto ls = typeset({text_inline(title)}, s, spec);
    if (ls.empty()) ls = typeset({text_inline("\u2014")}, s, spec);
    const std::string& label = f.in.chapter_labels[ci];
    int item = f.tree.add(Role::TOCI, toc);
    for (size_t i = 0; i < ls.size(); ++i) {
        ls[i].paint.claim(item);
        if (i > 0) items.push_back(VItem::pen(kForbid));
        VItem v;
        v.height = ls[i].height;
        v.baseline = ls[i].baseline;
        // Right to left: the title against the right margin (indented from it), the
        // number at the left; the dots between, on the same grid.
        double x0 = es.rtl ? es.num_w : indent;
        double text_l = es.rtl ? x0 + spec.width - ls[i].width : x0;
        double text_r = es.rtl ? W - indent : indent + ls[i].width;
        v.paint.take(std::move(ls[i].paint), x0, 0);
        if (i + 1 == ls.size()) {
            TypesetLine num = typeset_plain(label, s);
            double nx = es.rtl ? 0 : W - num.width;
            double from = es.rtl ? num.width : text_r, to = es.rtl ? text_l : nx;
            double first = std::ceil((from + fs * 0.6) / es.pitch) * es.pitch;
            for (double dx = first; dx + es.dot_w <= to - fs * 0.6; dx += es.pitch)
                v.paint.add_text(dx, v.baseline, fs, {}, es.dot);
            v.paint.claim(kArtifact); // the dot leader
            num.paint.claim(item);
            v.paint.take(std::move(num.paint), nx, v.baseline - num.baseline);
        }
        double link_x = es.rtl ? 0 : indent;
        v.paint.links.push_back({link_x, 0, W - indent, v.height, "", ci, "", item});
        items.push_back(std::move(v));
    }
}

// The table of contents, paginated after the pages already in `pages`.
void contents_pages(Front& f, std::vector<OutPage>& pages) {
    auto entries = toc_entries(f.book);
    if (entries.empty()) return;
    const double fs = f.fs;
    std::string title = contents_title(f.book.meta.language);
    bool rtl = language_direction(f.book.meta.language) == 1; // mirrored
    std::vector<VItem> items;
    contents_heading(f, title, rtl, items);
    EntryStyle es{base_style(f.fonts, fs, f.in.missing),
                  rtl,
                  fs * 2.8,
                  fs * 0.55,
                  f.fonts.char_width(Face::Regular, '.', fs),
                  shape(f.fonts, {Face::Regular, fs, {}, false}, ".", nullptr)};
    es.text.leading = f.L;
    if (rtl) es.text.direction = 1; // every entry from the right, whatever its first letter
    int toc = f.tree.add(Role::TOC, 0);
    for (size_t e = 0; e < entries.size(); ++e) {
        auto [ci, depth] = entries[e];
        if (e > 0) {
            // Parts, and chapters that close a part, get some air above them.
            int prev_depth = entries[e - 1].second;
            if (f.book.chapters[ci].kind == doc::ChapterKind::Part)
                items.push_back(VItem::glue(0.7 * f.L));
            else if (depth < prev_depth)
                items.push_back(VItem::glue(0.4 * f.L));
            else
                items.push_back(VItem::pen(depth == 0 ? 0 : 50));
        }
        contents_entry(f, es, ci, depth, toc, items);
    }
    PageSpec spec;
    spec.height = f.g.text_h();
    spec.line = f.L;
    spec.flush_bottom = false;
    auto builds = paginate(items, {}, spec);
    for (size_t k = 0; k < builds.size(); ++k) {
        OutPage p;
        bool recto = pages.size() % 2 == 0;
        for (const auto& pl : builds[k].items) {
            Paint paint = items[pl.item].paint;
            p.paint.take(std::move(paint), f.g.left(recto), f.g.top + pl.y);
        }
        p.label = roman(int(pages.size()) + f.in.first_number);
        furnish(p, f.g, f.fonts, recto, k == 0 ? Folio::Foot : Folio::Head, title, f.in.missing);
        pages.push_back(std::move(p));
    }
}

} // namespace

std::vector<OutPage> front_matter(const FrontInput& in, StructTree& tree) {
    const Geometry& g = *in.geo;
    Front f{in, *in.book, g, *in.fonts, tree, g.font_size, g.line(), g.text_w()};
    std::vector<OutPage> pages;
    tree.add(Role::Sect, -1);
    pages.push_back(title_page(f));
    pages.push_back(copyright_page(f));
    contents_pages(f, pages);
    if (pages.size() % 2 == 1) { // the body opens on a recto
        pages.push_back(OutPage{});
        pages.back().blank = true;
    }
    const auto& meta = f.book.meta;
    if (meta.rights.empty() && meta.publisher.empty() && meta.date.empty()) pages[1].blank = true;
    for (size_t i = 0; i < pages.size(); ++i)
        pages[i].label = roman(int(i) + in.first_number);
    return pages;
}

} // namespace imprenta::pdf
