// Image fixtures built in code: a photograph-like bitmap and the raw PNG chunks and JPEG
// segments tests splice into encoded files (metadata to strip, markers to keep).
#pragma once

#include "image/codec.h"
#include "util/deflate.h"

#include <cstdint>
#include <random>
#include <string>

namespace testing_support {

// Gradients plus seeded noise, so codecs and the scaler do real work.
inline imprenta::image::detail::Bitmap textured(int w, int h, unsigned seed, bool alpha = false) {
    imprenta::image::detail::Bitmap bm;
    bm.width = w;
    bm.height = h;
    bm.rgba.resize(size_t(w) * h * 4);
    std::mt19937 rng(seed);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            uint8_t* p = &bm.rgba[(size_t(y) * w + x) * 4];
            p[0] = uint8_t(x * 255 / w + rng() % 24);
            p[1] = uint8_t(y * 255 / h + rng() % 24);
            p[2] = uint8_t((x + y) % 256);
            p[3] = alpha ? uint8_t(rng() % 256) : 255;
        }
    return bm;
}

inline std::string be32(uint32_t v) {
    return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

// A PNG chunk: length, type, data and the CRC over type and data.
inline std::string png_chunk(const std::string& type, const std::string& data) {
    std::string body = type + data;
    return be32(uint32_t(data.size())) + body + be32(imprenta::util::crc32(body));
}

// A JPEG marker segment: FF, marker, a 16-bit length that counts itself, the payload.
inline std::string jpeg_segment(unsigned char marker, const std::string& payload) {
    size_t len = payload.size() + 2;
    return std::string{char(0xFF), char(marker), char(len >> 8), char(len & 0xFF)} + payload;
}

} // namespace testing_support
