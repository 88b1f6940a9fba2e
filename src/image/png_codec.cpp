// PNG through libpng: every colour type and depth decoded to 8-bit RGBA, and a deterministic
// encoder. libpng reports errors by longjmp, so each setjmp frame holds only objects that were
// constructed before the setjmp (their destructors still run when we throw from there).
#include "image/codec.h"
#include "util/deflate.h"

#include <png.h>
#include <zlib.h>

#include <algorithm>
#include <csetjmp>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

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

namespace {

void put_be32(std::string& out, uint32_t v) {
    out += char(v >> 24);
    out += char(v >> 16);
    out += char(v >> 8);
    out += char(v);
}

void put_chunk(std::string& out, const char* type, std::string_view data) {
    put_be32(out, uint32_t(data.size()));
    size_t at = out.size();
    out += type;
    out += data;
    put_be32(out, util::crc32(std::string_view(out).substr(at)));
}

// One row's Paeth filter (filter type 4) over packed RGB, `prev` the row above (zeros for the
// first). Every predictor reads only unfiltered bytes, so the loop has no carried dependency and
// the compiler vectorises it; libpng's own Paeth encoder goes byte by byte with branches.
// A row of RGBA pixels without their alpha bytes.
[[gnu::target_clones("avx2", "default")]] void rgba_to_rgb(const uint8_t* rgba, size_t w,
                                                           uint8_t* rgb) {
    for (size_t x = 0; x < w; ++x) {
        rgb[x * 3] = rgba[x * 4];
        rgb[x * 3 + 1] = rgba[x * 4 + 1];
        rgb[x * 3 + 2] = rgba[x * 4 + 2];
    }
}

// Built for AVX2 too, picked at load time: twice the bytes per instruction of the baseline's
// SSE2, the same integer results.
[[gnu::target_clones("avx2", "default")]] void paeth_row(const uint8_t* cur, const uint8_t* prev,
                                                         size_t n, uint8_t* out) {
    size_t first = std::min<size_t>(3, n);
    for (size_t i = 0; i < first; ++i) // no left neighbour: Paeth predicts the byte above
        out[i] = uint8_t(cur[i] - prev[i]);
    for (size_t i = 3; i < n; ++i) {
        int16_t a = cur[i - 3], b = prev[i], c = prev[i - 3];
        int16_t pa = int16_t(std::abs(b - c)), pb = int16_t(std::abs(a - c)),
                pc = int16_t(std::abs(a + b - 2 * c));
        int16_t pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        out[i] = uint8_t(cur[i] - pred);
    }
}

// The two bytes zlib starts a run-length stream with, kept for RunDeflater's: deflate with a
// 32 KB window, FLEVEL 0 (zlib's deflate.c writes 0 for every strategy from Z_HUFFMAN_ONLY on),
// no dictionary.
constexpr char kZlibRleHeader[] = "\x78\x01";

// A row of cairo's ARGB32 pixels as packed RGB; false if one of them is not opaque. Sets `color`
// when one is not gray.
[[gnu::target_clones("avx2", "default")]] bool argb32_to_rgb(const uint8_t* argb, size_t w,
                                                             uint8_t* rgb, bool& color) {
    uint32_t all = 0xFFFFFFFFu, diff = 0;
    for (size_t x = 0; x < w; ++x) {
        uint32_t p;
        std::memcpy(&p, argb + x * 4, 4);
        all &= p;
        auto r = uint8_t(p >> 16), g = uint8_t(p >> 8), b = uint8_t(p);
        rgb[x * 3] = r;
        rgb[x * 3 + 1] = g;
        rgb[x * 3 + 2] = b;
        diff |= uint32_t(r ^ g) | uint32_t(g ^ b);
    }
    color = color || diff != 0;
    return (all >> 24) == 0xFF;
}

// An opaque RGB drawing (the generated cover) as PNG: Paeth on every row, run-length matches
// only (zlib's Z_RLE, by util::RunDeflater), one IDAT chunk. Made here rather than by libpng so
// that the filter vectorises and the runs are found 8 bytes at a time: a 1600x2560 cover
// encodes in a fraction of libpng's time. `pack(y, rgb)` writes row y as packed RGB, or returns
// false to give up (nullopt).
template <class PackRow>
std::optional<std::string> encode_drawn_rows(size_t w, size_t h, PackRow pack) {
    size_t row = w * 3;
    // Row by row: no 12 MB buffer of filtered rows to fault in. A raw stream inside the zlib
    // header and Adler-32 zlib would write.
    std::vector<uint8_t> rgb(row * 2, 0); // this row and the one above, packed
    std::vector<uint8_t> line(row + 1);
    std::string idat(kZlibRleHeader, 2);
    util::RunDeflater deflater(idat);
    uint32_t adler = 1;
    for (size_t y = 0; y < h; ++y) {
        uint8_t* cur = &rgb[(y % 2) * row];
        const uint8_t* prev = &rgb[((y + 1) % 2) * row];
        if (!pack(y, cur)) return std::nullopt;
        line[0] = 4;
        paeth_row(cur, prev, row, line.data() + 1);
        adler = util::adler32(adler, line.data(), line.size());
        deflater.add(line.data(), line.size());
    }
    deflater.finish();
    put_be32(idat, adler);

    std::string ihdr;
    put_be32(ihdr, uint32_t(w));
    put_be32(ihdr, uint32_t(h));
    ihdr += std::string("\x08\x02\x00\x00\x00", 5); // 8-bit RGB, deflate, adaptive, no interlace
    std::string out("\x89PNG\r\n\x1a\n", 8);
    put_chunk(out, "IHDR", ihdr);
    put_chunk(out, "IDAT", idat);
    put_chunk(out, "IEND", "");
    return out;
}

} // namespace

