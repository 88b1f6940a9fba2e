#include "pdf/paragraph.h"

#include "pdf/script.h"
#include "util/utf8.h"

#include <algorithm>
#include <cmath>

namespace imprenta::pdf {

Face face_for(bool bold, bool italic, bool mono) {
    if (mono) return bold ? Face::MonoBold : Face::Mono;
    if (bold) return italic ? Face::BoldItalic : Face::Bold;
    return italic ? Face::Italic : Face::Regular;
}

std::string plain_text_with_alt(const std::vector<doc::Inline>& inlines) {
    std::string out;
    for (const auto& in : inlines) {
        switch (in.kind) {
        case doc::InlineKind::Text:
        case doc::InlineKind::Code:
            out += in.text;
            break;
        case doc::InlineKind::SoftBreak:
        case doc::InlineKind::LineBreak:
            out += ' ';
            break;
        case doc::InlineKind::Image:
            out += in.text;
            break;
        case doc::InlineKind::NoteRef:
            break;
        default:
            out += plain_text_with_alt(in.children);
        }
    }
    return out;
}

TypesetLine typeset_plain(const std::string& text, const InlineStyle& style) {
    doc::Inline in;
    in.text = text;
    ParagraphSpec spec;
    spec.width = 1e6;
    spec.align = TextAlign::Left;
    spec.mirror = false; // from x = 0 in either direction: the caller places the line
    spec.hyphenate = false;
    auto lines = typeset({in}, style, spec);
    if (lines.empty()) {
        TypesetLine tl;
        tl.height = style.leading;
        return tl;
    }
    return std::move(lines.front());
}

} // namespace imprenta::pdf

namespace imprenta::pdf::para {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

bool looks_like_address(const std::string& s) {
    return s.find("://") != std::string::npos || s.rfind("www.", 0) == 0 ||
           s.rfind("mailto:", 0) == 0 ||
           (s.find('@') != std::string::npos && s.find(' ') == std::string::npos);
}

} // namespace

void Flattener::text(const std::string& s, const Style& st) {
    size_t i = 0;
    while (i < s.size()) {
        if (is_space(s[i])) {
            while (i < s.size() && is_space(s[i]))
                ++i;
            Piece& space = pieces.emplace_back(); // in place: a word is a piece
            space.kind = Piece::Kind::Space;
            space.text.push_back(' ');
            space.st = st;
            continue;
        }
        size_t j = i;
        while (j < s.size() && !is_space(s[j]))
            ++j;
        Piece& word = pieces.emplace_back();
        word.kind = Piece::Kind::Text;
        word.text.assign(s, i, j - i);
        word.st = st;
        word.at = int(at_ + i);
        i = j;
    }
    at_ += s.size();
}

void Flattener::one(const doc::Inline& in, Style st) {
    using K = doc::InlineKind;
    switch (in.kind) {
    case K::Text:
        text(in.text, st);
        break;
    case K::Emphasis:
        st.italic = !st.italic; // emphasis inside italics turns upright, as \emph does
        walk(in.children, st);
        break;
    case K::Strong:
        st.bold = true;
        walk(in.children, st);
        break;
    case K::Strikethrough:
        st.strike = true;
        walk(in.children, st);
        break;
    case K::Superscript:
        st.script = 1;
        walk(in.children, st);
        break;
    case K::Subscript:
        st.script = -1;
        walk(in.children, st);
        break;
    case K::Code:
        st.mono = true;
        text(in.text, st);
        break;
    case K::Link: {
        LinkDest d;
        if (in.target.internal()) {
            d.chapter = in.target.chapter;
            d.anchor = in.target.anchor;
        } else {
            d.url = in.target.url;
        }
        if (!d.url.empty() || d.chapter >= 0) {
            st.link = int(links.size());
            links.push_back(std::move(d));
        }
        if (looks_like_address(plain_text_with_alt(in.children))) st.url = true;
        walk(in.children, st);
        break;
    }
    case K::Image: {
        Piece p{Piece::Kind::Image, in.text, st};
        p.asset = in.asset;
        pieces.push_back(std::move(p));
        break;
    }
    case K::LineBreak:
        pieces.push_back({Piece::Kind::Break, "", st});
        break;
    case K::SoftBreak:
        pieces.push_back({Piece::Kind::Space, " ", st});
        break;
    case K::NoteRef: {
        Piece p{Piece::Kind::Note, in.text, st};
        p.st.script = 1;
        p.note = in.note;
        pieces.push_back(std::move(p));
        break;
    }
    }
}

bool is_letter(char32_t c) {
    if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (c == 0xD7 || c == 0xF7) return false;
    if (c >= 0xC0 && c < 0x2000) return true;
    return c >= 0x3040; // CJK and later scripts: treat as letters (never hyphenated anyway)
}

