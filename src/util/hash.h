// Content hashing: SHA-256 for cache keys and stable identifiers (never random ids).
#pragma once
#include <array>
#include <cstdint>
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

// A name-based UUID (RFC 4122 version 5 layout, SHA-256 truncated), as "urn:uuid:...".
std::string stable_urn_uuid(std::string_view name);

} // namespace imprenta::util
