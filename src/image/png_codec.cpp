// PNG through libpng: every colour type and depth decoded to 8-bit RGBA, and a deterministic
// encoder. libpng reports errors by longjmp, so each setjmp frame holds only objects that were
// constructed before the setjmp (their destructors still run when we throw from there).
#include "image/codec.h"

#include <png.h>
#include <zlib.h>

#include <csetjmp>
#include <cstring>

namespace imprenta::image::detail {
namespace {

struct ErrorState {
    char message[200] = "";
};

void on_error(png_structp png, png_const_charp msg) {
    auto* st = static_cast<ErrorState*>(png_get_error_ptr(png));
    std::snprintf(st->message, sizeof st->message, "%s", msg ? msg : "unknown error");
    png_longjmp(png, 1);
}
void on_warning(png_structp, png_const_charp) {}

struct Reader {
    png_structp png = nullptr;
    png_infop info = nullptr;
    ~Reader() { png_destroy_read_struct(&png, info ? &info : nullptr, nullptr); }
};

struct Writer {
    png_structp png = nullptr;
    png_infop info = nullptr;
    ~Writer() { png_destroy_write_struct(&png, info ? &info : nullptr); }
};

struct MemSource {
    const unsigned char* data;
    size_t size;
    size_t pos = 0;
};

void read_mem(png_structp png, png_bytep out, png_size_t n) {
    auto* src = static_cast<MemSource*>(png_get_io_ptr(png));
    if (n > src->size - src->pos) png_error(png, "truncated PNG");
    std::memcpy(out, src->data + src->pos, n);
    src->pos += n;
}

void write_mem(png_structp png, png_bytep data, png_size_t n) {
    static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<char*>(data), n);
}
void flush_mem(png_structp) {}

std::string describe(const ErrorState& st) {
    std::string m = st.message;
    if (m.rfind("truncated", 0) == 0) return m;
    return "corrupt PNG: " + m;
}

} // namespace

Bitmap decode_png(std::string_view bytes) {
    Reader r;
    ErrorState err;
    MemSource src{reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()};
    Bitmap bm;
    std::vector<png_bytep> rows;
    int64_t declared_w = 0, declared_h = 0;

    r.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &err, on_error, on_warning);
    if (!r.png) throw ImageError("out of memory decoding PNG");
    r.info = png_create_info_struct(r.png);
    if (!r.info) throw ImageError("out of memory decoding PNG");
    if (setjmp(png_jmpbuf(r.png))) throw ImageError(describe(err));

    png_set_read_fn(r.png, &src, read_mem);
    // Bound ancillary chunk memory (huge iCCP/zTXt are a classic bomb); pixels are budgeted below.
    png_set_chunk_malloc_max(r.png, 16u << 20);
    png_read_info(r.png, r.info);
    declared_w = png_get_image_width(r.png, r.info);
    declared_h = png_get_image_height(r.png, r.info);
    check_budget(declared_w, declared_h); // before any pixel memory is allocated
    {
        png_set_expand(r.png); // palette -> RGB, gray < 8 bits -> 8, tRNS -> alpha
        png_set_scale_16(r.png);
        png_set_gray_to_rgb(r.png);
        png_set_add_alpha(r.png, 0xFF, PNG_FILLER_AFTER);
        png_set_interlace_handling(r.png);
        png_read_update_info(r.png, r.info);
        if (png_get_rowbytes(r.png, r.info) != size_t(declared_w) * 4)
            png_error(r.png, "unexpected row layout after transforms");
        bm.width = int(declared_w);
        bm.height = int(declared_h);
        bm.rgba.resize(size_t(bm.width) * bm.height * 4);
        rows.resize(size_t(bm.height));
        for (int y = 0; y < bm.height; ++y)
            rows[size_t(y)] = &bm.rgba[size_t(y) * bm.width * 4];
        png_read_image(r.png, rows.data());
        png_read_end(r.png, nullptr);
    }
    return bm;
}

