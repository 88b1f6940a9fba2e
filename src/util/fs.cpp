#include "util/fs.h"

#include "util/diag.h"

#include <atomic>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <set>
#include <unistd.h>

namespace imprenta::util {

std::string read_file(const fs::path& path, size_t max_bytes) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f)
        throw BuildError({path.string()}, std::string("cannot read file: ") + std::strerror(errno));
    std::string data;
    char buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
        data.append(buf, n);
        if (data.size() > max_bytes) {
            std::fclose(f);
            throw BuildError({path.string()}, "file is larger than the limit of " +
                                                  std::to_string(max_bytes >> 20) + " MiB");
        }
    }
    bool failed = std::ferror(f);
    std::fclose(f);
    if (failed) throw BuildError({path.string()}, "error while reading file");
    return data;
}

namespace {
fs::path temp_beside(const fs::path& target) {
    // pid + counter: neither two builds nor two threads of one build share a temporary name.
    static std::atomic<unsigned> counter{0};
    std::string name = "."; // appended, not "." + ...: GCC 12 -O3 warns falsely (-Wrestrict)
    name += target.filename().string();
    name += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    return target.parent_path() / name;
}

} // namespace

void fsync_path(const fs::path& p) {
    int fd = ::open(p.c_str(), O_RDONLY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

namespace {
// Every PendingFile's temporary path, for remove_pending_temp_files.
std::mutex pending_mu;
std::set<fs::path>& pending_paths() {
    static auto* paths = new std::set<fs::path>(); // never destroyed: a signal may come at exit
    return *paths;
}
} // namespace

PendingFile::PendingFile(fs::path target)
    : target_(std::move(target)), temp_(temp_beside(target_)) {
    std::lock_guard lock(pending_mu);
    pending_paths().insert(temp_);
}

PendingFile::~PendingFile() {
    if (!committed_) {
        std::error_code ec;
        fs::remove(temp_, ec);
    }
    std::lock_guard lock(pending_mu);
    pending_paths().erase(temp_);
}

namespace {
std::set<fs::path>& pending_dirs() {
    static auto* dirs = new std::set<fs::path>(); // never destroyed, as pending_paths
    return *dirs;
}
} // namespace

void register_scratch_dir(const fs::path& dir) {
    std::lock_guard lock(pending_mu);
    pending_dirs().insert(dir);
}

void unregister_scratch_dir(const fs::path& dir) {
    std::lock_guard lock(pending_mu);
    pending_dirs().erase(dir);
}

int remove_pending_temp_files() {
    std::lock_guard lock(pending_mu);
    int removed = 0;
    for (const auto& d : pending_dirs()) {
        std::error_code ec;
        removed += fs::remove_all(d, ec) > 0 ? 1 : 0;
    }
    for (const auto& p : pending_paths()) {
        std::error_code ec;
        removed += fs::remove(p, ec) ? 1 : 0;
        std::string prefix = p.filename().string() + ".";
        for (fs::directory_iterator it(p.parent_path(), ec), end; !ec && it != end;
             it.increment(ec)) {
            std::error_code e2;
            if (it->path().filename().string().starts_with(prefix) && fs::remove(it->path(), e2))
                ++removed;
        }
    }
    return removed;
}

void PendingFile::written() {
    if (!synced_.valid()) synced_ = std::async(std::launch::async, [p = temp_] { fsync_path(p); });
}

void PendingFile::commit(bool sync_folder) {
    if (synced_.valid())
        synced_.get();
    else
        fsync_path(temp_);
    std::error_code ec;
    fs::rename(temp_, target_, ec);
    if (ec) throw BuildError({target_.string()}, "cannot write output file: " + ec.message());
    committed_ = true;
    if (sync_folder)
        fsync_path(target_.parent_path().empty() ? fs::path(".") : target_.parent_path());
}

void write_file_atomic(const fs::path& target, std::string_view data) {
    PendingFile pending(target);
    std::FILE* f = std::fopen(pending.temp_path().c_str(), "wb");
    if (!f)
        throw BuildError({target.string()},
                         std::string("cannot write output file: ") + std::strerror(errno));
    bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
    ok = (std::fclose(f) == 0) && ok;
    if (!ok) throw BuildError({target.string()}, "cannot write output file (disk full?)");
    pending.commit();
}

bool is_within(const fs::path& root, const fs::path& path) {
    std::error_code ec;
    auto r = fs::weakly_canonical(root, ec);
    if (ec) return false;
    auto p = fs::weakly_canonical(path, ec);
    if (ec) return false;
    return is_within_resolved(r, p);
}

bool is_within_resolved(const fs::path& r, const fs::path& p) {
    auto rel = p.lexically_relative(r);
    if (rel.empty()) return false;
    auto first = *rel.begin();
    return first != ".." && !rel.is_absolute();
}

std::vector<fs::path> system_font_dirs() {
    // TeX's font folder too: Debian's fonts-texgyre installs there (fontconfig lists it).
    std::vector<fs::path> dirs{"/usr/share/fonts", "/usr/local/share/fonts",
                               "/usr/share/texmf/fonts"};
    const char* home = std::getenv("HOME");
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x)
        dirs.push_back(fs::path(x) / "fonts");
    else if (home && *home)
        dirs.push_back(fs::path(home) / ".local/share/fonts");
    if (home && *home) dirs.push_back(fs::path(home) / ".fonts");
    for (auto& d : dirs) {
        std::error_code ec;
        auto r = fs::weakly_canonical(d, ec);
        if (!ec) d = r;
    }
    return dirs;
}

bool looks_like_font_file(std::string_view value) {
    std::string l;
    for (char c : value)
        l += char(std::tolower(static_cast<unsigned char>(c)));
    auto ends = [&](std::string_view e) {
        return l.size() >= e.size() && l.compare(l.size() - e.size(), e.size(), e) == 0;
    };
    return l.find('/') != std::string::npos || ends(".ttf") || ends(".otf") || ends(".ttc") ||
           ends(".otc");
}

fs::path resolve_input(const fs::path& root, const fs::path& path, bool allow_system_fonts,
                       const SourcePos* pos) {
    std::error_code ec;
    fs::path root_r = fs::weakly_canonical(root, ec);
    fs::path full = (path.is_relative() ? root / path : path).lexically_normal();
    std::string shown = display_path(full, root_r.empty() ? root : root_r);
    SourcePos where = pos ? *pos : SourcePos{shown};
    fs::path resolved = fs::weakly_canonical(full, ec);
    if (ec) throw BuildError(where, "cannot resolve " + shown + ": " + ec.message());
    if (!root_r.empty() && is_within_resolved(root_r, resolved)) return resolved;
    if (allow_system_fonts)
        for (const auto& d : system_font_dirs())
            if (is_within_resolved(d, resolved)) return resolved;
    bool via_link = resolved != full.lexically_normal();
    throw BuildError(where, (pos ? "refused to read " + shown + ": " : std::string("refused: ")) +
                                (via_link ? "it resolves (through a symlink) to " +
                                                resolved.string() + ", outside the book folder"
                                          : "it is outside the book folder") +
                                (allow_system_fonts ? " and the system font folders" : ""));
}

std::string read_book_file(const fs::path& root, const fs::path& path, size_t max_bytes) {
    return read_file(resolve_input(root, path), max_bytes);
}

bool is_plain_file_name(std::string_view name) {
    return !name.empty() && name != "." && name != ".." &&
           name.find_first_of(std::string_view("/\\\0", 3)) == std::string_view::npos;
}

fs::path output_path(const fs::path& out_dir, const std::string& name, const SourcePos* pos) {
    if (!is_plain_file_name(name))
        throw BuildError(pos ? *pos : SourcePos{},
                         "output file name '" + name +
                             "' is not a plain file name (no '/', '\\' or '..'): refused");
    return out_dir / name;
}

int remove_stale_temp_files(const fs::path& dir) {
    int removed = 0;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        size_t tmp = name.rfind(".tmp-");
        if (name.size() < 2 || name[0] != '.' || tmp == std::string::npos) continue;
        // ".<target>.tmp-<pid>-<n>", digits only after the marker.
        std::string_view tail = std::string_view(name).substr(tmp + 5);
        tail = tail.substr(0, tail.find('.')); // libzip's own temporary adds ".XXXXXX"
        size_t dash = tail.find('-');
        if (dash == 0 || dash == std::string_view::npos || dash + 1 == tail.size() ||
            tail.find_first_not_of("0123456789-") != std::string_view::npos)
            continue;
        long pid = std::strtol(std::string(tail.substr(0, dash)).c_str(), nullptr, 10);
        std::error_code e2;
        if (!it->is_regular_file(e2) || it->is_symlink(e2)) continue;
        // A live build (ours or another one writing here) keeps its files.
        if (pid == long(::getpid()) || (pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno == EPERM)))
            continue;
        if (fs::remove(it->path(), e2)) ++removed;
    }
    return removed;
}

std::string display_path(const fs::path& path, const fs::path& base) {
    auto rel = path.lexically_normal().lexically_relative(base.lexically_normal());
    if (rel.empty() || *rel.begin() == "..") return path.generic_string();
    return rel.generic_string();
}

} // namespace imprenta::util
