#include "pdf/toc.h"

#include "pdf/layout.h"
#include "pdf/paginate.h"
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
    s.direction = 0; // contents and running heads read left to right; RTL titles are runs

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
        double nx = recto ? left + w - num.width : left;
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

std::vector<OutPage> front_matter(const FrontInput& in) {
    const doc::Book& book = *in.book;
    const Geometry& g = *in.geo;
    const FontSet& fonts = *in.fonts;
    const double fs = g.font_size, L = g.line(), W = g.text_w();
    std::vector<OutPage> pages;

    // Title page: title, subtitle and authors in the upper half, the publisher at the foot.
    {
        OutPage p;
        double x = g.left(true);
        double y = g.top + g.text_h() * 0.16;
        InlineStyle ts = base_style(fonts, fs * 2.4, in.missing);
        ts.bold = true;
        ts.leading = ts.size * 1.18;
        std::string title = book.meta.title.empty() ? "Untitled" : book.meta.title;
        centered(p.paint, {text_inline(title)}, ts, x, W, y);
        p.paint.outlines.clear();
        if (!book.meta.subtitle.empty()) {
            y += L * 0.8;
            InlineStyle ss = base_style(fonts, fs * 1.35, in.missing);
            ss.italic = true;
            ss.leading = ss.size * 1.25;
            centered(p.paint, {text_inline(book.meta.subtitle)}, ss, x, W, y);
        }
        if (!book.meta.authors.empty()) {
            y = std::max(y + 2.5 * L, g.top + g.text_h() * 0.45);
            InlineStyle as = base_style(fonts, fs * 1.25, in.missing);
            as.leading = as.size * 1.4;
            for (const auto& a : book.meta.authors)
                centered(p.paint, {text_inline(a)}, as, x, W, y);
        }
        if (!book.meta.publisher.empty()) {
            InlineStyle ps = base_style(fonts, fs, in.missing);
            double py = g.top + g.text_h() - ps.leading;
            centered(p.paint, {text_inline(book.meta.publisher)}, ps, x, W, py);
        }
        pages.push_back(std::move(p));
    }
    // Its verso: rights, publisher and date at the foot (the copyright page), else blank.
    {
        OutPage p;
        std::vector<std::string> lines;
        if (!book.meta.rights.empty()) lines.push_back(book.meta.rights);
        if (!book.meta.publisher.empty()) lines.push_back(book.meta.publisher);
        if (!book.meta.date.empty()) lines.push_back(book.meta.date);
        InlineStyle s = base_style(fonts, fs * 0.85, in.missing);
        ParagraphSpec spec;
        spec.width = W;
        spec.align = TextAlign::Left;
        spec.hyphenate = false;
        std::vector<TypesetLine> all;
        for (const auto& t : lines)
            for (auto& l : typeset({text_inline(t)}, s, spec))
                all.push_back(std::move(l));
        double h = 0;
        for (const auto& l : all)
            h += l.height;
        double y = g.top + g.text_h() - h;
        for (auto& l : all) {
            p.paint.take(std::move(l.paint), g.left(false), y);
            y += l.height;
        }
        pages.push_back(std::move(p));
    }

    // Table of contents.
    auto entries = toc_entries(book);
    if (!entries.empty()) {
        std::string title = contents_title(book.meta.language);
        std::vector<VItem> items;
        VItem sink;
        sink.height = g.text_h() * 0.12;
        items.push_back(std::move(sink));
        {
            InlineStyle hs = base_style(fonts, Type::chapter_title(g), in.missing);
            hs.bold = true;
            hs.leading = hs.size * 1.2;
            TypesetLine t = typeset_plain(title, hs);
            VItem v;
            v.height = t.height;
            v.paint.take(std::move(t.paint), 0, 0);
            v.paint.outlines.push_back({0, 0, title});
            items.push_back(VItem::pen(kForbid));
            items.push_back(std::move(v));
            items.push_back(VItem::pen(kForbid));
            items.push_back(VItem::glue(2.2 * L));
        }
        InlineStyle es = base_style(fonts, fs, in.missing);
        es.leading = L;
        double num_w = fs * 2.8;  // the page-number column
        double pitch = fs * 0.55; // dot leader spacing, aligned on a grid down the page
        const double dot_w = fonts.char_width(Face::Regular, '.', fs);
        const ShapedText dot = shape(fonts, {Face::Regular, fs, {}, false}, ".", nullptr);
        for (size_t e = 0; e < entries.size(); ++e) {
            auto [ci, depth] = entries[e];
            const doc::Chapter& ch = book.chapters[ci];
            bool part = ch.kind == doc::ChapterKind::Part;
            double indent = depth * fs * 1.5;
            if (e > 0) {
                // Parts, and chapters that close a part, get some air above them.
                int prev_depth = entries[e - 1].second;
                if (part)
                    items.push_back(VItem::glue(0.7 * L));
                else if (depth < prev_depth)
                    items.push_back(VItem::glue(0.4 * L));
                else
                    items.push_back(VItem::pen(depth == 0 ? 0 : 50));
            }
            InlineStyle s = es;
            s.bold = part;
            ParagraphSpec spec;
            spec.width = W - indent - num_w;
            spec.align = TextAlign::Left;
            spec.hyphenate = false;
            // The chapter's title, as the nav, the outline and the running heads give it (the
            // page's own H1 may differ from a front-matter title). Entries are plain text.
            std::string title = ch.title.empty() ? plain_text_with_alt(ch.title_inlines) : ch.title;
            auto ls = typeset({text_inline(title)}, s, spec);
            if (ls.empty()) ls = typeset({text_inline("\u2014")}, s, spec);
            const std::string& label = in.chapter_labels[ci];
            for (size_t i = 0; i < ls.size(); ++i) {
                if (i > 0) items.push_back(VItem::pen(kForbid));
                VItem v;
                v.height = ls[i].height;
                v.baseline = ls[i].baseline;
                double line_end = indent + ls[i].width;
                v.paint.take(std::move(ls[i].paint), indent, 0);
                if (i + 1 == ls.size()) {
                    TypesetLine num = typeset_plain(label, s);
                    double nx = W - num.width;
                    double first = std::ceil((line_end + fs * 0.6) / pitch) * pitch;
                    for (double dx = first; dx + dot_w <= nx - fs * 0.6; dx += pitch)
                        v.paint.add_text(dx, v.baseline, fs, {}, dot);
                    v.paint.take(std::move(num.paint), nx, v.baseline - num.baseline);
                }
                v.paint.links.push_back({indent, 0, W - indent, v.height, "", ci, ""});
                items.push_back(std::move(v));
            }
        }
        PageSpec spec;
        spec.height = g.text_h();
        spec.line = L;
        spec.flush_bottom = false;
        auto builds = paginate(items, {}, spec);
        for (size_t k = 0; k < builds.size(); ++k) {
            OutPage p;
            bool recto = pages.size() % 2 == 0;
            for (const auto& pl : builds[k].items) {
                Paint paint = items[pl.item].paint;
                p.paint.take(std::move(paint), g.left(recto), g.top + pl.y);
            }
            p.label = roman(int(pages.size()) + 1);
            furnish(p, g, fonts, recto, k == 0 ? Folio::Foot : Folio::Head, title, in.missing);
            pages.push_back(std::move(p));
        }
    }
    if (pages.size() % 2 == 1) { // the body opens on a recto
        pages.push_back(OutPage{});
        pages.back().blank = true;
    }
    if (book.meta.rights.empty() && book.meta.publisher.empty() && book.meta.date.empty())
        pages[1].blank = true;
    for (size_t i = 0; i < pages.size(); ++i)
        pages[i].label = roman(int(i) + 1);
    return pages;
}

} // namespace imprenta::pdf
