// Geometry: fitting a size into a box, area-average downscaling with premultiplied alpha (exact
// integers, so every machine gets the same bytes) and EXIF orientation.
#include "image/codec.h"

#include <algorithm>

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

// Output pixel x covers source span [x*sw, (x+1)*sw) and source pixel i covers [i*dw, (i+1)*dw),
// both in units of 1/dw source pixels, so overlaps (the weights) are integers that sum to sw.
Bitmap scale_down(const Bitmap& src, int dw, int dh) {
    const int sw = src.width, sh = src.height;
    if (dw >= sw && dh >= sh) return src;
    dw = std::clamp(dw, 1, sw);
    dh = std::clamp(dh, 1, sh);

    struct Tap {
        int first;               // first source pixel
        std::vector<uint32_t> w; // weights of first, first+1, ...
    };
    auto taps = [](int s, int d) {
        std::vector<Tap> out(static_cast<size_t>(d));
        for (int o = 0; o < d; ++o) {
            int64_t lo = int64_t(o) * s, hi = int64_t(o + 1) * s;
            int first = int(lo / d), last = int((hi - 1) / d);
            Tap& t = out[size_t(o)];
            t.first = first;
            for (int i = first; i <= last; ++i) {
                int64_t a = std::max(lo, int64_t(i) * d), b = std::min(hi, int64_t(i + 1) * d);
                t.w.push_back(uint32_t(b - a));
            }
        }
        return out;
    };
    const std::vector<Tap> tx = taps(sw, dw), ty = taps(sh, dh);

    // Premultiplied channels: colour c*a and alpha a*255, both 0..65025.
    std::vector<uint64_t> row(size_t(dw) * 4); // one source row, scaled horizontally
    std::vector<uint64_t> acc(size_t(dw) * 4); // the output row being accumulated
    Bitmap out;
    out.width = dw;
    out.height = dh;
    out.rgba.resize(size_t(dw) * dh * 4);
    const uint64_t area = uint64_t(sw) * uint64_t(sh);

    auto emit = [&](int y) {
        uint8_t* o = &out.rgba[size_t(y) * dw * 4];
        for (int x = 0; x < dw; ++x) {
            const uint64_t* a = &acc[size_t(x) * 4];
            uint64_t alpha = a[3]; // sum of a*255*weight; / area gives a*255
            uint8_t a8 = uint8_t((alpha + area * 255 / 2) / (area * 255));
            o[x * 4 + 3] = a8;
            for (int c = 0; c < 3; ++c) {
                // c = (sum c*a) / (sum a) in 0..255, rounded.
                uint64_t v = alpha ? (a[c] * 255 * 2 + alpha) / (alpha * 2) : 0;
                o[x * 4 + c] = uint8_t(std::min<uint64_t>(v, 255));
            }
        }
    };

    int oy = 0;
    for (int sy = 0; sy < sh; ++sy) {
        const uint8_t* s = &src.rgba[size_t(sy) * sw * 4];
        for (int x = 0; x < dw; ++x) {
            uint64_t r = 0, g = 0, b = 0, a = 0;
            const Tap& t = tx[size_t(x)];
            for (size_t k = 0; k < t.w.size(); ++k) {
                const uint8_t* p = s + size_t(t.first + int(k)) * 4;
                uint64_t w = t.w[k], pa = p[3];
                r += w * p[0] * pa;
                g += w * p[1] * pa;
                b += w * p[2] * pa;
                a += w * pa * 255;
            }
            uint64_t* d = &row[size_t(x) * 4];
            d[0] = r;
            d[1] = g;
            d[2] = b;
            d[3] = a;
        }
        // This source row feeds output row oy, and maybe oy+1 when it straddles the boundary.
        while (oy < dh) {
            const Tap& t = ty[size_t(oy)];
            if (sy < t.first || sy >= t.first + int(t.w.size())) break;
            uint64_t w = t.w[size_t(sy - t.first)];
            for (size_t i = 0; i < row.size(); ++i)
                acc[i] += w * row[i];
            if (sy == t.first + int(t.w.size()) - 1) {
                emit(oy);
                std::fill(acc.begin(), acc.end(), 0);
                ++oy;
                continue; // the same source row may start the next output row
            }
            break;
        }
    }
    return out;
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