std::optional<std::string> encode_drawn_argb32(const Argb32& pixels) {
    size_t w = size_t(pixels.width), h = size_t(pixels.height);
    if (w * h * 3 >= (size_t(1) << 30)) return std::nullopt;
    bool color = false;
    auto png = encode_drawn_rows(w, h, [&](size_t y, uint8_t* rgb) {
        return argb32_to_rgb(&pixels.data[y * w * 4], w, rgb, color);
    });
    if (!color) return std::nullopt;
    return png;
}

std::string encode_png(const Bitmap& bm, int level, bool runs) {
    bool alpha = !bm.opaque();
    bool gray = bm.gray();
    if (runs && !alpha && !gray && size_t(bm.width) * bm.height * 3 < (size_t(1) << 30)) {
        size_t w = size_t(bm.width);
        return *encode_drawn_rows(w, size_t(bm.height), [&](size_t y, uint8_t* rgb) {
            rgba_to_rgb(&bm.rgba[y * w * 4], w, rgb);
            return true;
        });
    }
    int channels = (gray ? 1 : 3) + (alpha ? 1 : 0);
    int color_type = gray ? (alpha ? PNG_COLOR_TYPE_GRAY_ALPHA : PNG_COLOR_TYPE_GRAY)
                          : (alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB);
    // RGB and RGBA rows are the bitmap's own (libpng drops the unused alpha byte as a filler);
    // gray ones a packed copy of the channels we keep.
    bool direct = !gray;
    std::vector<uint8_t> packed;
    size_t n = size_t(bm.width) * bm.height;
    if (!direct) {
        packed.resize(n * size_t(channels));
        for (size_t i = 0, o = 0; i < n; ++i) {
            const uint8_t* p = &bm.rgba[i * 4];
            packed[o++] = p[0];
            if (alpha) packed[o++] = p[3];
        }
    }
    const uint8_t* base = direct ? bm.rgba.data() : packed.data();
    size_t row_bytes = size_t(bm.width) * (direct ? 4 : channels);

    Writer w;
    ErrorState err;
    std::string out;
    std::vector<png_bytep> rows(size_t(bm.height));
    for (int y = 0; y < bm.height; ++y)
        rows[size_t(y)] = const_cast<png_bytep>(base + size_t(y) * row_bytes);

    w.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &err, on_error, on_warning);
    if (!w.png) throw ImageError("out of memory encoding PNG");
    w.info = png_create_info_struct(w.png);
    if (!w.info) throw ImageError("out of memory encoding PNG");
    if (setjmp(png_jmpbuf(w.png)))
        throw ImageError(std::string("PNG encoding failed: ") + err.message);

    png_set_write_fn(w.png, &out, write_mem, flush_mem);
    png_set_compression_level(w.png, level);
    if (runs) {
        png_set_compression_strategy(w.png, Z_RLE);
        png_set_filter(w.png, PNG_FILTER_TYPE_BASE, PNG_FILTER_PAETH);
    }
    png_set_IHDR(w.png, w.info, png_uint_32(bm.width), png_uint_32(bm.height), 8, color_type,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(w.png, w.info); // no tIME, no text: output depends on the pixels alone
    if (direct && !alpha) png_set_filler(w.png, 0, PNG_FILLER_AFTER);
    png_write_image(w.png, rows.data());
    png_write_end(w.png, nullptr);
    return out;
}

