// Byte-level PNG and JPEG work: png_without_metadata / jpeg_without_metadata (what goes, what
// stays, files left alone) and the drawn cover's own PNG writer.
#include "image/codec.h"
#include "support/image_bytes.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace imprenta::image::detail;
namespace ts = testing_support;

namespace {

Bitmap flat(int w, int h) {
    Bitmap bm;
    bm.width = w;
    bm.height = h;
    bm.rgba.assign(size_t(w) * h * 4, 255);
    for (size_t i = 0; i < bm.rgba.size(); i += 4)
        bm.rgba[i] = uint8_t(i / 4 % 200);
    return bm;
}

} // namespace

TEST(ImageMetadata, PngKeepsColourChunksAndDropsTheRest) {
    std::string png = encode_png(flat(30, 10));
    std::string head = png.substr(0, 33), rest = png.substr(33);
    std::string srgb = ts::png_chunk("sRGB", std::string(1, '\0'));
    std::string phys =
        ts::png_chunk("pHYs", ts::be32(2835) + ts::be32(2835) + std::string(1, '\1'));
    std::string dropped = ts::png_chunk("tEXt", std::string("Author\0Ana", 10)) +
                          ts::png_chunk("iTXt", std::string("Title\0\0\0\0\0Grabado", 17)) +
                          ts::png_chunk("prVt", "private") + ts::png_chunk("eXIf", "MM\0\x2a");
    std::string source = head + srgb + dropped + phys + rest;
    EXPECT_TRUE(png_is_whole(source));
    std::string out = png_without_metadata(source);
    EXPECT_EQ(out, head + srgb + phys + rest);
    EXPECT_TRUE(png_is_whole(out));
    // Nothing to drop: the same bytes.
    EXPECT_EQ(png_without_metadata(png), png);
    // Not a PNG, or cut inside a chunk: left alone.
    EXPECT_EQ(png_without_metadata("GIF89a"), "GIF89a");
    std::string cut = source.substr(0, 40);
    EXPECT_EQ(png_without_metadata(cut), cut);
}

TEST(ImageMetadata, JpegDropsExifXmpIptcAndComments) {
    std::string jpeg = encode_jpeg(flat(24, 16), 90);
    ASSERT_EQ(uint8_t(jpeg[3]), 0xE0);
    size_t app0_end = 4 + ((uint8_t(jpeg[4]) << 8) | uint8_t(jpeg[5]));
    std::string head = jpeg.substr(0, app0_end), rest = jpeg.substr(app0_end);
    std::string icc = ts::jpeg_segment(0xE2, std::string("ICC_PROFILE\0\1\1", 14) + "profile");
    std::string adobe = ts::jpeg_segment(0xEE, std::string("Adobe\0\x64\0\0\0\0\1", 12));
    std::string dropped = ts::jpeg_segment(0xE1, std::string("Exif\0\0MM\0\x2a", 10)) +
                          ts::jpeg_segment(0xED, "Photoshop 3.0") +
                          ts::jpeg_segment(0xFE, "comentario");
    std::string source = head + dropped + icc + adobe + rest;
    std::string out = jpeg_without_metadata(source);
    EXPECT_EQ(out, head + icc + adobe + rest);
    EXPECT_EQ(decode_jpeg(out).rgba, decode_jpeg(jpeg).rgba);
    EXPECT_EQ(jpeg_without_metadata(jpeg), jpeg);
    // Fill bytes before a marker: a layout we do not rewrite.
    std::string padded = head + std::string(1, char(0xFF)) + dropped + rest;
    EXPECT_EQ(jpeg_without_metadata(padded), padded);
    std::string cut = source.substr(0, app0_end + 6);
    EXPECT_EQ(jpeg_without_metadata(cut), cut);
}

TEST(ImageEncode, DrawnRgbRoundTripsThroughOurPaethRows) {
    // The cover path (runs = true, opaque RGB): our own Paeth rows and one IDAT. Narrow images
    // cover rows shorter than the filter's left neighbour.
    for (auto [w, h] : {std::pair{1, 1}, {2, 3}, {7, 5}, {160, 90}}) {
        Bitmap bm;
        bm.width = w;
        bm.height = h;
        bm.rgba.resize(size_t(w) * h * 4);
        for (size_t i = 0; i < bm.rgba.size(); i += 4) {
            bm.rgba[i] = uint8_t(i * 7 % 251);
            bm.rgba[i + 1] = uint8_t(i / 4 % 97 + 40);
            bm.rgba[i + 2] = uint8_t(255 - i % 200);
            bm.rgba[i + 3] = 255;
        }
        std::string png = encode_png(bm, 6, true);
        EXPECT_TRUE(png_is_whole(png)) << w << "x" << h;
        Bitmap back = decode_png(png);
        EXPECT_EQ(back.width, w);
        EXPECT_EQ(back.height, h);
        EXPECT_EQ(back.rgba, bm.rgba) << w << "x" << h;
        EXPECT_EQ(png, encode_png(bm, 6, true)); // same pixels, same bytes
    }
}

TEST(ImageEncode, DrawnCoverEncodedFromCairoPixelsHasTheBytesOfTheStraightPath) {
    // The cover is encoded from cairo's premultiplied ARGB32 as drawn: an opaque drawing with
    // colour gives the bytes encode_png gives for it as straight RGBA; a translucent or all-gray
    // one is left to encode_png (nullopt), which lays those out as RGBA and gray.
    auto drawing = [](int w, int h, uint32_t alpha, bool gray) {
        Argb32 px;
        px.width = w;
        px.height = h;
        for (int i = 0; i < w * h; ++i) {
            uint32_t r = uint32_t(i * 7 % 251), g = gray ? r : uint32_t(i % 97 + 40),
                     b = gray ? r : uint32_t(255 - i % 200);
            uint32_t a = i == w * h - 1 ? alpha : 255u; // the last pixel's, premultiplied
            uint32_t p = a << 24 | (r * a / 255) << 16 | (g * a / 255) << 8 | (b * a / 255);
            uint8_t bytes[4];
            std::memcpy(bytes, &p, 4); // native-endian, as cairo stores it
            px.data.insert(px.data.end(), bytes, bytes + 4);
        }
        return px;
    };
    for (auto [w, h] : {std::pair{1, 1}, {2, 3}, {7, 5}, {160, 90}}) {
        Argb32 opaque = drawing(w, h, 255, false);
        auto direct = encode_drawn_argb32(opaque);
        ASSERT_TRUE(direct) << w << "x" << h;
        EXPECT_EQ(*direct, encode_png(straight_rgba(opaque), 6, true)) << w << "x" << h;
    }
    EXPECT_FALSE(encode_drawn_argb32(drawing(160, 90, 128, false)));
    EXPECT_FALSE(encode_drawn_argb32(drawing(160, 90, 255, true)));
}
