// RunDeflater: DEFLATE (RFC 1951) with run-length matches only, dynamic Huffman codes.
#include "util/deflate.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace imprenta::util {

namespace {

constexpr size_t kBlockTokens = size_t(1) << 14; // zlib's symbols per block (memLevel 8)
constexpr int kMaxRun = 258;

// Lengths 3..258 as length codes 257..285: each code's first length and extra bits.
constexpr std::array<uint16_t, 29> kLengthBase = {3,  4,  5,  6,   7,   8,   9,   10,  11, 13,
                                                  15, 17, 19, 23,  27,  31,  35,  43,  51, 59,
                                                  67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr std::array<uint8_t, 29> kLengthExtra = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                                  2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
// The order the code-length code's lengths are written in.
constexpr std::array<uint8_t, 19> kCodeLengthOrder = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                                      11, 4,  12, 3, 13, 2, 14, 1, 15};

struct LengthCodes {
    std::array<uint8_t, kMaxRun + 1> code{}; // length -> index into kLengthBase
    constexpr LengthCodes() {
        for (int k = 0; k < 29; ++k)
            for (int len = kLengthBase[size_t(k)]; len <= kMaxRun; ++len)
                code[size_t(len)] = uint8_t(k);
    }
};
constexpr LengthCodes kLengthCodes;

// How many of p[0, max) equal `value`, 8 bytes at a time.
size_t run_length(const uint8_t* p, size_t max, uint8_t value) {
    size_t n = 0;
    if constexpr (std::endian::native == std::endian::little) {
        const uint64_t pattern = 0x0101010101010101ull * value;
        for (; n + 8 <= max; n += 8) {
            uint64_t word;
            std::memcpy(&word, p + n, 8);
            if (uint64_t diff = word ^ pattern) return n + size_t(std::countr_zero(diff) >> 3);
        }
    }
    while (n < max && p[n] == value)
        ++n;
    return n;
}

// Huffman code lengths of at most `limit` bits for the symbols of nonzero frequency, a complete
// code (two symbols at least: a lone one gets a partner of length 1). Ties go by symbol, so the
// lengths depend on the frequencies only.
template <size_t N>
std::array<uint8_t, N> code_lengths(const std::array<uint32_t, N>& freq, int limit) {
    std::array<uint8_t, N> lengths{};
    std::vector<uint16_t> used;
    for (size_t s = 0; s < N; ++s)
        if (freq[s]) used.push_back(uint16_t(s));
    if (used.size() < 2) {
        uint16_t lone = used.empty() ? 0 : used[0];
        lengths[lone] = 1;
        lengths[lone == 0 ? 1 : 0] = 1;
        return lengths;
    }
    std::stable_sort(used.begin(), used.end(),
                     [&](uint16_t a, uint16_t b) { return freq[a] < freq[b]; });
    // The two-queue construction: leaves in order of weight, then the merged nodes as made.
    size_t n = used.size();
    std::vector<uint64_t> weight(2 * n - 1);
    std::vector<size_t> parent(2 * n - 1, 0);
    for (size_t i = 0; i < n; ++i)
        weight[i] = freq[used[i]];
    size_t leaf = 0, merged_next = n; // the lightest leaf and merged node not yet taken
    for (size_t made = n; made < 2 * n - 1; ++made) {
        size_t pick[2];
        for (size_t& p : pick) {
            if (leaf < n && (merged_next >= made || weight[leaf] <= weight[merged_next]))
                p = leaf++;
            else
                p = merged_next++;
        }
        weight[made] = weight[pick[0]] + weight[pick[1]];
        parent[pick[0]] = parent[pick[1]] = made;
    }
    // Depths from the root (the last node made); then at most `limit`, the code kept complete
    // by moving codes down from shorter lengths (Kraft's sum stays 1).
    std::vector<int> depth(2 * n - 1, 0);
    std::array<uint32_t, 64> count{};
    for (size_t i = 2 * n - 1; i-- > 0;) {
        if (i != 2 * n - 2) depth[i] = depth[parent[i]] + 1;
        if (i < n) ++count[size_t(std::min(depth[i], limit))];
    }
    uint64_t kraft = 0;
    for (int d = 1; d <= limit; ++d)
        kraft += uint64_t(count[size_t(d)]) << (limit - d);
    while (kraft > (uint64_t(1) << limit)) {
        --count[size_t(limit)];
        for (int d = limit - 1; d > 0; --d)
            if (count[size_t(d)]) {
                --count[size_t(d)];
                count[size_t(d) + 1] += 2;
                break;
            }
        --kraft;
    }
    // The most frequent symbols get the shortest codes.
    size_t next = n;
    for (int d = 1; d <= limit; ++d)
        for (uint32_t k = 0; k < count[size_t(d)]; ++k)
            lengths[used[--next]] = uint8_t(d);
    return lengths;
}

// Canonical codes for `lengths`, bit-reversed: DEFLATE writes Huffman codes first bit first.
template <size_t N> std::array<uint16_t, N> codes_for(const std::array<uint8_t, N>& lengths) {
    std::array<uint32_t, 17> count{}, next{};
    for (uint8_t l : lengths)
        ++count[l];
    count[0] = 0;
    for (int l = 1; l <= 16; ++l)
        next[size_t(l)] = (next[size_t(l) - 1] + count[size_t(l) - 1]) << 1;
    std::array<uint16_t, N> codes{};
    for (size_t s = 0; s < N; ++s) {
        int l = lengths[s];
        if (!l) continue;
        uint32_t c = next[size_t(l)]++, reversed = 0;
        for (int b = 0; b < l; ++b)
            reversed |= ((c >> b) & 1u) << (l - 1 - b);
        codes[s] = uint16_t(reversed);
    }
    return codes;
}

} // namespace

