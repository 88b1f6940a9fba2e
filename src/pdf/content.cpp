#include "pdf/content.h"

#include "util/deflate.h"
#include "util/diag.h"
#include "util/utf8.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace imprenta::pdf {

namespace {

// libdeflate's level for page content streams: on a 40-essay PDF (404 pages) level 5 gives
// 1.95 MB in 131 ms for the whole build, 4 gives 1.97 MB in 130 ms, 6 gives 1.94 MB in 135 ms.
constexpr int kFlateLevel = 5;

// Numbers are written in thousandths of a point (or of a colour component): fine enough for
// print, and integers keep the relative text moves exact however many a page has.
long long milli(double v) {
    return std::llround(v * 1000.0);
}

void put_milli(std::string& out, long long k) {
    if (k < 0) {
        out += '-';
        k = -k;
    }
    char buf[24];
    auto end = std::to_chars(buf, buf + sizeof buf, k / 1000).ptr;
    out.append(buf, end);
    int frac = int(k % 1000);
    if (frac == 0) return;
    char f[4] = {'.', char('0' + frac / 100), char('0' + frac / 10 % 10), char('0' + frac % 10)};
    size_t n = 4;
    while (f[n - 1] == '0')
        --n;
    out.append(f, n);
}

void put(std::string& out, double v) {
    put_milli(out, milli(v));
}

// `rg`/`RG` (fill/stroke) in RGB, or `k`/`K` in the output profile's CMYK under PDF/X.
void put_color(std::string& out, const Color& c, bool stroke, const PrintColor* cmyk) {
    if (cmyk) {
        auto v = cmyk->cmyk(c);
        for (int i = 0; i < 4; ++i) {
            put(out, v[size_t(i)]);
            out += ' ';
        }
        out += stroke ? "K\n" : "k\n";
        return;
    }
    put(out, c.r);
    out += ' ';
    put(out, c.g);
    out += ' ';
    put(out, c.b);
    out += stroke ? " RG\n" : " rg\n";
}

// Glyph codes as a literal string (half the bytes of hex, so less to deflate).
void put_code_bytes(std::string& out, std::initializer_list<char> bytes) {
    for (char b : bytes) {
        switch (b) {
        case '(':
        case ')':
        case '\\':
            out += '\\';
            out += b;
            break;
        case '\r': // a bare CR or LF in a literal string reads as LF
            out += "\\r";
            break;
        case '\n':
            out += "\\n";
            break;
        default:
            out += b;
        }
    }
}

// Writes a page's text operators: words that continue a line (same baseline, font, size and
// colour) join one TJ array, with the gap before each glyph as a displacement.
class TextWriter {
public:
    TextWriter(std::string& out, const FontSet& fonts, const std::vector<int>& rank, PageUse& use,
               const PrintColor* cmyk)
        : out_(out), fonts_(fonts), rank_(rank), use_(use), cmyk_(cmyk) {}

    void text(const TextOp& t, double page_h) {
        auto gs = t.glyphs();
        if (gs.empty()) return;
        const Font& font = fonts_.font(t.font);
        bool bitmap = font.color_bitmap();
        long long size = milli(t.size), tx = milli(t.x), ty = milli(page_h - t.y);
        if (size <= 0) return;
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
        double x = t.x, scale = t.size / 1000.0;
        for (size_t k = 0; k < gs.size();) {
            // Glyphs that share a cluster (a reordered Indic vowel sign and its consonant)
            // cannot each map back to their characters: the cluster's text goes in /ActualText.
            size_t e = k + 1;
            uint32_t len = gs[k].cluster_len;
            while (e < gs.size() && gs[e].cluster == gs[k].cluster)
                len = std::max(len, gs[e++].cluster_len);
            bool span = e - k > 1 && !bitmap && gs[k].cluster + len <= t.text().size();
            if (span) actual_text(t.text().substr(gs[k].cluster, len));
            for (; k < e; ++k) {
                const Glyph& g = gs[k];
                move_to(x + g.dx * scale, size);
                if (g.dy != 0) rise(g.dy * scale);
                glyph(t, g, bitmap, !span);
                pen_ += double(glyph_width(font, g.gid)) * double(size) / 1e9;
                if (g.dy != 0) rise(0);
                x += g.advance * scale;
            }
            if (span) out_ += "] TJ\nEMC\n[";
        }
    }

