// File-system helpers: whole-file reads with clear errors, all-or-nothing writes, and the rule that
// nothing outside the book folder is ever read.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>

namespace imprenta::util {

namespace fs = std::filesystem;

// The file's bytes; throws BuildError naming the file if it cannot be read or exceeds `max_bytes`.
std::string read_file(const fs::path& path, size_t max_bytes = size_t(256) << 20);

// Writes `data` to a temporary file beside `target`, flushes it and renames it over `target`,
// so readers see either the old file or the new one, never a half-written one.
void write_file_atomic(const fs::path& target, std::string_view data);

// A temporary path beside `target` that is removed on destruction unless commit() renamed it over
// `target`. For writers (libzip, libharu) that want a file name of their own.
class PendingFile {
public:
    explicit PendingFile(fs::path target);
    ~PendingFile();
    PendingFile(const PendingFile&) = delete;
    PendingFile& operator=(const PendingFile&) = delete;

    const fs::path& temp_path() const { return temp_; }
    const fs::path& target() const { return target_; }
    void commit(); // fsync + rename; throws BuildError on failure

private:
    fs::path target_;
    fs::path temp_;
    bool committed_ = false;
};

// True if `path`, with every symlink resolved, lies inside `root` (also resolved).
bool is_within(const fs::path& root, const fs::path& path);
// The same for paths already resolved (fs::weakly_canonical): a comparison, no system call.
bool is_within_resolved(const fs::path& root, const fs::path& path);

// `path` relative to `base` in generic form ("content/a.md"), or `path` itself if not below it.
std::string display_path(const fs::path& path, const fs::path& base);

} // namespace imprenta::util
