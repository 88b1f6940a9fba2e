// File-system helpers: whole-file reads with clear errors, all-or-nothing writes, and the rule that
// nothing outside the book folder is ever read.
#pragma once
#include "util/diag.h"

#include <filesystem>
#include <future>
#include <string>
#include <string_view>
#include <vector>

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
    // The temporary file is complete: its fsync starts now on a thread of its own, so that it
    // overlaps the rest of the build instead of waiting in commit().
    void written();
    // fsync (or waits for written()'s) + rename, then fsyncs the folder unless
    // `sync_folder` is false (the caller does, once for several files). Throws BuildError.
    void commit(bool sync_folder = true);

private:
    fs::path target_;
    fs::path temp_;
    bool committed_ = false;
    std::future<void> synced_; // written()'s fsync
};

// fsync of a file or folder; errors are ignored (the data is written either way).
void fsync_path(const fs::path& p);

// The one rule for every file the build reads: `path`, with every symlink resolved, must lie
// inside the book folder `root`; fonts (`allow_system_fonts`) may also lie in the system's font
// folders (fontconfig's default <dir> list). Returns the resolved path; otherwise throws a
// BuildError at `pos` (or the file's path relative to the book) saying where it leads instead.
fs::path resolve_input(const fs::path& root, const fs::path& path, bool allow_system_fonts = false,
                       const SourcePos* pos = nullptr);

// read_file of resolve_input(root, path): the way to read any file of the book.
std::string read_book_file(const fs::path& root, const fs::path& path,
                           size_t max_bytes = size_t(256) << 20);

// The folders fonts may be read from besides the book: /usr/share/fonts, /usr/local/share/fonts,
// /usr/share/texmf/fonts (TeX Gyre), $XDG_DATA_HOME/fonts and ~/.fonts, as resolved paths.
std::vector<fs::path> system_font_dirs();
// True if a [pdf.fonts] value names a font file ('/' in it, or a .ttf/.otf/.ttc/.otc ending)
// rather than a font family for fontconfig ("TeX Gyre Pagella").
bool looks_like_font_file(std::string_view value);

// The one rule for every file the build writes: `name` must be a plain file name (no path
// separator, not "." or "..", no NUL); returns out_dir / name or throws BuildError at `pos`.
fs::path output_path(const fs::path& out_dir, const std::string& name,
                     const SourcePos* pos = nullptr);

// True if `name` is usable as a file name of its own (see output_path).
bool is_plain_file_name(std::string_view name);

// Removes every PendingFile's temporary file that still exists (and what libzip made beside it,
// "<temp>.XXXXXX") and every registered scratch folder with what is in it, for a build stopped
// by a signal; they stay registered. Returns how many.
int remove_pending_temp_files();

// A private scratch folder (cli::TempDir) that remove_pending_temp_files removes whole, from
// registration until unregistered.
void register_scratch_dir(const fs::path& dir);
void unregister_scratch_dir(const fs::path& dir);

// Removes what a killed build of this program left in `dir`: hidden `.<name>.tmp-<pid>-<n>`
// files whose process no longer runs. Returns how many were removed.
int remove_stale_temp_files(const fs::path& dir);

// True if `path`, with every symlink resolved, lies inside `root` (also resolved).
bool is_within(const fs::path& root, const fs::path& path);
// The same for paths already resolved (fs::weakly_canonical): a comparison, no system call.
bool is_within_resolved(const fs::path& root, const fs::path& path);

// `path` relative to `base` in generic form ("content/a.md"), or `path` itself if not below it.
std::string display_path(const fs::path& path, const fs::path& base);

} // namespace imprenta::util
