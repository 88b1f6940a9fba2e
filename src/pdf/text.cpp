#include "pdf/text.h"

#include "pdf/linebreak.h"
#include "pdf/script.h"
#include "pdf/shape.h"
#include "util/utf8.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace imprenta::pdf {

Face face_for(bool bold, bool italic, bool mono) {
    if (mono) return bold ? Face::MonoBold : Face::Mono;
    if (bold) return italic ? Face::BoldItalic : Face::Bold;
    return italic ? Face::Italic : Face::Regular;
}

namespace {

constexpr double kMonoScale = 0.88;   // DejaVu Sans Mono looks large beside a serif
constexpr double kScriptScale = 0.7;  // super/subscripts and note calls
constexpr double kHyphenPenalty = 50; // TeX's \hyphenpenalty and \exhyphenpenalty
constexpr double kUrlPenalty = 100;
constexpr double kEmergencyPenalty = 2000;

struct Style {
    bool bold = false, italic = false, mono = false, strike = false;
    bool url = false; // link text that is an address: never hyphenated
    int script = 0;   // 1 superscript, -1 subscript
    int link = -1;    // index into the paragraph's link table
};

struct Piece {
    enum class Kind { Text, Space, Break, Note, Image } kind = Kind::Text;
    std::string text;
    Style st;
    int note = -1;
    int asset = -1;
    uint8_t level = 0; // bidi embedding level
};

struct LinkDest {
    std::string url;
    int chapter = -1;
    std::string anchor;
};

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

bool looks_like_address(const std::string& s) {
    return s.find("://") != std::string::npos || s.rfind("www.", 0) == 0 ||
           s.rfind("mailto:", 0) == 0 ||
           (s.find('@') != std::string::npos && s.find(' ') == std::string::npos);
}

class Flattener {
public:
    std::vector<Piece> pieces;
    std::vector<LinkDest> links;

    void walk(const std::vector<doc::Inline>& v, Style st) {
        for (const auto& in : v)
            one(in, st);
    }

private:
    void text(const std::string& s, const Style& st) {
        size_t i = 0;
        while (i < s.size()) {
            if (is_space(s[i])) {
                while (i < s.size() && is_space(s[i]))
                    ++i;
                pieces.push_back({Piece::Kind::Space, " ", st});
                continue;
            }
            size_t j = i;
            while (j < s.size() && !is_space(s[j]))
                ++j;
            pieces.push_back({Piece::Kind::Text, s.substr(i, j - i), st});
            i = j;
        }
    }

    void one(const doc::Inline& in, Style st) {
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
};

// What a Knuth–Plass item draws.
struct Info {
    std::vector<Run> runs; // Box: text; Penalty: the hyphen shown if the line breaks here
    Style st;
    double size = 0;
    double rise = 0; // baseline shift upwards
    int note = -1;
    int asset = -1;
    double img_w = 0, img_h = 0;
    uint8_t level = 0; // bidi embedding level (odd: right to left)
};

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

enum class BreakKind { Hyphen, ExHyphen, Url, Emergency, Line };

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

class Builder {
public:
    Builder(const InlineStyle& style, const ParagraphSpec& spec, bool justify)
        : style_(style), spec_(spec), justify_(justify) {}

    std::vector<Item> items;
    std::vector<Info> infos;
    std::vector<LinkDest> links;

    double size_of(const Style& st) const {
        double s = style_.size;
        if (st.mono) s *= kMonoScale;
        if (st.script != 0) s *= kScriptScale;
        return s;
    }
    Face face_of(const Style& st) const {
        return face_for(st.bold, st.italic, st.mono || style_.mono);
    }

