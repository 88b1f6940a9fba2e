// The line builder of pdf/text.cpp: a paragraph's inlines as Knuth-Plass items (boxes of shaped
// text, glue, penalties at hyphenation and other break points) with what each item draws.
#pragma once
#include "pdf/linebreak.h"
#include "pdf/paragraph.h"
#include "pdf/protrusion.h"
#include "pdf/script.h"
#include "pdf/shape.h"
#include "util/utf8.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace imprenta::pdf::para {

// Included by text.cpp alone: internal linkage, as when it was defined there (GCC inlines its
// once-called members then).
namespace {

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
        // Nothing right to left in a paragraph that is not (most): bidi_levels would find no
        // levels in the pieces joined; the pieces are whole characters, so each is asked alone.
        if (style_.direction != 1 && std::none_of(pieces.begin(), pieces.end(), [](const Piece& p) {
                return has_rtl(bidi_text(p));
            })) {
            rtl = false;
            return;
        }
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
                if (p.at >= 0) q.at = p.at + int(from);
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

    // Characters hang into the margins of justified left-to-right lines (not note calls).
    bool protrudes(const Piece& p) const {
        return justify_ && style_.breaking && style_.breaking->protrusion && !rtl &&
               !(p.level & 1) && p.st.script == 0;
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
            if (v.size() < 2) return; // most words (stable_sort takes a buffer even then)
            std::stable_sort(v.begin(), v.end(),
                             [](const auto& a, const auto& b) { return a.first < b.first; });
            v.erase(std::unique(v.begin(), v.end(),
                                [](const auto& a, const auto& b) { return a.first == b.first; }),
                    v.end());
        }
    };
    Breaks breaks_;
    // A word's pieces joined, and where each starts: reused from word to word (the break finders
    // below allocated both for every word of the book).
    mutable std::string joined_;
    mutable std::vector<size_t> starts_;
    mutable std::vector<size_t> hyphens_; // a segment's hyphenation points
    ShapeMemo hyphen_{"-"};               // what each hyphenation point shows

    void hyphen_points(const std::vector<const Piece*>& word, Breaks& out) const {
        // Hyphenate maximal runs of plain text pieces as one word ("pala*bra*" is one word).
        size_t i = 0;
        while (i < word.size()) {
            if (!hyphenatable(*word[i])) {
                ++i;
                continue;
            }
            size_t j = i;
            while (j < word.size() && hyphenatable(*word[j]))
                ++j;
            std::vector<size_t>& starts = starts_;
            starts.clear();
            joined_.clear();
            for (size_t k = i; k < j && j > i + 1; ++k) { // one piece (most) is read in place
                starts.push_back(joined_.size());
                joined_ += word[k]->text;
            }
            if (j == i + 1) starts.push_back(0);
            std::string_view all = j > i + 1 ? std::string_view(joined_) : word[i]->text;
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
                style_.hyphenator->points(seg, hyphens_);
                for (size_t pt : hyphens_) {
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
    // ICU sees the text of consecutive pieces together, so a change of style (a bold character)
    // is a place to break too, and kinsoku holds across it; a break at a piece's start is
    // (piece, 0).
    void icu_points(const std::vector<const Piece*>& word, Breaks& out) const {
        for (size_t i = 0; i < word.size();) {
            if (word[i]->kind != Piece::Kind::Text) {
                ++i;
                continue;
            }
            size_t j = i;
            bool spaceless = false; // a character of a script written without spaces
            for (; j < word.size() && word[j]->kind == Piece::Kind::Text; ++j)
                spaceless = spaceless || needs_icu_breaks(word[j]->text);
            if (spaceless) { // (pieces hold whole characters: each is asked alone)
                std::string& all = joined_;
                std::vector<size_t>& starts = starts_;
                all.clear();
                starts.clear();
                for (size_t k = i; k < j; ++k) {
                    starts.push_back(all.size());
                    all += word[k]->text;
                }
                for (size_t at : icu_breaks(all, style_.lang)) {
                    size_t k = size_t(std::upper_bound(starts.begin(), starts.end(), at) -
                                      starts.begin()) -
                               1;
                    out.emplace(std::make_pair(i + k, at - starts[k]), BreakKind::Line);
                }
            }
            i = j;
        }
    }

    // `from`: where `text` starts in the piece (the page map wants each word's first box).
    double push_text(const Piece& p, ShapedText&& text, size_t from = 0) {
        Info info;
        if (word_start_ && p.at >= 0) {
            info.word = p.at + int(from);
            word_start_ = false;
        }
        info.st = p.st;
        info.size = size_of(p.st);
        info.rise = p.st.script > 0   ? style_.size * 0.36
                    : p.st.script < 0 ? -style_.size * 0.14
                                      : 0;
        info.note = p.note;
        info.level = p.level;
        double w = text.width;
        Protrusion hang;
        if (protrudes(p)) hang = protrusion_of(text, info.size);
        info.text = std::move(text);
        push_box(std::move(info), w);
        items.back().protrude_left = hang.left;
        items.back().protrude_right = hang.right;
        return w;
    }

    ShapedText shaped(const Piece& p, std::string_view text) const {
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

    bool word_start_ = false; // the next text box starts a word

    // Pushes the word's boxes and the breaks inside it; returns the width of its text.
    double word_boxes(const std::vector<const Piece*>& word) {
        double width = 0;
        word_start_ = true;
        auto it = breaks_.v.begin();
        for (size_t k = 0; k < word.size(); ++k) {
            const Piece& p = *word[k];
            if (p.kind == Piece::Kind::Image) {
                image_box(p);
                continue;
            }
            // ICU's break between this piece and the one before (other kinds stay inside pieces)
            if (k > 0 && it != breaks_.v.end() && it->first == std::make_pair(k, size_t(0)) &&
                it->second == BreakKind::Line)
                break_item(p, (it++)->second);
            // The piece is shaped whole (kerning and ligatures across break points), then cut
            // between clusters; a break inside a ligature ("of-fice") is given up.
            ShapedText whole = shaped(p, p.text);
            size_t from = 0;
            while (it != breaks_.v.end() && it->first.first == k) {
                size_t at = it->first.second;
                BreakKind kind = it->second;
                ++it;
                if (at <= from || at >= p.text.size() || !cluster_boundary(whole, at)) continue;
                width += push_text(p, slice(whole, from, at), from);
                from = at;
                break_item(p, kind);
            }
            if (from == 0)
                width += push_text(p, std::move(whole));
            else if (from < p.text.size())
                width += push_text(p, slice(whole, from, p.text.size()), from);
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
            word_start_ = true; // scripts without spaces: each break starts a word
            return;
        }
        case BreakKind::Hyphen: {
            Style s = p.st;
            info.size = size_of(s);
            info.st = s;
            info.text = hyphen_.get(*style_.fonts, spec_for(p));
            pen.width = info.text.width;
            if (protrudes(p)) pen.protrude_right = protrusion_of(info.text, info.size).right;
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

} // namespace

} // namespace imprenta::pdf::para