namespace {

uint32_t be32(const unsigned char* p) {
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}

// The rows of a PNG's filtered image data: one pass, or Adam7's seven. Fed the inflated bytes in
// order, it checks each row's filter type byte and that nothing is missing or left over.
class RowCheck {
public:
    void reset(uint32_t width, uint32_t height, int bits_per_pixel, bool interlaced) {
        count_ = pass_ = 0;
        row_ = at_ = 0;
        static constexpr int kAdam7[7][4] = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4},
                                             {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
        auto add = [&](uint64_t w, uint64_t h) {
            if (w == 0 || h == 0) return; // an empty pass has no rows, not even filter bytes
            passes_[count_++] = {1 + (w * uint64_t(bits_per_pixel) + 7) / 8, h};
        };
        if (!interlaced) {
            add(width, height);
        } else {
            for (const auto& p : kAdam7)
                add((width + uint64_t(p[2] - p[0] - 1)) / uint64_t(p[2]),
                    (height + uint64_t(p[3] - p[1] - 1)) / uint64_t(p[3]));
        }
    }
    // False if the data has a bad filter type or runs past the last row.
    bool feed(const unsigned char* data, size_t n) {
        for (size_t i = 0; i < n;) {
            if (pass_ == count_) return false;
            const Pass& p = passes_[pass_];
            if (at_ == 0 && data[i] > 4) return false;
            uint64_t take = std::min<uint64_t>(n - i, p.stride - at_);
            i += size_t(take);
            at_ += take;
            if (at_ == p.stride) {
                at_ = 0;
                if (++row_ == p.rows) {
                    row_ = 0;
                    ++pass_;
                }
            }
        }
        return true;
    }
    bool complete() const { return pass_ == count_; }
    // Bytes of filtered image data in all: filter bytes and packed samples of every row.
    uint64_t total() const {
        uint64_t n = 0;
        for (size_t i = 0; i < count_; ++i)
            n += passes_[i].stride * passes_[i].rows;
        return n;
    }

private:
    struct Pass {
        uint64_t stride; // filter byte + packed samples
        uint64_t rows;
    };
    Pass passes_[7] = {};
    size_t count_ = 0, pass_ = 0;
    uint64_t row_ = 0, at_ = 0;
};

bool valid_depth(int color_type, int depth) {
    switch (color_type) {
    case 0:
        return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3:
        return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2:
    case 4:
    case 6:
        return depth == 8 || depth == 16;
    default:
        return false;
    }
}

} // namespace