    void build(const std::vector<doc::Inline>& inlines) {
        Flattener fl;
        Style base;
        base.bold = style_.bold;
        base.italic = style_.italic;
        base.mono = style_.mono;
        fl.walk(inlines, base);
        links = std::move(fl.links);
        assign_levels(fl.pieces);
        // About a box and a glue a piece, plus hyphenation points: growing these one item at a
        // time moved every Info several times over.
        items.reserve(fl.pieces.size() * 2 + 8);
        infos.reserve(fl.pieces.size() * 2 + 8);
        if (spec_.indent > 0) {
            Info indent;
            indent.level = rtl ? 1 : 0; // at the paragraph's start, whichever side that is
            push_box(std::move(indent), spec_.indent);
        }
        std::vector<const Piece*> word;
        for (const auto& p : fl.pieces) {
            if (p.kind == Piece::Kind::Space || p.kind == Piece::Kind::Break) {
                flush_word(word);
                if (p.kind == Piece::Kind::Space)
                    space(p);
                else
                    forced_break();
                continue;
            }
            word.push_back(&p);
        }
        flush_word(word);
        trim_trailing();
        push(Item{Item::Type::Penalty, 0, 0, 0, kInfinity}, {});
        push(Item{Item::Type::Glue, 0, kFil, 0}, {});
        push(Item{Item::Type::Penalty, 0, 0, 0, -kInfinity}, {});
    }

    bool rtl = false; // the paragraph's direction

private:
    const InlineStyle& style_;
    const ParagraphSpec& spec_;
    bool justify_;

    // Bidi levels per piece; a text piece whose characters have different levels (a Latin word
    // glued to a Hebrew one) is split where the level changes.
    void assign_levels(std::vector<Piece>& pieces) {
        std::string all;
        std::vector<size_t> starts;
        starts.reserve(pieces.size());
        for (const auto& p : pieces) {
            starts.push_back(all.size());
            all += bidi_text(p);
        }
        Bidi b = bidi_levels(all, style_.direction);
        rtl = b.paragraph == 1;
        if (b.levels.empty()) return;
        std::vector<Piece> out;
        out.reserve(pieces.size());
        for (size_t k = 0; k < pieces.size(); ++k) {
            Piece& p = pieces[k];
            const uint8_t* lv = b.levels.data() + starts[k];
            size_t n = bidi_text(p).size();
            if (p.kind != Piece::Kind::Text || n == 0) {
                p.level = n ? lv[0] : b.paragraph;
                out.push_back(std::move(p));
                continue;
            }
            size_t from = 0;
            for (size_t i = 1; i <= n; ++i) {
                if (i < n && lv[i] == lv[from]) continue;
                Piece q = p;
                q.text = p.text.substr(from, i - from);
                q.level = lv[from];
                out.push_back(std::move(q));
                from = i;
            }
        }
        pieces = std::move(out);
    }

    ShapeSpec spec_for(const Piece& p) const {
        ShapeSpec s;
        s.face = face_of(p.st);
        s.size = size_of(p.st);
        s.lang = style_.lang;
        s.rtl = p.level & 1;
        return s;
    }

    void push(Item it, Info info) {
        items.push_back(it);
        infos.push_back(std::move(info));
    }
    void push_box(Info info, double width) {
        Item it;
        it.type = Item::Type::Box;
        it.width = width;
        push(it, std::move(info));
    }
    bool last_is_box() const { return !items.empty() && items.back().type == Item::Type::Box; }

    void trim_trailing() {
        while (!items.empty() && items.back().type == Item::Type::Glue) {
            items.pop_back();
            infos.pop_back();
        }
    }

    void space(const Piece& p) {
        if (!last_is_box()) return; // leading or repeated spaces
        Style s = p.st;
        s.script = 0;
        Face f = face_of(s);
        double w = style_.fonts->char_width(f, ' ', size_of(s));
        Item g;
        g.type = Item::Type::Glue;
        g.width = w;
        if (justify_) {
            g.stretch = w * 0.5;
            g.shrink = w * 0.34;
        }
        Info info;
        info.level = p.level;
        push(g, std::move(info));
    }

