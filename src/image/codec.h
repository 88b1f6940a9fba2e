// Internal to src/image: 8-bit RGBA bitmaps and the codecs (libpng, libjpeg, libwebp, giflib)
// that read and write them, plus scaling and the SVG safety check.
#pragma once
#include "image/image.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imprenta::image::detail {

inline constexpr int kMaxDimension = 20000;
inline constexpr int64_t kMaxPixels = 50'000'000;

// Throws ImageError if a width×height image is over the pixel budget (or not positive).
void check_budget(int64_t width, int64_t height);

struct Bitmap {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> rgba; // width*height*4, straight (not premultiplied) alpha

    bool opaque() const; // every alpha byte is 255
    bool gray() const;   // every pixel has r == g == b
};

// Pixels as cairo draws them (CAIRO_FORMAT_ARGB32): one native-endian uint32 per pixel, alpha
// premultiplied.
struct Argb32 {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> data; // width*height*4
};
// The same pixels as straight RGBA, converted in place.
Bitmap straight_rgba(Argb32 pixels);

// What the JPEG headers say, beyond Info: needed to decide whether a PDF can embed it as is.
struct JpegDetails {
    int components = 0;                           // 1, 3 or 4
    int precision = 8;                            // bits per sample
    bool baseline_or_progressive_huffman = false; // SOF0/1/2: what every PDF reader decodes
    bool adobe = false;                           // an Adobe APP14 marker (CMYK stored inverted)
    int orientation = 1;                          // EXIF orientation, 1..8
    bool padded_markers = false; // 0xFF fill bytes before the frame header (libharu chokes)
};
JpegDetails jpeg_details(std::string_view bytes); // throws ImageError

// Decoders. `max_w`/`max_h` (0 = no hint) let a decoder produce a smaller bitmap that is still at
// least that big (libjpeg's DCT scaling); callers scale the rest of the way.
// The M of the M/8 scale libjpeg decodes a width×height JPEG at for those hints: the smallest
// that is at least min_w×min_h (8, full size, without hints).
int jpeg_scale_eighths(int width, int height, int min_w, int min_h);
Bitmap decode_png(std::string_view bytes);
Bitmap decode_jpeg(std::string_view bytes, int min_w = 0, int min_h = 0);
Bitmap decode_webp(std::string_view bytes);
Bitmap decode_gif(std::string_view bytes, bool* animated = nullptr);
Bitmap decode(std::string_view bytes, Format format, int min_w = 0, int min_h = 0);
// How many times decode() has run in this process: lets tests check that a build decodes each
// source once.
uint64_t decode_count();

// What png_is_whole() read on its way: IHDR's fields, whether there is a tRNS chunk, and the
// image data (the IDAT chunks' contents, one zlib stream of filtered rows).
struct PngLayout {
    uint32_t width = 0, height = 0;
    int depth = 0, color_type = 0;
    bool interlaced = false, transparency = false;
    std::string zlib;
};
// Whether a PNG is whole, without decoding its pixels: signature, every chunk's CRC-32, a valid
// IHDR, the critical chunks where they belong (PLTE when needed, one run of IDAT, IEND), and an
// image data stream that inflates to exactly the rows IHDR implies, each with a valid filter
// type. False means "not proven", not "corrupt": callers fall back to a full decode.
bool png_is_whole(std::string_view bytes, PngLayout* layout = nullptr);

// A whole file's bytes (png_is_whole, or a JPEG that decodes) without the chunks or segments that
// only describe it, pixels untouched: PNG loses tEXt/zTXt/iTXt/tIME/eXIf and every other
// ancillary chunk but the colour and size ones (tRNS, gAMA, cHRM, sRGB, iCCP, sBIT, cICP, bKGD,
// pHYs); JPEG loses APP1 (Exif, XMP), APP13 (IPTC) and comments, keeping JFIF, ICC and Adobe.
// Returns the input unchanged when there is nothing to drop or the layout is not understood.
std::string png_without_metadata(std::string_view bytes);
std::string jpeg_without_metadata(std::string_view bytes);

// Encoders: deterministic output (no timestamps, fixed settings).
// PNG as RGBA, RGB, GA or G, whichever the pixels allow; `level` is zlib's (1 fast, 9 small).
// `runs`: for drawn images (the generated cover), zlib's run-length strategy and the Paeth filter
// on every row instead of libpng's per-row search (the Crónica's cover ~7x faster than with the
// defaults and 4 % smaller). An opaque RGB drawing is filtered by our own loop, which the compiler
// vectorises, and deflated by util::RunDeflater (the same run-length matches, found 8 bytes at a
// time; `level` is unused) into one IDAT: libpng's byte-by-byte Paeth was 13 % of a cold
// 200-essay EPUB's instructions; the Up filter would cost as little but made covers 6-45 % larger.
std::string encode_png(const Bitmap& bm, int level = 6, bool runs = false);
// encode_png(straight_rgba(pixels), 6, true) without converting the drawing first: the same
// bytes for an opaque drawing with colour, nullopt for any other (translucent or all gray,
// which encode_png lays out differently).
std::optional<std::string> encode_drawn_argb32(const Argb32& pixels);
std::string encode_jpeg(const Bitmap& bm, int quality); // alpha ignored; gray if r==g==b

// The size that fits max_w×max_h keeping the aspect ratio; the input size if it already fits.
struct Size {
    int width;
    int height;
};
Size fit_within(int width, int height, int max_w, int max_h);

// Area-average (box) downscale with premultiplied alpha, in exact integer arithmetic.
Bitmap scale_down(const Bitmap& src, int width, int height);

// Rotates/flips per an EXIF orientation (1..8).
Bitmap apply_orientation(Bitmap bm, int orientation);

// SVG: size from width/height/viewBox; has_alpha true. Throws ImageError if not an SVG document.
Info probe_svg(std::string_view bytes);
bool looks_like_svg(std::string_view bytes);
// Returns the SVG ready to ship in an EPUB (namespace declarations added when missing), or throws
// ImageError if it is malformed or unsafe (scripts, event handlers, external references).
std::string sanitize_svg(std::string_view bytes);

} // namespace imprenta::image::detail
