#include "pdf/content.h"

#include "pdf/operands.h"
#include "util/deflate.h"
#include "util/diag.h"
#include "util/utf8.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <span>

namespace imprenta::pdf {

namespace {

using namespace operands;

// libdeflate's level for page content streams: on a 40-essay PDF (404 pages) level 5 gives
// 1.95 MB in 131 ms for the whole build, 4 gives 1.97 MB in 130 ms, 6 gives 1.94 MB in 135 ms.
constexpr int kFlateLevel = 5;

// Whether the op's last glyph stands for a hyphen (a word goes on in the next line).
bool ends_in_hyphen(const TextOp& t) {
    auto gs = t.glyphs();
    if (gs.empty()) return true;
    std::string_view text = t.text();
    const Glyph& g = gs.back();
    if (g.cluster + g.cluster_len > text.size()) return false;
    std::string_view c = text.substr(g.cluster, g.cluster_len);
    return c == "-" || c == "\u00AD" || c == "\u2010";
}

// Opens the marked-content sequence of structure node `tag` (a new MCID), or an artifact's.
template <class Out>
void open_mark(Out& out, int tag, const std::vector<const char*>& roles, PageUse& use) {
    if (tag < 0 || size_t(tag) >= roles.size()) {
        out += "/Artifact BMC\n";
        return;
    }
    out += '/';
    out += roles[size_t(tag)];
    out += " <</MCID ";
    out += std::to_string(use.marks.size());
    out += ">> BDC\n";
    use.marks.push_back(tag);
}

// Writes a page's text operators: words that continue a line (same baseline, font, size and
// colour) join one TJ array, with the gap before each glyph as a displacement.
class TextWriter {
public:
    TextWriter(std::string& out, const FontSet& fonts, const std::vector<int>& rank,
               const std::vector<const char*>& roles, PageUse& use, const PrintColor* cmyk)
        : out_(out), fonts_(fonts), rank_(rank), roles_(roles), use_(use), cmyk_(cmyk) {}

    void text(const TextOp& t, double page_h) {
        auto gs = t.glyphs();
        if (gs.empty()) return;
        const Font& font = fonts_.font(t.font);
        bool bitmap = font.color_bitmap();
        long long size = milli(t.size), tx = milli(t.x), ty = milli(page_h - t.y);
        if (size <= 0) return;
        int tag = t.tag >= 0 && size_t(t.tag) < roles_.size() ? t.tag : kArtifact;
        bool same_node = tag == open_tag_ && tag != kArtifact;
        // A line that ends without a hyphen ends a word too (a new line starts back at the
        // left; a raised note call does not).
        if (same_node && in_array_ && ty != line_y_ && t.x < end_x_ - t.size && !end_hyphen_)
            line_space();
        if (tag != open_tag_) {
            if (in_array_) close();
            if (open_tag_ != kNone) out_ += "EMC\n";
            if (!in_text_) {
                put_color(out_, Color{}, false, cmyk_);
                out_ += "BT\n";
                in_text_ = true;
            }
            open_mark(out_, tag, roles_, use_);
            open_tag_ = tag;
        }
        bool restyle = int(t.font) != font_ || size != size_ || !(t.color == color_);
        if (in_array_ && (restyle || ty != line_y_)) close();
        if (!in_text_) {
            put_color(out_, Color{}, false, cmyk_);
            out_ += "BT\n";
            in_text_ = true;
        }
        if (int(t.font) != font_ || size != size_) {
            out_ += '/';
            out_ += bitmap ? std::string(kBitmapFont) : font_resource(rank_[t.font]);
            out_ += ' ';
            put_milli(out_, size);
            out_ += " Tf\n";
            font_ = int(t.font);
            size_ = size;
            if (!bitmap) use_.fonts.push_back(t.font);
        }
        if (!(t.color == color_)) {
            put_color(out_, t.color, false, cmyk_);
            color_ = t.color;
        }
        if (!in_array_) {
            put_milli(out_, tx - cx_);
            out_ += ' ';
            put_milli(out_, ty - cy_);
            out_ += " Td\n[";
            cx_ = tx;
            cy_ = ty;
            line_y_ = ty;
            pen_ = double(tx) / 1000.0;
            in_array_ = true;
        }
        // Words are placed, not spaced: a space glyph in the gap lets the text read as words
        // (the structure's text, screen readers, copying).
        // (A raised note call and the word after it share the line.)
        if (same_node && !bitmap && std::llabs(ty - end_y_) * 2 < size &&
            t.x - end_x_ > 0.12 * t.size)
            word_space(t, font, size);
        double x = t.x, scale = t.size / 1000.0;
        bool span = false; // the glyphs drawn are a cluster's, inside its /ActualText
        size_t k = 0;
        auto draw = [&](size_t to) {
            if (to <= k) return;
            x = draw_glyphs(t, gs, k, to, x, scale, size, font, bitmap, !span);
            k = to;
        };
        while (k < gs.size()) {
            // Glyphs each alone in its cluster (nearly all text) are drawn in one go.
            size_t e = k;
            while (e < gs.size() && (e + 1 == gs.size() || gs[e + 1].cluster != gs[e].cluster))
                ++e;
            span = false;
            if (e > k) {
                draw(e);
                continue;
            }
            // Glyphs that share a cluster (a reordered Indic vowel sign and its consonant)
            // cannot each map back to their characters: the cluster's text goes in /ActualText.
            e = k + 1;
            uint32_t len = gs[k].cluster_len;
            while (e < gs.size() && gs[e].cluster == gs[k].cluster)
                len = std::max(len, gs[e++].cluster_len);
            span = e - k > 1 && !bitmap && gs[k].cluster + len <= t.text().size();
            if (!span) {
                draw(e);
                continue;
            }
            // A reader places the span's text from its first glyph to the end of its last
            // one: marks with no advance before or after the cluster's spacing glyphs (the
            // anusvara of ढं) would end it short of the next letter, which then reads as
            // a new word. They go in spans of their own that stand for no text.
            uint32_t cluster = gs[k].cluster;
            size_t a = k, z = e;
            while (a < e && gs[a].advance == 0)
                ++a;
            while (z > a && gs[z - 1].advance == 0)
                --z;
            if (a == e) a = k, z = e;
            if (a > k) silent_span(draw, a);
            actual_text(t.text().substr(cluster, len));
            draw(z);
            raw() += "] TJ\nEMC\n[";
            if (z < e) silent_span(draw, e);
        }
        end_x_ = x;
        end_y_ = ty;
        end_hyphen_ = bitmap || ends_in_hyphen(t);
    }

