// Images: probe, decode and transcode what a book uses into what each output format accepts.
#pragma once
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace imprenta::image {

enum class Format { Unknown, Png, Jpeg, Webp, Gif, Svg };

const char* format_name(Format f); // "png", "jpeg", ...

struct Info {
    Format format = Format::Unknown;
    int width = 0; // 0 when unknown (an SVG without width/height/viewBox)
    int height = 0;
    bool has_alpha = false;
    bool animated = false; // an animated WebP: books show its first frame only
};

// Thrown for unreadable, corrupt, unsupported or over-budget images; the message names no file
// (callers add the path).
class ImageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Reads just enough of `bytes` to tell format and size. Throws ImageError.
Info probe(std::string_view bytes);

// An image re-encoded for an EPUB: a core media type (image/png, image/jpeg, image/gif,
// image/svg+xml), scaled down when larger than the reading size.
struct EpubImage {
    std::string bytes;
    std::string media_type; // "image/jpeg"
    std::string extension;  // "jpg"
    int width = 0;
    int height = 0;
};

// An image ready for the PDF: a JPEG stream to embed as DCT, a PNG's own zlib stream to embed
// with PNG predictors (neither decoded nor compressed again), or raw 8-bit pixels.
struct PdfImage {
    enum class Kind { Jpeg, Png, Raw } kind = Kind::Raw;
    std::string data;            // Jpeg: the file; Png: the IDAT data (PNG-filtered rows)
    int components = 3;          // 1 (gray) or 3 (RGB); Jpeg: 1, 3 or 4 (CMYK)
    std::vector<uint8_t> pixels; // Raw: width*height*components
    std::vector<uint8_t> alpha;  // Raw: width*height, empty if opaque
    int width = 0;
    int height = 0;
};

} // namespace imprenta::image
