// The on-disk transcode cache: one file per key under <dir>/<first two hex digits>/<key>, each
// a versioned header with the payload's size and CRC-32, so a damaged, cut or older-format entry
// reads as a miss, never as bad data. (Keys are SHA-256 of the source bytes and policy; the
// CRC only has to catch accidental damage, and costs little next to a hit's other work.)
#include "image/build.h"
#include "image/prepare.h"
#include "util/deflate.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <fstream>

namespace imprenta::image {

namespace {

// Bump the last characters when the layout changes: entries of other versions are misses.
constexpr std::string_view kMagic = "imprc002"; // 002: CRC-32 header (001 ended in a SHA-256)
constexpr size_t kHeader = 8 + 8 + 4;           // magic, payload size (LE u64), CRC-32 (LE u32)

bool valid_key(const std::string& key) {
    if (key.size() < 3 || key.size() > 128) return false;
    for (char c : key)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) return false;
    return true;
}

std::string header_for(std::string_view payload) {
    std::string h(kMagic);
    uint64_t n = payload.size();
    for (int i = 0; i < 8; ++i)
        h += char((n >> (8 * i)) & 0xFF);
    uint32_t crc = util::crc32(payload);
    for (int i = 0; i < 4; ++i)
        h += char((crc >> (8 * i)) & 0xFF);
    return h;
}

// The whole file in one read of its size (rather than through a stream iterator).
bool read_whole(const std::filesystem::path& path, std::string& out) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st;
    bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (ok) {
        out.resize(size_t(st.st_size));
        size_t done = 0;
        while (done < out.size()) {
            ssize_t n = ::read(fd, out.data() + done, out.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            done += size_t(n);
        }
        ok = done == out.size();
    }
    ::close(fd);
    return ok;
}

} // namespace

Cache::Cache(std::filesystem::path dir)
    : dir_(std::move(dir)), memory_(std::make_unique<Memory>()) {}

Cache::~Cache() = default;

bool Cache::made(std::string_view kind, std::string_view policy,
                 const std::filesystem::path& source, std::string& out) const {
    std::shared_future<std::string> result;
    {
        std::lock_guard lock(memory_->mutex);
        auto it = memory_->results.find(detail::memory_key(kind, policy, source));
        if (it == memory_->results.end()) return false;
        result = it->second;
    }
    out = result.get();
    return !out.empty();
}

bool Cache::get(const std::string& key, std::string& out) const {
    if (dir_.empty() || !valid_key(key)) return false;
    try {
        std::string data;
        if (!read_whole(dir_ / key.substr(0, 2) / key, data)) return false;
        if (data.size() < kHeader || std::string_view(data).substr(0, 8) != kMagic) return false;
        std::string_view payload = std::string_view(data).substr(kHeader);
        if (std::string_view(data).substr(0, kHeader) != header_for(payload)) return false;
        data.erase(0, kHeader);
        out = std::move(data);
        return true;
    } catch (...) {
        return false;
    }
}

void Cache::put(const std::string& key, std::string_view data) const {
    if (dir_.empty() || !valid_key(key)) return;
    try {
        std::filesystem::path sub = dir_ / key.substr(0, 2);
        std::error_code ec;
        std::filesystem::create_directories(sub, ec);
        if (ec) return;
        // A temporary name unique to this process and call (util::write_file_atomic's is only
        // per process, and two threads may put the same key), then an atomic rename.
        static std::atomic<unsigned long> counter{0};
        std::filesystem::path target = sub / key;
        std::filesystem::path temp = sub / ("." + key + ".tmp-" + std::to_string(::getpid()) + "-" +
                                            std::to_string(counter.fetch_add(1)));
        {
            std::ofstream out(temp, std::ios::binary | std::ios::trunc);
            std::string header = header_for(data);
            out.write(header.data(), std::streamsize(header.size()));
            out.write(data.data(), std::streamsize(data.size()));
            out.close();
            if (!out) {
                std::filesystem::remove(temp, ec);
                return;
            }
        }
        std::filesystem::rename(temp, target, ec);
        if (ec) std::filesystem::remove(temp, ec);
    } catch (...) {
        // A cache that cannot be written is only slower.
    }
}

} // namespace imprenta::image
