#include "pdf/layout.h"

#include "pdf/script.h"
#include "pdf/shape.h"
#include "util/utf8.h"

#include <algorithm>
#include <cmath>

namespace imprenta::pdf {

std::string drawable_or(const FontSet& fonts, const std::string& wanted, const std::string& plain) {
    for (size_t i = 0; i < wanted.size();) {
        char32_t cp = util::next_code_point(wanted, i);
        if (!fonts.can_draw(Face::Regular, cp)) return plain;
    }
    return wanted;
}

namespace {

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
};

// `f` narrowed by `left` and `right`, but never below a usable measure: deep nesting stops
// indenting rather than squeezing text into nothing.
Frame inset(const Frame& f, double left, double right) {
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

AsideColors aside_colors(const std::string& style) {
    if (style == "info" || style == "tip" || style == "note")
        return {{0.93f, 0.95f, 0.985f}, {0.33f, 0.48f, 0.75f}};
    if (style == "warning" || style == "caution")
        return {{0.995f, 0.965f, 0.9f}, {0.85f, 0.58f, 0.12f}};
    if (style == "danger" || style == "error") return {{0.99f, 0.93f, 0.93f}, {0.75f, 0.2f, 0.2f}};
    return {{0.95f, 0.95f, 0.95f}, {0.5f, 0.5f, 0.5f}};
}

void collect_note_numbers(const std::vector<doc::Inline>& v, std::vector<std::string>& nums) {
    for (const auto& in : v) {
        if (in.kind == doc::InlineKind::NoteRef && in.note >= 0 && size_t(in.note) < nums.size() &&
            nums[in.note].empty())
            nums[in.note] = in.text;
        collect_note_numbers(in.children, nums);
    }
}
void collect_note_numbers(const std::vector<doc::Block>& v, std::vector<std::string>& nums) {
    for (const auto& b : v) {
        collect_note_numbers(b.inlines, nums);
        for (const auto& r : b.rows)
            for (const auto& c : r.cells)
                collect_note_numbers(c.inlines, nums);
        collect_note_numbers(b.children, nums);
    }
}

// A paragraph made of one image (and nothing but spaces): set as a figure.
int lone_image(const doc::Block& b) {
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

class ChapterBuilder {
public:
    ChapterBuilder(const LayoutEnv& env, int ci, const Hyphenator* h)
        : env_(env), geo_(*env.geo), fonts_(*env.fonts), chap_(env.book->chapters[ci]), ci_(ci),
          hyph_(h) {}

    const std::map<int, int>* looseness = nullptr; // by top-level block

    ChapterLayout run() {
        note_numbers_.assign(chap_.notes.size(), "");
        collect_note_numbers(chap_.blocks, note_numbers_);
        for (size_t i = 0; i < note_numbers_.size(); ++i)
            if (note_numbers_[i].empty()) note_numbers_[i] = std::to_string(i + 1);

        list_ = &out_.items;
        Frame body = body_frame();
        size_t first = opening();
        for (size_t i = first; i < chap_.blocks.size(); ++i) {
            block_ = int(i);
            const doc::Block& b = chap_.blocks[i];
            bool after_par = i > first && chap_.blocks[i - 1].kind == doc::BlockKind::Paragraph &&
                             lone_image(chap_.blocks[i - 1]) == -1;
            one_block(b, body, after_par);
        }
        while (!out_.items.empty() && out_.items.back().kind != VItem::Kind::Box)
            out_.items.pop_back();

        // Footnotes, and notes no line calls (set at the chapter's end rather than lost).
        out_.notes.resize(chap_.notes.size());
        std::vector<bool> called(chap_.notes.size(), false);
        for (const auto& it : out_.items)
            for (int n : it.notes)
                called[n] = true;
        for (size_t n = 0; n < chap_.notes.size(); ++n) {
            note_body(int(n));
            if (!called[n] && !out_.items.empty()) out_.items.back().notes.push_back(int(n));
        }
        return std::move(out_);
    }

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
    int keep_ = 0; // boxes still to come before a page break is allowed again
    std::vector<std::string> note_numbers_;

    double L() const { return geo_.line(); }

    Frame body_frame() const {
        Frame f;
        f.width = geo_.text_w();
        f.size = geo_.font_size;
        f.leading = geo_.line();
        return f;
    }

    InlineStyle style(const Frame& f) {
        InlineStyle s;
        s.fonts = &fonts_;
        s.hyphenator = hyph_;
        s.breaking = &env_.breaking;
        s.images = env_.images;
        s.missing = &out_.missing;
        s.chapter = &chap_;
        s.chapter_index = ci_;
        s.lang = chap_.lang.empty() ? env_.book->meta.language : chap_.lang;
        s.direction = language_direction(s.lang) == 1 ? 1 : -1;
        s.size = f.size;
        s.leading = f.leading;
        return s;
    }

    // ---- vertical list primitives ----
    bool last_is(VItem::Kind k) const { return !list_->empty() && list_->back().kind == k; }

    void box(VItem v) {
        v.kind = VItem::Kind::Box;
        v.block = block_;
        list_->push_back(std::move(v));
        if (keep_ > 0) --keep_;
    }
    void glue(double h, double stretch) {
        if (list_->empty()) return;
        if (last_is(VItem::Kind::Glue)) {
            VItem& g = list_->back();
            g.height = std::max(g.height, h);
            g.stretch = std::max(g.stretch, stretch);
            return;
        }
        if (keep_ > 0 && last_is(VItem::Kind::Box)) penalty(kForbid);
        VItem g = VItem::glue(h, stretch);
        g.block = block_;
        list_->push_back(g);
    }
    void penalty(double p) {
        if (list_->empty()) return;
        if (keep_ > 0) p = std::max(p, kForbid);
        if (last_is(VItem::Kind::Penalty)) {
            VItem& q = list_->back();
            q.penalty = (p >= kForbid || q.penalty >= kForbid) ? kForbid : std::min(q.penalty, p);
            return;
        }
        VItem v = VItem::pen(p);
        v.block = block_;
        list_->push_back(v);
    }
    void space_around() { glue(0.5 * L(), 0.25 * L()); }

    // Lines of a paragraph, with TeX's club/widow and broken-line penalties between them.
    void lines(std::vector<TypesetLine>&& ls, const Frame& f, const std::string& anchor) {
        size_t n = ls.size();
        for (size_t i = 0; i < n; ++i) {
            if (i > 0) {
                double p = 0;
                if (i == 1 || i + 1 == n) p = kForbid; // orphan (club) / widow
                penalty(p);
                // The page builder prices a break after a hyphen (TeX's \brokenpenalty).
                if (ls[i - 1].hyphenated && last_is(VItem::Kind::Penalty))
                    list_->back().broken = true;
            }
            VItem v;
            v.height = ls[i].height;
            v.baseline = ls[i].baseline;
            v.notes = std::move(ls[i].notes);
            if (i == 0 && !anchor.empty()) v.paint.anchors.push_back({0, ci_, anchor});
            v.paint.take(std::move(ls[i].paint), f.x, 0);
            box(std::move(v));
        }
    }

    void paragraph(const std::vector<doc::Inline>& inlines, const Frame& f, bool indent,
                   const std::string& anchor, TextAlign align = TextAlign::Justify,
                   bool bold = false, bool italic = false) {
        InlineStyle s = style(f);
        s.bold = bold;
        s.italic = italic;
        ParagraphSpec spec;
        spec.width = f.width;
        spec.indent = indent ? f.size * 1.5 : 0;
        spec.align = f.justify ? align : TextAlign::Left;
        if (auto it = looseness->find(block_); it != looseness->end()) spec.looseness = it->second;
        auto ls = typeset(inlines, s, spec);
        if (ls.empty()) return;
        lines(std::move(ls), f, anchor);
    }

    // ---- blocks ----
    void children(const std::vector<doc::Block>& v, const Frame& f) {
        for (size_t i = 0; i < v.size(); ++i) {
            bool after_par =
                i > 0 && v[i - 1].kind == doc::BlockKind::Paragraph && lone_image(v[i - 1]) == -1;
            one_block(v[i], f, after_par && f.indent);
        }
    }

    void one_block(const doc::Block& b, const Frame& f, bool after_par) {
        using K = doc::BlockKind;
        size_t start = list_->size();
        switch (b.kind) {
        case K::Paragraph: {
            int img = lone_image(b);
            if (img != -1) {
                space_around();
                if (img >= 0) figure(img, nullptr, f, b.id);
                space_around();
                break;
            }
            if (last_is(VItem::Kind::Box)) glue(0, 0.04 * L());
            paragraph(b.inlines, f, after_par, b.id);
            break;
        }
        case K::Heading:
            heading(b, f);
            break;
        case K::BlockQuote: {
            space_around();
            double ind = f.size * (f.list_depth > 0 ? 1.2 : 1.8);
            Frame q = inset(f, ind, ind);
            if (!f.quoted && !f.note) {
                q.size = f.size * 0.95;
                q.leading = f.leading * 0.95;
            }
            q.quoted = true;
            anchor_next(b.id, start);
            children(b.children, q);
            space_around();
            break;
        }
        case K::List:
            list(b, f);
            break;
        case K::ListItem:
            children(b.children, f);
            break;
        case K::CodeBlock:
            code(b, f);
            break;
        case K::ThematicBreak:
            thematic(f);
            break;
        case K::Table:
            table(b, f);
            break;
        case K::Figure:
            figure_block(b, f);
            break;
        case K::Aside:
            aside(b, f);
            break;
        case K::Details: {
            space_around();
            paragraph(b.inlines, f, false, "", TextAlign::Left, true);
            glue(0.2 * L(), 0);
            children(b.children, f);
            space_around();
            break;
        }
        case K::Division:
            children(b.children, f);
            break;
        }
        if (!b.id.empty()) anchor_next(b.id, start);
    }

    // Puts anchor `id` on the first box made since `start` (if it has none of that name).
    void anchor_next(const std::string& id, size_t start) {
        if (id.empty()) return;
        for (size_t i = start; i < list_->size(); ++i) {
            VItem& v = (*list_)[i];
            if (v.kind != VItem::Kind::Box) continue;
            for (const auto& a : v.paint.anchors)
                if (a.id == id) return;
            v.paint.anchors.push_back({0, ci_, id});
            return;
        }
    }

    void heading(const doc::Block& b, const Frame& f) {
        double scale, above, below;
        bool italic = false;
        switch (b.level) {
        case 1:
            scale = 1.45, above = 1.6, below = 0.7;
            break;
        case 2:
            scale = 1.25, above = 1.4, below = 0.55;
            break;
        case 3:
            scale = 1.1, above = 1.1, below = 0.45;
            break;
        case 4:
            scale = 1.0, above = 0.9, below = 0.35;
            break;
        default:
            scale = 1.0, above = 0.8, below = 0.3, italic = true;
            break;
        }
        if (f.note) scale = 1, above = 0.5, below = 0.2;
        glue(above * L(), 0.3 * L());
        Frame h = f;
        h.size = f.size * scale;
        h.leading = h.size * 1.22;
        InlineStyle s = style(h);
        s.bold = true;
        s.italic = italic;
        ParagraphSpec spec;
        spec.width = f.width;
        spec.align = TextAlign::Left;
        spec.hyphenate = false;
        auto ls = typeset(b.inlines, s, spec);
        if (ls.empty()) return;
        for (size_t i = 0; i < ls.size(); ++i) {
            if (i > 0) penalty(kForbid);
            VItem v;
            v.height = ls[i].height;
            v.baseline = ls[i].baseline;
            v.notes = std::move(ls[i].notes);
            if (i == 0) {
                if (!b.id.empty()) v.paint.anchors.push_back({0, ci_, b.id});
                if (b.level <= 2 && chap_.in_toc && list_ == &out_.items)
                    v.paint.outlines.push_back(
                        {0, chap_.depth + 1, plain_text_with_alt(b.inlines)});
            }
            v.paint.take(std::move(ls[i].paint), f.x, 0);
            box(std::move(v));
        }
        keep_ = 2; // the heading and the first two lines of what follows stay together
        glue(below * L(), 0.1 * L());
    }

    void list(const doc::Block& b, const Frame& f) {
        bool nested = f.list_depth > 0;
        if (!nested)
            space_around();
        else
            glue(b.tight ? 0 : 0.3 * L(), 0);
        // Hanging markers: widest number decides the indent of ordered lists.
        InlineStyle s = style(f);
        std::vector<std::string> markers;
        int n = 0;
        for (const auto& item : b.children) {
            std::string m;
            if (item.task >= 0)
                m = item.task ? drawable_or(fonts_, "\u2611", "[x]")
                              : drawable_or(fonts_, "\u2610", "[ ]");
            else if (b.ordered)
                m = std::to_string(b.start + n) + ".";
            else {
                static const char* bullets[] = {"\u2022", "\u2013", "\u2217", "\u00b7"};
                static const char* plain[] = {"*", "-", "*", "-"};
                int d = std::min(f.list_depth, 3);
                m = drawable_or(fonts_, bullets[d], plain[d]);
            }
            markers.push_back(m);
            ++n;
        }
        double widest = 0;
        for (const auto& m : markers)
            widest = std::max(widest, typeset_plain(m, s).width);
        double gap = f.size * 0.5;
        double indent = std::max(f.size * 1.5, widest + gap);
        Frame inner = inset(f, indent, 0);
        inner.list_depth = f.list_depth + 1;
        inner.indent = false;
        for (size_t i = 0; i < b.children.size(); ++i) {
            const doc::Block& item = b.children[i];
            if (i > 0) {
                if (b.tight)
                    penalty(0);
                else
                    glue(0.3 * L(), 0.1 * L());
            }
            size_t start = list_->size();
            children(item.children, inner);
            if (item.children.empty()) {
                VItem v;
                v.height = f.leading;
                v.baseline = typeset_plain("x", s).baseline;
                box(std::move(v));
            }
            // The marker hangs in the indent, on the item's first baseline.
            for (size_t k = start; k < list_->size(); ++k) {
                VItem& v = (*list_)[k];
                if (v.kind != VItem::Kind::Box) continue;
                TypesetLine m = typeset_plain(markers[i], s);
                double bl = v.baseline > 0 ? v.baseline : m.baseline;
                double x = std::max(f.x, inner.x - gap - m.width);
                Paint p = std::move(m.paint);
                v.paint.take(std::move(p), x, bl - m.baseline);
                break;
            }
            if (!item.id.empty()) anchor_next(item.id, start);
        }
        if (!nested)
            space_around();
        else
            glue(b.tight ? 0 : 0.3 * L(), 0);
    }

    void code(const doc::Block& b, const Frame& f) {
        space_around();
        double cs = f.size * 0.85, cl = cs * 1.32;
        double pad_x = cs * 0.6, pad_y = cl * 0.35;
        double avail = f.width - 2 * pad_x;
        std::string marker = fonts_.can_draw(Face::Mono, 0x21AA) ? "\u21aa" : "\u00bb";
        ShapeSpec mono{Face::Mono, cs, style(f).lang, false};
        double marker_w = width_of(shape(fonts_, mono, marker + " ", nullptr));
        const Font& mf = fonts_.file(Face::Mono);
        double baseline = (cl - (mf.ascent() + mf.descent()) * cs) / 2 + mf.ascent() * cs;

        auto bg_box = [&](double h) {
            VItem v;
            v.height = h;
            v.paint.rects.push_back({f.x, 0, f.width, h, kCodeBg});
            return v;
        };
        // Source lines, tabs expanded, each wrapped at the margin with a continuation marker.
        std::vector<std::pair<std::string, bool>> rows; // text, is continuation
        size_t pos = 0;
        const std::string& text = b.text;
        while (pos <= text.size()) {
            size_t nl = text.find('\n', pos);
            if (nl == std::string::npos) nl = text.size();
            std::string line;
            int col = 0;
            for (size_t i = pos; i < nl;) {
                char32_t cp = util::next_code_point(text, i);
                if (cp == '\t') {
                    int n = 4 - col % 4;
                    line.append(size_t(n), ' ');
                    col += n;
                } else if (cp != '\r') {
                    util::append_utf8(line, cp);
                    ++col;
                }
            }
            // Wrap.
            bool cont = false;
            while (true) {
                double limit = cont ? avail - marker_w : avail;
                double w = 0;
                size_t i = 0, cut = std::string::npos, last_space = std::string::npos;
                while (i < line.size()) {
                    size_t at = i;
                    char32_t cp = util::next_code_point(line, i);
                    FontId fid;
                    double cw =
                        fonts_.resolve(Face::Mono, cp, mono.lang, fid)
                            ? fonts_.font(fid).advance(fonts_.font(fid).glyph(cp)) * cs / 1000
                            : fonts_.char_width(Face::Mono, '?', cs);
                    if (w + cw > limit && at > 0) {
                        cut = at;
                        break;
                    }
                    w += cw;
                    if (cp == ' ') last_space = i;
                }
                if (cut == std::string::npos) {
                    rows.push_back({line, cont});
                    break;
                }
                // Prefer a space near the end of the line to a cut inside a word.
                if (last_space != std::string::npos && last_space > cut * 3 / 4) cut = last_space;
                rows.push_back({line.substr(0, cut), cont});
                line = line.substr(cut);
                cont = true;
            }
            if (nl >= text.size()) break;
            pos = nl + 1;
        }
        box(bg_box(pad_y));
        size_t n = rows.size();
        for (size_t i = 0; i < n; ++i) {
            // Keep two lines together at both ends of the block.
            if (i > 0) penalty(i == 1 || i + 1 == n ? kForbid : 0);
            VItem v = bg_box(cl);
            v.baseline = baseline;
            double x = f.x + pad_x;
            if (rows[i].second) {
                v.paint.add_text(x, baseline, cs, kGrey, shape(fonts_, mono, marker, nullptr));
                x += marker_w;
            }
            v.paint.add_text(x, baseline, cs, {},
                             shape(fonts_, mono, rows[i].first, &out_.missing));
            if (i == 0 && !b.id.empty()) v.paint.anchors.push_back({0, ci_, b.id});
            box(std::move(v));
        }
        penalty(kForbid);
        box(bg_box(pad_y));
        space_around();
    }

    void thematic(const Frame& f) {
        space_around();
        VItem v;
        v.height = L() * 1.2;
        InlineStyle s = style(f);
        std::string orn = drawable_or(fonts_, "\u2042", "*\u2002\u2002*\u2002\u2002*");
        if (orn == "*\u2002\u2002*\u2002\u2002*" && !fonts_.can_draw(Face::Regular, 0x2002))
            orn = "*   *   *";
        TypesetLine t = typeset_plain(orn, s);
        double y = (v.height - t.height) / 2;
        v.paint.take(std::move(t.paint), f.x + (f.width - t.width) / 2, y);
        box(std::move(v));
        keep_ = 1; // never alone at a page's foot
        space_around();
    }

    // An image scaled to the measure (CSS pixels: 96 per inch, never enlarged past the width),
    // as one floatable box with its caption.
    void figure(int asset, const std::vector<doc::Inline>* caption, const Frame& f,
                const std::string& id) {
        const ImageSizes& im = *env_.images;
        bool usable = im.usable(asset);
        VItem v;
        double w = 0, h = 0;
        if (usable) {
            double pw = im.width[asset], ph = im.height[asset];
            w = std::min(f.width, pw * 0.75);
            h = w * ph / pw;
            double max_h = geo_.text_h() * (caption ? 0.62 : 0.72);
            if (h > max_h) {
                h = max_h;
                w = h * pw / ph;
            }
            v.paint.images.push_back({f.x + (f.width - w) / 2, 0, w, h, asset});
            v.floatable = true;
            v.image_h = h;
            v.image_y = 0;
            v.min_scale = std::min(1.0, std::max(0.55, 3 * L() / h));
        }
        double y = h;
        if (caption && !caption->empty()) {
            if (usable) y += 0.45 * L();
            Frame cf = f;
            cf.size = f.size * 0.9;
            cf.leading = f.leading * 0.9;
            InlineStyle s = style(cf);
            s.italic = true;
            ParagraphSpec spec;
            spec.width = f.width;
            spec.align = TextAlign::Center;
            spec.hyphenate = false;
            for (auto& l : typeset(*caption, s, spec)) {
                for (int nn : l.notes)
                    v.notes.push_back(nn);
                v.paint.take(std::move(l.paint), f.x, y);
                y += l.height;
            }
        }
        if (y <= 0) return;
        v.height = y;
        if (!id.empty()) v.paint.anchors.push_back({0, ci_, id});
        box(std::move(v));
    }

    void figure_block(const doc::Block& b, const Frame& f) {
        space_around();
        int asset = -1, count = 0;
        for (const auto& c : b.children) {
            int a = c.kind == doc::BlockKind::Paragraph ? lone_image(c) : -1;
            if (a != -1) {
                asset = a;
                ++count;
            } else {
                count = 99;
            }
        }
        if (count == 1) {
            figure(asset, &b.inlines, f, b.id);
        } else {
            children(b.children, f);
            if (!b.inlines.empty()) {
                Frame cf = f;
                cf.size = f.size * 0.9;
                cf.leading = f.leading * 0.9;
                penalty(kForbid);
                paragraph(b.inlines, cf, false, "", TextAlign::Center, false, true);
            }
        }
        space_around();
    }

    void aside(const doc::Block& b, const Frame& f) {
        space_around();
        AsideColors c = aside_colors(b.style);
        double rule = 2.0, pad = f.size * 0.8;
        Frame in = inset(f, rule + pad, pad);
        in.indent = true;
        size_t start = list_->size();
        int keep = keep_;
        VItem top;
        top.height = 0.45 * L();
        box(std::move(top));
        keep_ = keep;
        if (!b.inlines.empty()) {
            paragraph(b.inlines, in, false, "", TextAlign::Left, true);
            glue(0.25 * L(), 0);
            keep_ = std::max(keep_, 2);
        }
        children(b.children, in);
        penalty(kForbid);
        VItem bottom;
        bottom.height = 0.45 * L();
        box(std::move(bottom));
        // Background and rule on every piece, so the box survives a page break.
        std::vector<VItem> decorated;
        for (size_t i = start; i < list_->size(); ++i) {
            VItem v = std::move((*list_)[i]);
            if (v.kind == VItem::Kind::Glue) {
                // A glue was a break only after a box; the strut keeps that, and no more.
                if (!decorated.empty() && decorated.back().kind == VItem::Kind::Box) {
                    decorated.push_back(VItem::pen(0));
                    decorated.back().block = v.block;
                }
                VItem s = VItem::box(v.height);
                s.block = v.block;
                v = std::move(s);
            }
            if (v.kind == VItem::Kind::Box) {
                v.paint.prepend_rect({f.x, 0, f.width, v.height, c.bg});
                v.paint.rules.push_back(
                    {f.x + rule / 2, 0, f.x + rule / 2, v.height, rule, c.rule});
            }
            decorated.push_back(std::move(v));
        }
        list_->resize(start);
        for (auto& v : decorated)
            list_->push_back(std::move(v));
        space_around();
    }

    void table(const doc::Block& b, const Frame& f) {
        size_t ncols = 0;
        for (const auto& r : b.rows)
            ncols = std::max(ncols, r.cells.size());
        if (ncols == 0) return;
        space_around();
        Frame tf = f;
        tf.size = f.size * 0.9;
        tf.leading = tf.size * 1.25;
        double colsep = tf.size * 1.2, pad_y = tf.leading * 0.15;
        InlineStyle body = style(tf), head = body;
        head.bold = true;
        auto is_head = [&](size_t r) { return int(r) < b.header_rows; };

        std::vector<double> mins(ncols, 0), maxs(ncols, 0);
        for (size_t r = 0; r < b.rows.size(); ++r)
            for (size_t c = 0; c < b.rows[r].cells.size(); ++c) {
                InlineWidths w = measure(b.rows[r].cells[c].inlines, is_head(r) ? head : body);
                mins[c] = std::max(mins[c], w.min);
                maxs[c] = std::max(maxs[c], w.max);
            }
        double avail = f.width - colsep * double(ncols - 1);
        double sum_min = 0, sum_max = 0;
        for (size_t c = 0; c < ncols; ++c) {
            maxs[c] = std::max(maxs[c], tf.size);
            mins[c] = std::min(std::max(mins[c], tf.size), maxs[c]);
            sum_min += mins[c];
            sum_max += maxs[c];
        }
        std::vector<double> widths(ncols);
        for (size_t c = 0; c < ncols; ++c) {
            if (sum_max <= avail)
                widths[c] = maxs[c];
            else if (sum_min >= avail)
                widths[c] = avail * mins[c] / sum_min;
            else
                widths[c] = mins[c] + (maxs[c] - mins[c]) * (avail - sum_min) / (sum_max - sum_min);
        }
        double total = colsep * double(ncols - 1);
        for (double w : widths)
            total += w;
        double x0 = f.x + std::max(0.0, (f.width - total) / 2);

        const double thick = 0.8, thin = 0.45;
        Color black{};
        std::vector<VItem> rows;
        for (size_t r = 0; r < b.rows.size(); ++r) {
            VItem row;
            double x = x0, h = 0;
            std::vector<std::vector<TypesetLine>> cells(ncols);
            for (size_t c = 0; c < ncols; ++c) {
                if (c < b.rows[r].cells.size()) {
                    ParagraphSpec spec;
                    spec.width = widths[c];
                    spec.hyphenate = false;
                    doc::Align a = c < b.aligns.size() ? b.aligns[c] : doc::Align::None;
                    spec.align = a == doc::Align::Center  ? TextAlign::Center
                                 : a == doc::Align::Right ? TextAlign::Right
                                                          : TextAlign::Left;
                    cells[c] = typeset(b.rows[r].cells[c].inlines, is_head(r) ? head : body, spec);
                }
                double ch = 0;
                for (const auto& l : cells[c])
                    ch += l.height;
                h = std::max(h, ch);
            }
            h = std::max(h, tf.leading) + 2 * pad_y;
            for (size_t c = 0; c < ncols; ++c) {
                double y = pad_y;
                for (auto& l : cells[c]) {
                    for (int nn : l.notes)
                        row.notes.push_back(nn);
                    if (row.baseline == 0) row.baseline = y + l.baseline;
                    row.paint.take(std::move(l.paint), x, y);
                    y += l.height;
                }
                x += widths[c] + colsep;
            }
            row.height = h;
            if (r == 0) {
                row.paint.rules.push_back({x0, thick / 2, x0 + total, thick / 2, thick, black});
                if (!b.id.empty()) row.paint.anchors.push_back({0, ci_, b.id});
            }
            bool last = r + 1 == b.rows.size();
            if (last || (b.header_rows > 0 && int(r) + 1 == b.header_rows)) {
                double w = last ? thick : thin;
                row.paint.rules.push_back({x0, h - w / 2, x0 + total, h - w / 2, w, black});
            }
            rows.push_back(std::move(row));
        }
        // Header rows are repeated above a row that opens a page (without anchors or links).
        std::shared_ptr<Paint> head_paint;
        double head_h = 0;
        if (b.header_rows > 0 && size_t(b.header_rows) < rows.size()) {
            head_paint = std::make_shared<Paint>();
            for (int r = 0; r < b.header_rows; ++r) {
                Paint copy = rows[r].paint;
                copy.anchors.clear();
                copy.links.clear();
                copy.outlines.clear();
                head_paint->take(std::move(copy), 0, head_h);
                head_h += rows[r].height;
            }
        }
        for (size_t r = 0; r < rows.size(); ++r) {
            bool last = r + 1 == rows.size();
            // Never break inside the header, nor leave fewer than two body rows on either side.
            bool keep =
                is_head(r) || int(r) == b.header_rows || int(r) == b.header_rows + 1 || last;
            if (r > 0) penalty(keep ? kForbid : 0);
            if (head_paint && !is_head(r)) {
                rows[r].repeat = head_paint;
                rows[r].repeat_h = head_h;
            }
            box(std::move(rows[r]));
        }
        space_around();
    }

    // ---- chapter opening ----
    size_t opening() {
        Frame f = body_frame();
        bool part = chap_.kind == doc::ChapterKind::Part;
        size_t first = 0;
        std::string h1_id;
        if (!chap_.blocks.empty() && chap_.blocks[0].kind == doc::BlockKind::Heading &&
            chap_.blocks[0].level == 1 &&
            plain_text_with_alt(chap_.blocks[0].inlines) == chap_.title) {
            first = 1;
            h1_id = chap_.blocks[0].id;
        }
        const ImageSizes& im = *env_.images;
        VItem top;
        top.paint.anchors.push_back({0, ci_, ""});
        if (!h1_id.empty()) top.paint.anchors.push_back({0, ci_, h1_id});
        if (chap_.banner >= 0 && im.usable(chap_.banner) && !part) {
            double pw = im.width[chap_.banner], ph = im.height[chap_.banner];
            double w = f.width, h = w * ph / pw;
            double max_h = geo_.text_h() * 0.32;
            if (h > max_h) {
                h = max_h;
                w = h * pw / ph;
            }
            top.paint.images.push_back({(f.width - w) / 2, 0, w, h, chap_.banner});
            top.height = h + 1.5 * L();
        } else {
            top.height = geo_.text_h() * (part ? 0.3 : 0.12);
        }
        box(std::move(top));

        Frame h = f;
        h.size = part ? Type::part_title(geo_) : Type::chapter_title(geo_);
        h.leading = h.size * 1.2;
        InlineStyle s = style(h);
        s.bold = true;
        ParagraphSpec spec;
        spec.width = f.width;
        spec.align = part ? TextAlign::Center : TextAlign::Left;
        spec.hyphenate = false;
        std::vector<doc::Inline> title = chap_.title_inlines;
        if (title.empty()) {
            doc::Inline t;
            t.text = chap_.title;
            title.push_back(t);
        }
        auto ls = typeset(title, s, spec);
        for (size_t i = 0; i < ls.size(); ++i) {
            penalty(kForbid);
            VItem v;
            v.height = ls[i].height;
            v.baseline = ls[i].baseline;
            v.notes = std::move(ls[i].notes);
            if (i == 0 && chap_.in_toc) v.paint.outlines.push_back({0, chap_.depth, chap_.title});
            v.paint.take(std::move(ls[i].paint), 0, 0);
            box(std::move(v));
        }
        keep_ = 2;
        glue((part ? 3.0 : 2.2) * L(), 0);
        return first;
    }

    // ---- footnotes ----
    void note_body(int n) {
        std::vector<VItem> lines;
        list_ = &lines;
        keep_ = 0;
        Frame f = body_frame();
        f.size = Type::note_size(geo_);
        f.leading = f.size * 1.25;
        f.note = true;
        double hang = f.size * 1.4;
        f.x = hang;
        f.width -= hang;
        f.indent = false;
        children(chap_.notes[n].blocks, f);
        list_ = &out_.items;
        // The number, hanging and linked back to the call; the anchor links point to.
        InlineStyle s = style(f);
        s.size = f.size * 0.95;
        TypesetLine num = typeset_plain(note_numbers_[n], s);
        NoteBody body;
        for (auto& v : lines) {
            if (v.kind == VItem::Kind::Penalty) continue;
            if (v.kind == VItem::Kind::Glue) {
                if (body.lines.empty()) continue;
                v = VItem::box(v.height);
            }
            body.lines.push_back(std::move(v));
        }
        while (!body.lines.empty() && body.lines.back().paint.texts.empty() &&
               body.lines.back().paint.images.empty() && body.lines.back().paint.rects.empty())
            body.lines.pop_back();
        if (body.lines.empty()) body.lines.push_back(VItem::box(f.leading));
        VItem& first = body.lines.front();
        double bl = first.baseline > 0 ? first.baseline : num.baseline;
        double x = hang - f.size * 0.4 - num.width;
        const doc::Note& note = chap_.notes[n];
        first.paint.anchors.push_back({0, ci_, note.id});
        first.paint.links.push_back(
            {x - 1, bl - f.size, num.width + 2, f.size * 1.2, "", ci_, note.ref_id});
        first.paint.take(std::move(num.paint), x, bl - num.baseline);
        out_.notes[n] = std::move(body);
    }
};

} // namespace

ChapterLayout layout_chapter(const LayoutEnv& env, int chapter, const Hyphenator* hyphenator,
                             const std::map<int, int>& looseness) {
    ChapterBuilder b(env, chapter, hyphenator);
    b.looseness = &looseness;
    return b.run();
}

} // namespace imprenta::pdf