    void finish() {
        if (in_array_) raw() += "] TJ\n";
        if (open_tag_ != kNone) out_ += "EMC\n";
        if (in_text_) out_ += "ET\n";
        out_.done();
    }

private:
    static constexpr int kNone = -3; // no marked-content sequence open
    Sink out_;                       // finish() hands the text to the page's string
    const FontSet& fonts_;
    const std::vector<int>& rank_;
    const std::vector<const char*>& roles_;
    PageUse& use_;
    int open_tag_ = kNone; // the node whose marked content is open
    const PrintColor* cmyk_;
    // Per font and glyph id: 1 once reported in use_.glyphs, 2 once its text is in use_.texts.
    std::vector<std::vector<uint8_t>> marked_;

    uint8_t& mark(FontId f, uint32_t gid) {
        if (marked_.size() <= f) marked_.resize(size_t(f) + 1);
        auto& v = marked_[f];
        if (v.size() <= gid) v.resize(std::max<size_t>(fonts_.font(f).glyph_count(), gid + 1), 0);
        return v[gid];
    }
    bool in_text_ = false, in_array_ = false;
    bool in_string_ = false; // a TJ string is open: glyphs that follow with no move join it

    // Anything but a glyph's bytes inside a TJ array closes the open string first.
    Sink& raw() {
        if (in_string_) {
            out_ += ')';
            in_string_ = false;
        }
        return out_;
    }
    void open_string() {
        if (!in_string_) out_ += '(';
        in_string_ = true;
    }
    int font_ = -1;
    long long size_ = -1, line_y_ = 0;
    Color color_{};
    long long cx_ = 0, cy_ = 0; // the text line origin, as the reader computes it from our moves
    double pen_ = 0;       // where the reader's text position is after the last glyph, in points
    double end_x_ = 0;     // where the last text ended (shaped advances), in points
    long long end_y_ = -1; // on this baseline

    bool end_hyphen_ = false; // the last text ended in a hyphen (or was no text)

    // The font's space glyph at the pen, so that what precedes reads as a word; false when the
    // font has none.
    bool space_glyph(FontId f) {
        const Font& font = fonts_.font(f);
        uint32_t gid = font.glyph(U' ');
        if (gid == 0) return false;
        uint8_t& m = mark(f, gid);
        if (!(m & 1)) use_.glyphs.push_back(glyph_key(f, gid));
        if (!(m & 2)) use_.texts.emplace_back(glyph_key(f, gid), " ");
        m |= 3;
        open_string();
        put_code_pair(out_, gid);
        pen_ += double(glyph_width(font, gid)) * double(size_) / 1e9;
        return true;
    }

