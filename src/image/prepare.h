// What each backend asks for: an image file turned into an EPUB resource or a PDF image, with
// sizes chosen for the medium, and results cached by content hash across builds.
#pragma once
#include "image/image.h"

#include <filesystem>
#include <memory>
#include <mutex>

namespace imprenta::image {

struct EpubPolicy {
    int max_width = 1400; // a high-resolution e-reader screen; larger images are scaled down
    int max_height = 1400;
    int jpeg_quality = 80; // photographs (and opaque WebP) become JPEG at this quality
};

struct PdfPolicy {
    int max_width = 2000; // pixels; the PDF writer derives this from print size and dpi
    int max_height = 2000;
    int jpeg_quality = 85;
};

// On-disk cache of transcoded images keyed by SHA-256 of (source bytes, policy, kind).
// Thread-safe. A null cache, or a cache dir that cannot be written, just means no caching.
class Cache {
public:
    explicit Cache(std::filesystem::path dir);
    std::filesystem::path dir() const { return dir_; }
    bool get(const std::string& key, std::string& out) const;
    void put(const std::string& key, std::string_view data) const;

private:
    std::filesystem::path dir_;
};

// Both throw ImageError (corrupt, unsupported, over the pixel budget).
EpubImage prepare_for_epub(const std::filesystem::path& source, const EpubPolicy& policy,
                           const Cache* cache = nullptr);
PdfImage prepare_for_pdf(const std::filesystem::path& source, const PdfPolicy& policy,
                         const Cache* cache = nullptr);
// A PNG held in memory (a colour font's glyph strike) as raw samples plus alpha.
PdfImage pdf_image_from_png(std::string_view png);

} // namespace imprenta::image
