// Image stage: probing, decoding every supported kind, scaling, encoding, the EPUB/PDF policies,
// the cache, and robustness against truncated, corrupt and oversized files. Fixtures are encoded
// here with the same libraries (libpng, libjpeg, libwebp, giflib).
#include "image/codec.h"
#include "image/image.h"
#include "image/prepare.h"
#include "support/support.h"
#include "util/hash.h"

#include <gif_lib.h>
#include <gtest/gtest.h>
#include <png.h>
#include <webp/encode.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <jpeglib.h>
#include <thread>

using namespace imprenta::image;
using imprenta::image::detail::Bitmap;
namespace ts = testing_support;

namespace {

// ---------------------------------------------------------------- fixture encoders

struct PngSpec {
    int width = 4, height = 4;
    int color_type = PNG_COLOR_TYPE_RGB;
    int bit_depth = 8;
    bool interlace = false;
    std::vector<png_color> palette;
    std::vector<uint8_t> trns;   // palette alpha
    std::vector<uint8_t> pixels; // packed rows as libpng wants them (big-endian 16-bit)
};

std::string encode_png_spec(const PngSpec& s) {
    std::string out;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png_create_info_struct(png);
    png_set_write_fn(
        png, &out,
        [](png_structp p, png_bytep data, png_size_t len) {
            static_cast<std::string*>(png_get_io_ptr(p))
                ->append(reinterpret_cast<char*>(data), len);
        },
        nullptr);
    png_set_IHDR(png, info, png_uint_32(s.width), png_uint_32(s.height), s.bit_depth, s.color_type,
                 s.interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (!s.palette.empty()) png_set_PLTE(png, info, s.palette.data(), int(s.palette.size()));
    if (!s.trns.empty()) png_set_tRNS(png, info, s.trns.data(), int(s.trns.size()), nullptr);
    png_write_info(png, info);
    size_t rowbytes = s.pixels.size() / size_t(s.height);
    std::vector<png_bytep> rows(size_t(s.height));
    for (int y = 0; y < s.height; ++y)
        rows[size_t(y)] = const_cast<png_bytep>(&s.pixels[size_t(y) * rowbytes]);
    png_write_image(png, rows.data());
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return out;
}

std::string png_rgba(const Bitmap& bm) {
    PngSpec s;
    s.width = bm.width;
    s.height = bm.height;
    s.color_type = PNG_COLOR_TYPE_RGBA;
    s.pixels = bm.rgba;
    return encode_png_spec(s);
}

struct JpegSpec {
    int width = 16, height = 16;
    int components = 3; // 1, 3 or 4 (CMYK, written with an Adobe marker)
    bool progressive = false;
    int quality = 95;
    std::vector<uint8_t> pixels; // width*height*components
    std::string app1;            // raw APP1 payload (Exif)
};

std::string encode_jpeg_spec(const JpegSpec& s) {
    jpeg_compress_struct c;
    jpeg_error_mgr err;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    unsigned char* buf = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&c, &buf, &size);
    c.image_width = JDIMENSION(s.width);
    c.image_height = JDIMENSION(s.height);
    c.input_components = s.components;
    c.in_color_space = s.components == 1 ? JCS_GRAYSCALE : s.components == 3 ? JCS_RGB : JCS_CMYK;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, s.quality, TRUE);
    if (s.progressive) jpeg_simple_progression(&c);
    jpeg_start_compress(&c, TRUE);
    if (!s.app1.empty())
        jpeg_write_marker(&c, JPEG_APP0 + 1, reinterpret_cast<const JOCTET*>(s.app1.data()),
                          unsigned(s.app1.size()));
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = const_cast<JSAMPROW>(
            &s.pixels[size_t(c.next_scanline) * size_t(s.width) * size_t(s.components)]);
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    std::string out(reinterpret_cast<char*>(buf), size);
    std::free(buf);
    return out;
}

std::string solid_jpeg(int w, int h, uint8_t r, uint8_t g, uint8_t b, bool progressive = false) {
    JpegSpec s;
    s.width = w;
    s.height = h;
    s.progressive = progressive;
    s.pixels.resize(size_t(w) * h * 3);
    for (size_t i = 0; i < s.pixels.size(); i += 3) {
        s.pixels[i] = r;
        s.pixels[i + 1] = g;
        s.pixels[i + 2] = b;
    }
    return encode_jpeg_spec(s);
}

// A smooth photograph-like RGB gradient with mild deterministic texture.
Bitmap photo_bitmap(int w, int h, bool alpha = false) {
    Bitmap bm;
    bm.width = w;
    bm.height = h;
    bm.rgba.resize(size_t(w) * h * 4);
    uint32_t seed = 12345;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            seed = seed * 1103515245u + 12345u;
            int noise = int((seed >> 16) % 24) - 12;
            uint8_t* p = &bm.rgba[(size_t(y) * w + x) * 4];
            p[0] = uint8_t(std::clamp(x * 255 / w + noise, 0, 255));
            p[1] = uint8_t(std::clamp(y * 255 / h + noise, 0, 255));
            p[2] = uint8_t(std::clamp(128 + noise * 3, 0, 255));
            // Alpha from 1 (WebP may recolour fully transparent pixels) to 255.
            p[3] = alpha ? uint8_t(1 + x * 254 / std::max(1, w - 1)) : 255;
        }
    return bm;
}

// Flat graphics: a few solid bands.
Bitmap flat_bitmap(int w, int h) {
    Bitmap bm;
    bm.width = w;
    bm.height = h;
    bm.rgba.resize(size_t(w) * h * 4);
    const uint8_t colors[3][3] = {{200, 30, 30}, {250, 250, 250}, {20, 40, 160}};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const uint8_t* c = colors[(y * 3) / h];
            uint8_t* p = &bm.rgba[(size_t(y) * w + x) * 4];
            p[0] = c[0];
            p[1] = c[1];
            p[2] = c[2];
            p[3] = 255;
        }
    return bm;
}

std::string jpeg_of(const Bitmap& bm, int quality = 90, bool progressive = false) {
    JpegSpec s;
    s.width = bm.width;
    s.height = bm.height;
    s.quality = quality;
    s.progressive = progressive;
    s.pixels.resize(size_t(bm.width) * bm.height * 3);
    for (size_t i = 0, n = size_t(bm.width) * bm.height; i < n; ++i)
        std::memcpy(&s.pixels[i * 3], &bm.rgba[i * 4], 3);
    return encode_jpeg_spec(s);
}

std::string webp_lossy(const Bitmap& bm, bool alpha) {
    uint8_t* out = nullptr;
    size_t n = 0;
    if (alpha) {
        n = WebPEncodeRGBA(bm.rgba.data(), bm.width, bm.height, bm.width * 4, 90, &out);
    } else {
        std::vector<uint8_t> rgb(size_t(bm.width) * bm.height * 3);
        for (size_t i = 0, k = size_t(bm.width) * bm.height; i < k; ++i)
            std::memcpy(&rgb[i * 3], &bm.rgba[i * 4], 3);
        n = WebPEncodeRGB(rgb.data(), bm.width, bm.height, bm.width * 3, 90, &out);
    }
    std::string s(reinterpret_cast<char*>(out), n);
    WebPFree(out);
    return s;
}

std::string webp_lossless(const Bitmap& bm) {
    uint8_t* out = nullptr;
    size_t n = WebPEncodeLosslessRGBA(bm.rgba.data(), bm.width, bm.height, bm.width * 4, &out);
    std::string s(reinterpret_cast<char*>(out), n);
    WebPFree(out);
    return s;
}

void le24(std::string& s, uint32_t v) {
    s += char(v & 0xFF);
    s += char((v >> 8) & 0xFF);
    s += char((v >> 16) & 0xFF);
}
void le32(std::string& s, uint32_t v) {
    le24(s, v);
    s += char(v >> 24);
}
std::string chunk(const char* fourcc, const std::string& payload) {
    std::string c(fourcc, 4);
    le32(c, uint32_t(payload.size()));
    c += payload;
    if (payload.size() % 2) c += '\0';
    return c;
}

// An animated WebP assembled by hand (VP8X + ANIM + one ANMF per frame, each a lossless frame).
std::string webp_animated(const std::vector<Bitmap>& frames) {
    std::string body = "WEBP";
    std::string vp8x;
    vp8x += char(0x02 | 0x10); // animation, alpha
    vp8x += std::string(3, '\0');
    le24(vp8x, uint32_t(frames[0].width - 1));
    le24(vp8x, uint32_t(frames[0].height - 1));
    body += chunk("VP8X", vp8x);
    std::string anim(4, '\0');    // background colour
    anim += std::string(2, '\0'); // loop forever
    body += chunk("ANIM", anim);
    for (const Bitmap& f : frames) {
        std::string still = webp_lossless(f);
        std::string anmf;
        le24(anmf, 0);
        le24(anmf, 0);
        le24(anmf, uint32_t(f.width - 1));
        le24(anmf, uint32_t(f.height - 1));
        le24(anmf, 100);
        anmf += char(0x02); // no blending, no disposal
        anmf += still.substr(12);
        body += chunk("ANMF", anmf);
    }
    std::string out = "RIFF";
    le32(out, uint32_t(body.size()));
    return out + body;
}

struct GifFrame {
    int left = 0, top = 0, width = 0, height = 0;
    std::vector<uint8_t> indices;
    int transparent = -1;
    bool interlace = false;
};

