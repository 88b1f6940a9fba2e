// The per-backend image policies: what passes through untouched, what gets scaled or transcoded,
// and the (de)serialisation of results for the cache.
#include "image/prepare.h"
#include "image/build.h"
#include "image/svg_raster.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/hash.h"

#include <algorithm>

namespace imprenta::image::detail {

namespace {

// Bump when any output for the same input and policy could change (codec settings, rules).
// 5: SVG sanitised with CSS escapes decoded and SVG 2 attributes rewritten (older entries may hold
// SVG the stricter check refuses); JPEG decoded at M/8. 6: EPUB pass-through drops metadata.
constexpr std::string_view kFormatVersion = "imprenta-image-6";

} // namespace

Source read_source(const std::filesystem::path& path) {
    Source src;
    try {
        src.bytes = util::read_file(path, size_t(256) << 20);
    } catch (const util::BuildError& e) {
        throw ImageError(e.what());
    }
    src.info = probe(src.bytes);
    return src;
}

std::string cache_key(std::string_view kind, std::string_view policy, std::string_view bytes) {
    util::Sha256 h;
    std::string head(kFormatVersion);
    head += '\0';
    head += kind;
    head += '\0';
    head += policy;
    head += '\0';
    h.update(head).update(bytes);
    auto d = h.digest();
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (uint8_t b : d) {
        out += hex[b >> 4];
        out += hex[b & 15];
    }
    return out;
}

std::string policy_string(const EpubPolicy& p) {
    return std::to_string(p.max_width) + "x" + std::to_string(p.max_height) + "q" +
           std::to_string(p.jpeg_quality);
}

std::string policy_string(const PdfPolicy& p) {
    return std::to_string(p.max_width) + "x" + std::to_string(p.max_height) + "q" +
           std::to_string(p.jpeg_quality) + (p.raw ? "raw" : "");
}

namespace {

// --- serialisation: tag, then length-prefixed fields (little-endian u64) ---

void put_u64(std::string& out, uint64_t v) {
    for (int i = 0; i < 8; ++i)
        out += char((v >> (8 * i)) & 0xFF);
}
void put_str(std::string& out, std::string_view s) {
    put_u64(out, s.size());
    out += s;
}

struct ReadBuf {
    std::string_view data;
    bool ok = true;
    uint64_t u64() {
        if (data.size() < 8) {
            ok = false;
            return 0;
        }
        uint64_t v = 0;
        for (int i = 0; i < 8; ++i)
            v |= uint64_t(uint8_t(data[size_t(i)])) << (8 * i);
        data.remove_prefix(8);
        return v;
    }
    std::string_view str() {
        uint64_t n = u64();
        if (!ok || n > data.size()) {
            ok = false;
            return {};
        }
        std::string_view s = data.substr(0, n);
        data.remove_prefix(n);
        return s;
    }
    int dim() {
        uint64_t v = u64();
        if (v > uint64_t(kMaxDimension) * 64) ok = false;
        return int(v);
    }
};

} // namespace

std::string serialise(const EpubImage& img) {
    std::string out = "EPUBIMG1";
    put_str(out, img.media_type);
    put_str(out, img.extension);
    put_u64(out, uint64_t(img.width));
    put_u64(out, uint64_t(img.height));
    put_str(out, img.bytes);
    return out;
}

bool deserialise(std::string_view data, EpubImage& img) {
    if (data.substr(0, 8) != "EPUBIMG1") return false;
    ReadBuf r{data.substr(8)};
    img.media_type = r.str();
    img.extension = r.str();
    img.width = r.dim();
    img.height = r.dim();
    img.bytes = r.str();
    return r.ok && r.data.empty() && !img.bytes.empty();
}

std::string serialise(const PdfImage& img) {
    std::string out = "PDFIMG02";
    put_u64(out, uint64_t(img.kind));
    put_u64(out, uint64_t(img.components));
    put_u64(out, uint64_t(img.width));
    put_u64(out, uint64_t(img.height));
    put_str(out, img.data);
    put_str(out,
            std::string_view(reinterpret_cast<const char*>(img.pixels.data()), img.pixels.size()));
    put_str(out,
            std::string_view(reinterpret_cast<const char*>(img.alpha.data()), img.alpha.size()));
    return out;
}

bool deserialise(std::string_view data, PdfImage& img) {
    if (data.substr(0, 8) != "PDFIMG02") return false;
    ReadBuf r{data.substr(8)};
    uint64_t kind = r.u64();
    if (kind > uint64_t(PdfImage::Kind::Raw)) return false;
    img.kind = PdfImage::Kind(kind);
    img.components = int(r.u64() & 0xF);
    img.width = r.dim();
    img.height = r.dim();
    img.data = r.str();
    std::string_view px = r.str(), alpha = r.str();
    img.pixels.assign(px.begin(), px.end());
    img.alpha.assign(alpha.begin(), alpha.end());
    if (!r.ok || !r.data.empty() || img.width <= 0 || img.height <= 0) return false;
    size_t n = size_t(img.width) * size_t(img.height);
    if (img.kind == PdfImage::Kind::Jpeg)
        return !img.data.empty() && img.pixels.empty() && img.alpha.empty() &&
               (img.components == 1 || img.components == 3 || img.components == 4);
    if (img.kind == PdfImage::Kind::Png)
        return !img.data.empty() && img.pixels.empty() && img.alpha.empty() &&
               (img.components == 1 || img.components == 3);
    return (img.components == 1 || img.components == 3) &&
           img.pixels.size() == n * size_t(img.components) &&
           (img.alpha.empty() || img.alpha.size() == n);
}

namespace {

// --- decisions ---

// The source's pixels at the decoder scale these hints give: decoded on first use, then shared.
const Bitmap& decoded(Source& src, int hint_w, int hint_h) {
    const Info& info = src.info;
    int scale = info.format == Format::Jpeg
                    ? jpeg_scale_eighths(info.width, info.height, hint_w, hint_h)
                    : 8;
    auto it = src.decoded.find(scale);
    if (it == src.decoded.end())
        it = src.decoded.emplace(scale, decode(src.bytes, info.format, hint_w, hint_h)).first;
    return it->second;
}

// Decodes, bakes in the EXIF orientation and scales to fit max_w×max_h (0 = no limit).
Bitmap load_fitted(Source& src, int orientation, int max_w, int max_h) {
    const Info& info = src.info;
    bool swap = orientation >= 5;
    int dw = swap ? info.height : info.width, dh = swap ? info.width : info.height;
    Size target = fit_within(dw, dh, max_w, max_h);
    // The decoder's size hint is in stored (unrotated) orientation.
    int hint_w = swap ? target.height : target.width, hint_h = swap ? target.width : target.height;
    const Bitmap& full = decoded(src, hint_w, hint_h);
    if (orientation > 1) {
        Bitmap bm = apply_orientation(full, orientation);
        target = fit_within(bm.width, bm.height, max_w, max_h);
        return scale_down(bm, target.width, target.height);
    }
    target = fit_within(full.width, full.height, max_w, max_h);
    return scale_down(full, target.width, target.height);
}

// A file must be proven whole before we ship its bytes untouched. A PNG that png_is_whole()
// accepts is (only unfiltering is skipped, and that cannot fail); anything else is decoded, which
// either accepts what libpng tolerates or throws its message. The size hint keeps JPEG
// validation cheap (entropy decoding still covers every byte).
void validate(std::string_view bytes, const Info& info) {
    if (info.format == Format::Png && png_is_whole(bytes)) {
        check_budget(info.width, info.height);
        return;
    }
    (void)decode(bytes, info.format, std::max(1, info.width / 8), std::max(1, info.height / 8));
}

// Whether an opaque image from a lossless source is a photograph (better as JPEG) or graphics
// (better lossless): a quick PNG of a photograph is several times its JPEG (about 8× on the
// banners), while charts, diagrams and screenshots come out at 0.5–2×.
bool photographic(const Bitmap& bm, const std::string& jpeg) {
    return encode_png(bm, 1).size() > jpeg.size() * 4;
}

bool fits(const Info& info, int orientation, int max_w, int max_h) {
    bool swap = orientation >= 5;
    int w = swap ? info.height : info.width, h = swap ? info.width : info.height;
    return (max_w <= 0 || w <= max_w) && (max_h <= 0 || h <= max_h);
}

EpubImage epub_from_bitmap(const Bitmap& bm, bool lossy_source, int quality) {
    EpubImage out;
    out.width = bm.width;
    out.height = bm.height;
    if (!bm.opaque()) {
        out.bytes = encode_png(bm);
    } else if (lossy_source) {
        out.bytes = encode_jpeg(bm, quality);
    } else {
        std::string jpeg = encode_jpeg(bm, quality);
        out.bytes = photographic(bm, jpeg) ? std::move(jpeg) : encode_png(bm);
    }
    bool is_png = out.bytes.size() > 4 && out.bytes[1] == 'P' && out.bytes[2] == 'N';
    out.media_type = is_png ? "image/png" : "image/jpeg";
    out.extension = is_png ? "png" : "jpg";
    return out;
}

} // namespace

EpubImage build_epub(Source& src, const EpubPolicy& policy) {
    std::string_view bytes = src.bytes;
    const Info& info = src.info;
    if (info.format == Format::Svg) {
        EpubImage out;
        out.bytes = sanitize_svg(bytes);
        out.media_type = "image/svg+xml";
        out.extension = "svg";
        out.width = info.width;
        out.height = info.height;
        return out;
    }
    int orientation = 1;
    bool passable = info.format == Format::Png || info.format == Format::Gif;
    if (info.format == Format::Jpeg) {
        JpegDetails d = jpeg_details(bytes);
        orientation = d.orientation;
        // Reading systems handle plain 8-bit Huffman JPEG (gray or YCbCr); CMYK, arithmetic
        // coding and EXIF rotation are not safe bets.
        passable = d.precision == 8 && d.baseline_or_progressive_huffman &&
                   (d.components == 1 || d.components == 3) && orientation == 1;
    }
    if (passable && fits(info, orientation, policy.max_width, policy.max_height)) {
        validate(bytes, info);
        EpubImage out;
        // Pixels as they are; what only describes the file (camera, GPS, software, dates) is
        // dropped on the way.
        out.bytes = info.format == Format::Png    ? png_without_metadata(bytes)
                    : info.format == Format::Jpeg ? jpeg_without_metadata(bytes)
                                                  : std::string(bytes);
        out.width = info.width;
        out.height = info.height;
        switch (info.format) {
        case Format::Png:
            out.media_type = "image/png";
            out.extension = "png";
            break;
        case Format::Gif:
            out.media_type = "image/gif";
            out.extension = "gif";
            break;
        default:
            out.media_type = "image/jpeg";
            out.extension = "jpg";
            break;
        }
        return out;
    }
    Bitmap bm = load_fitted(src, orientation, policy.max_width, policy.max_height);
    if (info.format == Format::Gif) { // GIF art (and animations' first frames) stays lossless
        EpubImage out;
        out.bytes = encode_png(bm);
        out.media_type = "image/png";
        out.extension = "png";
        out.width = bm.width;
        out.height = bm.height;
        return out;
    }
    bool lossy = info.format == Format::Jpeg || info.format == Format::Webp;
    return epub_from_bitmap(bm, lossy, policy.jpeg_quality);
}

namespace {

PdfImage raw_from_bitmap(const Bitmap& bm) {
    PdfImage out;
    out.kind = PdfImage::Kind::Raw;
    out.width = bm.width;
    out.height = bm.height;
    bool gray = bm.gray();
    out.components = gray ? 1 : 3;
    size_t n = size_t(bm.width) * bm.height;
    out.pixels.resize(n * size_t(out.components));
    for (size_t i = 0; i < n; ++i) {
        const uint8_t* p = &bm.rgba[i * 4];
        if (gray) {
            out.pixels[i] = p[0];
        } else {
            out.pixels[i * 3] = p[0];
            out.pixels[i * 3 + 1] = p[1];
            out.pixels[i * 3 + 2] = p[2];
        }
    }
    if (!bm.opaque()) {
        out.alpha.resize(n);
        for (size_t i = 0; i < n; ++i)
            out.alpha[i] = bm.rgba[i * 4 + 3];
    }
    return out;
}

PdfImage jpeg_from_bitmap(const Bitmap& bm, int quality) {
    PdfImage out;
    out.kind = PdfImage::Kind::Jpeg;
    out.data = encode_jpeg(bm, quality);
    out.components = bm.gray() ? 1 : 3;
    out.width = bm.width;
    out.height = bm.height;
    return out;
}

} // namespace

PdfImage build_pdf(Source& src, const PdfPolicy& policy) {
    std::string_view bytes = src.bytes;
    const Info& info = src.info;
    if (info.format == Format::Svg) // vector art: rendered straight at the print size
        return raw_from_bitmap(rasterize_svg(bytes, policy.max_width, policy.max_height));
    int orientation = 1;
    // An opaque 8-bit PNG that fits keeps its own compressed rows (PNG predictors in the PDF).
    PngLayout png;
    if (!policy.raw && info.format == Format::Png &&
        !info.has_alpha && // with alpha it is decoded anyway
        fits(info, orientation, policy.max_width, policy.max_height) && png_is_whole(bytes, &png) &&
        png.depth == 8 && (png.color_type == 0 || png.color_type == 2) && !png.interlaced &&
        !png.transparency) {
        check_budget(png.width, png.height);
        PdfImage out;
        out.kind = PdfImage::Kind::Png;
        out.data = std::move(png.zlib);
        out.components = png.color_type == 2 ? 3 : 1;
        out.width = int(png.width);
        out.height = int(png.height);
        return out;
    }
    if (info.format == Format::Jpeg) {
        JpegDetails d = jpeg_details(bytes);
        orientation = d.orientation;
        // Every PDF reader decodes 8-bit Huffman DCT in gray or YCbCr; CMYK would need a Decode
        // array that depends on who wrote the file, so it goes through RGB instead. libharu's
        // own header walk cannot skip 0xFF fill bytes between markers.
        bool passable = d.precision == 8 && d.baseline_or_progressive_huffman &&
                        (d.components == 1 || d.components == 3) && orientation == 1 &&
                        !d.padded_markers;
        if (passable && !policy.raw &&
            fits(info, orientation, policy.max_width, policy.max_height)) {
            validate(bytes, info);
            PdfImage out;
            out.kind = PdfImage::Kind::Jpeg;
            out.data = std::string(bytes);
            out.components = d.components;
            out.width = info.width;
            out.height = info.height;
            return out;
        }
    }
    bool large = !fits(info, orientation, policy.max_width, policy.max_height);
    Bitmap bm = load_fitted(src, orientation, policy.max_width, policy.max_height);
    if (!bm.opaque() || policy.raw) return raw_from_bitmap(bm);
    if (info.format == Format::Jpeg || info.format == Format::Webp)
        return jpeg_from_bitmap(bm, policy.jpeg_quality);
    // Opaque PNG/GIF: graphics stay lossless; a large photograph saved as PNG becomes DCT.
    if (large) {
        std::string jpeg = encode_jpeg(bm, policy.jpeg_quality);
        if (photographic(bm, jpeg)) {
            PdfImage out;
            out.kind = PdfImage::Kind::Jpeg;
            out.data = std::move(jpeg);
            out.components = bm.gray() ? 1 : 3;
            out.width = bm.width;
            out.height = bm.height;
            return out;
        }
    }
    return raw_from_bitmap(bm);
}

} // namespace imprenta::image::detail

