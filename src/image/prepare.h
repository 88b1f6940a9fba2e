// What each backend asks for: an image file turned into an EPUB resource or a PDF image, with
// sizes chosen for the medium, and results cached by content hash across builds.
#pragma once
#include "image/image.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

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
    bool raw = false; // always Kind::Raw pixels (PDF/X-1a converts them to CMYK)
};

struct Request;

// What one build's prepare_ahead made, kept for the next build of the same book (`imprenta
// watch`, through render::Memo): a request whose source bytes are unchanged (XXH3-128 of them)
// takes its result from here, skipping the disk cache's SHA-256 and its file read. A build keeps
// only what it asked for, so memory stays near one book's images. Thread-safe.
class KeptImages {
public:
    using Content = std::array<uint8_t, 16>;
    static Content content_of(std::string_view bytes);
    // Starts a build: what the last one made becomes what this one may find.
    void begin_build();
    // The result kept under `request` (Cache's memory key) for this content; it stays kept.
    bool find(const std::string& request, const Content& content, std::string& out);
    void put(const std::string& request, const Content& content, std::string result);
    void clear();
    // Results found since the last begin_build().
    size_t hits() const { return hits_; }

private:
    struct Result {
        Content content{};
        std::shared_ptr<const std::string> data;
    };
    std::mutex mutex_;
    std::map<std::string, Result> last_, now_;
    std::atomic<size_t> hits_{0};
};

// Transcoded images, kept two ways. On disk, across builds, keyed by SHA-256 of (source bytes,
// policy, kind); a cache dir that is empty or cannot be written just means no disk caching. In
// memory, for one build, keyed by request (kind, policy, source path): what prepare_ahead made,
// or is still making, for the backends to pick up. Thread-safe.
class Cache {
public:
    explicit Cache(std::filesystem::path dir);
    ~Cache();
    Cache(const Cache&) = delete;
    Cache& operator=(const Cache&) = delete;
    std::filesystem::path dir() const { return dir_; }
    bool get(const std::string& key, std::string& out) const;
    void put(const std::string& key, std::string_view data) const;

    // The result prepare_ahead made for this request, waiting for it if it is still being
    // made; false when there is none (never asked for, or failed: the caller makes it itself
    // and so reports the error).
    bool made(std::string_view kind, std::string_view policy, const std::filesystem::path& source,
              std::string& out) const;

    // Results an earlier build made (watch): prepare_ahead takes unchanged sources' results
    // from `kept` and leaves this build's there. It must outlive the cache's use.
    void keep(KeptImages* kept) { kept_ = kept; }

    struct Memory; // in image/build.h

private:
    friend std::thread prepare_ahead(std::vector<Request> requests, const Cache& cache);
    std::filesystem::path dir_;
    std::unique_ptr<Memory> memory_;
    KeptImages* kept_ = nullptr;
};

// One image a backend will ask for, with the policy it will ask with.
struct Request {
    std::filesystem::path source;
    enum class Kind { Epub, Pdf } kind = Kind::Epub;
    EpubPolicy epub;
    PdfPolicy pdf;
};

// Starts making every request on a background thread: each source read, hashed and decoded
// once for all its requests (the EPUB's and the PDF's sizes, every edition), sources in
// parallel on worker_count() threads of its own. The requests are registered before this
// returns, so prepare_for_* calls for them wait for these results instead of making their own.
// Outputs are the same as without it. Join the thread (when joinable: if no thread could be
// started, every request is marked failed and the backends make their own) before `cache` goes.
std::thread prepare_ahead(std::vector<Request> requests, const Cache& cache);

// Both throw ImageError (corrupt, unsupported, over the pixel budget).
EpubImage prepare_for_epub(const std::filesystem::path& source, const EpubPolicy& policy,
                           const Cache* cache = nullptr);
PdfImage prepare_for_pdf(const std::filesystem::path& source, const PdfPolicy& policy,
                         const Cache* cache = nullptr);
// A PNG held in memory (a colour font's glyph strike) as raw samples plus alpha.
PdfImage pdf_image_from_png(std::string_view png);

} // namespace imprenta::image
