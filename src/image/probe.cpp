// Format sniffing and header-only size probes, plus the pixel budget every decoder obeys.
#include "image/codec.h"

#include <webp/decode.h>

#include <algorithm>
#include <cstring>

namespace imprenta::image {

const char* format_name(Format f) {
    switch (f) {
    case Format::Png:
        return "png";
    case Format::Jpeg:
        return "jpeg";
    case Format::Webp:
        return "webp";
    case Format::Gif:
        return "gif";
    case Format::Svg:
        return "svg";
    case Format::Unknown:
        break;
    }
    return "unknown";
}

namespace detail {

void check_budget(int64_t width, int64_t height) {
    if (width <= 0 || height <= 0)
        throw ImageError("image has no pixels (" + std::to_string(width) + "×" +
                         std::to_string(height) + ")");
    std::string size = std::to_string(width) + "×" + std::to_string(height) + " pixels";
    if (width * height > kMaxPixels)
        throw ImageError("image is " + size + ", over the " +
                         std::to_string(kMaxPixels / 1'000'000) + "-megapixel limit");
    if (width > kMaxDimension || height > kMaxDimension)
        throw ImageError("image is " + size + ", over the limit of " +
                         std::to_string(kMaxDimension) + " pixels a side");
}

bool Bitmap::opaque() const {
    // Whole pixels ANDed together a block at a time (which vectorises), not byte by byte.
    const size_t n = rgba.size() / 4;
    for (size_t start = 0; start < n; start += 4096) {
        uint32_t all = 0xFFFFFFFF;
        for (size_t i = start, end = std::min(n, start + 4096); i < end; ++i) {
            uint32_t px;
            std::memcpy(&px, &rgba[i * 4], 4);
            all &= px;
        }
        uint8_t bytes[4];
        std::memcpy(bytes, &all, 4);
        if (bytes[3] != 255) return false;
    }
    return true;
}

bool Bitmap::gray() const {
    for (size_t i = 0; i + 3 < rgba.size(); i += 4)
        if (rgba[i] != rgba[i + 1] || rgba[i] != rgba[i + 2]) return false;
    return true;
}

namespace {

uint32_t be32(const unsigned char* p) {
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}
unsigned be16(const unsigned char* p) {
    return unsigned(p[0]) << 8 | p[1];
}
unsigned le16(const unsigned char* p) {
    return unsigned(p[1]) << 8 | p[0];
}

const unsigned char* u(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

Info probe_png(std::string_view b) {
    // Signature (8) + IHDR length/type (8) + IHDR data (13) + CRC (4).
    if (b.size() < 33) throw ImageError("truncated PNG (no complete IHDR chunk)");
    const unsigned char* p = u(b);
    if (be32(p + 8) != 13 || std::memcmp(p + 12, "IHDR", 4) != 0)
        throw ImageError("corrupt PNG: the first chunk is not IHDR");
    Info info;
    info.format = Format::Png;
    uint32_t w = be32(p + 16), h = be32(p + 20);
    if (w == 0 || h == 0 || w > 0x7fffffffu || h > 0x7fffffffu)
        throw ImageError("corrupt PNG: invalid size " + std::to_string(w) + "×" +
                         std::to_string(h));
    int color_type = p[25];
    if (color_type != 0 && color_type != 2 && color_type != 3 && color_type != 4 && color_type != 6)
        throw ImageError("corrupt PNG: invalid colour type " + std::to_string(color_type));
    info.width = int(w);
    info.height = int(h);
    info.has_alpha = color_type == 4 || color_type == 6;
    // A tRNS chunk before the image data also means transparency.
    size_t pos = 33;
    while (!info.has_alpha && pos + 8 <= b.size()) {
        uint32_t len = be32(p + pos);
        if (std::memcmp(p + pos + 4, "tRNS", 4) == 0) info.has_alpha = true;
        if (std::memcmp(p + pos + 4, "IDAT", 4) == 0 || len > b.size()) break;
        pos += size_t(len) + 12;
    }
    return info;
}

Info probe_jpeg(std::string_view b) {
    const unsigned char* p = u(b);
    size_t pos = 2;
    while (true) {
        // Markers may be padded with any number of 0xFF bytes.
        if (pos >= b.size()) throw ImageError("truncated JPEG (no frame header)");
        if (p[pos] != 0xFF) throw ImageError("corrupt JPEG: expected a marker");
        while (pos < b.size() && p[pos] == 0xFF)
            ++pos;
        if (pos >= b.size()) throw ImageError("truncated JPEG (no frame header)");
        unsigned marker = p[pos++];
        if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) continue;
        if (marker == 0xD9 || marker == 0xDA) throw ImageError("corrupt JPEG: no frame header");
        if (pos + 2 > b.size()) throw ImageError("truncated JPEG (no frame header)");
        unsigned len = be16(p + pos);
        if (len < 2) throw ImageError("corrupt JPEG: bad segment length");
        bool sof =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (sof) {
            if (pos + 8 > b.size() || len < 8) throw ImageError("truncated JPEG (frame header)");
            Info info;
            info.format = Format::Jpeg;
            info.height = int(be16(p + pos + 3));
            info.width = int(be16(p + pos + 5));
            if (info.height == 0)
                throw ImageError("unsupported JPEG: height defined later (DNL marker)");
            if (info.width == 0) throw ImageError("corrupt JPEG: zero width");
            return info;
        }
        pos += len;
    }
}

Info probe_webp(std::string_view b) {
    WebPBitstreamFeatures f;
    VP8StatusCode st = WebPGetFeatures(u(b), b.size(), &f);
    if (st == VP8_STATUS_NOT_ENOUGH_DATA) throw ImageError("truncated WebP");
    if (st != VP8_STATUS_OK) throw ImageError("corrupt WebP (bad header)");
    Info info;
    info.format = Format::Webp;
    info.width = f.width;
    info.height = f.height;
    info.has_alpha = f.has_alpha != 0;
    info.animated = f.has_animation != 0;
    return info;
}

// Walks the GIF blocks up to the first image, for its graphic-control transparency flag.
Info probe_gif(std::string_view b) {
    if (b.size() < 13) throw ImageError("truncated GIF");
    const unsigned char* p = u(b);
    Info info;
    info.format = Format::Gif;
    info.width = int(le16(p + 6));
    info.height = int(le16(p + 8));
    size_t pos = 13;
    if (p[10] & 0x80) pos += size_t(3) << ((p[10] & 7) + 1);
    bool transparent = false;
    while (true) {
        if (pos >= b.size()) throw ImageError("truncated GIF (no image)");
        unsigned char block = p[pos++];
        if (block == 0x2C) { // image descriptor
            if (pos + 9 > b.size()) throw ImageError("truncated GIF (image descriptor)");
            int fx = int(le16(p + pos)), fy = int(le16(p + pos + 2));
            int fw = int(le16(p + pos + 4)), fh = int(le16(p + pos + 6));
            if (info.width == 0 || info.height == 0) { // some encoders leave the screen empty
                info.width = fx + fw;
                info.height = fy + fh;
            }
            // A frame that does not cover the screen leaves the rest transparent.
            bool covers = fx == 0 && fy == 0 && fw >= info.width && fh >= info.height;
            info.has_alpha = transparent || !covers;
            break;
        }
        if (block == 0x21) { // extension: label, then sub-blocks
            if (pos >= b.size()) throw ImageError("truncated GIF");
            unsigned char label = p[pos++];
            if (label == 0xF9 && pos + 5 <= b.size() && p[pos] >= 4) transparent = p[pos + 1] & 1;
            while (true) {
                if (pos >= b.size()) throw ImageError("truncated GIF");
                unsigned char n = p[pos++];
                if (n == 0) break;
                pos += n;
            }
            continue;
        }
        if (block == 0x3B) throw ImageError("corrupt GIF: no image");
        throw ImageError("corrupt GIF: unknown block");
    }
    if (info.width <= 0 || info.height <= 0) throw ImageError("corrupt GIF: zero size");
    return info;
}

} // namespace
} // namespace detail

Info probe(std::string_view bytes) {
    using namespace detail;
    auto starts = [&](std::string_view magic) { return bytes.substr(0, magic.size()) == magic; };
    Info info;
    if (starts("\x89PNG\r\n\x1a\n"))
        info = probe_png(bytes);
    else if (starts("\xFF\xD8\xFF"))
        info = probe_jpeg(bytes);
    else if (starts("RIFF") && bytes.size() >= 12 && bytes.substr(8, 4) == "WEBP")
        info = probe_webp(bytes);
    else if (starts("GIF87a") || starts("GIF89a"))
        info = probe_gif(bytes);
    else if (looks_like_svg(bytes))
        return probe_svg(bytes); // not rasterised: no pixel budget
    else if (bytes.empty())
        throw ImageError("empty file");
    else
        throw ImageError("not a PNG, JPEG, WebP, GIF or SVG image");
    check_budget(info.width, info.height);
    return info;
}

} // namespace imprenta::image