    // Before a word that follows a gap: the space moves back by its own width first.
    void word_space(const TextOp& t, const Font& font, long long size) {
        uint32_t gid = font.glyph(U' ');
        if (gid == 0) return;
        move_to(t.x - double(glyph_width(font, gid)) * double(size) / 1e9, size);
        space_glyph(t.font);
    }

    void line_space() {
        if (font_ >= 0) space_glyph(FontId(font_));
    }

    void close() {
        raw() += "] TJ\n";
        in_array_ = false;
    }

    // Glyphs [k, to) of `t` from `x` (returns where they end), on locals: the loop of every
    // glyph of the book. The pen moves and widths are move_to's and glyph_width's.
    double draw_glyphs(const TextOp& t, std::span<const Glyph> gs, size_t k, size_t to, double x,
                       double scale, long long size, const Font& font, bool bitmap,
                       bool with_text) {
        double pen = pen_;
        const double sz = double(size);
        mark(t.font, 0); // sizes the font's marks to its glyphs
        std::vector<uint8_t>* marks = &marked_[t.font];
        for (; k < to; ++k) {
            const Glyph& g = gs[k];
            long long shift = round_ll((pen - (x + g.dx * scale)) * 1e9 / sz);
            if (shift != 0) {
                put_milli(raw(), shift);
                pen -= double(shift) * sz / 1e9;
            }
            if (g.dy != 0) rise(g.dy * scale);
            glyph(t, g, bitmap, with_text,
                  g.gid < marks->size() ? (*marks)[g.gid] : mark(t.font, g.gid));
            pen += double(font.advance_milli(g.gid)) * sz / 1e9;
            if (g.dy != 0) rise(0);
            x += g.advance * scale;
        }
        pen_ = pen;
        return x;
    }

    // A TJ number moves the position left by that many thousandths of the font size.
    void move_to(double x, long long size) {
        long long shift = round_ll((pen_ - x) * 1e9 / double(size)); // 1/1000 of those
        if (shift == 0) return;
        put_milli(raw(), shift);
        pen_ -= double(shift) * double(size) / 1e9;
    }

    // Marks sit above or below the baseline: text rise, outside the array.
    void rise(double dy) {
        raw() += "] TJ\n";
        put(out_, dy);
        out_ += " Ts\n[";
    }

    template <class Draw> void silent_span(Draw& draw, size_t to) {
        raw() += "] TJ\n/Span <</ActualText <FEFF>>> BDC\n[";
        draw(to);
        raw() += "] TJ\nEMC\n[";
    }

    void actual_text(std::string_view text) {
        raw() += "] TJ\n/Span <</ActualText <FEFF";
        char buf[8];
        for (size_t i = 0; i < text.size();) {
            char32_t c = util::next_code_point(text, i);
            if (c >= 0x10000) {
                c -= 0x10000;
                std::snprintf(buf, sizeof buf, "%04X", unsigned(0xD800 + (c >> 10)));
                out_ += buf;
                c = 0xDC00 + (c & 0x3FF);
            }
            std::snprintf(buf, sizeof buf, "%04X", unsigned(c));
            out_ += buf;
        }
        out_ += ">>> BDC\n[";
    }