bool is_combining(char32_t c) {
    return (c >= 0x300 && c <= 0x36F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
           (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
           (c >= 0xFE20 && c <= 0xFE2F);
}

// What a piece stands for in the paragraph's text, for the bidi algorithm.
std::string_view bidi_text(const Piece& p) {
    switch (p.kind) {
    case Piece::Kind::Space:
        return " ";
    case Piece::Kind::Break:
        return "\u2028";
    case Piece::Kind::Image:
        return "\ufffc";
    default:
        return p.text;
    }
}

// First-fit breaking for ragged text (headings, table cells, captions): TeX's \raggedright
// spacing stays even, so the optimum-fit search buys nothing there.
std::vector<Line> greedy_lines(const std::vector<Item>& items, double width) {
    std::vector<Line> lines;
    size_t n = items.size();
    auto skip = [&](size_t i) {
        while (i < n && items[i].type != Item::Type::Box) {
            if (items[i].type == Item::Type::Penalty && items[i].penalty <= -kInfinity) break;
            ++i;
        }
        return i;
    };
    size_t start = skip(0);
    while (start < n) {
        double w = 0;
        size_t last = SIZE_MAX;
        size_t i = start;
        size_t end = n;
        for (; i < n; ++i) {
            const Item& it = items[i];
            if (it.type == Item::Type::Box) {
                w += it.width;
                if (w > width + 0.01 && last != SIZE_MAX) {
                    end = last;
                    break;
                }
            } else if (it.type == Item::Type::Glue) {
                if (i > start && items[i - 1].type == Item::Type::Box) last = i;
                w += it.width;
            } else {
                if (it.penalty <= -kInfinity) {
                    end = i;
                    break;
                }
                if (it.penalty < kInfinity && w + it.width <= width + 0.01) last = i;
            }
        }
        if (i >= n) end = n;
        lines.push_back({start, end, 0});
        if (end >= n) break;
        start = skip(end + 1);
        if (start < n && items[start].type == Item::Type::Penalty) start = skip(start + 1);
    }
    return lines;
}

// The boxes of a line (and its hyphen) with their x, left to right. Glue is set by `ratio`;
// with right-to-left text the pieces are reordered by their bidi levels (UAX #9, L2), trailing
// spaces left out.
std::vector<Placed> place_line(const std::vector<Item>& items, const std::vector<Info>& infos,
                               size_t start, size_t end, bool hyphen, double ratio, double x,
                               bool rtl, bool& reordered) {
    size_t content_end = end;
    while (content_end > start && items[content_end - 1].type == Item::Type::Glue)
        --content_end;
    thread_local std::vector<size_t> segs; // reused: a line costs no allocation but its own
    thread_local std::vector<double> widths;
    thread_local std::vector<uint8_t> levels;
    segs.clear();
    widths.clear();
    levels.clear();
    bool any_level = rtl;
    for (size_t i = start; i < content_end; ++i) {
        const Item& it = items[i];
        double w = it.width;
        if (it.type == Item::Type::Penalty) continue;
        if (it.type == Item::Type::Glue && it.stretch < kFil)
            w += ratio > 0 ? ratio * it.stretch : ratio * it.shrink;
        segs.push_back(i);
        widths.push_back(w);
        levels.push_back(infos[i].level);
        any_level = any_level || infos[i].level != 0;
    }
    if (hyphen) {
        segs.push_back(end);
        widths.push_back(items[end].width);
        levels.push_back(levels.empty() ? 0 : levels.back());
    }
    std::vector<Placed> placed;
    placed.reserve(segs.size());
    reordered = any_level;
    std::vector<int> order;
    if (reordered) order = visual_order(levels);
    for (size_t k = 0; k < segs.size(); ++k) {
        size_t s = reordered ? size_t(order[k]) : k;
        if (items[segs[s]].type != Item::Type::Glue) placed.push_back({segs[s], x});
        x += widths[s];
    }
    return placed;
}

// Draws the placed boxes of a line: text, images, strike-through, note calls and links.
void paint_line(TypesetLine& tl, const std::vector<Placed>& placed, const std::vector<Item>& items,
                const std::vector<Info>& infos, const std::vector<LinkDest>& links,
                const InlineStyle& style) {
    Paint& paint = tl.paint;
    // A text op a box, mostly (a fallback font makes more): not grown op by op.
    paint.texts.reserve(paint.texts.size() + placed.size());
    double bl = tl.baseline;
    int open_link = -1;
    size_t open_link_op = 0;
    for (const Placed& pl : placed) {
        const Info& info = infos[pl.item];
        double bx = pl.x;
        double w = items[pl.item].width;
        Color color = info.st.link >= 0 && info.note < 0 ? style.link_color : style.color;
        if (info.asset >= 0) {
            paint.images.push_back({bx, bl - info.img_h, info.img_w, info.img_h, info.asset});
        } else {
            double y = bl - info.rise;
            paint.add_text(bx, y, info.size, color, info.text);
            if (info.st.strike && w > 0) {
                double sy = y - style.fonts->file(Face::Regular).x_height() * info.size * 0.55;
                paint.rules.push_back({bx, sy, bx + w, sy, info.size * 0.05, color});
            }
        }
        if (info.note >= 0 && style.chapter && size_t(info.note) < style.chapter->notes.size()) {
            const doc::Note& note = style.chapter->notes[info.note];
            tl.notes.push_back(info.note);
            paint.anchors.push_back({0, style.chapter_index, note.ref_id});
            paint.links.push_back({bx - 1, bl - info.size - info.rise, w + 2, info.size + 2, "",
                                   style.chapter_index, note.id});
        }
        int link = info.st.link;
        if (link >= 0 && info.note < 0) {
            const LinkDest& d = links[link];
            double top = bl - style.size * 0.95, h = style.size * 1.2;
            if (open_link == link && open_link_op < paint.links.size()) {
                LinkOp& l = paint.links[open_link_op]; // one area over the link's words
                double right = std::max(l.x + l.w, bx + w);
                l.x = std::min(l.x, bx);
                l.w = right - l.x;
            } else {
                open_link = link;
                open_link_op = paint.links.size();
                paint.links.push_back({bx, top, w, h, d.url, d.chapter, d.anchor});
            }
        } else if (items[pl.item].type == Item::Type::Box) {
            open_link = -1;
        }
    }
}

} // namespace imprenta::pdf::para
