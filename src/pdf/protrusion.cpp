#include "pdf/protrusion.h"

#include "util/utf8.h"

#include <array>

namespace imprenta::pdf {

// microtype's default protrusion list for a Latin text face (microtype.cfg, "T1-default"), in
// thousandths of the character's width. Punctuation hangs most, as the eye sees its edge as a
// gap; a few letters with open sides (A, T, V, W, Y, v, w, y ...) hang a little.
namespace {

Protrusion factors_of(char32_t c) {
    auto f = [](int l, int r) { return Protrusion{l / 1000.0f, r / 1000.0f}; };
    switch (c) {
    case 'A':
    case 'T':
    case 'V':
    case 'W':
    case 'X':
    case 'Y':
    case 'v':
    case 'w':
    case 'x':
    case 'y':
        return f(50, 50);
    case 'F':
    case 'K':
    case 'L':
    case 'k':
    case 'r':
        return f(0, 50);
    case 'J':
        return f(50, 0);
    case 't':
        return f(0, 70);
    case '.':
        return f(0, 700);
    case ',':
    case ':':
    case ';':
    case '-':
    case 0x2010: // hyphen
        return f(0, 500);
    case '!':
    case '?':
        return f(0, 100);
    case 0xA1:
    case 0xBF: // ¡ ¿
        return f(100, 0);
    case '(':
        return f(50, 0);
    case ')':
        return f(0, 50);
    case 0x2013: // en dash
        return f(200, 200);
    case 0x2014: // em dash
        return f(150, 150);
    case 0x2018:
    case 0x2019:
    case '\'': // ‘ ’
        return f(300, 400);
    case 0x201C:
    case 0x201D:
    case '"': // “ ”
        return f(300, 300);
    case 0x201A:
    case 0x201E: // ‚ „
        return f(400, 400);
    case 0x2039: // ‹
        return f(400, 300);
    case 0x203A: // ›
        return f(300, 400);
    case 0xAB:
    case 0xBB: // « »
        return f(200, 200);
    default:
        return {};
    }
}

} // namespace

// Latin-1 from a table: asked twice for every box the line builder makes.
Protrusion protrusion_factors(char32_t c) {
    static const auto latin = [] {
        std::array<Protrusion, 256> t{};
        for (char32_t k = 0; k < t.size(); ++k)
            t[k] = factors_of(k);
        return t;
    }();
    return c < latin.size() ? latin[c] : factors_of(c);
}

Protrusion protrusion_of(const ShapedText& text, double size) {
    Protrusion out;
    RunView first, last; // views: no shared-pointer traffic for every word set
    if (!edge_runs(text, first, last)) return out;
    if (!first.run->rtl && first.text_to > first.text_from) {
        const Glyph& g = first.run->glyphs[first.first];
        const std::string& t = first.run->text;
        size_t at = g.cluster;
        if (at < t.size()) {
            char32_t c = util::next_code_point(t, at);
            out.left = protrusion_factors(c).left * g.advance / 1000.0f * float(size);
        }
    }
    if (!last.run->rtl && last.text_to > last.text_from) {
        const Glyph& g = last.run->glyphs[last.last - 1];
        const std::string& t = last.run->text;
        // The text's last character, when the last glyph draws it (not a mark on it).
        size_t start = last.text_to - 1;
        while (start > last.text_from && (static_cast<unsigned char>(t[start]) & 0xC0) == 0x80)
            --start;
        if (g.cluster <= start) {
            size_t p = start;
            char32_t c = util::next_code_point(t, p);
            out.right = protrusion_factors(c).right * g.advance / 1000.0f * float(size);
        }
    }
    return out;
}

} // namespace imprenta::pdf
