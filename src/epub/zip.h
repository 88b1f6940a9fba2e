// The OCF container: a zip with `mimetype` first and stored, and every entry with the same fixed
// timestamp and attributes, so the same input gives the same bytes.
//
// Entries to deflate are compressed by imprenta itself, in parallel, at close(); libzip is handed
// the finished raw deflate stream with its CRC-32 and sizes and only copies it into the archive.
// The output depends only on the entries, never on the thread count.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

struct zip;

namespace imprenta::epub {

class ZipWriter {
public:
    enum class Method { Store, Deflate };
    // libdeflate level for deflated entries (util/deflate.h). The 200-essay bench book's 5.59 MB
    // of XHTML, NCX and OPF: 1,787,882 bytes in 57 ms of CPU at 4, against 1,764,049 in 75 ms
    // at 5 and 1,781,895 with zlib at its default 6 (what zip tools and pandoc use) in 203 ms.
    // Level 4 keeps the EPUB as small as the usual tools make it for a quarter less CPU.
    static constexpr int kDeflateLevel = 4;

    // Creates (or truncates) `path`; nothing is written before close(). Errors name `report_as`
    // (the file the user asked for, when `path` is a temporary). Throws util::BuildError.
    ZipWriter(std::filesystem::path path, int64_t modified, std::string report_as);
    ~ZipWriter();
    ZipWriter(const ZipWriter&) = delete;
    ZipWriter& operator=(const ZipWriter&) = delete;

    // An entry's bytes as they go into the archive, made ahead on any thread (so a large chapter
    // is held deflated, not whole, until close()).
    struct Packed {
        std::string bytes; // raw deflate stream (Deflate) or the data itself (Store)
        uint64_t size = 0; // uncompressed
        uint32_t crc = 0;  // of the uncompressed data
        Method method = Method::Deflate;
    };
    static Packed pack(std::string data, Method method = Method::Deflate);

    // Entries are written in the order they are added.
    void add(const std::string& name, std::string data, Method method = Method::Deflate);
    void add(const std::string& name, Packed packed);
    // Deflates the entries that ask for it (in parallel) and writes the archive. Throws
    // util::BuildError; on failure `path` is not created.
    void close();

    struct Entry; // one entry's bytes, as libzip's source callback sees them (zip.cpp)

private:
    struct Discard {
        void operator()(zip* z) const;
    };
    std::filesystem::path path_;
    std::string report_as_;
    // libzip reads them at close() through a pointer each: they must not move, and must outlive
    // zip_ (declared after them, so destroyed first).
    std::vector<std::unique_ptr<Entry>> entries_;
    std::unique_ptr<zip, Discard> zip_;
    uint16_t dos_time_ = 0, dos_date_ = 0;
    int64_t mtime_ = 0;
};

} // namespace imprenta::epub