    void finish() {
        if (in_array_) out_ += "] TJ\n";
        if (in_text_) out_ += "ET\n";
    }

private:
    std::string& out_;
    const FontSet& fonts_;
    const std::vector<int>& rank_;
    PageUse& use_;
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
    int font_ = -1;
    long long size_ = -1, line_y_ = 0;
    Color color_{};
    long long cx_ = 0, cy_ = 0; // the text line origin, as the reader computes it from our moves
    double pen_ = 0; // where the reader's text position is after the last glyph, in points

    void close() {
        out_ += "] TJ\n";
        in_array_ = false;
    }

    // A TJ number moves the position left by that many thousandths of the font size.
    void move_to(double x, long long size) {
        long long shift = std::llround((pen_ - x) * 1e9 / double(size)); // 1/1000 of those
        if (shift == 0) return;
        put_milli(out_, shift);
        pen_ -= double(shift) * double(size) / 1e9;
    }

    // Marks sit above or below the baseline: text rise, outside the array.
    void rise(double dy) {
        out_ += "] TJ\n";
        put(out_, dy);
        out_ += " Ts\n[";
    }

    void actual_text(std::string_view text) {
        out_ += "] TJ\n/Span <</ActualText <FEFF";
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

    void glyph(const TextOp& t, const Glyph& g, bool bitmap, bool with_text) {
        GlyphKey key = glyph_key(t.font, g.gid);
        uint8_t& m = mark(t.font, g.gid);
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
        out_ += '(';
        if (bitmap) {
            auto at = std::find(use_.bitmaps.begin(), use_.bitmaps.end(), key);
            size_t code = size_t(at - use_.bitmaps.begin()) + 1;
            put_code_bytes(out_, {char(code <= 255 ? code : 0)});
        } else {
            put_code_bytes(out_, {char(g.gid >> 8), char(g.gid & 0xFF)});
        }
        out_ += ')';
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
    return std::llround(font.advance(gid) * 1000.0);
}

std::string image_resource(int asset) {
    std::string s = "Im";
    s += std::to_string(asset);
    return s;
}

std::string page_operators(const Paint& p, double page_h, const FontSet& fonts,
                           const std::vector<int>& font_rank, const std::vector<bool>& drawable,
                           PageUse& use, const PrintColor* cmyk) {
    std::string out;
    out.reserve(64 + p.rects.size() * 48 + p.images.size() * 64 + p.rules.size() * 80 +
                p.texts.size() * 40);
    for (const auto& r : p.rects) {
        put_color(out, r.color, false, cmyk);
        put(out, r.x);
        out += ' ';
        put(out, page_h - r.y - r.h);
        out += ' ';
        put(out, r.w);
        out += ' ';
        put(out, r.h);
        out += " re\nf\n";
    }
    for (const auto& im : p.images) {
        if (im.asset < 0 || size_t(im.asset) >= drawable.size() || !drawable[size_t(im.asset)])
            continue;
        out += "q\n";
        if (im.clip_w > 0) { // enlarged into the bleed: cut at the bleed's edge
            put(out, im.clip_x);
            out += ' ';
            put(out, page_h - im.clip_y - im.clip_h);
            out += ' ';
            put(out, im.clip_w);
            out += ' ';
            put(out, im.clip_h);
            out += " re\nW\nn\n";
        }
        put(out, im.w);
        out += " 0 0 ";
        put(out, im.h);
        out += ' ';
        put(out, im.x);
        out += ' ';
        put(out, page_h - im.y - im.h);
        out += " cm\n/" + image_resource(im.asset) + " Do\nQ\n";
        if (std::find(use.images.begin(), use.images.end(), im.asset) == use.images.end())
            use.images.push_back(im.asset);
    }
    if (!p.rules.empty()) out += "0 J\n"; // butt ends: rules stop where they are told to
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
    TextWriter text(out, fonts, font_rank, use, cmyk);
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
        TextWriter turned(out, fonts, font_rank, use, cmyk);
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

std::string flate(std::string_view data) {
    return util::deflate_zlib(data, kFlateLevel);
}

} // namespace imprenta::pdf