std::string encode_gif(int sw, int sh, const std::vector<GifColorType>& palette,
                       const std::vector<GifFrame>& frames) {
    std::string out;
    int err = 0;
    GifFileType* gif = EGifOpen(
        &out,
        [](GifFileType* g, const GifByteType* data, int len) {
            static_cast<std::string*>(g->UserData)
                ->append(reinterpret_cast<const char*>(data), size_t(len));
            return len;
        },
        &err);
    EGifSetGifVersion(gif, true);
    ColorMapObject* map = GifMakeMapObject(int(palette.size()), palette.data());
    EGifPutScreenDesc(gif, sw, sh, 8, 0, map);
    for (const GifFrame& f : frames) {
        GraphicsControlBlock gcb{};
        gcb.DisposalMode = DISPOSAL_UNSPECIFIED;
        gcb.DelayTime = 10;
        gcb.TransparentColor = f.transparent < 0 ? NO_TRANSPARENT_COLOR : f.transparent;
        GifByteType ext[4];
        size_t n = EGifGCBToExtension(&gcb, ext);
        EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, int(n), ext);
        EGifPutImageDesc(gif, f.left, f.top, f.width, f.height, f.interlace, nullptr);
        // giflib wants rows in file order: for interlaced images, the pass order.
        std::vector<int> order;
        if (f.interlace) {
            const int start[4] = {0, 4, 2, 1}, step[4] = {8, 8, 4, 2};
            for (int p = 0; p < 4; ++p)
                for (int r = start[p]; r < f.height; r += step[p])
                    order.push_back(r);
        } else {
            for (int r = 0; r < f.height; ++r)
                order.push_back(r);
        }
        for (int r : order)
            EGifPutLine(gif, const_cast<GifPixelType*>(&f.indices[size_t(r) * f.width]), f.width);
    }
    EGifCloseFile(gif, &err);
    GifFreeMapObject(map);
    return out;
}

const std::vector<GifColorType> kPalette = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};

std::string simple_gif(int w, int h, int transparent = -1, bool interlace = false) {
    GifFrame f;
    f.width = w;
    f.height = h;
    f.transparent = transparent;
    f.interlace = interlace;
    f.indices.resize(size_t(w) * h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            f.indices[size_t(y) * w + x] = uint8_t((x + y * 2) % 4);
    return encode_gif(w, h, kPalette, {f});
}

// ---------------------------------------------------------------- helpers

fs::path write_fixture(const std::string& dir, const std::string& name, const std::string& bytes) {
    fs::path p = ts::fresh_dir(dir) / name;
    ts::write(p, bytes);
    return p;
}

void expect_pixel(const Bitmap& bm, int x, int y, int r, int g, int b, int a, int tol = 0) {
    const uint8_t* p = &bm.rgba[(size_t(y) * bm.width + x) * 4];
    EXPECT_NEAR(p[0], r, tol) << "R at " << x << "," << y;
    EXPECT_NEAR(p[1], g, tol) << "G at " << x << "," << y;
    EXPECT_NEAR(p[2], b, tol) << "B at " << x << "," << y;
    EXPECT_NEAR(p[3], a, tol) << "A at " << x << "," << y;
}

bool is_jpeg(const std::string& b) {
    return b.size() > 3 && uint8_t(b[0]) == 0xFF && uint8_t(b[1]) == 0xD8;
}
bool is_png(const std::string& b) {
    return b.rfind("\x89PNG", 0) == 0;
}

uint32_t crc32_of(const std::string& s) {
    uint32_t c = 0xFFFFFFFFu;
    for (char ch : s) {
        c ^= uint8_t(ch);
        for (int k = 0; k < 8; ++k)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return c ^ 0xFFFFFFFFu;
}

// A PNG whose IHDR declares width×height, followed by a tiny IDAT and IEND (valid CRCs).
std::string png_header_only(uint32_t width, uint32_t height) {
    auto put32 = [](std::string& s, uint32_t v) {
        for (int i = 3; i >= 0; --i)
            s += char((v >> (8 * i)) & 0xFF);
    };
    auto add_chunk = [&](std::string& out, const char* type, const std::string& data) {
        put32(out, uint32_t(data.size()));
        std::string td = std::string(type, 4) + data;
        out += td;
        put32(out, crc32_of(td));
    };
    std::string out = "\x89PNG\r\n\x1a\n";
    std::string ihdr;
    put32(ihdr, width);
    put32(ihdr, height);
    ihdr += std::string("\x08\x06\x00\x00\x00", 5);
    add_chunk(out, "IHDR", ihdr);
    add_chunk(out, "IDAT", std::string("\x78\x9c\x03\x00\x00\x00\x00\x01", 8));
    add_chunk(out, "IEND", "");
    return out;
}

size_t inflated_size(const std::string& z) {
    z_stream s{};
    EXPECT_EQ(inflateInit(&s), Z_OK);
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(z.data()));
    s.avail_in = uInt(z.size());
    std::string buf(1 << 16, '\0');
    size_t total = 0;
    int rc = Z_OK;
    while (rc == Z_OK) {
        s.next_out = reinterpret_cast<Bytef*>(buf.data());
        s.avail_out = uInt(buf.size());
        rc = inflate(&s, Z_NO_FLUSH);
        total += buf.size() - s.avail_out;
    }
    inflateEnd(&s);
    EXPECT_EQ(rc, Z_STREAM_END);
    return total;
}

} // namespace

// ================================================================ probe

TEST(ImageProbe, ReadsSizesAndAlphaFromHeaders) {
    PngSpec pal;
    pal.width = 7;
    pal.height = 3;
    pal.color_type = PNG_COLOR_TYPE_PALETTE;
    pal.palette = {{255, 0, 0}, {0, 255, 0}};
    pal.trns = {0, 255};
    pal.pixels.assign(7 * 3, 1);
    Info i = probe(encode_png_spec(pal));
    EXPECT_EQ(i.format, Format::Png);
    EXPECT_EQ(i.width, 7);
    EXPECT_EQ(i.height, 3);
    EXPECT_TRUE(i.has_alpha);

    i = probe(ts::make_png(33, 17, 0x336699));
    EXPECT_EQ(i.width, 33);
    EXPECT_EQ(i.height, 17);
    EXPECT_FALSE(i.has_alpha);

    i = probe(solid_jpeg(40, 24, 10, 20, 30, true));
    EXPECT_EQ(i.format, Format::Jpeg);
    EXPECT_EQ(i.width, 40);
    EXPECT_EQ(i.height, 24);

    Bitmap bm = photo_bitmap(30, 20, true);
    i = probe(webp_lossless(bm));
    EXPECT_EQ(i.format, Format::Webp);
    EXPECT_EQ(i.width, 30);
    EXPECT_EQ(i.height, 20);
    EXPECT_TRUE(i.has_alpha);
    i = probe(webp_lossy(photo_bitmap(31, 21), false));
    EXPECT_EQ(i.width, 31);
    EXPECT_EQ(i.height, 21);
    EXPECT_FALSE(i.has_alpha);
    i = probe(webp_animated({photo_bitmap(12, 9, true), photo_bitmap(12, 9, true)}));
    EXPECT_EQ(i.width, 12);
    EXPECT_EQ(i.height, 9);

    i = probe(simple_gif(9, 5, 3));
    EXPECT_EQ(i.format, Format::Gif);
    EXPECT_EQ(i.width, 9);
    EXPECT_EQ(i.height, 5);
    EXPECT_TRUE(i.has_alpha);
    EXPECT_FALSE(probe(simple_gif(9, 5)).has_alpha);
    EXPECT_STREQ(format_name(Format::Webp), "webp");
}

