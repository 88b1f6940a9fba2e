// Whole-buffer DEFLATE through libdeflate, for zip entries (raw streams) and PDF /FlateDecode
// streams (zlib format). libdeflate takes about 0.6x zlib's time at the same level and compresses
// as well or better; the output depends only on the input and the level, never on the thread.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace imprenta::util {

// Level 1 (fastest) to 12 (smallest); libdeflate's 6 is about zlib's 6 in size.
std::string deflate_raw(std::string_view data, int level);
std::string deflate_zlib(std::string_view data, int level);

// A raw DEFLATE stream whose only matches are runs of the byte before (distance 1): zlib's
// Z_RLE strategy, fed in pieces (a PNG's filtered rows; a run ends with its piece), a dynamic
// Huffman block per 16K symbols as zlib makes them. zlib looks at a run a byte at a time; this
// compares 8 bytes at a time, so a drawn cover's 12 MB of Paeth rows, nearly all zero runs,
// deflate in ~3 ms instead of ~25, to the same size. The same pieces give the same bytes.
class RunDeflater {
public:
    explicit RunDeflater(std::string& out) : out_(out) {}
    void add(const uint8_t* data, size_t size);
    void finish(); // the last block; then `out` holds the whole stream

private:
    void push(uint16_t token);
    void write_block(bool last);
    void put(uint32_t bits, int count);

    std::string& out_;
    std::vector<uint16_t> tokens_; // a byte, or 256 + length - 3 for a run of the byte before
    std::array<uint32_t, 286> freq_{};
    int prev_ = -1; // the last byte added, -1 before the first
    uint64_t bits_ = 0;
    int bit_count_ = 0;
};

// Inflates a whole zlib stream into out[0, size): true only if it is valid (Adler-32 included),
// gives exactly `size` bytes and uses all of `zlib`.
bool inflate_zlib_exact(std::string_view zlib, unsigned char* out, size_t size);

// The CRC-32 of zip and PNG (polynomial 0xEDB88320).
uint32_t crc32(std::string_view data);

// The Adler-32 of zlib streams, continued from `adler` (1 for a new stream). libdeflate's is
// vectorised: zlib's own took 7 % of a drawn cover's encoding.
uint32_t adler32(uint32_t adler, const void* data, size_t size);

} // namespace imprenta::util