    void forced_break() {
        trim_trailing();
        push(Item{Item::Type::Penalty, 0, 0, 0, kInfinity}, {});
        push(Item{Item::Type::Glue, 0, kFil, 0}, {});
        push(Item{Item::Type::Penalty, 0, 0, 0, -kInfinity}, {});
    }

    bool hyphenatable(const Piece& p) const {
        return spec_.hyphenate && style_.hyphenator && style_.hyphenator->found() &&
               p.kind == Piece::Kind::Text && !p.st.mono && !style_.mono && !p.st.url &&
               !(p.level & 1);
    }

    // Break opportunities inside a word, as (piece, byte offset) -> kind; the first one found for
    // a place wins. A sorted vector, not a map: most words have none or a few.
    struct Breaks {
        std::vector<std::pair<std::pair<size_t, size_t>, BreakKind>> v;
        void emplace(std::pair<size_t, size_t> at, BreakKind kind) { v.emplace_back(at, kind); }
        void finish() {
            std::stable_sort(v.begin(), v.end(),
                             [](const auto& a, const auto& b) { return a.first < b.first; });
            v.erase(std::unique(v.begin(), v.end(),
                                [](const auto& a, const auto& b) { return a.first == b.first; }),
                    v.end());
        }
    };
    Breaks breaks_;

    void hyphen_points(const std::vector<const Piece*>& word, Breaks& out) const {
        // Hyphenate maximal runs of plain text pieces as one word ("pala*bra*" is one word).
        size_t i = 0;
        while (i < word.size()) {
            if (!hyphenatable(*word[i])) {
                ++i;
                continue;
            }
            size_t j = i;
            std::string all;
            std::vector<size_t> starts;
            while (j < word.size() && hyphenatable(*word[j])) {
                starts.push_back(all.size());
                all += word[j]->text;
                ++j;
            }
            auto locate = [&](size_t off) {
                size_t k = std::upper_bound(starts.begin(), starts.end(), off) - starts.begin() - 1;
                return std::make_pair(i + k, off - starts[k]);
            };
            // Letter segments go to the hyphenator; explicit hyphens between letters break too.
            size_t pos = 0;
            char32_t prev = 0;
            size_t seg_start = std::string::npos;
            auto flush_seg = [&](size_t end) {
                if (seg_start == std::string::npos) return;
                std::string_view seg(all.data() + seg_start, end - seg_start);
                for (size_t pt : style_.hyphenator->points(seg)) {
                    size_t off = seg_start + pt;
                    if (off > 0 && off < all.size()) out.emplace(locate(off), BreakKind::Hyphen);
                }
                seg_start = std::string::npos;
            };
            while (pos < all.size()) {
                size_t at = pos;
                char32_t c = util::next_code_point(all, pos);
                if (is_letter(c) || is_combining(c)) {
                    if (seg_start == std::string::npos) seg_start = at;
                } else {
                    flush_seg(at);
                    if ((c == '-' || c == 0x2010) && is_letter(prev) && pos < all.size()) {
                        size_t p2 = pos;
                        if (is_letter(util::next_code_point(all, p2)))
                            out.emplace(locate(pos), BreakKind::ExHyphen);
                    }
                }
                prev = c;
            }
            flush_seg(all.size());
            i = j;
        }
    }

    static void url_points(const std::vector<const Piece*>& word, Breaks& out) {
        for (size_t k = 0; k < word.size(); ++k) {
            const Piece& p = *word[k];
            if (p.kind != Piece::Kind::Text || !(p.st.url || p.st.mono)) continue;
            const std::string& t = p.text;
            if (t.size() < 12) continue;
            for (size_t i = 0; i + 1 < t.size(); ++i) {
                char c = t[i], n = t[i + 1];
                bool after = c == '/' || c == '.' || c == '_' || c == '-' || c == '?' || c == '&' ||
                             c == '=' || c == '#' || c == ',' || c == ':';
                if (after && n != '/' && !(c == ':' && n == '/'))
                    out.emplace(std::make_pair(k, i + 1), BreakKind::Url);
            }
        }
    }

