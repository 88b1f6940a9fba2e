#include "pdf/content.h"

#include "util/deflate.h"
#include "util/diag.h"
#include "util/utf8.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace imprenta::pdf {

namespace {

// libdeflate's level for page content streams: on a 40-essay PDF (404 pages) level 5 gives
// 1.95 MB in 131 ms for the whole build, 4 gives 1.97 MB in 130 ms, 6 gives 1.94 MB in 135 ms.
constexpr int kFlateLevel = 5;

// Code points below this are remembered per face in a bitmap while a page is encoded, so each
// glyph is reported once; the rare ones above it are sorted out at the end.
constexpr char32_t kSeenRange = 0x800;

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

void put_color(std::string& out, const Color& c, const char* op) {
    put(out, c.r);
    out += ' ';
    put(out, c.g);
    out += ' ';
    put(out, c.b);
    out += op;
}

// (\0\xe9...): 2-byte big-endian codes, one per code point, as a literal string (half the bytes
// of hex, so less to deflate); code points beyond the BMP cannot be drawn by these fonts (text
// shaping already replaced them) and become '?'. Returns the advance in 1/1000 em.
long put_codes(std::string& out, std::string_view text, const FontFile& font, Face face,
               std::vector<uint32_t>& glyphs, uint64_t* seen) {
    long advance = 0;
    out += '(';
    for (size_t i = 0; i < text.size();) {
        char32_t cp = util::next_code_point(text, i);
        if (cp > 0xFFFF) cp = '?';
        advance += font.advance(cp);
        uint32_t g = (uint32_t(face) << 16) | uint32_t(cp);
        if (cp >= kSeenRange) {
            glyphs.push_back(g);
        } else {
            uint64_t& word = seen[size_t(face) * (kSeenRange / 64) + cp / 64];
            uint64_t bit = uint64_t(1) << (cp % 64);
            if (!(word & bit)) glyphs.push_back(g);
            word |= bit;
        }
        for (char b : {char(cp >> 8), char(cp & 0xFF)}) {
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
    out += ')';
    return advance;
}

} // namespace

// (Appending, not "F" + to_string(): GCC 12 warns falsely about the latter, -Wrestrict.)
std::string font_resource(Face f) {
    std::string s = "F";
    s += std::to_string(int(f) + 1);
    return s;
}

std::string image_resource(int asset) {
    std::string s = "Im";
    s += std::to_string(asset);
    return s;
}

std::string page_operators(const Paint& p, double page_h, const FontSet& fonts,
                           const std::vector<bool>& drawable, PageUse& use) {
    std::string out;
    out.reserve(64 + p.rects.size() * 48 + p.images.size() * 64 + p.rules.size() * 80 +
                p.texts.size() * 40);
    for (const auto& r : p.rects) {
        put_color(out, r.color, " rg\n");
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
        put_color(out, ru.color, " RG\n");
        put(out, ru.x1);
        out += ' ';
        put(out, page_h - ru.y1);
        out += " m\n";
        put(out, ru.x2);
        out += ' ';
        put(out, page_h - ru.y2);
        out += " l\nS\n";
    }
    // Words that continue a line (same baseline, face, size and colour) join its TJ array, with
    // the gap before each as a displacement: one operator a line instead of two a word.
    uint64_t seen[kFaceCount * (kSeenRange / 64)] = {};
    bool in_text = false, in_array = false;
    int cur_face = -1;
    long long cur_size = -1, line_y = 0;
    Color cur_color{};
    long long cx = 0, cy = 0; // the text line origin, as the reader computes it from our moves
    double pen = 0;           // where the reader's text position is after the last string, in pt
    for (const auto& t : p.texts) {
        if (t.text.empty()) continue;
        long long size = milli(t.size), tx = milli(t.x), ty = milli(page_h - t.y);
        bool restyle = int(t.face) != cur_face || size != cur_size || !(t.color == cur_color);
        if (in_array && (restyle || ty != line_y || size <= 0)) {
            out += "] TJ\n";
            in_array = false;
        }
        if (!in_text) {
            out += "0 0 0 rg\nBT\n";
            in_text = true;
        }
        if (int(t.face) != cur_face || size != cur_size) {
            out += '/' + font_resource(t.face) + ' ';
            put_milli(out, size);
            out += " Tf\n";
            cur_face = int(t.face);
            cur_size = size;
            use.faces |= 1u << unsigned(t.face);
        }
        if (!(t.color == cur_color)) {
            put_color(out, t.color, " rg\n");
            cur_color = t.color;
        }
        if (in_array) {
            // A TJ number moves the position left by that many thousandths of the font size.
            long long shift = std::llround((pen - t.x) * 1e9 / double(size)); // in 1/1000 of those
            put_milli(out, shift);
            pen -= double(shift) * double(size) / 1e9;
        } else {
            put_milli(out, tx - cx);
            out += ' ';
            put_milli(out, ty - cy);
            out += " Td\n[";
            cx = tx;
            cy = ty;
            line_y = ty;
            pen = double(tx) / 1000.0;
            in_array = true;
        }
        long advance = put_codes(out, t.text, fonts.file(t.face), t.face, use.glyphs, seen);
        pen += double(advance) * double(size) / 1e6;
    }
    if (in_array) out += "] TJ\n";
    if (in_text) out += "ET\n";
    std::sort(use.glyphs.begin(), use.glyphs.end());
    use.glyphs.erase(std::unique(use.glyphs.begin(), use.glyphs.end()), use.glyphs.end());
    return out;
}

std::string flate(std::string_view data) {
    return util::deflate_zlib(data, kFlateLevel);
}

} // namespace imprenta::pdf