std::string encode_png(const Bitmap& bm, int level) {
    bool alpha = !bm.opaque();
    bool gray = bm.gray();
    int channels = (gray ? 1 : 3) + (alpha ? 1 : 0);
    int color_type = gray ? (alpha ? PNG_COLOR_TYPE_GRAY_ALPHA : PNG_COLOR_TYPE_GRAY)
                          : (alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB);
    // Packed copy of the channels we keep.
    std::vector<uint8_t> packed(size_t(bm.width) * bm.height * channels);
    size_t n = size_t(bm.width) * bm.height;
    for (size_t i = 0, o = 0; i < n; ++i) {
        const uint8_t* p = &bm.rgba[i * 4];
        packed[o++] = p[0];
        if (!gray) {
            packed[o++] = p[1];
            packed[o++] = p[2];
        }
        if (alpha) packed[o++] = p[3];
    }

    Writer w;
    ErrorState err;
    std::string out;
    std::vector<png_bytep> rows(size_t(bm.height));
    for (int y = 0; y < bm.height; ++y)
        rows[size_t(y)] = &packed[size_t(y) * bm.width * channels];

    w.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &err, on_error, on_warning);
    if (!w.png) throw ImageError("out of memory encoding PNG");
    w.info = png_create_info_struct(w.png);
    if (!w.info) throw ImageError("out of memory encoding PNG");
    if (setjmp(png_jmpbuf(w.png)))
        throw ImageError(std::string("PNG encoding failed: ") + err.message);

    png_set_write_fn(w.png, &out, write_mem, flush_mem);
    png_set_compression_level(w.png, level);
    png_set_IHDR(w.png, w.info, png_uint_32(bm.width), png_uint_32(bm.height), 8, color_type,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(w.png, w.info); // no tIME, no text: output depends on the pixels alone
    png_write_image(w.png, rows.data());
    png_write_end(w.png, nullptr);
    return out;
}

namespace {

uint32_t be32(std::string_view b, size_t at) {
    return (uint32_t(uint8_t(b[at])) << 24) | (uint32_t(uint8_t(b[at + 1])) << 16) |
           (uint32_t(uint8_t(b[at + 2])) << 8) | uint32_t(uint8_t(b[at + 3]));
}

// Inflates `z` without keeping the output, checking that it is exactly `rows` rows of `stride`
// bytes, each starting with a PNG filter type (0-4).
void check_rows(std::string_view z, size_t stride, size_t rows) {
    z_stream s{};
    if (inflateInit(&s) != Z_OK) throw ImageError("out of memory decoding PNG");
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(z.data()));
    s.avail_in = uInt(z.size());
    unsigned char buf[1 << 16];
    size_t total = 0, expected = stride * rows;
    int rc = Z_OK;
    while (rc == Z_OK) {
        s.next_out = buf;
        s.avail_out = sizeof buf;
        rc = inflate(&s, Z_NO_FLUSH);
        size_t got = sizeof buf - s.avail_out;
        for (size_t at = (stride - total % stride) % stride; at < got; at += stride)
            if (buf[at] > 4) rc = Z_DATA_ERROR;
        total += got;
        if (total > expected) rc = Z_DATA_ERROR;
        if (rc == Z_BUF_ERROR && s.avail_in == 0) break; // truncated
    }
    inflateEnd(&s);
    if (rc != Z_STREAM_END || total != expected) throw ImageError("corrupt PNG: bad image data");
}

} // namespace

bool png_rows(std::string_view bytes, PngRows& out) {
    static const char sig[] = "\x89PNG\r\n\x1a\n";
    if (bytes.size() < 8 || bytes.substr(0, 8) != std::string_view(sig, 8))
        throw ImageError("not a PNG file");
    int depth = 0, color = 0, interlace = 0;
    bool ihdr = false, transparency = false, end = false;
    std::string zlib;
    for (size_t at = 8; !end;) {
        if (bytes.size() - at < 12) throw ImageError("truncated PNG");
        uint32_t len = be32(bytes, at);
        if (len > bytes.size() - at - 12) throw ImageError("truncated PNG");
        std::string_view type = bytes.substr(at + 4, 4), data = bytes.substr(at + 8, len);
        uint32_t crc = uint32_t(
            crc32(0, reinterpret_cast<const Bytef*>(bytes.data() + at + 4), uInt(len + 4)));
        if (crc != be32(bytes, at + 8 + len)) throw ImageError("corrupt PNG: CRC error");
        at += 12 + size_t(len);
        if (!ihdr) {
            if (type != "IHDR" || len != 13) throw ImageError("corrupt PNG: IHDR missing");
            ihdr = true;
            out.width = int(std::min<uint32_t>(be32(data, 0), uint32_t(kMaxDimension) + 1));
            out.height = int(std::min<uint32_t>(be32(data, 4), uint32_t(kMaxDimension) + 1));
            check_budget(out.width, out.height);
            depth = uint8_t(data[8]);
            color = uint8_t(data[9]);
            interlace = uint8_t(data[12]);
            if (data[10] != 0 || data[11] != 0) throw ImageError("corrupt PNG: unknown method");
        } else if (type == "IDAT") {
            zlib.append(data);
        } else if (type == "tRNS") {
            transparency = true;
        } else if (type == "IEND") {
            end = true;
        }
    }
    if (zlib.empty()) throw ImageError("corrupt PNG: no image data");
    if (depth != 8 || (color != 0 && color != 2) || interlace != 0 || transparency) return false;
    out.components = color == 2 ? 3 : 1;
    check_rows(zlib, size_t(out.width) * size_t(out.components) + 1, size_t(out.height));
    out.zlib = std::move(zlib);
    return true;
}

} // namespace imprenta::image::detail