    static void emergency_points(const std::vector<const Piece*>& word, Breaks& out) {
        for (size_t k = 0; k < word.size(); ++k) {
            const Piece& p = *word[k];
            if (p.kind != Piece::Kind::Text) continue;
            size_t i = 0;
            util::next_code_point(p.text, i);
            while (i < p.text.size()) {
                size_t at = i;
                char32_t c = util::next_code_point(p.text, i);
                if (!is_combining(c)) out.emplace(std::make_pair(k, at), BreakKind::Emergency);
            }
        }
    }

    // Break opportunities ICU finds inside a word of a script written without spaces (between
    // CJK characters, except before closing punctuation and the like; between Thai words).
    void icu_points(const std::vector<const Piece*>& word, Breaks& out) const {
        for (size_t k = 0; k < word.size(); ++k) {
            const Piece& p = *word[k];
            if (p.kind != Piece::Kind::Text || !needs_icu_breaks(p.text)) continue;
            for (size_t at : icu_breaks(p.text, style_.lang))
                out.emplace(std::make_pair(k, at), BreakKind::Line);
        }
    }

    double push_text(const Piece& p, std::vector<Run>&& runs) {
        Info info;
        info.st = p.st;
        info.size = size_of(p.st);
        info.rise = p.st.script > 0   ? style_.size * 0.36
                    : p.st.script < 0 ? -style_.size * 0.14
                                      : 0;
        info.note = p.note;
        info.level = p.level;
        info.runs = std::move(runs);
        double w = width_of(info.runs);
        push_box(std::move(info), w);
        return w;
    }

    std::vector<Run> shaped(const Piece& p, std::string_view text) const {
        return shape(*style_.fonts, spec_for(p), text, style_.missing);
    }

    double text_box(const Piece& p, std::string_view text) { return push_text(p, shaped(p, text)); }

    void image_box(const Piece& p) {
        if (!style_.images || !style_.images->usable(p.asset)) {
            Piece alt = p;
            alt.kind = Piece::Kind::Text;
            alt.text = "[" + p.text + "]";
            text_box(alt, alt.text);
            return;
        }
        double h = style_.size * 1.1;
        double w = h * style_.images->width[p.asset] / style_.images->height[p.asset];
        if (w > spec_.width) {
            w = spec_.width;
            h = w * style_.images->height[p.asset] / style_.images->width[p.asset];
        }
        Info info;
        info.st = p.st;
        info.size = style_.size;
        info.asset = p.asset;
        info.img_w = w;
        info.img_h = h;
        push_box(std::move(info), w);
    }

    void flush_word(std::vector<const Piece*>& word) {
        if (word.empty()) return;
        breaks_.v.clear(); // reused: one allocation a paragraph, not one a word
        hyphen_points(word, breaks_);
        url_points(word, breaks_);
        icu_points(word, breaks_);
        breaks_.finish();
        size_t items_before = items.size();
        // A word too long for a line (rare) is set again with a break allowed anywhere.
        if (word_boxes(word) > spec_.width * 0.98) {
            items.resize(items_before);
            infos.resize(items_before);
            emergency_points(word, breaks_);
            breaks_.finish();
            word_boxes(word);
        }
        word.clear();
    }

    // Pushes the word's boxes and the breaks inside it; returns the width of its text.
    double word_boxes(const std::vector<const Piece*>& word) {
        double width = 0;
        auto it = breaks_.v.begin();
        for (size_t k = 0; k < word.size(); ++k) {
            const Piece& p = *word[k];
            if (p.kind == Piece::Kind::Image) {
                image_box(p);
                continue;
            }
            // The piece is shaped whole (kerning and ligatures across break points), then cut
            // between clusters; a break inside a ligature ("of-fice") is given up.
            std::vector<Run> runs = shaped(p, p.text);
            double size = size_of(p.st);
            size_t from = 0;
            while (it != breaks_.v.end() && it->first.first == k) {
                size_t at = it->first.second;
                BreakKind kind = it->second;
                ++it;
                if (at <= from || at >= p.text.size() || !cluster_boundary(runs, at)) continue;
                width += push_text(p, slice(runs, from, at, size));
                from = at;
                break_item(p, kind);
            }
            if (from == 0)
                width += push_text(p, std::move(runs));
            else if (from < p.text.size())
                width += push_text(p, slice(runs, from, p.text.size(), size));
        }
        return width;
    }

