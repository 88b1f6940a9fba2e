// JPEG through libjpeg-turbo: decoding (baseline, progressive, gray, CMYK/YCCK incl. Adobe's
// inverted CMYK) to RGBA, a deterministic encoder, and a marker walk for PDF pass-through
// decisions. libjpeg reports errors by longjmp; see png_codec.cpp for the frame discipline.
#include "image/codec.h"

#include <cstdio> // jpeglib.h needs FILE
#include <jerror.h>
#include <jpeglib.h>

#include <csetjmp>
#include <cstring>

namespace imprenta::image::detail {
namespace {

struct ErrorMgr {
    jpeg_error_mgr pub;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX] = "";
    bool truncated = false;
};

void on_error(j_common_ptr cinfo) {
    auto* e = reinterpret_cast<ErrorMgr*>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, e->message);
    std::longjmp(e->jump, 1);
}

// Warnings are mostly harmless (stray bytes before a marker), but running out of data means a
// truncated file whose missing part libjpeg would silently paint grey.
void on_message(j_common_ptr cinfo, int level) {
    auto* e = reinterpret_cast<ErrorMgr*>(cinfo->err);
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        e->truncated = true;
        std::snprintf(e->message, sizeof e->message, "truncated JPEG");
        std::longjmp(e->jump, 1);
    }
}

// A progressive JPEG may hold thousands of tiny scans that take minutes to decode (a known
// denial of service); real encoders write about ten.
constexpr int kMaxScans = 500;

void on_progress(j_common_ptr cinfo) {
    if (!cinfo->is_decompressor) return;
    auto* d = reinterpret_cast<j_decompress_ptr>(cinfo);
    if (d->input_scan_number > kMaxScans) {
        auto* e = reinterpret_cast<ErrorMgr*>(cinfo->err);
        std::snprintf(e->message, sizeof e->message, "more than %d progressive scans", kMaxScans);
        std::longjmp(e->jump, 1);
    }
}

struct Decompress {
    jpeg_decompress_struct c;
    jpeg_progress_mgr progress{};
    bool created = false;
    ~Decompress() {
        if (created) jpeg_destroy_decompress(&c);
    }
};

struct Compress {
    jpeg_compress_struct c;
    bool created = false;
    ~Compress() {
        if (created) jpeg_destroy_compress(&c);
    }
};

std::string describe(const ErrorMgr& e) {
    if (e.truncated) return "truncated JPEG";
    if (std::strncmp(e.message, "Unsupported", 11) == 0)
        return std::string("unsupported JPEG: ") + e.message;
    return std::string("corrupt JPEG: ") + e.message;
}

unsigned be16(const unsigned char* p) {
    return unsigned(p[0]) << 8 | p[1];
}

// The orientation tag (0x0112) of an APP1 Exif segment, or 1.
int exif_orientation(const unsigned char* p, size_t n) {
    if (n < 14 || std::memcmp(p, "Exif\0\0", 6) != 0) return 1;
    p += 6;
    n -= 6;
    bool le = p[0] == 'I' && p[1] == 'I';
    if (!le && !(p[0] == 'M' && p[1] == 'M')) return 1;
    auto rd16 = [&](size_t off) -> unsigned {
        return le ? unsigned(p[off]) | unsigned(p[off + 1]) << 8 : be16(p + off);
    };
    auto rd32 = [&](size_t off) -> uint32_t {
        return le ? uint32_t(rd16(off)) | uint32_t(rd16(off + 2)) << 16
                  : uint32_t(rd16(off)) << 16 | rd16(off + 2);
    };
    uint32_t ifd = rd32(4);
    if (size_t(ifd) + 2 > n) return 1;
    unsigned count = rd16(ifd);
    for (unsigned i = 0; i < count; ++i) {
        size_t e = size_t(ifd) + 2 + size_t(i) * 12;
        if (e + 12 > n) return 1;
        if (rd16(e) == 0x0112) {
            unsigned v = rd16(e + 8);
            return v >= 1 && v <= 8 ? int(v) : 1;
        }
    }
    return 1;
}

} // namespace

