// The OCF container: a zip with `mimetype` first and stored, and every entry with the same fixed
// timestamp and attributes, so the same input gives the same bytes.
#pragma once
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <string>

struct zip;

namespace imprenta::epub {

class ZipWriter {
public:
    enum class Method { Store, Deflate };

    // Creates (or truncates) `path`; nothing is written before close(). Errors name `report_as`
    // (the file the user asked for, when `path` is a temporary). Throws util::BuildError.
    ZipWriter(std::filesystem::path path, int64_t modified, std::string report_as);
    ~ZipWriter();
    ZipWriter(const ZipWriter&) = delete;
    ZipWriter& operator=(const ZipWriter&) = delete;

    // Entries are written in the order they are added.
    void add(const std::string& name, std::string data, Method method = Method::Deflate);
    // Writes the archive. Throws util::BuildError; on failure `path` is not created.
    void close();

private:
    struct Discard {
        void operator()(zip* z) const;
    };
    std::filesystem::path path_;
    std::string report_as_;
    std::unique_ptr<zip, Discard> zip_;
    std::deque<std::string> buffers_; // libzip reads them at close(); a deque never moves them
    uint16_t dos_time_ = 0, dos_date_ = 0;
};

} // namespace imprenta::epub