    // `m`: mark(t.font, g.gid).
    void glyph(const TextOp& t, const Glyph& g, bool bitmap, bool with_text, uint8_t& m) {
        GlyphKey key = glyph_key(t.font, g.gid);
        if (!(m & 1)) {
            m |= 1;
            use_.glyphs.push_back(key);
            if (bitmap) use_.bitmaps.push_back(key);
        }
        // The first text seen for a glyph is the one its ToUnicode entry gives back.
        if (with_text && !(m & 2) && g.cluster_len > 0 &&
            g.cluster + g.cluster_len <= t.text().size()) {
            m |= 2;
            use_.texts.emplace_back(key, t.text().substr(g.cluster, g.cluster_len));
        }
        open_string();
        if (bitmap) {
            auto at = std::find(use_.bitmaps.begin(), use_.bitmaps.end(), key);
            size_t code = size_t(at - use_.bitmaps.begin()) + 1;
            put_code_bytes(out_, {char(code <= 255 ? code : 0)});
        } else {
            put_code_pair(out_, g.gid);
        }
    }
};

} // namespace

// (Appending, not "F" + to_string(): GCC 12 warns falsely about the latter, -Wrestrict.)
std::string font_resource(int rank) {
    std::string s = "F";
    s += std::to_string(rank + 1);
    return s;
}

long long glyph_width(const Font& font, uint32_t gid) {
    return font.advance_milli(gid); // round_ll(font.advance(gid) * 1000.0), kept by the font
}

std::string image_resource(int asset) {
    std::string s = "Im";
    s += std::to_string(asset);
    return s;
}

std::string page_operators(const Paint& p, double page_h, const FontSet& fonts,
                           const std::vector<int>& font_rank, const std::vector<bool>& drawable,
                           const std::vector<const char*>& roles, PageUse& use,
                           const PrintColor* cmyk) {
    std::string out;
    out.reserve(64 + p.rects.size() * 48 + p.images.size() * 64 + p.rules.size() * 80 +
                p.texts.size() * 48);
    if (!p.rects.empty()) out += "/Artifact BMC\n"; // backgrounds are decoration
    for (const auto& r : p.rects) {
        put_color(out, r.color, false, cmyk);
        put_rect(out, r.x, page_h - r.y - r.h, r.w, r.h);
        out += "f\n";
    }
    if (!p.rects.empty()) out += "EMC\n";
    for (const auto& im : p.images) {
        if (im.asset < 0 || size_t(im.asset) >= drawable.size() || !drawable[size_t(im.asset)])
            continue;
        open_mark(out, im.tag, roles, use);
        out += "q\n";
        if (im.clip_w > 0) { // enlarged into the bleed: cut at the bleed's edge
            put_rect(out, im.clip_x, page_h - im.clip_y - im.clip_h, im.clip_w, im.clip_h);
            out += "W\nn\n";
        }
        put(out, im.w);
        out += " 0 0 ";
        put(out, im.h);
        out += ' ';
        put(out, im.x);
        out += ' ';
        put(out, page_h - im.y - im.h);
        out += " cm\n/" + image_resource(im.asset) + " Do\nQ\nEMC\n";
        if (std::find(use.images.begin(), use.images.end(), im.asset) == use.images.end())
            use.images.push_back(im.asset);
    }
    // Rules (under headers, above notes, beside asides) are decoration; butt ends: rules stop
    // where they are told to.
    if (!p.rules.empty()) out += "/Artifact BMC\n0 J\n";
    for (const auto& ru : p.rules) {
        put(out, ru.width);
        out += " w\n";
        put_color(out, ru.color, true, cmyk);
        put(out, ru.x1);
        out += ' ';
        put(out, page_h - ru.y1);
        out += " m\n";
        put(out, ru.x2);
        out += ' ';
        put(out, page_h - ru.y2);
        out += " l\nS\n";
    }
    if (!p.rules.empty()) out += "EMC\n";
    TextWriter text(out, fonts, font_rank, roles, use, cmyk);
    for (const auto& t : p.texts)
        if (!t.turned) text.text(t, page_h);
    text.finish();
    for (const auto& t : p.texts) {
        if (!t.turned) continue;
        // Reads top to bottom: the baseline's origin moved to (x, y) and turned clockwise.
        out += "q\n0 -1 1 0 ";
        put(out, t.x);
        out += ' ';
        put(out, page_h - t.y);
        out += " cm\n";
        TextOp at = t;
        at.x = 0;
        at.y = page_h;
        static const std::vector<const char*> kNoRoles; // a spine's title: decoration
        TextWriter turned(out, fonts, font_rank, kNoRoles, use, cmyk);
        turned.text(at, page_h);
        turned.finish();
        out += "Q\n";
    }
    std::sort(use.fonts.begin(), use.fonts.end());
    use.fonts.erase(std::unique(use.fonts.begin(), use.fonts.end()), use.fonts.end());
    // First text per glyph: stable, so the earliest use on the page wins.
    std::stable_sort(use.texts.begin(), use.texts.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    use.texts.erase(std::unique(use.texts.begin(), use.texts.end(),
                                [](const auto& a, const auto& b) { return a.first == b.first; }),
                    use.texts.end());
    std::sort(use.glyphs.begin(), use.glyphs.end());
    use.glyphs.erase(std::unique(use.glyphs.begin(), use.glyphs.end()), use.glyphs.end());
    return out;
}

bool draws_outline_font(const TextOp& t, const FontSet& fonts) {
    // (!t.glyphs().empty() without reading the run)
    return t.run && t.last != t.first && milli(t.size) > 0 && !fonts.font(t.font).color_bitmap();
}

std::string flate(std::string_view data) {
    return util::deflate_zlib(data, kFlateLevel);
}

} // namespace imprenta::pdf