JpegDetails jpeg_details(std::string_view bytes) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    size_t n = bytes.size(), pos = 2;
    JpegDetails d;
    bool have_sof = false;
    if (n < 3 || p[0] != 0xFF || p[1] != 0xD8) throw ImageError("corrupt JPEG: no SOI marker");
    while (pos < n) {
        if (p[pos] != 0xFF) throw ImageError("corrupt JPEG: expected a marker");
        size_t first = pos;
        while (pos < n && p[pos] == 0xFF)
            ++pos;
        if (pos >= n) break;
        if (pos - first > 1 && !have_sof) d.padded_markers = true;
        unsigned marker = p[pos++];
        if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) continue;
        if (marker == 0xD9) break;
        if (pos + 2 > n) break;
        unsigned len = be16(p + pos);
        if (len < 2 || pos + len > n) break;
        const unsigned char* seg = p + pos + 2;
        size_t seg_len = len - 2;
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
            marker != 0xCC && seg_len >= 6) {
            d.precision = seg[0];
            d.components = seg[5];
            d.baseline_or_progressive_huffman = marker <= 0xC2;
            have_sof = true;
        } else if (marker == 0xEE && seg_len >= 5 && std::memcmp(seg, "Adobe", 5) == 0) {
            d.adobe = true;
        } else if (marker == 0xE1 && d.orientation == 1) {
            d.orientation = exif_orientation(seg, seg_len);
        }
        if (marker == 0xDA) break; // image data follows; everything we need comes before
        pos += len;
    }
    if (!have_sof) throw ImageError("truncated JPEG (no frame header)");
    return d;
}

std::string jpeg_without_metadata(std::string_view bytes) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    size_t n = bytes.size(), pos = 2;
    if (n < 4 || p[0] != 0xFF || p[1] != 0xD8) return std::string(bytes);
    std::string out(bytes.substr(0, 2));
    // Segments up to the first scan; what follows (entropy-coded data, later tables and scans of
    // a progressive file, EOI) is copied as it is.
    while (pos + 4 <= n && p[pos] == 0xFF) {
        unsigned marker = p[pos + 1];
        if (marker == 0xFF || marker == 0xD8 || marker == 0xD9 ||
            (marker >= 0xD0 && marker <= 0xD7))
            return std::string(bytes); // fill bytes or stray markers: leave such a file alone
        size_t len = be16(p + pos + 2);
        if (len < 2 || pos + 2 + len > n) return std::string(bytes);
        if (marker == 0xDA) break;
        bool metadata = marker == 0xE1 || marker == 0xED || marker == 0xFE; // APP1, APP13, COM
        if (!metadata) out.append(bytes.substr(pos, 2 + len));
        pos += 2 + len;
    }
    if (pos + 4 > n || p[pos] != 0xFF || p[pos + 1] != 0xDA) return std::string(bytes);
    out.append(bytes.substr(pos));
    return out;
}

int jpeg_scale_eighths(int width, int height, int min_w, int min_h) {
    if (min_w <= 0 || min_h <= 0) return 8;
    // libjpeg-turbo's output size for M/8 is ceil(size * M / 8).
    for (int m = 1; m < 8; ++m)
        if ((int64_t(width) * m + 7) / 8 >= min_w && (int64_t(height) * m + 7) / 8 >= min_h)
            return m;
    return 8;
}