void RunDeflater::put(uint32_t bits, int count) {
    bits_ |= uint64_t(bits) << bit_count_;
    bit_count_ += count;
    if (bit_count_ >= 32) {
        char word[4] = {char(bits_), char(bits_ >> 8), char(bits_ >> 16), char(bits_ >> 24)};
        out_.append(word, 4);
        bits_ >>= 32;
        bit_count_ -= 32;
    }
}

void RunDeflater::push(uint16_t token) {
    tokens_.push_back(token);
    ++freq_[token < 256 ? token : 257 + kLengthCodes.code[token - 256 + 3]];
    if (tokens_.size() >= kBlockTokens) write_block(false);
}

void RunDeflater::add(const uint8_t* data, size_t size) {
    size_t i = 0;
    while (i < size) {
        if (data[i] == prev_) {
            size_t run = run_length(data + i, std::min<size_t>(kMaxRun, size - i), data[i]);
            if (run >= 3) {
                push(uint16_t(256 + run - 3));
                i += run;
                continue;
            }
        }
        prev_ = data[i];
        push(data[i++]);
    }
}

void RunDeflater::finish() {
    write_block(true);
    while (bit_count_ > 0) {
        out_ += char(bits_);
        bits_ >>= 8;
        bit_count_ -= 8;
    }
    bit_count_ = 0;
}

void RunDeflater::write_block(bool last) {
    freq_[256] = 1; // end of block
    auto lit = code_lengths(freq_, 15);
    auto lit_codes = codes_for(lit);
    // Distance 1 (code 0) is the only one used; code 1 completes the tree.
    constexpr std::array<uint8_t, 2> dist = {1, 1};
    size_t hlit = 286;
    while (hlit > 257 && lit[hlit - 1] == 0)
        --hlit;

    // The code lengths, run-length coded: 16 repeats the last 3-6 times, 17 and 18 are zeros.
    std::vector<uint8_t> lengths(lit.begin(), lit.begin() + long(hlit));
    lengths.insert(lengths.end(), dist.begin(), dist.end());
    std::vector<std::pair<uint8_t, uint8_t>> cl; // symbol, extra bits' value
    std::array<uint32_t, 19> cl_freq{};
    for (size_t i = 0; i < lengths.size();) {
        uint8_t v = lengths[i];
        size_t run = 1;
        while (i + run < lengths.size() && lengths[i + run] == v)
            ++run;
        i += run;
        auto emit = [&](uint8_t sym, uint8_t extra) {
            cl.emplace_back(sym, extra);
            ++cl_freq[sym];
        };
        if (v == 0) {
            for (; run >= 11; run -= std::min<size_t>(run, 138))
                emit(18, uint8_t(std::min<size_t>(run, 138) - 11));
            if (run >= 3) {
                emit(17, uint8_t(run - 3));
                run = 0;
            }
        } else {
            emit(v, 0);
            --run;
            for (; run >= 3; run -= std::min<size_t>(run, 6))
                emit(16, uint8_t(std::min<size_t>(run, 6) - 3));
        }
        for (; run > 0; --run)
            emit(v, 0);
    }
    auto cl_lengths = code_lengths(cl_freq, 7);
    auto cl_codes = codes_for(cl_lengths);
    size_t hclen = 19;
    while (hclen > 4 && cl_lengths[kCodeLengthOrder[hclen - 1]] == 0)
        --hclen;

    put(last ? 1 : 0, 1);
    put(2, 2); // dynamic Huffman codes
    put(uint32_t(hlit - 257), 5);
    put(uint32_t(dist.size() - 1), 5);
    put(uint32_t(hclen - 4), 4);
    for (size_t i = 0; i < hclen; ++i)
        put(cl_lengths[kCodeLengthOrder[i]], 3);
    for (auto [sym, extra] : cl) {
        put(cl_codes[sym], cl_lengths[sym]);
        if (sym == 16) put(extra, 2);
        if (sym == 17) put(extra, 3);
        if (sym == 18) put(extra, 7);
    }
    for (uint16_t t : tokens_) {
        if (t < 256) {
            put(lit_codes[t], lit[t]);
            continue;
        }
        int len = t - 256 + 3, k = kLengthCodes.code[size_t(len)];
        put(lit_codes[size_t(257 + k)], lit[size_t(257 + k)]);
        if (kLengthExtra[size_t(k)])
            put(uint32_t(len - kLengthBase[size_t(k)]), kLengthExtra[size_t(k)]);
        put(0, 1); // distance code 0 (its code is the single bit 0): distance 1
    }
    put(lit_codes[256], lit[256]);
    tokens_.clear();
    freq_ = {};
}

} // namespace imprenta::util
