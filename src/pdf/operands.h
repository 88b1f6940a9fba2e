// Operands of PDF content operators, written as text: numbers in thousandths, colours,
// rectangles and glyph codes, into a std::string or a Sink (pdf/content.cpp's page operators).
#pragma once
#include "pdf/page.h"
#include "pdf/print_color.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>

namespace imprenta::pdf::operands {

// Numbers are written in thousandths of a point (or of a colour component): fine enough for
// print, and integers keep the relative text moves exact however many a page has.
// std::llround's rounding (halves away from zero), inline: it runs for every glyph of the book.
// The conversion truncates as std::trunc would (exactly, below 2^63), without its call or
// SSE2 emulation.
inline long long round_ll(double v) {
    auto r = (long long)v;
    if (std::abs(v - double(r)) >= 0.5) r += v < 0 ? -1 : 1;
    return r;
}

inline long long milli(double v) {
    return round_ll(v * 1000.0);
}

// Appends to a std::string through a pointer of its own, the string grown ahead and cut back to
// what was written by done(): std::string's own appends are calls into libstdc++ (an extern
// template), several for every glyph of the book.
class Sink {
public:
    explicit Sink(std::string& s) : s_(s) {
        size_t n = s.size();
        s_.resize(n + kChunk);
        at_ = s_.data() + n;
        end_ = s_.data() + s_.size();
    }
    [[gnu::always_inline]] Sink& operator+=(char c) {
        if (at_ == end_) grow(1);
        *at_++ = c;
        return *this;
    }
    Sink& operator+=(std::string_view v) {
        append(v.data(), v.size());
        return *this;
    }
    void append(const char* d, size_t k) {
        if (size_t(end_ - at_) < k) grow(k);
        std::memcpy(at_, d, k);
        at_ += k;
    }
    // The first k bytes of a 32-byte buffer, copied as 32 (two moves, no call to memcpy).
    void append_padded(const char (&d)[32], size_t k) {
        if (size_t(end_ - at_) < sizeof d) grow(sizeof d);
        std::memcpy(at_, d, sizeof d);
        at_ += k;
    }
    void done() { s_.resize(size_t(at_ - s_.data())); }

private:
    // Grown by this much at a time: resizing zeroes the bytes it adds (beyond what is written,
    // that is wasted), and a page's string is mostly reserved ahead.
    static constexpr size_t kChunk = 4096;
    std::string& s_;
    char* at_;  // where the next byte goes
    char* end_; // the end of the string's bytes (of its size, not what was written)
    [[gnu::noinline]] void grow(size_t k) {
        size_t n = size_t(at_ - s_.data());
        s_.resize(n + std::max(k, kChunk)); // within the capacity reserved, or doubling it
        at_ = s_.data() + n;
        end_ = s_.data() + s_.size();
    }
};

template <class Out> void put_milli(Out& out, long long k) {
    char buf[32]; // sign, 19 digits, ".ddd": 24 at most; 32 for Sink::append_padded
    char* p = buf;
    if (k < 0) {
        *p++ = '-';
        k = -k;
    }
    p = std::to_chars(p, buf + 24, k / 1000).ptr;
    int frac = int(k % 1000);
    if (frac != 0) {
        p[0] = '.';
        p[1] = char('0' + frac / 100);
        p[2] = char('0' + frac / 10 % 10);
        p[3] = char('0' + frac % 10);
        size_t n = 4;
        while (p[n - 1] == '0')
            --n;
        p += n;
    }
    if constexpr (std::is_same_v<Out, Sink>)
        out.append_padded(buf, size_t(p - buf));
    else
        out.append(buf, size_t(p - buf));
}

template <class Out> void put(Out& out, double v) {
    put_milli(out, milli(v));
}

// A rectangle path ("x y w h re"), y measured from the page's bottom.
template <class Out> void put_rect(Out& out, double x, double y, double w, double h) {
    for (double v : {x, y, w, h}) {
        put(out, v);
        out += ' ';
    }
    out += "re\n";
}

// `rg`/`RG` (fill/stroke) in RGB, or `k`/`K` in the output profile's CMYK under PDF/X.
template <class Out> void put_color(Out& out, const Color& c, bool stroke, const PrintColor* cmyk) {
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

// Glyph codes in a literal string (half the bytes of hex, so less to deflate); glyphs with no
// move between them share one string.
template <class Out> void put_code_bytes(Out& out, std::initializer_list<char> bytes) {
    auto plain = [](char b) { return b != '(' && b != ')' && b != '\\' && b != '\r' && b != '\n'; };
    if (std::all_of(bytes.begin(), bytes.end(), plain)) {
        out.append(bytes.begin(), bytes.size());
        return;
    }
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

// A glyph id's two code bytes; the escapes are put_code_bytes' (a byte of few ids needs one).
inline constexpr auto kEscapedInString = [] {
    std::array<bool, 256> t{};
    for (unsigned char c : {'(', ')', '\\', '\r', '\n'})
        t[c] = true;
    return t;
}();
inline void put_code_pair(Sink& out, uint32_t gid) {
    char hi = char(gid >> 8), lo = char(gid & 0xFF);
    if (!kEscapedInString[uint8_t(hi)] && !kEscapedInString[uint8_t(lo)]) {
        out += hi;
        out += lo;
    } else {
        put_code_bytes(out, {hi, lo});
    }
}

} // namespace imprenta::pdf::operands
