// The on-disk transcode cache: one file per key under <dir>/<first two hex digits>/<key>, each
// ending with a SHA-256 of its payload so a damaged entry reads as a miss, never as bad data.
#include "image/prepare.h"
#include "util/hash.h"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iterator>

namespace imprenta::image {

namespace {

bool valid_key(const std::string& key) {
    if (key.size() < 3 || key.size() > 128) return false;
    for (char c : key)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) return false;
    return true;
}

std::string digest_bytes(std::string_view data) {
    auto d = util::Sha256().update(data).digest();
    return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

} // namespace

Cache::Cache(std::filesystem::path dir) : dir_(std::move(dir)) {}

bool Cache::get(const std::string& key, std::string& out) const {
    if (dir_.empty() || !valid_key(key)) return false;
    try {
        std::ifstream in(dir_ / key.substr(0, 2) / key, std::ios::binary);
        if (!in) return false;
        std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (in.bad() || data.size() < 32) return false;
        std::string_view payload(data.data(), data.size() - 32);
        if (digest_bytes(payload) != std::string_view(data).substr(data.size() - 32)) return false;
        data.resize(data.size() - 32);
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
            out.write(data.data(), std::streamsize(data.size()));
            std::string digest = digest_bytes(data);
            out.write(digest.data(), std::streamsize(digest.size()));
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