namespace imprenta::image {

EpubImage prepare_for_epub(const std::filesystem::path& source, const EpubPolicy& policy,
                           const Cache* cache) {
    EpubImage img;
    std::string data;
    std::string policy_text = detail::policy_string(policy);
    if (cache && cache->made("epub", policy_text, source, data) && detail::deserialise(data, img))
        return img;
    detail::Source src = detail::read_source(source);
    std::string key;
    if (cache && !cache->dir().empty()) { // without a disk cache, no hashing either
        key = detail::cache_key("epub", policy_text, src.bytes);
        if (cache->get(key, data) && detail::deserialise(data, img)) return img;
    }
    img = detail::build_epub(src, policy);
    if (!key.empty()) cache->put(key, detail::serialise(img));
    return img;
}

PdfImage prepare_for_pdf(const std::filesystem::path& source, const PdfPolicy& policy,
                         const Cache* cache) {
    PdfImage img;
    std::string data;
    std::string policy_text = detail::policy_string(policy);
    if (cache && cache->made("pdf", policy_text, source, data) && detail::deserialise(data, img))
        return img;
    detail::Source src = detail::read_source(source);
    std::string key;
    if (cache && !cache->dir().empty()) { // without a disk cache, no hashing either
        key = detail::cache_key("pdf", policy_text, src.bytes);
        if (cache->get(key, data) && detail::deserialise(data, img)) return img;
    }
    img = detail::build_pdf(src, policy);
    if (!key.empty()) cache->put(key, detail::serialise(img));
    return img;
}

PdfImage pdf_image_from_png(std::string_view png) {
    return detail::raw_from_bitmap(detail::decode_png(png));
}

} // namespace imprenta::image
