// Content hashing: SHA-256 for cache keys and stable identifiers (never random ids); XXH3-128
// for keys that live in memory only (watch).
#pragma once
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace imprenta::util {

class Sha256 {
public:
    Sha256();
    Sha256& update(std::string_view data);
    std::array<uint8_t, 32> digest();

private:
    void block(const uint8_t* p);
    uint32_t h_[8];
    uint8_t buf_[64];
    size_t buf_len_ = 0;
    uint64_t total_ = 0;
};

std::string sha256_hex(std::string_view data);

// XXH3-128 of `data`, its canonical (big-endian) 16 bytes.
std::array<uint8_t, 16> xxh3_128(std::string_view data);

// XXH3-128 of the bytes appended (the same digest as xxh3_128 of them all), fed through a buffer:
// the bytes need never be held together (a key of a whole chapter or essay, made on every rebuild
// under watch).
class Hash128 {
public:
    Hash128();
    ~Hash128();
    Hash128(const Hash128&) = delete;
    Hash128& operator=(const Hash128&) = delete;
    void append(const char* p, size_t n) {
        if (used_ + n > sizeof buf_) {
            flush();
            if (n > sizeof buf_) return update(p, n);
        }
        std::memcpy(buf_ + used_, p, n);
        used_ += n;
    }
    std::array<uint8_t, 16> finish(); // once

private:
    void flush();
    void update(const char* p, size_t n);
    void* state_; // XXH3_state_t
    size_t used_ = 0;
    char buf_[16384];
};

// A name-based UUID (RFC 4122 version 5 layout, SHA-256 truncated), as "urn:uuid:...".
std::string stable_urn_uuid(std::string_view name);

} // namespace imprenta::util
