#include "util/fs.h"

#include "util/diag.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
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

void fsync_path(const fs::path& p) {
    int fd = ::open(p.c_str(), O_RDONLY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}
} // namespace

PendingFile::PendingFile(fs::path target)
    : target_(std::move(target)), temp_(temp_beside(target_)) {}

PendingFile::~PendingFile() {
    if (!committed_) {
        std::error_code ec;
        fs::remove(temp_, ec);
    }
}

void PendingFile::commit() {
    fsync_path(temp_);
    std::error_code ec;
    fs::rename(temp_, target_, ec);
    if (ec) throw BuildError({target_.string()}, "cannot write output file: " + ec.message());
    committed_ = true;
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

std::string display_path(const fs::path& path, const fs::path& base) {
    auto rel = path.lexically_normal().lexically_relative(base.lexically_normal());
    if (rel.empty() || *rel.begin() == "..") return path.generic_string();
    return rel.generic_string();
}

} // namespace imprenta::util