    void break_item(const Piece& p, BreakKind kind) {
        Item pen;
        pen.type = Item::Type::Penalty;
        Info info;
        info.level = p.level;
        switch (kind) {
        case BreakKind::Line: {
            // Zero-width glue: a place to break and, in justified text, to spread the line
            // (CJK justification goes between characters).
            Item g;
            g.type = Item::Type::Glue;
            if (justify_) {
                g.stretch = size_of(p.st) * 0.12;
                g.shrink = size_of(p.st) * 0.02;
            }
            push(g, std::move(info));
            return;
        }
        case BreakKind::Hyphen: {
            Style s = p.st;
            info.size = size_of(s);
            info.st = s;
            ShapeSpec hs = spec_for(p);
            info.runs = shape(*style_.fonts, hs, "-", nullptr);
            pen.width = width_of(info.runs);
            pen.penalty = kHyphenPenalty;
            pen.flagged = true;
            break;
        }
        case BreakKind::ExHyphen:
            pen.penalty = kHyphenPenalty;
            pen.flagged = true;
            break;
        case BreakKind::Url:
            pen.penalty = kUrlPenalty;
            break;
        case BreakKind::Emergency:
            pen.penalty = kEmergencyPenalty;
            break;
        }
        push(pen, std::move(info));
    }
};

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

struct Placed {
    size_t item;
    double x;
};

// The boxes of a line (and its hyphen) with their x, left to right. Glue is set by `ratio`;
// with right-to-left text the pieces are reordered by their bidi levels (UAX #9, L2), trailing
// spaces left out.
std::vector<Placed> place_line(const std::vector<Item>& items, const std::vector<Info>& infos,
                               size_t start, size_t end, bool hyphen, double ratio, double x,
                               bool rtl, bool& reordered) {
    size_t content_end = end;
    while (content_end > start && items[content_end - 1].type == Item::Type::Glue)
        --content_end;
    std::vector<size_t> segs;
    std::vector<double> widths;
    std::vector<uint8_t> levels;
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
            paint.add_text(bx, y, info.size, color, std::vector<Run>(info.runs));
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

} // namespace

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

std::vector<TypesetLine> typeset(const std::vector<doc::Inline>& inlines, const InlineStyle& style,
                                 const ParagraphSpec& spec) {
    bool justify = spec.align == TextAlign::Justify;
    Builder b(style, spec, justify);
    b.build(inlines);
    const auto& items = b.items;
    const auto& infos = b.infos;
    std::vector<TypesetLine> out;
    bool any_box = std::any_of(items.begin(), items.end(),
                               [](const Item& i) { return i.type == Item::Type::Box; });
    if (!any_box) return out;

    std::vector<Line> lines;
    if (justify) {
        double w = spec.width;
        BreakParams params = style.breaking ? *style.breaking : BreakParams{};
        params.emergency_stretch *= style.breaking ? style.size : 0;
        params.looseness = spec.looseness;
        lines = break_lines(
            items, [w](size_t) { return w; }, params);
    } else {
        lines = greedy_lines(items, spec.width);
    }

    const Font& reg = style.fonts->file(face_for(style.bold, style.italic, style.mono));
    double asc = reg.ascent() * style.size, desc = reg.descent() * style.size;
    double base_baseline = (style.leading - (asc + desc)) / 2 + asc;

    for (size_t li = 0; li < lines.size(); ++li) {
        const Line& ln = lines[li];
        size_t end = std::min(ln.end, items.size());
        bool last = li + 1 == lines.size();
        double ratio = justify ? ln.ratio : 0;
        if (ratio < -1) ratio = -1;
        bool hyphen = end < items.size() && items[end].type == Item::Type::Penalty &&
                      !infos[end].runs.empty() && items[end].penalty < kInfinity &&
                      items[end].penalty > -kInfinity;

        // Natural width, for ragged alignment.
        double natural = 0;
        for (size_t i = ln.start; i < end; ++i)
            if (items[i].type != Item::Type::Penalty) natural += items[i].width;
        if (hyphen) natural += items[end].width;
        // Trailing glue before a forced break is not content.
        for (size_t i = end; i > ln.start && items[i - 1].type == Item::Type::Glue; --i)
            natural -= items[i - 1].width;

        TypesetLine tl;
        tl.height = style.leading;
        tl.baseline = base_baseline;
        tl.hyphenated = hyphen && items[end].flagged;
        tl.width = natural;
        for (size_t i = ln.start; i < end; ++i) {
            if (infos[i].asset >= 0 && infos[i].img_h + desc > tl.baseline) {
                double extra = infos[i].img_h + desc * 0.5 - tl.baseline;
                if (extra > 0) {
                    tl.baseline += extra;
                    tl.height += extra;
                }
            }
        }
        TextAlign align = spec.align;
        if (b.rtl && align != TextAlign::Center) // mirrored: ragged left, last line to the right
            align = align == TextAlign::Right  ? TextAlign::Left
                    : align == TextAlign::Left ? TextAlign::Right
                    : last                     ? TextAlign::Right
                                               : align;
        double x = 0;
        if (align == TextAlign::Center) x = std::max(0.0, (spec.width - natural) / 2);
        if (align == TextAlign::Right) x = std::max(0.0, spec.width - natural);

        bool reordered = false;
        std::vector<Placed> placed =
            place_line(items, infos, ln.start, end, hyphen, ratio, x, b.rtl, reordered);
        // Justified lines end exactly at the margin, free of rounding drift.
        if (justify && !last && !placed.empty() && !reordered) {
            double target = spec.width - items[placed.back().item].width;
            if (std::abs(target - placed.back().x) < 1.0) placed.back().x = target;
        }
        paint_line(tl, placed, items, infos, b.links, style);
        out.push_back(std::move(tl));
    }
    return out;
}

TypesetLine typeset_plain(const std::string& text, const InlineStyle& style) {
    doc::Inline in;
    in.text = text;
    ParagraphSpec spec;
    spec.width = 1e6;
    spec.align = TextAlign::Left;
    spec.hyphenate = false;
    auto lines = typeset({in}, style, spec);
    if (lines.empty()) {
        TypesetLine tl;
        tl.height = style.leading;
        return tl;
    }
    return std::move(lines.front());
}

InlineWidths measure(const std::vector<doc::Inline>& inlines, const InlineStyle& style) {
    ParagraphSpec spec;
    spec.width = 1e6;
    spec.align = TextAlign::Left;
    spec.hyphenate = false;
    Builder b(style, spec, false);
    b.build(inlines);
    InlineWidths w;
    double line = 0, word = 0;
    for (const auto& it : b.items) {
        if (it.type == Item::Type::Box) {
            word += it.width;
            line += it.width;
        } else if (it.type == Item::Type::Glue) {
            w.min = std::max(w.min, word);
            word = 0;
            if (it.stretch < kFil) line += it.width;
        } else if (it.penalty <= -kInfinity) {
            w.min = std::max(w.min, word);
            w.max = std::max(w.max, line);
            word = line = 0;
        } else if (it.penalty < kInfinity) {
            w.min = std::max(w.min, word); // URL and hyphen breaks: a cell may wrap there
            word = 0;
        }
    }
    w.min = std::max(w.min, word);
    w.max = std::max({w.max, line, w.min});
    return w;
}

} // namespace imprenta::pdf