TEST(ImageProbe, SvgSizeFromAttributesOrViewBox) {
    Info i = probe(R"X(<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80px"/>)X");
    EXPECT_EQ(i.format, Format::Svg);
    EXPECT_EQ(i.width, 120);
    EXPECT_EQ(i.height, 80);
    i = probe("<?xml version=\"1.0\"?>\n<!-- logo -->\n"
              "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 300,150\"></svg>");
    EXPECT_EQ(i.width, 300);
    EXPECT_EQ(i.height, 150);
    i = probe(R"X(<svg xmlns="http://www.w3.org/2000/svg" width="1in" viewBox="0 0 50 25"/>)X");
    EXPECT_EQ(i.width, 96);
    EXPECT_EQ(i.height, 48);
    i = probe(R"X(<svg xmlns="http://www.w3.org/2000/svg" width="100%"/>)X");
    EXPECT_EQ(i.width, 0);
    EXPECT_THROW(probe("<html><body>svg</body></html>"), ImageError);
    EXPECT_THROW(probe("<svg xmlns='http://www.w3.org/2000/svg'><g></svg>"), ImageError);
}

TEST(ImageProbe, RejectsGarbageAndTruncatedHeaders) {
    EXPECT_THROW(probe(""), ImageError);
    EXPECT_THROW(probe("hello world, not an image"), ImageError);
    std::string png = ts::make_png(10, 10, 0xFF0000);
    for (size_t n : {4, 8, 16, 24, 32})
        EXPECT_THROW(probe(png.substr(0, n)), ImageError) << n;
    std::string jpeg = solid_jpeg(10, 10, 1, 2, 3);
    for (size_t n : {2, 3, 10, 20})
        EXPECT_THROW(probe(jpeg.substr(0, n)), ImageError) << n;
    std::string webp = webp_lossy(photo_bitmap(10, 10), false);
    for (size_t n : {4, 12, 20, 26})
        EXPECT_THROW(probe(webp.substr(0, n)), ImageError) << n;
    std::string gif = simple_gif(5, 5);
    for (size_t n : {3, 6, 12, 20})
        EXPECT_THROW(probe(gif.substr(0, n)), ImageError) << n;
}

TEST(ImageProbe, RefusesDecompressionBombsFromTheHeader) {
    std::string bomb = png_header_only(100000, 100000);
    try {
        probe(bomb);
        FAIL() << "no exception";
    } catch (const ImageError& e) {
        EXPECT_NE(std::string(e.what()).find("100000×100000"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("megapixel"), std::string::npos) << e.what();
    }
    // The decoder checks on its own, before allocating 40 GB.
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_THROW(detail::decode_png(bomb), ImageError);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
    EXPECT_THROW(probe(png_header_only(25000, 10)), ImageError); // a side over 20000
    EXPECT_NO_THROW(probe(png_header_only(20000, 2000)));
    fs::path p = write_fixture("image-bomb", "bomb.png", bomb);
    EXPECT_THROW(prepare_for_epub(p, EpubPolicy{}), ImageError);
    EXPECT_THROW(prepare_for_pdf(p, PdfPolicy{}), ImageError);
}

// ================================================================ PNG decoding

TEST(ImagePng, Decodes16BitRgb) {
    PngSpec s;
    s.width = 2;
    s.height = 1;
    s.bit_depth = 16;
    s.pixels = {0x12, 0x34, 0xFF, 0xFF, 0x00, 0x00, 0x80, 0x00, 0x40, 0x00, 0x00, 0x01};
    Bitmap bm = detail::decode_png(encode_png_spec(s));
    ASSERT_EQ(bm.width, 2);
    expect_pixel(bm, 0, 0, 0x12, 0xFF, 0x00, 255);
    expect_pixel(bm, 1, 0, 0x80, 0x40, 0x00, 255);
}

TEST(ImagePng, DecodesPaletteWithTransparency) {
    PngSpec s;
    s.width = 3;
    s.height = 1;
    s.color_type = PNG_COLOR_TYPE_PALETTE;
    s.palette = {{10, 20, 30}, {40, 50, 60}, {70, 80, 90}};
    s.trns = {0, 128};
    s.pixels = {0, 1, 2};
    Bitmap bm = detail::decode_png(encode_png_spec(s));
    expect_pixel(bm, 0, 0, 10, 20, 30, 0);
    expect_pixel(bm, 1, 0, 40, 50, 60, 128);
    expect_pixel(bm, 2, 0, 70, 80, 90, 255);
}

TEST(ImagePng, DecodesGrayDepths) {
    PngSpec s;
    s.width = 8;
    s.height = 1;
    s.color_type = PNG_COLOR_TYPE_GRAY;
    s.bit_depth = 1;
    s.pixels = {0b10100000};
    Bitmap bm = detail::decode_png(encode_png_spec(s));
    expect_pixel(bm, 0, 0, 255, 255, 255, 255);
    expect_pixel(bm, 1, 0, 0, 0, 0, 255);
    expect_pixel(bm, 2, 0, 255, 255, 255, 255);

    PngSpec ga;
    ga.width = 1;
    ga.height = 1;
    ga.color_type = PNG_COLOR_TYPE_GRAY_ALPHA;
    ga.pixels = {77, 99};
    bm = detail::decode_png(encode_png_spec(ga));
    expect_pixel(bm, 0, 0, 77, 77, 77, 99);
}

TEST(ImagePng, InterlacedWithAlphaMatchesNonInterlaced) {
    Bitmap src = photo_bitmap(37, 23, true);
    PngSpec s;
    s.width = 37;
    s.height = 23;
    s.color_type = PNG_COLOR_TYPE_RGBA;
    s.pixels = src.rgba;
    s.interlace = true;
    std::string interlaced = encode_png_spec(s);
    EXPECT_EQ(uint8_t(interlaced[28]), 1); // IHDR interlace method: Adam7
    Bitmap bm = detail::decode_png(interlaced);
    EXPECT_EQ(bm.rgba, src.rgba);
}

TEST(ImagePng, EncoderRoundTripsAndIsDeterministic) {
    Bitmap src = photo_bitmap(20, 10, true);
    std::string a = detail::encode_png(src), b = detail::encode_png(src);
    EXPECT_EQ(a, b);
    EXPECT_EQ(a.find("tIME"), std::string::npos);
    EXPECT_EQ(detail::decode_png(a).rgba, src.rgba);
    Bitmap gray = flat_bitmap(8, 8);
    for (size_t i = 0; i < gray.rgba.size(); i += 4)
        gray.rgba[i + 1] = gray.rgba[i + 2] = gray.rgba[i];
    std::string g = detail::encode_png(gray);
    EXPECT_EQ(uint8_t(g[25]), PNG_COLOR_TYPE_GRAY);
    EXPECT_EQ(detail::decode_png(g).rgba, gray.rgba);
}

// ================================================================ JPEG decoding

TEST(ImageJpeg, DecodesBaselineProgressiveAndGray) {
    for (bool progressive : {false, true}) {
        Bitmap bm = detail::decode_jpeg(solid_jpeg(16, 8, 200, 100, 50, progressive));
        ASSERT_EQ(bm.width, 16);
        ASSERT_EQ(bm.height, 8);
        expect_pixel(bm, 5, 5, 200, 100, 50, 255, 4);
    }
    JpegSpec g;
    g.components = 1;
    g.pixels.assign(16 * 16, 180);
    Bitmap bm = detail::decode_jpeg(encode_jpeg_spec(g));
    expect_pixel(bm, 3, 3, 180, 180, 180, 255, 2);
}

TEST(ImageJpeg, DecodesAdobeInvertedCmyk) {
    JpegSpec s;
    s.components = 4;
    // Photoshop stores CMYK inverted: 255 means no ink. RGB(200,100,50) with no black.
    for (int i = 0; i < 16 * 16; ++i)
        s.pixels.insert(s.pixels.end(), {200, 100, 50, 255});
    std::string jpeg = encode_jpeg_spec(s);
    EXPECT_TRUE(detail::jpeg_details(jpeg).adobe);
    EXPECT_EQ(detail::jpeg_details(jpeg).components, 4);
    Bitmap bm = detail::decode_jpeg(jpeg);
    expect_pixel(bm, 8, 8, 200, 100, 50, 255, 4);
}

TEST(ImageJpeg, DctScalingKeepsAtLeastTheRequestedSize) {
    std::string jpeg = jpeg_of(photo_bitmap(400, 300));
    Bitmap bm = detail::decode_jpeg(jpeg, 100, 70);
    EXPECT_EQ(bm.width, 100); // 1/4 scale is the smallest that stays >= 100×70
    EXPECT_EQ(bm.height, 75);
    bm = detail::decode_jpeg(jpeg, 399, 10);
    EXPECT_EQ(bm.width, 400);
}

TEST(ImageJpeg, EncoderIsDeterministicBaseline420) {
    Bitmap src = photo_bitmap(64, 48);
    std::string a = detail::encode_jpeg(src, 80), b = detail::encode_jpeg(src, 80);
    EXPECT_EQ(a, b);
    detail::JpegDetails d = detail::jpeg_details(a);
    EXPECT_EQ(d.components, 3);
    EXPECT_TRUE(d.baseline_or_progressive_huffman);
    // SOF0 (baseline), luma sampled 2×2.
    size_t sof = a.find("\xFF\xC0");
    ASSERT_NE(sof, std::string::npos);
    EXPECT_EQ(uint8_t(a[sof + 11]), 0x22);
    Bitmap back = detail::decode_jpeg(a);
    expect_pixel(back, 32, 24, src.rgba[(24 * 64 + 32) * 4], src.rgba[(24 * 64 + 32) * 4 + 1],
                 src.rgba[(24 * 64 + 32) * 4 + 2], 255, 40);
}

// ================================================================ WebP and GIF decoding

TEST(ImageWebp, DecodesLossyLosslessAlphaAndAnimation) {
    Bitmap src = photo_bitmap(24, 16, true);
    Bitmap bm = detail::decode_webp(webp_lossless(src));
    EXPECT_EQ(bm.rgba, src.rgba);

    Bitmap solid = flat_bitmap(32, 32);
    bm = detail::decode_webp(webp_lossy(solid, false));
    expect_pixel(bm, 16, 2, 200, 30, 30, 255, 8);

    Bitmap translucent = flat_bitmap(16, 16);
    for (size_t i = 3; i < translucent.rgba.size(); i += 4)
        translucent.rgba[i] = 100;
    bm = detail::decode_webp(webp_lossy(translucent, true));
    expect_pixel(bm, 8, 2, 200, 30, 30, 100, 8);

    Bitmap f1 = flat_bitmap(10, 6), f2 = photo_bitmap(10, 6);
    bm = detail::decode_webp(webp_animated({f1, f2}));
    EXPECT_EQ(bm.width, 10);
    EXPECT_EQ(bm.rgba, f1.rgba);
}

TEST(ImageGif, DecodesFirstFrameWithTransparencyAndInterlace) {
    bool animated = true;
    Bitmap bm = detail::decode_gif(simple_gif(6, 4, 3), &animated);
    EXPECT_FALSE(animated);
    expect_pixel(bm, 0, 0, 255, 0, 0, 255);
    expect_pixel(bm, 1, 0, 0, 255, 0, 255);
    expect_pixel(bm, 3, 0, 0, 0, 0, 0); // index 3 is transparent
    expect_pixel(bm, 0, 1, 0, 0, 255, 255);

    Bitmap plain = detail::decode_gif(simple_gif(5, 19));
    Bitmap inter = detail::decode_gif(simple_gif(5, 19, -1, true));
    EXPECT_EQ(plain.rgba, inter.rgba);

    GifFrame a, b;
    a.width = b.width = 4;
    a.height = b.height = 4;
    a.indices.assign(16, 0);
    b.indices.assign(16, 1);
    bm = detail::decode_gif(encode_gif(4, 4, kPalette, {a, b}), &animated);
    EXPECT_TRUE(animated);
    expect_pixel(bm, 2, 2, 255, 0, 0, 255);

    // A frame smaller than the screen leaves the rest transparent.
    GifFrame small;
    small.left = 2;
    small.top = 1;
    small.width = small.height = 2;
    small.indices.assign(4, 2);
    bm = detail::decode_gif(encode_gif(5, 5, kPalette, {small}));
    expect_pixel(bm, 0, 0, 0, 0, 0, 0);
    expect_pixel(bm, 3, 2, 0, 0, 255, 255);
}

// ================================================================ scaling

TEST(ImageScale, FitKeepsAspect) {
    auto s = detail::fit_within(2464, 1856, 1600, 1600);
    EXPECT_EQ(s.width, 1600);
    EXPECT_EQ(s.height, 1205);
    s = detail::fit_within(1000, 3000, 1600, 1600);
    EXPECT_EQ(s.width, 533);
    EXPECT_EQ(s.height, 1600);
    s = detail::fit_within(800, 600, 1600, 1600);
    EXPECT_EQ(s.width, 800);
    s = detail::fit_within(100000, 1, 1600, 1600);
    EXPECT_EQ(s.height, 1);
}

TEST(ImageScale, AreaAverageWithPremultipliedAlpha) {
    Bitmap bm;
    bm.width = 2;
    bm.height = 2;
    // Opaque blue, fully transparent red (must not tint), opaque white, opaque black.
    bm.rgba = {0, 0, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 255};
    Bitmap one = detail::scale_down(bm, 1, 1);
    // Colour averages over the three opaque pixels only; alpha is 3/4.
    expect_pixel(one, 0, 0, 85, 85, 170, 191, 1);

    Bitmap flat = flat_bitmap(90, 90);
    Bitmap small = detail::scale_down(flat, 30, 30);
    expect_pixel(small, 15, 2, 200, 30, 30, 255); // solid areas stay exact
    expect_pixel(small, 15, 28, 20, 40, 160, 255);

    // Non-integer ratio: 3 -> 2 gives weights 2:1 and 1:2.
    Bitmap row;
    row.width = 3;
    row.height = 1;
    row.rgba = {0, 0, 0, 255, 90, 90, 90, 255, 240, 240, 240, 255};
    Bitmap two = detail::scale_down(row, 2, 1);
    expect_pixel(two, 0, 0, 30, 30, 30, 255);
    expect_pixel(two, 1, 0, 190, 190, 190, 255);

    Bitmap p = photo_bitmap(301, 207, true);
    EXPECT_EQ(detail::scale_down(p, 100, 69).rgba, detail::scale_down(p, 100, 69).rgba);
}

TEST(ImageScale, ExifOrientation) {
    Bitmap bm;
    bm.width = 2;
    bm.height = 1;
    bm.rgba = {1, 1, 1, 255, 2, 2, 2, 255};
    Bitmap r = detail::apply_orientation(bm, 6); // rotate 90° clockwise
    ASSERT_EQ(r.width, 1);
    ASSERT_EQ(r.height, 2);
    EXPECT_EQ(r.rgba[0], 1);
    EXPECT_EQ(r.rgba[4], 2);
    r = detail::apply_orientation(bm, 8);
    EXPECT_EQ(r.rgba[0], 2);
    r = detail::apply_orientation(bm, 2);
    EXPECT_EQ(r.rgba[0], 2);
}

// ================================================================ EPUB policy

TEST(ImageEpub, SmallPngJpegGifPassThroughUnchanged) {
    std::string png = png_rgba(photo_bitmap(50, 40, true));
    std::string jpeg = jpeg_of(photo_bitmap(60, 30), 85, true);
    std::string gif = simple_gif(20, 10, 2);
    struct Case {
        std::string name, bytes, type, ext;
    };
    for (const Case& c :
         {Case{"a.png", png, "image/png", "png"}, Case{"a.jpg", jpeg, "image/jpeg", "jpg"},
          Case{"a.gif", gif, "image/gif", "gif"}}) {
        EpubImage img = prepare_for_epub(write_fixture("image-pass", c.name, c.bytes), {});
        EXPECT_EQ(img.bytes, c.bytes) << c.name;
        EXPECT_EQ(img.media_type, c.type);
        EXPECT_EQ(img.extension, c.ext);
        EXPECT_EQ(img.width, probe(c.bytes).width);
    }
}

TEST(ImageEpub, WebpBecomesJpegOrPng) {
    EpubImage img = prepare_for_epub(
        write_fixture("image-webp", "p.webp", webp_lossy(photo_bitmap(80, 60), false)), {});
    EXPECT_EQ(img.media_type, "image/jpeg");
    EXPECT_EQ(img.extension, "jpg");
    EXPECT_TRUE(is_jpeg(img.bytes));
    EXPECT_EQ(img.width, 80);
    EXPECT_EQ(img.height, 60);

    img = prepare_for_epub(
        write_fixture("image-webp-a", "a.webp", webp_lossless(photo_bitmap(80, 60, true))), {});
    EXPECT_EQ(img.media_type, "image/png");
    EXPECT_EQ(img.extension, "png");
    ASSERT_TRUE(is_png(img.bytes));
    EXPECT_EQ(detail::decode_png(img.bytes).rgba, photo_bitmap(80, 60, true).rgba);

    img =
        prepare_for_epub(write_fixture("image-webp-anim", "x.webp",
                                       webp_animated({flat_bitmap(30, 20), photo_bitmap(30, 20)})),
                         {});
    EXPECT_EQ(img.media_type, "image/jpeg");
    EXPECT_EQ(img.width, 30);
}

TEST(ImageEpub, LargeImagesAreScaledToFit) {
    EpubPolicy policy;
    policy.max_width = 200;
    policy.max_height = 150;
    EpubImage img = prepare_for_epub(
        write_fixture("image-big-jpeg", "big.jpg", jpeg_of(photo_bitmap(1000, 500))), policy);
    EXPECT_EQ(img.media_type, "image/jpeg");
    EXPECT_EQ(img.width, 200);
    EXPECT_EQ(img.height, 100);
    Info i = probe(img.bytes);
    EXPECT_EQ(i.width, 200);
    EXPECT_EQ(i.height, 100);

    // A photograph saved as PNG becomes JPEG; flat graphics stay PNG; alpha stays PNG.
    img = prepare_for_epub(
        write_fixture("image-big-photo", "p.png", png_rgba(photo_bitmap(600, 900))), policy);
    EXPECT_EQ(img.media_type, "image/jpeg");
    EXPECT_EQ(img.width, 100);
    EXPECT_EQ(img.height, 150);
    img = prepare_for_epub(
        write_fixture("image-big-flat", "f.png", png_rgba(flat_bitmap(600, 600))), policy);
    EXPECT_EQ(img.media_type, "image/png");
    EXPECT_EQ(img.width, 150);
    img = prepare_for_epub(
        write_fixture("image-big-alpha", "a.png", png_rgba(photo_bitmap(400, 300, true))), policy);
    EXPECT_EQ(img.media_type, "image/png");
    Bitmap back = detail::decode_png(img.bytes);
    EXPECT_EQ(back.width, 200);
    EXPECT_FALSE(back.opaque());

    // An animated GIF over the limits: its first frame, as PNG.
    GifFrame a, b;
    a.width = b.width = 400;
    a.height = b.height = 40;
    a.indices.assign(400 * 40, 2);
    b.indices.assign(400 * 40, 0);
    img = prepare_for_epub(
        write_fixture("image-big-gif", "a.gif", encode_gif(400, 40, kPalette, {a, b})), policy);
    EXPECT_EQ(img.media_type, "image/png");
    EXPECT_EQ(img.width, 200);
    EXPECT_EQ(img.height, 20);
    expect_pixel(detail::decode_png(img.bytes), 10, 10, 0, 0, 255, 255);

    // Deterministic: the same input gives the same bytes.
    EpubImage again = prepare_for_epub(
        write_fixture("image-big-jpeg2", "big.jpg", jpeg_of(photo_bitmap(1000, 500))), policy);
    EpubImage first = prepare_for_epub(
        write_fixture("image-big-jpeg3", "big.jpg", jpeg_of(photo_bitmap(1000, 500))), policy);
    EXPECT_EQ(again.bytes, first.bytes);
}

TEST(ImageEpub, ExifRotatedJpegIsBakedUpright) {
    // Exif APP1: big-endian TIFF header, one IFD entry: Orientation (0x0112) SHORT 1 = 6.
    std::string exif("Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0",
                     32);
    JpegSpec s;
    s.width = 40;
    s.height = 20;
    s.app1 = exif;
    s.pixels.resize(40 * 20 * 3, 128);
    std::string jpeg = encode_jpeg_spec(s);
    EXPECT_EQ(detail::jpeg_details(jpeg).orientation, 6);
    EpubImage img = prepare_for_epub(write_fixture("image-exif", "r.jpg", jpeg), {});
    EXPECT_EQ(img.width, 20);
    EXPECT_EQ(img.height, 40);
    EXPECT_EQ(probe(img.bytes).width, 20);
}

TEST(ImageEpub, SvgPassesOnlyWhenSafe) {
    std::string ok =
        R"X(<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="20"><defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="10" height="20"/><use xlink:href="#g"/></svg>)X";
    // What ships is the checked document, serialised again behind an XML 1.0 declaration.
    const std::string decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    EpubImage img = prepare_for_epub(write_fixture("image-svg", "ok.svg", ok), {});
    EXPECT_EQ(img.bytes, decl + ok);
    EXPECT_EQ(img.media_type, "image/svg+xml");
    EXPECT_EQ(img.extension, "svg");
    EXPECT_EQ(img.width, 10);
    EXPECT_EQ(img.height, 20);

    // Missing namespace declarations are added (epubcheck requires them).
    img = prepare_for_epub(
        write_fixture("image-svg-ns", "n.svg",
                      "<?xml version=\"1.0\"?><!-- <svg> in a comment -->\n<svg width=\"5\" "
                      "height=\"5\"><use xlink:href=\"#a\"/></svg>"),
        {});
    EXPECT_EQ(img.bytes,
              decl + "<svg width=\"5\" height=\"5\" xmlns=\"http://www.w3.org/2000/svg\" "
                     "xmlns:xlink=\"http://www.w3.org/1999/xlink\"><use xlink:href=\"#a\"/></svg>");

    // A hyperlink out of a diagram fetches nothing and is kept, as SVG 1.1's xlink:href (EPUB).
    std::string link =
        R"X(<svg xmlns="http://www.w3.org/2000/svg"><a href="https://example.org/"><rect width="1" height="1"/></a></svg>)X";
    EXPECT_EQ(prepare_for_epub(write_fixture("image-svg-link", "l.svg", link), {}).bytes,
              decl + R"X(<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="https://example.org/"><rect width="1" height="1"/></a></svg>)X");

    const char* unsafe[] = {
        R"X(<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>)X",
        R"X(<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>)X",
        R"X(<svg xmlns="http://www.w3.org/2000/svg"><rect onClick="x()"/></svg>)X",
        R"X(<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="http://evil.example/x.png"/></svg>)X",
        R"X(<svg xmlns="http://www.w3.org/2000/svg"><image href="../outside.png"/></svg>)X",
        R"X(<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(http://x/y.css);</style></svg>)X",
        R"X(<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url('http://x/p#a')"/></svg>)X",
        R"X(<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"/></svg>)X",
        "<!DOCTYPE svg [<!ENTITY a \"aaaa\">]><svg xmlns=\"http://www.w3.org/2000/svg\">&a;</svg>",
        R"X(<svg xmlns="http://www.w3.org/2000/svg"><g></svg>)X",
    };
    int n = 0;
    for (const char* svg : unsafe) {
        fs::path p = write_fixture("image-svg-bad-" + std::to_string(n++), "bad.svg", svg);
        EXPECT_THROW(prepare_for_epub(p, {}), ImageError) << svg;
    }
    // The PDF gets the SVG rasterised to fit its box (details in image_svg_test.cpp).
    PdfImage pdf = prepare_for_pdf(write_fixture("image-svg-pdf", "ok.svg", ok), {});
    EXPECT_EQ(pdf.kind, PdfImage::Kind::Raw);
    EXPECT_EQ(pdf.width, 1000);
    EXPECT_EQ(pdf.height, 2000);
}

// ================================================================ PDF policy

TEST(ImagePdf, JpegPassesThroughWithComponents) {
    std::string rgb = jpeg_of(photo_bitmap(64, 48), 90, true);
    PdfImage img = prepare_for_pdf(write_fixture("image-pdf-jpeg", "a.jpg", rgb), {});
    EXPECT_EQ(img.kind, PdfImage::Kind::Jpeg);
    EXPECT_EQ(img.data, rgb);
    EXPECT_EQ(img.components, 3);
    EXPECT_EQ(img.width, 64);
    EXPECT_EQ(img.height, 48);

    JpegSpec g;
    g.components = 1;
    g.pixels.assign(16 * 16, 70);
    std::string gray = encode_jpeg_spec(g);
    img = prepare_for_pdf(write_fixture("image-pdf-gray", "g.jpg", gray), {});
    EXPECT_EQ(img.kind, PdfImage::Kind::Jpeg);
    EXPECT_EQ(img.components, 1);
    EXPECT_EQ(img.data, gray);

    // CMYK goes through RGB (no Decode-array guesswork for Adobe's inverted files).
    JpegSpec c;
    c.components = 4;
    for (int i = 0; i < 16 * 16; ++i)
        c.pixels.insert(c.pixels.end(), {200, 100, 50, 255});
    img = prepare_for_pdf(write_fixture("image-pdf-cmyk", "c.jpg", encode_jpeg_spec(c)), {});
    EXPECT_EQ(img.kind, PdfImage::Kind::Jpeg);
    EXPECT_EQ(img.components, 3);
    expect_pixel(detail::decode_jpeg(img.data), 8, 8, 200, 100, 50, 255, 5);
}

TEST(ImagePdf, JpegWithFillBytesIsReencodedForLibharu) {
    std::string jpeg = solid_jpeg(16, 16, 10, 200, 10);
    std::string padded = jpeg.substr(0, 2) + "\xFF\xFF" + jpeg.substr(2);
    EXPECT_TRUE(detail::jpeg_details(padded).padded_markers);
    EXPECT_FALSE(detail::jpeg_details(jpeg).padded_markers);
    PdfImage img = prepare_for_pdf(write_fixture("image-pdf-pad", "p.jpg", padded), {});
    EXPECT_EQ(img.kind, PdfImage::Kind::Jpeg);
    EXPECT_NE(img.data, padded);
    EXPECT_FALSE(detail::jpeg_details(img.data).padded_markers);
    expect_pixel(detail::decode_jpeg(img.data), 8, 8, 10, 200, 10, 255, 6);
}

TEST(ImagePdf, AlphaBecomesRawWithMaskAndGraphicsStayLossless) {
    Bitmap src = photo_bitmap(30, 20, true);
    PdfImage img = prepare_for_pdf(write_fixture("image-pdf-alpha", "a.png", png_rgba(src)), {});
    EXPECT_EQ(img.kind, PdfImage::Kind::Raw);
    EXPECT_EQ(img.components, 3);
    ASSERT_EQ(img.pixels.size(), 30u * 20 * 3);
    ASSERT_EQ(img.alpha.size(), 30u * 20);
    EXPECT_EQ(img.pixels[3 * 31], src.rgba[4 * 31]);
    EXPECT_EQ(img.alpha[31], src.rgba[4 * 31 + 3]);

    Bitmap flat = flat_bitmap(40, 30);
    img = prepare_for_pdf(write_fixture("image-pdf-flat", "f.png", png_rgba(flat)), {});
    EXPECT_EQ(img.kind, PdfImage::Kind::Raw);
    EXPECT_TRUE(img.alpha.empty());
    EXPECT_EQ(img.pixels[0], 200);

    img = prepare_for_pdf(write_fixture("image-pdf-gif", "g.gif", simple_gif(8, 8)), {});
    EXPECT_EQ(img.kind, PdfImage::Kind::Raw);
    EXPECT_TRUE(img.alpha.empty());
    EXPECT_EQ(img.pixels.size(), 8u * 8 * 3);

    img = prepare_for_pdf(
        write_fixture("image-pdf-webp-a", "a.webp", webp_lossless(photo_bitmap(20, 20, true))), {});
    EXPECT_EQ(img.kind, PdfImage::Kind::Raw);
    EXPECT_EQ(img.alpha.size(), 400u);
}

TEST(ImagePdf, OpaquePngKeepsItsOwnCompressedRows) {
    for (int type : {PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_GRAY}) {
        int c = type == PNG_COLOR_TYPE_RGB ? 3 : 1;
        PngSpec spec;
        spec.width = 37;
        spec.height = 11;
        spec.color_type = type;
        for (int i = 0; i < 37 * 11 * c; ++i)
            spec.pixels.push_back(uint8_t(i * 7 % 251));
        std::string file = encode_png_spec(spec);
        PdfImage img = prepare_for_pdf(write_fixture("image-pdf-png", "p.png", file), {});
        EXPECT_EQ(img.kind, PdfImage::Kind::Png) << type;
        EXPECT_EQ(img.components, c);
        EXPECT_EQ(img.width, 37);
        EXPECT_EQ(img.height, 11);
        EXPECT_NE(file.find(img.data), std::string::npos); // the IDAT data, as it was
        EXPECT_EQ(inflated_size(img.data), size_t(37 * c + 1) * 11);
        EXPECT_TRUE(img.pixels.empty());
    }
    // What a PDF cannot take as is gets decoded: palette, 16 bits, interlaced.
    PngSpec pal;
    pal.color_type = PNG_COLOR_TYPE_PALETTE;
    pal.palette = {{255, 0, 0}, {0, 0, 255}};
    pal.pixels.assign(16, 1);
    PngSpec deep;
    deep.bit_depth = 16;
    for (int i = 0; i < 4 * 4 * 6; ++i)
        deep.pixels.push_back(uint8_t(i * 9));
    PngSpec laced;
    laced.interlace = true;
    for (int i = 0; i < 4 * 4 * 3; ++i)
        laced.pixels.push_back(uint8_t(i * 5));
    for (const PngSpec* s : {&pal, &deep, &laced}) {
        PdfImage img =
            prepare_for_pdf(write_fixture("image-pdf-png-x", "x.png", encode_png_spec(*s)), {});
        EXPECT_EQ(img.kind, PdfImage::Kind::Raw);
        EXPECT_EQ(img.pixels.size(), 4u * 4 * 3);
    }
}

TEST(ImagePdf, CorruptPngDataIsCaughtWithoutDecoding) {
    PngSpec spec;
    spec.width = 16;
    spec.height = 16;
    for (int i = 0; i < 16 * 16 * 3; ++i)
        spec.pixels.push_back(uint8_t(i));
    std::string file = encode_png_spec(spec);
    size_t idat = file.find("IDAT");
    ASSERT_NE(idat, std::string::npos);
    uint32_t len = (uint32_t(uint8_t(file[idat - 4])) << 24) |
                   (uint32_t(uint8_t(file[idat - 3])) << 16) |
                   (uint32_t(uint8_t(file[idat - 2])) << 8) | uint8_t(file[idat - 1]);
    // A flipped byte: the CRC no longer matches.
    std::string flipped = file;
    flipped[idat + 4 + len / 2] ^= 0x55;
    EXPECT_THROW(prepare_for_pdf(write_fixture("image-pdf-crc", "c.png", flipped), {}), ImageError);
    // The same with a CRC that matches: the zlib data itself is checked.
    std::string forged = flipped;
    uint32_t crc = crc32_of(forged.substr(idat, 4 + len));
    for (int i = 0; i < 4; ++i)
        forged[idat + 4 + len + size_t(i)] = char((crc >> (24 - 8 * i)) & 0xFF);
    EXPECT_THROW(prepare_for_pdf(write_fixture("image-pdf-zlib", "z.png", forged), {}), ImageError);
    // Cut short.
    EXPECT_THROW(
        prepare_for_pdf(write_fixture("image-pdf-cut", "t.png", file.substr(0, idat + 20)), {}),
        ImageError);
}

TEST(ImagePdf, LargeAndWebpBecomeScaledJpeg) {
    PdfPolicy policy;
    policy.max_width = 300;
    policy.max_height = 300;
    PdfImage img = prepare_for_pdf(
        write_fixture("image-pdf-big", "b.jpg", jpeg_of(photo_bitmap(900, 600))), policy);
    EXPECT_EQ(img.kind, PdfImage::Kind::Jpeg);
    EXPECT_EQ(img.width, 300);
    EXPECT_EQ(img.height, 200);
    EXPECT_EQ(probe(img.data).width, 300);

    img = prepare_for_pdf(
        write_fixture("image-pdf-webp", "w.webp", webp_lossy(photo_bitmap(120, 90), false)),
        policy);
    EXPECT_EQ(img.kind, PdfImage::Kind::Jpeg);
    EXPECT_EQ(img.width, 120);

    img = prepare_for_pdf(
        write_fixture("image-pdf-bigpng", "p.png", png_rgba(photo_bitmap(900, 600))), policy);
    EXPECT_EQ(img.kind, PdfImage::Kind::Jpeg);
    EXPECT_EQ(img.width, 300);

    img = prepare_for_pdf(
        write_fixture("image-pdf-bigflat", "f.png", png_rgba(flat_bitmap(900, 600))), policy);
    EXPECT_EQ(img.kind, PdfImage::Kind::Raw);
    EXPECT_EQ(img.width, 300);
    EXPECT_EQ(img.pixels.size(), 300u * 200 * 3);
}

// ================================================================ robustness

TEST(ImageRobustness, TruncatedAndCorruptFilesThrowImageError) {
    struct Case {
        std::string name, bytes;
    };
    PngSpec inter;
    inter.width = 40;
    inter.height = 30;
    inter.color_type = PNG_COLOR_TYPE_RGBA;
    inter.interlace = true;
    inter.pixels = photo_bitmap(40, 30, true).rgba;
    std::vector<Case> cases = {
        {"png", png_rgba(photo_bitmap(40, 30))},
        {"interlaced.png", encode_png_spec(inter)},
        {"jpg", jpeg_of(photo_bitmap(40, 30))},
        {"progressive.jpg", jpeg_of(photo_bitmap(40, 30), 90, true)},
        {"webp", webp_lossy(photo_bitmap(40, 30), false)},
        {"lossless.webp", webp_lossless(photo_bitmap(40, 30, true))},
        {"anim.webp", webp_animated({photo_bitmap(20, 20), flat_bitmap(20, 20)})},
        {"gif", simple_gif(40, 30)},
    };
    fs::path dir = ts::fresh_dir("image-corrupt");
    for (const Case& c : cases) {
        // Cut anywhere in the first half: always an error, for probe + both policies.
        for (size_t cut : {c.bytes.size() / 2, c.bytes.size() / 3, size_t(30), size_t(7)}) {
            fs::path p = dir / ("cut." + c.name);
            ts::write(p, c.bytes.substr(0, cut));
            EXPECT_THROW(prepare_for_epub(p, {}), ImageError) << c.name << " cut at " << cut;
            EXPECT_THROW(prepare_for_pdf(p, {}), ImageError) << c.name << " cut at " << cut;
        }
        // Byte damage anywhere: a clean error or an image, never a crash.
        for (size_t at = 0; at < c.bytes.size(); at += std::max<size_t>(1, c.bytes.size() / 97)) {
            std::string bad = c.bytes;
            bad[at] = char(bad[at] ^ 0x5A);
            fs::path p = dir / ("bad." + c.name);
            ts::write(p, bad);
            try {
                EpubImage e = prepare_for_epub(p, {});
                EXPECT_FALSE(e.bytes.empty());
            } catch (const ImageError&) {
            }
            try {
                PdfImage e = prepare_for_pdf(p, {});
                EXPECT_GT(e.width, 0);
            } catch (const ImageError&) {
            }
        }
    }
    // A PNG whose image data stops early is not passed through as if whole.
    std::string png = png_rgba(photo_bitmap(60, 60));
    std::string cut = png.substr(0, png.size() - 40);
    fs::path p = dir / "tail.png";
    ts::write(p, cut);
    EXPECT_THROW(prepare_for_epub(p, {}), ImageError);
    std::string jpeg = jpeg_of(photo_bitmap(60, 60));
    ts::write(p = dir / "tail.jpg", jpeg.substr(0, jpeg.size() - 100));
    try {
        prepare_for_epub(p, {});
        FAIL() << "truncated JPEG passed";
    } catch (const ImageError& e) {
        EXPECT_STREQ(e.what(), "truncated JPEG");
    }
    EXPECT_THROW(prepare_for_epub(dir / "missing.png", {}), ImageError);
}

// ================================================================ pass-through PNG check

namespace {

struct Chunk {
    std::string type, data;
};

uint32_t get_be32(const std::string& s, size_t at) {
    return uint32_t(uint8_t(s[at])) << 24 | uint32_t(uint8_t(s[at + 1])) << 16 |
           uint32_t(uint8_t(s[at + 2])) << 8 | uint8_t(s[at + 3]);
}

std::vector<Chunk> chunks_of(const std::string& png) {
    std::vector<Chunk> out;
    for (size_t at = 8; at + 12 <= png.size();) {
        uint32_t len = get_be32(png, at);
        out.push_back({png.substr(at + 4, 4), png.substr(at + 8, len)});
        at += 12 + len;
    }
    return out;
}

// Chunks back into a file, every CRC correct: damage made this way gets past a CRC check.
std::string png_of(const std::vector<Chunk>& chunks) {
    auto put32 = [](std::string& s, uint32_t v) {
        for (int i = 3; i >= 0; --i)
            s += char((v >> (8 * i)) & 0xFF);
    };
    std::string out = "\x89PNG\r\n\x1a\n";
    for (const auto& c : chunks) {
        put32(out, uint32_t(c.data.size()));
        out += c.type + c.data;
        put32(out, crc32_of(c.type + c.data));
    }
    return out;
}

std::string zlib_of(const std::string& raw) {
    uLongf n = compressBound(raw.size());
    std::string out(n, '\0');
    EXPECT_EQ(compress2(reinterpret_cast<Bytef*>(out.data()), &n,
                        reinterpret_cast<const Bytef*>(raw.data()), raw.size(), 6),
              Z_OK);
    out.resize(n);
    return out;
}

std::string unzlib(const std::string& z, size_t size) {
    std::string out(size + 1, '\0');
    uLongf n = out.size();
    EXPECT_EQ(uncompress(reinterpret_cast<Bytef*>(out.data()), &n,
                         reinterpret_cast<const Bytef*>(z.data()), z.size()),
              Z_OK);
    out.resize(n);
    return out;
}

// The file with its image data replaced by `stream` (one IDAT), CRCs fixed.
std::string with_stream(const std::vector<Chunk>& chunks, const std::string& stream) {
    std::vector<Chunk> out;
    bool done = false;
    for (const auto& c : chunks) {
        if (c.type != "IDAT") {
            out.push_back(c);
        } else if (!done) {
            out.push_back({"IDAT", stream});
            done = true;
        }
    }
    return png_of(out);
}

std::string idat_of(const std::vector<Chunk>& chunks) {
    std::string z;
    for (const auto& c : chunks)
        if (c.type == "IDAT") z += c.data;
    return z;
}

std::string filled(size_t n, unsigned seed) {
    std::string s(n, '\0');
    for (auto& c : s)
        c = char((seed = seed * 1103515245u + 12345u) >> 16);
    return s;
}

} // namespace

TEST(ImagePngCheck, AcceptsEveryKindLibpngWrites) {
    struct Kind {
        int color_type, channels;
        std::vector<int> depths;
    };
    std::vector<Kind> kinds = {{PNG_COLOR_TYPE_GRAY, 1, {1, 2, 4, 8, 16}},
                               {PNG_COLOR_TYPE_RGB, 3, {8, 16}},
                               {PNG_COLOR_TYPE_PALETTE, 1, {1, 2, 4, 8}},
                               {PNG_COLOR_TYPE_GRAY_ALPHA, 2, {8, 16}},
                               {PNG_COLOR_TYPE_RGBA, 4, {8, 16}}};
    int checked = 0;
    for (const auto& k : kinds)
        for (int depth : k.depths)
            for (bool interlace : {false, true})
                for (auto [w, h] : {std::pair{1, 1}, {13, 7}, {3, 9}, {33, 17}}) {
                    PngSpec s;
                    s.width = w;
                    s.height = h;
                    s.color_type = k.color_type;
                    s.bit_depth = depth;
                    s.interlace = interlace;
                    if (k.color_type == PNG_COLOR_TYPE_PALETTE)
                        for (int i = 0; i < (1 << depth); ++i)
                            s.palette.push_back(
                                {png_byte(i * 7), png_byte(255 - i), png_byte(i * 3)});
                    size_t rowbytes = (size_t(w) * size_t(k.channels * depth) + 7) / 8;
                    std::string px = filled(rowbytes * size_t(h), unsigned(w * 31 + depth));
                    s.pixels.assign(px.begin(), px.end());
                    std::string png = encode_png_spec(s);
                    SCOPED_TRACE(std::to_string(k.color_type) + "/" + std::to_string(depth) +
                                 (interlace ? " interlaced " : " ") + std::to_string(w) + "x" +
                                 std::to_string(h));
                    EXPECT_NO_THROW(detail::decode_png(png)); // the fixture itself is sound
                    EXPECT_TRUE(detail::png_is_whole(png));
                    // Ancillary chunks anywhere after IHDR, and bytes after IEND, are fine.
                    auto chunks = chunks_of(png);
                    chunks.insert(chunks.begin() + 1, {"tEXt", std::string("Title\0x", 7)});
                    chunks.insert(chunks.end() - 1, {"zzZz", "private"});
                    EXPECT_TRUE(detail::png_is_whole(png_of(chunks) + "trailing junk"));
                    ++checked;
                }
    EXPECT_EQ(checked, 15 * 2 * 4);
    EXPECT_TRUE(detail::png_is_whole(ts::make_png(40, 30, 0x2060a0)));
    EXPECT_TRUE(detail::png_is_whole(png_rgba(photo_bitmap(64, 48, true))));
}

TEST(ImagePngCheck, RejectsAnyCutOrFlippedByte) {
    std::string png = png_rgba(photo_bitmap(23, 11));
    ASSERT_TRUE(detail::png_is_whole(png));
    for (size_t n = 0; n < png.size(); ++n)
        EXPECT_FALSE(detail::png_is_whole(png.substr(0, n))) << "cut at " << n;
    for (size_t at = 0; at < png.size(); ++at) {
        std::string bad = png;
        bad[at] = char(bad[at] ^ 0x10);
        EXPECT_FALSE(detail::png_is_whole(bad)) << "flipped at " << at;
    }
}

TEST(ImagePngCheck, RejectsDamageThatKeepsValidCrcs) {
    PngSpec s;
    s.width = 23;
    s.height = 11;
    s.color_type = PNG_COLOR_TYPE_RGB;
    std::string px = filled(23 * 3 * 11, 5);
    s.pixels.assign(px.begin(), px.end());
    std::string png = encode_png_spec(s);
    auto chunks = chunks_of(png);
    size_t stride = 1 + 23 * 3;
    std::string rows = unzlib(idat_of(chunks), stride * 11);
    ASSERT_EQ(rows.size(), stride * 11);
    // The helpers themselves make a whole file.
    ASSERT_TRUE(detail::png_is_whole(with_stream(chunks, zlib_of(rows))));

    fs::path dir = ts::fresh_dir("image-png-check");
    auto rejected = [&](const std::string& what, const std::string& bad, bool libpng_too) {
        EXPECT_FALSE(detail::png_is_whole(bad)) << what;
        if (!libpng_too) return;
        // And the EPUB policy, falling back to a full decode, does not ship it either.
        fs::path p = dir / "bad.png";
        ts::write(p, bad);
        EXPECT_THROW(prepare_for_epub(p, {}), ImageError) << what;
    };
    rejected("a row missing", with_stream(chunks, zlib_of(rows.substr(0, rows.size() - stride))),
             true);
    rejected("a byte missing", with_stream(chunks, zlib_of(rows.substr(0, rows.size() - 1))), true);
    rejected("an extra row", with_stream(chunks, zlib_of(rows + rows.substr(0, stride))), false);
    std::string bad_filter = rows;
    bad_filter[3 * stride] = 5;
    rejected("filter type 5", with_stream(chunks, zlib_of(bad_filter)), true);
    std::string z = zlib_of(rows);
    rejected("stream cut short", with_stream(chunks, z.substr(0, z.size() - 8)), true);
    rejected("garbage stream", with_stream(chunks, filled(z.size(), 9)), true);
    rejected("data after the stream", with_stream(chunks, z + "\x03\x00"), false);

    auto edited = [&](auto edit) {
        auto c = chunks;
        edit(c);
        return png_of(c);
    };
    rejected("no IEND", edited([](auto& c) { c.pop_back(); }), true);
    rejected("IEND with data", edited([](auto& c) { c.back().data = "x"; }), false);
    rejected("no IDAT",
             edited([](auto& c) { std::erase_if(c, [](auto& x) { return x.type == "IDAT"; }); }),
             true);
    rejected("IDAT split by another chunk", edited([&](auto& c) {
                 std::erase_if(c, [](auto& x) { return x.type == "IDAT"; });
                 c.insert(c.end() - 1, {"IDAT", z.substr(0, 10)});
                 c.insert(c.end() - 1, {"tEXt", std::string("a\0b", 3)});
                 c.insert(c.end() - 1, {"IDAT", z.substr(10)});
             }),
             false);
    rejected("IHDR not first", edited([](auto& c) {
                 c.insert(c.begin(), {"tEXt", std::string("a\0b", 3)});
             }),
             true);
    rejected("RGB at 4 bits", edited([](auto& c) { c[0].data[8] = 4; }), true);
    rejected("unknown interlace method", edited([](auto& c) { c[0].data[12] = 2; }), true);
    rejected("PLTE in a gray image", edited([](auto& c) {
                 c[0].data[9] = 0; // gray: the rows are now too long, but PLTE comes first
                 c.insert(c.begin() + 1, {"PLTE", std::string(6, '\x10')});
             }),
             false);
    rejected("an unknown critical chunk", edited([](auto& c) {
                 c.insert(c.begin() + 1, {"ABCD", "x"});
             }),
             true);

    // Palette images need a PLTE before the data, with no more entries than the depth allows.
    PngSpec pal;
    pal.width = 9;
    pal.height = 5;
    pal.color_type = PNG_COLOR_TYPE_PALETTE;
    pal.bit_depth = 4;
    pal.palette.assign(16, {1, 2, 3});
    px = filled((9 * 4 + 7) / 8 * 5, 3);
    pal.pixels.assign(px.begin(), px.end());
    auto pchunks = chunks_of(encode_png_spec(pal));
    ASSERT_TRUE(detail::png_is_whole(png_of(pchunks)));
    auto no_plte = pchunks;
    std::erase_if(no_plte, [](auto& x) { return x.type == "PLTE"; });
    rejected("palette image without PLTE", png_of(no_plte), true);
    auto big_plte = pchunks;
    for (auto& c : big_plte)
        if (c.type == "PLTE") c.data += std::string(3, '\x7f');
    rejected("17 entries at 4 bits", png_of(big_plte), false);

    // Interlaced: the seven passes' rows, not width×height.
    PngSpec inter = s;
    inter.interlace = true;
    auto ichunks = chunks_of(encode_png_spec(inter));
    ASSERT_TRUE(detail::png_is_whole(png_of(ichunks)));
    std::string irows = unzlib(idat_of(ichunks), 100000);
    EXPECT_NE(irows.size(), rows.size());
    ASSERT_TRUE(detail::png_is_whole(with_stream(ichunks, zlib_of(irows))));
    rejected("interlaced, a byte missing",
             with_stream(ichunks, zlib_of(irows.substr(0, irows.size() - 1))), true);
    rejected("interlaced, read as not", with_stream(chunks, zlib_of(irows)), true);
}

// ================================================================ cache

namespace {
std::vector<fs::path> cache_files(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}
} // namespace

TEST(ImageCache, GetPutRoundTripAndCorruptionIsAMiss) {
    fs::path dir = ts::fresh_dir("image-cache-raw");
    Cache cache(dir);
    std::string out;
    EXPECT_FALSE(cache.get("ab12", out));
    cache.put("ab12", "hello");
    ASSERT_TRUE(cache.get("ab12", out));
    EXPECT_EQ(out, "hello");
    EXPECT_TRUE(fs::exists(dir / "ab" / "ab12"));
    std::string raw = ts::slurp(dir / "ab" / "ab12");
    raw[1] ^= 1;
    ts::write(dir / "ab" / "ab12", raw);
    EXPECT_FALSE(cache.get("ab12", out));
    EXPECT_FALSE(cache.get("../../etc/passwd", out)); // keys are hex only
    Cache nowhere("/proc/definitely/not/writable");
    nowhere.put("ab12", "x"); // no throw
    EXPECT_FALSE(nowhere.get("ab12", out));
}

TEST(ImageCache, EntriesAreVersionedAndCheckedWhole) {
    fs::path dir = ts::fresh_dir("image-cache-format");
    Cache cache(dir);
    std::string big = filled(3 << 20, 17), out;
    cache.put("cd34", big);
    ASSERT_TRUE(cache.get("cd34", out));
    EXPECT_EQ(out, big);
    cache.put("cd35", "");
    ASSERT_TRUE(cache.get("cd35", out));
    EXPECT_EQ(out, "");

    fs::path file = dir / "cd" / "cd34";
    std::string raw = ts::slurp(file);
    auto miss_with = [&](const std::string& bytes, const char* what) {
        ts::write(file, bytes);
        std::string got = "untouched";
        EXPECT_FALSE(cache.get("cd34", got)) << what;
        EXPECT_EQ(got, "untouched") << what;
    };
    miss_with(raw.substr(0, raw.size() - 1), "last byte cut");
    miss_with(raw + "x", "a byte appended");
    miss_with(raw.substr(0, 12), "header cut");
    std::string flipped = raw;
    flipped[raw.size() - 5] ^= 0x01;
    miss_with(flipped, "one payload bit flipped");
    std::string other_version = raw;
    other_version[7] = char(other_version[7] + 1);
    miss_with(other_version, "another format version");
    // The previous format: the payload followed by its SHA-256.
    std::string payload = "EPUBIMG1" + std::string(40, '\1');
    auto sha = imprenta::util::Sha256().update(payload).digest();
    miss_with(payload + std::string(reinterpret_cast<const char*>(sha.data()), sha.size()),
              "old SHA-256 entry");
    fs::remove(file);
    fs::create_directory(file);
    EXPECT_FALSE(cache.get("cd34", out)); // a directory in its place
}

TEST(ImageCache, PrepareUsesCacheAndRebuildsCorruptEntries) {
    fs::path dir = ts::fresh_dir("image-cache");
    Cache cache(dir / "cache");
    fs::path a = write_fixture("image-cache-a", "a.webp", webp_lossy(photo_bitmap(90, 60), false));
    fs::path b =
        write_fixture("image-cache-b", "b.webp", webp_lossless(photo_bitmap(50, 40, true)));

    EpubImage first = prepare_for_epub(a, {}, &cache);
    auto files = cache_files(dir / "cache");
    ASSERT_EQ(files.size(), 1u);
    fs::path entry_a = files[0];
    EpubImage hit = prepare_for_epub(a, {}, &cache);
    EXPECT_EQ(hit.bytes, first.bytes);
    EXPECT_EQ(hit.media_type, first.media_type);
    EXPECT_EQ(hit.width, first.width);

    // Prove the hit is served from disk: plant b's entry under a's key.
    EpubImage other = prepare_for_epub(b, {}, &cache);
    files = cache_files(dir / "cache");
    ASSERT_EQ(files.size(), 2u);
    fs::path entry_b = files[0] == entry_a ? files[1] : files[0];
    fs::copy_file(entry_b, entry_a, fs::copy_options::overwrite_existing);
    EXPECT_EQ(prepare_for_epub(a, {}, &cache).bytes, other.bytes);

    // A damaged entry is ignored and rebuilt.
    std::string raw = ts::slurp(entry_a);
    raw[raw.size() / 2] ^= 0x40;
    ts::write(entry_a, raw);
    EXPECT_EQ(prepare_for_epub(a, {}, &cache).bytes, first.bytes);
    EXPECT_EQ(prepare_for_epub(a, {}, &cache).bytes, first.bytes);
    ts::write(entry_a, "");
    EXPECT_EQ(prepare_for_epub(a, {}, &cache).bytes, first.bytes);

    // Policies and backends have separate entries.
    EpubPolicy small;
    small.max_width = 30;
    EXPECT_EQ(prepare_for_epub(a, small, &cache).width, 30);
    PdfImage pdf = prepare_for_pdf(b, {}, &cache);
    PdfImage pdf_hit = prepare_for_pdf(b, {}, &cache);
    EXPECT_EQ(pdf.kind, PdfImage::Kind::Raw);
    EXPECT_EQ(pdf_hit.pixels, pdf.pixels);
    EXPECT_EQ(pdf_hit.alpha, pdf.alpha);
    EXPECT_EQ(cache_files(dir / "cache").size(), 4u);
}

TEST(ImageCache, ConcurrentPreparesAgree) {
    fs::path dir = ts::fresh_dir("image-cache-mt");
    Cache cache(dir / "cache");
    fs::path a = write_fixture("image-cache-mt-a", "a.png", png_rgba(photo_bitmap(300, 200, true)));
    EpubPolicy policy;
    policy.max_width = 100;
    std::vector<std::string> results(6);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < results.size(); ++i)
        threads.emplace_back([&, i] { results[i] = prepare_for_epub(a, policy, &cache).bytes; });
    for (auto& t : threads)
        t.join();
    for (const auto& r : results)
        EXPECT_EQ(r, results[0]);
    EXPECT_EQ(cache_files(dir / "cache").size(), 1u); // no temporary files left behind
}

// ================================================================ the real banners

TEST(ImageBanner, RealWebpBannerTranscodes) {
    fs::path banner =
        fs::path(ts::shared_dir()) / "cronica/static/style_1/banner_images/02_cgpt.webp";
    if (!fs::exists(banner)) GTEST_SKIP() << "no " << banner;
    auto t0 = std::chrono::steady_clock::now();
    EpubImage epub = prepare_for_epub(banner, EpubPolicy{});
    auto t1 = std::chrono::steady_clock::now();
    PdfImage pdf = prepare_for_pdf(banner, PdfPolicy{});
    auto t2 = std::chrono::steady_clock::now();
    std::printf(
        "banner 02_cgpt.webp: EPUB %lld ms (%zu bytes, %dx%d), PDF %lld ms (%zu bytes, %dx%d)\n",
        (long long)std::chrono::duration_cast<std::chrono::milliseconds>(t1 - t0).count(),
        epub.bytes.size(), epub.width, epub.height,
        (long long)std::chrono::duration_cast<std::chrono::milliseconds>(t2 - t1).count(),
        pdf.data.size(), pdf.width, pdf.height);
    EXPECT_EQ(epub.media_type, "image/jpeg");
    EXPECT_TRUE(is_jpeg(epub.bytes));
    EXPECT_LE(epub.width, 1600);
    EXPECT_EQ(probe(epub.bytes).width, epub.width);
    EXPECT_EQ(pdf.kind, PdfImage::Kind::Jpeg);
    EXPECT_LE(pdf.width, 2000);
    EXPECT_EQ(pdf.components, 3);
    Info src = probe(ts::slurp(banner));
    // Aspect kept within a pixel.
    EXPECT_NEAR(double(epub.height), double(epub.width) * src.height / src.width, 1.0);
}

TEST(ImageBanner, RealBookAssets) {
    fs::path dir = fs::path(ts::shared_dir()) / "cronica/assets/general_assets";
    fs::path comic = dir / "world_model_comic.jpeg", png = dir / "elon_xai.png";
    if (!fs::exists(comic) || !fs::exists(png)) GTEST_SKIP() << "no " << dir;
    // 1737×1374 grayscale JPEG: scaled for the EPUB (staying gray), embedded as is in the PDF.
    EpubImage e = prepare_for_epub(comic, EpubPolicy{});
    EXPECT_EQ(e.media_type, "image/jpeg");
    EXPECT_EQ(e.width, EpubPolicy{}.max_width);
    EXPECT_EQ(detail::jpeg_details(e.bytes).components, 1);
    PdfImage p = prepare_for_pdf(comic, PdfPolicy{});
    EXPECT_EQ(p.kind, PdfImage::Kind::Jpeg);
    EXPECT_EQ(p.components, 1);
    EXPECT_EQ(p.data, ts::slurp(comic));
    // 686×386 RGB PNG: passes through for the EPUB, and its own data goes into the PDF.
    e = prepare_for_epub(png, EpubPolicy{});
    EXPECT_EQ(e.bytes, ts::slurp(png));
    p = prepare_for_pdf(png, PdfPolicy{});
    EXPECT_EQ(p.kind, PdfImage::Kind::Png);
    EXPECT_EQ(p.components, 3);
    EXPECT_EQ(inflated_size(p.data), (686u * 3 + 1) * 386);
}