bool png_is_whole(std::string_view bytes, PngLayout* layout) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    size_t size = bytes.size(), pos = 8;
    if (size < 8 || std::memcmp(p, "\x89PNG\r\n\x1a\n", 8) != 0) return false;

    struct Inflater {
        z_stream zs{};
        bool ready = false;
        ~Inflater() {
            if (ready) inflateEnd(&zs);
        }
    } in;
    if (inflateInit(&in.zs) != Z_OK) return false;
    in.ready = true;
    // The chunk CRCs already prove the stream is what the encoder wrote; zlib's own Adler-32 of
    // the inflated rows would cost more than inflating them (and pdfTeX copies a PNG's data into
    // a PDF with no check at all).
    inflateValidate(&in.zs, 0);
    RowCheck rows; // set by IHDR, which comes first
    int color_type = -1, depth = 0;
    bool palette = false, idat_seen = false, idat_done = false, stream_end = false;
    // Image data up to kWholeInflate bytes (a banner, a figure) is inflated in one call by
    // libdeflate at IEND, about twice as fast as zlib a window at a time; larger data streams.
    constexpr uint64_t kWholeInflate = uint64_t(4) << 20;
    bool whole = false;
    std::string idat; // the IDAT data, when inflated whole or asked for in `layout`
    unsigned char out[32768];

    for (bool first = true;; first = false) {
        if (size - pos < 12) return false; // truncated, or no IEND
        uint32_t len = be32(p + pos);
        if (len > 0x7fffffffu || size - pos - 12 < len) return false;
        const unsigned char* type = p + pos + 4;
        const unsigned char* data = type + 4;
        for (int i = 0; i < 4; ++i)
            if ((type[i] | 0x20) < 'a' || (type[i] | 0x20) > 'z') return false; // ASCII letters
        if (crc32_z(crc32_z(0, nullptr, 0), type, size_t(len) + 4) != be32(data + len))
            return false;
        pos += size_t(len) + 12;
        std::string_view name(reinterpret_cast<const char*>(type), 4);

        if (first != (name == "IHDR")) return false;
        if (idat_seen && name != "IDAT") idat_done = true;
        if (name == "IHDR") {
            if (len != 13) return false;
            uint32_t w = be32(data), h = be32(data + 4);
            depth = data[8];
            color_type = data[9];
            if (w == 0 || h == 0 || w > 0x7fffffffu || h > 0x7fffffffu ||
                !valid_depth(color_type, depth) || data[10] != 0 || data[11] != 0 || data[12] > 1)
                return false;
            static constexpr int kChannels[7] = {1, 0, 3, 1, 2, 0, 4};
            rows.reset(w, h, kChannels[color_type] * depth, data[12] == 1);
            whole = rows.total() <= kWholeInflate;
            if (layout) {
                *layout = PngLayout{};
                layout->width = w;
                layout->height = h;
                layout->depth = depth;
                layout->color_type = color_type;
                layout->interlaced = data[12] == 1;
            }
        } else if (name == "PLTE") {
            if (palette || idat_seen || color_type == 0 || color_type == 4 || len == 0 ||
                len % 3 != 0 || len / 3 > 256 || (color_type == 3 && len / 3 > (1u << depth)))
                return false;
            palette = true;
        } else if (name == "IDAT") {
            if (idat_done || (color_type == 3 && !palette)) return false;
            idat_seen = true;
            if (len == 0) continue;
            if (layout || whole) idat.append(reinterpret_cast<const char*>(data), len);
            if (whole) continue;
            if (stream_end) return false; // data after the end of the zlib stream
            in.zs.next_in = const_cast<unsigned char*>(data);
            in.zs.avail_in = len;
            for (;;) { // until this chunk is used up and zlib has nothing left to give
                in.zs.next_out = out;
                in.zs.avail_out = sizeof out;
                int rc = inflate(&in.zs, Z_NO_FLUSH);
                if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) return false;
                if (!rows.feed(out, sizeof out - in.zs.avail_out)) return false;
                if (rc == Z_STREAM_END) {
                    stream_end = true;
                    if (in.zs.avail_in > 0) return false;
                    break;
                }
                if (in.zs.avail_in == 0 && in.zs.avail_out != 0) break;
            }
        } else if (name == "tRNS") {
            if (layout) layout->transparency = true;
        } else if (name == "IEND") {
            if (len != 0) return false;
            if (whole) {
                size_t n = size_t(rows.total());
                std::unique_ptr<unsigned char[]> inflated(new unsigned char[n]);
                if (!util::inflate_zlib_exact(idat, inflated.get(), n) ||
                    !rows.feed(inflated.get(), n))
                    return false;
            } else if (!stream_end) {
                return false;
            }
            if (!rows.complete()) return false;
            if (layout) layout->zlib = std::move(idat);
            return true;
        } else if (type[0] < 'a') {
            return false; // a critical chunk we (and readers) do not know
        }
    }
}

std::string png_without_metadata(std::string_view bytes) {
    // Ancillary chunks a reader needs to show the pixels as meant; the critical ones always stay.
    static constexpr std::string_view kKept[] = {"tRNS", "gAMA", "cHRM", "sRGB", "iCCP",
                                                 "sBIT", "cICP", "bKGD", "pHYs"};
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    if (bytes.size() < 8 || std::memcmp(p, "\x89PNG\r\n\x1a\n", 8) != 0) return std::string(bytes);
    std::string out(bytes.substr(0, 8));
    for (size_t pos = 8; pos < bytes.size();) {
        if (bytes.size() - pos < 12) return std::string(bytes);
        size_t len = be32(p + pos);
        if (len > bytes.size() - pos - 12) return std::string(bytes);
        std::string_view name = bytes.substr(pos + 4, 4);
        bool critical = (p[pos + 4] & 0x20) == 0;
        if (critical || std::find(std::begin(kKept), std::end(kKept), name) != std::end(kKept))
            out.append(bytes.substr(pos, len + 12));
        pos += len + 12;
        if (name == "IEND") break;
    }
    return out;
}

} // namespace imprenta::image::detail
