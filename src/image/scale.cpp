// Geometry: fitting a size into a box, area-average downscaling with premultiplied alpha (exact
// integers, so every machine gets the same bytes) and EXIF orientation.
#include "image/codec.h"

#include <algorithm>
#include <cstdint>

namespace imprenta::image::detail {

Size fit_within(int width, int height, int max_w, int max_h) {
    if (max_w <= 0 || max_h <= 0 || (width <= max_w && height <= max_h)) return {width, height};
    // Limited by whichever side overflows more; round the other side to nearest.
    if (int64_t(width) * max_h >= int64_t(height) * max_w) {
        int h = int((int64_t(height) * max_w * 2 + width) / (int64_t(width) * 2));
        return {max_w, std::max(1, h)};
    }
    int w = int((int64_t(width) * max_h * 2 + height) / (int64_t(height) * 2));
    return {std::max(1, w), max_h};
}

namespace {

// Output pixel o covers source span [o*s, (o+1)*s) and source pixel i covers [i*d, (i+1)*d),
// both in units of 1/d source pixels, so overlaps (the weights) are integers that sum to s.
// Every output has the same number of taps `n` (zero weights pad the short ones, and a tap
// window is moved left where it would run past the edge), so the inner loops have a fixed
// length: weights of output o are weight[o*n .. o*n+n), from source pixel first[o].
// (The vertical pass goes by the true spans, from[o]..to[o].)
struct Taps {
    int n = 0;
    std::vector<int> first, from, to;
    std::vector<uint32_t> weight;
};

Taps make_taps(int s, int d) {
    Taps t;
    for (int o = 0; o < d; ++o) {
        int64_t lo = int64_t(o) * s, hi = int64_t(o + 1) * s;
        t.n = std::max(t.n, int((hi - 1) / d - lo / d + 1));
    }
    t.first.resize(size_t(d));
    t.from.resize(size_t(d));
    t.to.resize(size_t(d));
    t.weight.assign(size_t(d) * size_t(t.n), 0);
    for (int o = 0; o < d; ++o) {
        int64_t lo = int64_t(o) * s, hi = int64_t(o + 1) * s;
        int first = int(lo / d), last = int((hi - 1) / d);
        int start = std::min(first, s - t.n);
        t.first[size_t(o)] = start;
        t.from[size_t(o)] = first;
        t.to[size_t(o)] = last;
        for (int i = first; i <= last; ++i) {
            int64_t a = std::max(lo, int64_t(i) * d), b = std::min(hi, int64_t(i + 1) * d);
            t.weight[size_t(o) * size_t(t.n) + size_t(i - start)] = uint32_t(b - a);
        }
    }
    return t;
}

// floor(n / d) for every n < 2^40 by one multiply and shift (Granlund and Montgomery's
// round-up method: m = ceil(2^(40+L) / d) with 2^L >= d), exact, so no division per channel.
struct Divider {
    unsigned __int128 m = 0;
    int shift = 0;
    explicit Divider(uint64_t d) {
        int l = 0;
        while (l < 63 && (uint64_t(1) << l) < d)
            ++l;
        shift = 40 + l;
        m = ((unsigned __int128)1 << shift) / d + 1;
    }
    uint64_t operator()(uint64_t n) const { return uint64_t((n * m) >> shift); }
};

// Runs the separable filter: for each source row, `horizontal(sy, row)` fills one row of dw
// accumulators (C per pixel), each output row sums its source rows times their weights, and
// `emit(oy, acc)` turns the sums into bytes. Acc is the accumulator type.
template <typename Acc, int C, typename H, typename E>
void separable(int sh, int dh, int dw, const Taps& ty, H&& horizontal, E&& emit) {
    std::vector<Acc> row(size_t(dw) * C), acc(size_t(dw) * C, 0);
    int oy = 0;
    for (int sy = 0; sy < sh && oy < dh; ++sy) {
        horizontal(sy, row.data());
        // This source row feeds output row oy, and maybe oy+1 when it straddles the boundary.
        while (oy < dh) {
            const size_t o = size_t(oy);
            if (sy < ty.from[o] || sy > ty.to[o]) break;
            const Acc w = Acc(ty.weight[o * size_t(ty.n) + size_t(sy - ty.first[o])]);
            Acc* a = acc.data();
            const Acc* r = row.data();
            for (size_t i = 0, n = row.size(); i < n; ++i)
                a[i] += w * r[i];
            if (sy != ty.to[o]) break;
            emit(oy, acc.data());
            std::fill(acc.begin(), acc.end(), 0);
            ++oy; // the same source row may start the next output row
        }
    }
}

// One opaque source row through the horizontal taps, N of them per output (0: tx.n).
template <typename Acc, int N>
void horizontal_opaque(const uint8_t* s, int dw, const Taps& tx, Acc* row) {
    const int n = N > 0 ? N : tx.n;
    for (int x = 0; x < dw; ++x) {
        Acc r = 0, g = 0, b = 0;
        const uint8_t* p = s + size_t(tx.first[size_t(x)]) * 4;
        const uint32_t* w = &tx.weight[size_t(x) * size_t(n)];
        for (int k = 0; k < n; ++k, p += 4) {
            r += Acc(w[k]) * p[0];
            g += Acc(w[k]) * p[1];
            b += Acc(w[k]) * p[2];
        }
        row[x * 3] = r;
        row[x * 3 + 1] = g;
        row[x * 3 + 2] = b;
    }
}

// Opaque images: plain channel sums S, output round(S / area). S <= 255 * area, so when that
// fits in 32 bits (every size up to about 4096x4096) the sums are 32-bit, which the compiler
// vectorises; the result is the same as the premultiplied path's for alpha = 255.
template <typename Acc>
Bitmap scale_opaque(const Bitmap& src, int dw, int dh, const Taps& tx, const Taps& ty) {
    const int sw = src.width;
    Bitmap out;
    out.width = dw;
    out.height = dh;
    out.rgba.resize(size_t(dw) * dh * 4);
    const uint64_t area = uint64_t(sw) * uint64_t(src.height);
    const Divider divide(area * 2);
    auto horizontal = [&](int sy, Acc* row) {
        const uint8_t* s = &src.rgba[size_t(sy) * sw * 4];
        switch (tx.n) {
        case 1:
            return horizontal_opaque<Acc, 1>(s, dw, tx, row);
        case 2:
            return horizontal_opaque<Acc, 2>(s, dw, tx, row);
        case 3:
            return horizontal_opaque<Acc, 3>(s, dw, tx, row);
        case 4:
            return horizontal_opaque<Acc, 4>(s, dw, tx, row);
        default:
            return horizontal_opaque<Acc, 0>(s, dw, tx, row);
        }
    };
    auto emit = [&](int y, const Acc* acc) {
        uint8_t* o = &out.rgba[size_t(y) * dw * 4];
        for (int x = 0; x < dw; ++x) {
            for (int c = 0; c < 3; ++c)
                o[x * 4 + c] = uint8_t(divide(uint64_t(acc[x * 3 + c]) * 2 + area));
            o[x * 4 + 3] = 255;
        }
    };
    separable<Acc, 3>(src.height, dh, dw, ty, horizontal, emit);
    return out;
}

// With alpha: premultiplied channels, colour c*a and alpha a*255, both 0..65025, in 64 bits.
Bitmap scale_alpha(const Bitmap& src, int dw, int dh, const Taps& tx, const Taps& ty) {
    const int sw = src.width;
    Bitmap out;
    out.width = dw;
    out.height = dh;
    out.rgba.resize(size_t(dw) * dh * 4);
    const uint64_t area = uint64_t(sw) * uint64_t(src.height);
    auto horizontal = [&](int sy, uint64_t* row) {
        const uint8_t* s = &src.rgba[size_t(sy) * sw * 4];
        for (int x = 0; x < dw; ++x) {
            uint64_t r = 0, g = 0, b = 0, a = 0;
            const uint8_t* p = s + size_t(tx.first[size_t(x)]) * 4;
            const uint32_t* wt = &tx.weight[size_t(x) * size_t(tx.n)];
            for (int k = 0; k < tx.n; ++k, p += 4) {
                uint64_t w = wt[k], pa = p[3];
                r += w * p[0] * pa;
                g += w * p[1] * pa;
                b += w * p[2] * pa;
                a += w * pa * 255;
            }
            uint64_t* d = row + size_t(x) * 4;
            d[0] = r;
            d[1] = g;
            d[2] = b;
            d[3] = a;
        }
    };
    auto emit = [&](int y, const uint64_t* acc) {
        uint8_t* o = &out.rgba[size_t(y) * dw * 4];
        for (int x = 0; x < dw; ++x) {
            const uint64_t* a = acc + size_t(x) * 4;
            uint64_t alpha = a[3]; // sum of a*255*weight; / area gives a*255
            o[x * 4 + 3] = uint8_t((alpha + area * 255 / 2) / (area * 255));
            for (int c = 0; c < 3; ++c) {
                // c = (sum c*a) / (sum a) in 0..255, rounded.
                uint64_t v = alpha ? (a[c] * 255 * 2 + alpha) / (alpha * 2) : 0;
                o[x * 4 + c] = uint8_t(std::min<uint64_t>(v, 255));
            }
        }
    };
    separable<uint64_t, 4>(src.height, dh, dw, ty, horizontal, emit);
    return out;
}

} // namespace

// Area-average downscale; exact integer arithmetic, so every machine gets the same bytes.
Bitmap scale_down(const Bitmap& src, int dw, int dh) {
    const int sw = src.width, sh = src.height;
    if (dw >= sw && dh >= sh) return src;
    dw = std::clamp(dw, 1, sw);
    dh = std::clamp(dh, 1, sh);
    const Taps tx = make_taps(sw, dw), ty = make_taps(sh, dh);
    if (!src.opaque()) return scale_alpha(src, dw, dh, tx, ty);
    // (Divider's operand, 2 * sum + area, stays under 511 * 50 megapixels < 2^40.)
    if (uint64_t(sw) * uint64_t(sh) * 255 <= UINT32_MAX)
        return scale_opaque<uint32_t>(src, dw, dh, tx, ty);
    return scale_opaque<uint64_t>(src, dw, dh, tx, ty);
}

Bitmap apply_orientation(Bitmap bm, int orientation) {
    if (orientation <= 1 || orientation > 8) return bm;
    const int w = bm.width, h = bm.height;
    const bool swap = orientation >= 5;
    Bitmap out;
    out.width = swap ? h : w;
    out.height = swap ? w : h;
    out.rgba.resize(bm.rgba.size());
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            int nx = x, ny = y;
            switch (orientation) {
            case 2:
                nx = w - 1 - x;
                break;
            case 3:
                nx = w - 1 - x;
                ny = h - 1 - y;
                break;
            case 4:
                ny = h - 1 - y;
                break;
            case 5:
                nx = y;
                ny = x;
                break;
            case 6:
                nx = h - 1 - y;
                ny = x;
                break;
            case 7:
                nx = h - 1 - y;
                ny = w - 1 - x;
                break;
            case 8:
                nx = y;
                ny = w - 1 - x;
                break;
            }
            std::copy_n(&bm.rgba[(size_t(y) * w + x) * 4], 4,
                        &out.rgba[(size_t(ny) * out.width + nx) * 4]);
        }
    }
    return out;
}

Bitmap decode(std::string_view bytes, Format format, int min_w, int min_h) {
    switch (format) {
    case Format::Png:
        return decode_png(bytes);
    case Format::Jpeg:
        return decode_jpeg(bytes, min_w, min_h);
    case Format::Webp:
        return decode_webp(bytes);
    case Format::Gif:
        return decode_gif(bytes);
    case Format::Svg:
        throw ImageError("SVG images cannot be rasterised");
    case Format::Unknown:
        break;
    }
    throw ImageError("unknown image format");
}

} // namespace imprenta::image::detail
