// Internal to src/image: one source image read once and decoded at most once per decoder scale,
// the per-medium decisions that turn it into an EPUB or PDF image, and the cache's record format.
#pragma once
#include "image/codec.h"
#include "image/prepare.h"

#include <future>
#include <map>
#include <mutex>

namespace imprenta::image {

struct Cache::Memory {
    std::mutex mutex;
    // By memory_key(); the value is a serialised result, or empty when making it failed.
    std::map<std::string, std::shared_future<std::string>> results;
};

} // namespace imprenta::image

namespace imprenta::image::detail {

std::string memory_key(std::string_view kind, std::string_view policy,
                       const std::filesystem::path& source);

struct Source {
    std::string bytes;
    Info info;
    // Decoded pixels by libjpeg's M/8 scale (8 for every other format), kept so every output
    // of this source scales from one decode; the same bitmap a lone decode would give.
    std::map<int, Bitmap> decoded;
};
Source read_source(const std::filesystem::path& path); // throws ImageError

EpubImage build_epub(Source& src, const EpubPolicy& policy);
PdfImage build_pdf(Source& src, const PdfPolicy& policy);

std::string policy_string(const EpubPolicy& p);
std::string policy_string(const PdfPolicy& p);
// The disk cache's key: SHA-256 of the format version, kind, policy and source bytes.
std::string cache_key(std::string_view kind, std::string_view policy, std::string_view bytes);
std::string serialise(const EpubImage& img);
std::string serialise(const PdfImage& img);
bool deserialise(std::string_view data, EpubImage& img);
bool deserialise(std::string_view data, PdfImage& img);

} // namespace imprenta::image::detail