Bitmap decode_jpeg(std::string_view bytes, int min_w, int min_h) {
    Decompress d;
    ErrorMgr err;
    Bitmap bm;
    bool cmyk = false, inverted = false;
    int64_t declared_w = 0, declared_h = 0;

    d.c.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = on_error;
    err.pub.emit_message = on_message;
    if (setjmp(err.jump)) throw ImageError(describe(err));
    jpeg_create_decompress(&d.c);
    d.created = true;
    d.progress.progress_monitor = on_progress;
    d.c.progress = &d.progress;
    jpeg_mem_src(&d.c, reinterpret_cast<const unsigned char*>(bytes.data()),
                 static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(&d.c, TRUE);
    declared_w = d.c.image_width;
    declared_h = d.c.image_height;
    check_budget(declared_w, declared_h); // before any pixel memory is allocated

    cmyk = d.c.jpeg_color_space == JCS_CMYK || d.c.jpeg_color_space == JCS_YCCK;
    inverted = cmyk && d.c.saw_Adobe_marker;
    d.c.out_color_space = cmyk ? JCS_CMYK : JCS_EXT_RGBA;
    // DCT-domain downscaling: the cheapest way to shrink a big photo, as long as it stays at
    // least as big as the caller's target (which then finishes with a box filter).
    d.c.scale_num = unsigned(jpeg_scale_eighths(int(declared_w), int(declared_h), min_w, min_h));
    d.c.scale_denom = 8;
    d.c.dct_method = JDCT_ISLOW; // the same pixels on every CPU
    jpeg_start_decompress(&d.c);
    bm.width = int(d.c.output_width);
    bm.height = int(d.c.output_height);
    bm.rgba.resize(size_t(bm.width) * bm.height * 4);
    while (d.c.output_scanline < d.c.output_height) {
        uint8_t* out = &bm.rgba[size_t(d.c.output_scanline) * bm.width * 4];
        JSAMPROW rows[1] = {out};
        jpeg_read_scanlines(&d.c, rows, 1);
        if (cmyk) {
            // Adobe writes CMYK inverted (255 = no ink): then value*K/255 is the RGB.
            for (int x = 0; x < bm.width; ++x) {
                uint8_t* px = out + x * 4;
                unsigned c = px[0], m = px[1], y = px[2], k = px[3];
                if (!inverted) {
                    c = 255 - c;
                    m = 255 - m;
                    y = 255 - y;
                    k = 255 - k;
                }
                px[0] = uint8_t((c * k + 127) / 255);
                px[1] = uint8_t((m * k + 127) / 255);
                px[2] = uint8_t((y * k + 127) / 255);
                px[3] = 255;
            }
        }
    }
    jpeg_finish_decompress(&d.c);
    return bm;
}

std::string encode_jpeg(const Bitmap& bm, int quality) {
    Compress c;
    ErrorMgr err;
    unsigned char* buf = nullptr;
    unsigned long size = 0;
    std::string out;
    bool gray = bm.gray();
    std::vector<uint8_t> row(size_t(bm.width));

    c.c.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = on_error;
    if (setjmp(err.jump)) {
        std::free(buf);
        throw ImageError(std::string("JPEG encoding failed: ") + err.message);
    }
    jpeg_create_compress(&c.c);
    c.created = true;
    jpeg_mem_dest(&c.c, &buf, &size);
    c.c.image_width = JDIMENSION(bm.width);
    c.c.image_height = JDIMENSION(bm.height);
    c.c.input_components = gray ? 1 : 4;
    c.c.in_color_space = gray ? JCS_GRAYSCALE : JCS_EXT_RGBX;
    jpeg_set_defaults(&c.c); // JFIF, 4:2:0, baseline; no timestamps anywhere
    jpeg_set_quality(&c.c, quality < 1 ? 1 : quality > 100 ? 100 : quality, TRUE);
    c.c.optimize_coding = TRUE;
    c.c.dct_method = JDCT_ISLOW;
    jpeg_start_compress(&c.c, TRUE);
    while (c.c.next_scanline < c.c.image_height) {
        const uint8_t* src = &bm.rgba[size_t(c.c.next_scanline) * bm.width * 4];
        JSAMPROW rows[1];
        if (gray) {
            for (int x = 0; x < bm.width; ++x)
                row[size_t(x)] = src[x * 4];
            rows[0] = row.data();
        } else {
            rows[0] = const_cast<JSAMPROW>(src);
        }
        jpeg_write_scanlines(&c.c, rows, 1);
    }
    jpeg_finish_compress(&c.c);
    out.assign(reinterpret_cast<char*>(buf), size);
    std::free(buf);
    return out;
}

} // namespace imprenta::image::detail
