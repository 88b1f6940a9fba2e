#include "util/deflate.h"

#include <libdeflate.h>

#include <memory>
#include <new>
#include <stdexcept>

namespace imprenta::util {

namespace {

struct FreeCompressor {
    void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

// One compressor per thread and level: allocating one costs more than deflating a short page.
libdeflate_compressor* compressor(int level) {
    if (level < 1 || level > 12) throw std::invalid_argument("deflate level out of range");
    thread_local std::unique_ptr<libdeflate_compressor, FreeCompressor> by_level[13];
    auto& c = by_level[level];
    if (!c) c.reset(libdeflate_alloc_compressor(level));
    if (!c) throw std::bad_alloc();
    return c.get();
}

template <typename Bound, typename Compress>
std::string run(std::string_view data, int level, Bound bound, Compress compress) {
    libdeflate_compressor* c = compressor(level);
    // Into an uninitialised buffer of the bound (about the input's size), then copied at its
    // deflated size: a std::string of the bound would be zeroed whole and keep that capacity
    // (the XHTML of a chapter of 100,000 notes: 34 MB held for 1.8 MB).
    size_t room = bound(c, data.size());
    std::unique_ptr<char[]> buf(new char[room]);
    size_t n = compress(c, data.data(), data.size(), buf.get(), room);
    if (n == 0) throw std::runtime_error("deflate failed"); // the bound makes this impossible
    return std::string(buf.get(), n);
}

} // namespace

std::string deflate_raw(std::string_view data, int level) {
    return run(data, level, libdeflate_deflate_compress_bound, libdeflate_deflate_compress);
}

std::string deflate_zlib(std::string_view data, int level) {
    return run(data, level, libdeflate_zlib_compress_bound, libdeflate_zlib_compress);
}

bool inflate_zlib_exact(std::string_view zlib, unsigned char* out, size_t size) {
    struct Free {
        void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
    };
    thread_local std::unique_ptr<libdeflate_decompressor, Free> d;
    if (!d) d.reset(libdeflate_alloc_decompressor());
    if (!d) throw std::bad_alloc();
    size_t used = 0, made = 0;
    return libdeflate_zlib_decompress_ex(d.get(), zlib.data(), zlib.size(), out, size, &used,
                                         &made) == LIBDEFLATE_SUCCESS &&
           used == zlib.size() && made == size;
}

uint32_t crc32(std::string_view data) {
    return libdeflate_crc32(0, data.data(), data.size());
}

uint32_t adler32(uint32_t adler, const void* data, size_t size) {
    return libdeflate_adler32(adler, data, size);
}

} // namespace imprenta::util
