#include "epub/zip.h"

#include "util/deflate.h"
#include "util/diag.h"
#include "util/parallel.h"
#include "util/time.h"

#include <zip.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <ctime>

namespace imprenta::epub {

// What libzip reads through zip_source_function: for a deflated entry the raw deflate stream,
// with the CRC-32 and size of the uncompressed data; for a stored one the data itself.
struct ZipWriter::Entry {
    std::string name;
    Method method = Method::Deflate;
    std::string bytes;     // the data until prepare(), then what goes into the archive
    uint64_t size = 0;     // uncompressed
    uint32_t crc = 0;      // of the uncompressed data
    bool prepared = false; // bytes/size/crc final
    uint64_t read_pos = 0; // between ZIP_SOURCE_OPEN and ZIP_SOURCE_CLOSE
    time_t mtime = 0;      // reported, though zip_file_set_dostime() takes precedence
    zip_error_t error;

    Entry() { zip_error_init(&error); }
    ~Entry() { zip_error_fini(&error); }
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;

    // Computes size and CRC and, for Method::Deflate, replaces the data by its raw deflate
    // stream (no zlib header: what a zip entry holds). Throws std::runtime_error.
    void prepare() {
        if (prepared) return;
        Packed p = pack(std::move(bytes), method);
        bytes = std::move(p.bytes);
        size = p.size;
        crc = p.crc;
        prepared = true;
    }
};

ZipWriter::Packed ZipWriter::pack(std::string data, Method method) {
    Packed p;
    p.size = data.size();
    p.crc = util::crc32(data);
    p.method = data.empty() ? Method::Store : method;
    p.bytes =
        p.method == Method::Deflate ? util::deflate_raw(data, kDeflateLevel) : std::move(data);
    return p;
}

namespace {

zip_int64_t entry_source(void* user, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
    auto& e = *static_cast<ZipWriter::Entry*>(user);
    switch (cmd) {
    case ZIP_SOURCE_SUPPORTS:
        return ZIP_SOURCE_SUPPORTS_READABLE;
    case ZIP_SOURCE_OPEN:
        try {
            e.prepare(); // close() prepared every entry already; this only guards the order
        } catch (const std::exception&) {
            zip_error_set(&e.error, ZIP_ER_INTERNAL, 0);
            return -1;
        }
        e.read_pos = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        uint64_t n = std::min<uint64_t>(len, e.bytes.size() - e.read_pos);
        std::memcpy(data, e.bytes.data() + e.read_pos, n);
        e.read_pos += n;
        return static_cast<zip_int64_t>(n);
    }
    case ZIP_SOURCE_CLOSE:
        return 0;
    case ZIP_SOURCE_STAT: {
        auto* st = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, len, &e.error);
        if (!st) return -1;
        try {
            e.prepare();
        } catch (const std::exception&) {
            zip_error_set(&e.error, ZIP_ER_INTERNAL, 0);
            return -1;
        }
        zip_stat_init(st);
        // With the method, sizes and CRC all known, zip_close() copies the bytes as they are
        // instead of compressing them again (for stored entries it still computes the CRC).
        st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC |
                    ZIP_STAT_MTIME | ZIP_STAT_ENCRYPTION_METHOD;
        st->size = e.size;
        st->comp_size = e.bytes.size();
        st->comp_method =
            e.method == ZipWriter::Method::Deflate && e.size > 0 ? ZIP_CM_DEFLATE : ZIP_CM_STORE;
        st->encryption_method = ZIP_EM_NONE;
        st->crc = e.crc;
        st->mtime = e.mtime;
        return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&e.error, data, len);
    case ZIP_SOURCE_FREE:
        return 0; // the entry belongs to the ZipWriter
    default:
        zip_error_set(&e.error, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

} // namespace

void ZipWriter::Discard::operator()(zip* z) const {
    zip_discard(z);
}

ZipWriter::ZipWriter(std::filesystem::path path, int64_t modified, std::string report_as)
    : path_(std::move(path)), report_as_(std::move(report_as)) {
    auto t = util::dos_time_utc(modified);
    dos_time_ = t.time;
    dos_date_ = t.date;
    mtime_ = static_cast<time_t>(modified);
    int code = 0;
    zip_t* z = zip_open(path_.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
    if (!z) {
        zip_error_t err;
        zip_error_init_with_code(&err, code);
        std::string message = zip_error_strerror(&err);
        zip_error_fini(&err);
        throw util::BuildError({report_as_}, "cannot create the EPUB: " + message);
    }
    zip_.reset(z);
}

ZipWriter::~ZipWriter() = default;

void ZipWriter::add(const std::string& name, std::string data, Method method) {
    Packed p;
    p.bytes = std::move(data);
    p.method = p.bytes.empty() ? Method::Store : method;
    add(name, std::move(p));
    entries_.back()->prepared = false; // packed at close(), in parallel with the others
}

void ZipWriter::add(const std::string& name, Packed packed) {
    auto fail = [&](const char* what) {
        throw util::BuildError({report_as_}, std::string("cannot ") + what + " '" + name +
                                                 "' to the EPUB: " + zip_strerror(zip_.get()));
    };
    Entry& e = *entries_.emplace_back(std::make_unique<Entry>());
    e.name = name;
    e.method = packed.method;
    e.bytes = std::move(packed.bytes);
    e.size = packed.size;
    e.crc = packed.crc;
    e.prepared = true;
    e.mtime = mtime_;
    zip_source_t* source = zip_source_function(zip_.get(), entry_source, &e);
    if (!source) fail("add");
    zip_int64_t index = zip_file_add(zip_.get(), name.c_str(), source, ZIP_FL_ENC_GUESS);
    if (index < 0) {
        zip_source_free(source);
        fail("add");
    }
    auto i = static_cast<zip_uint64_t>(index);
    if (zip_set_file_compression(
            zip_.get(), i, e.method == Method::Store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0) < 0 ||
        // The wall clock would go in otherwise; set_mtime would go through the local time zone.
        zip_file_set_dostime(zip_.get(), i, dos_time_, dos_date_, 0) < 0 ||
        // A plain readable file on any unpacker.
        zip_file_set_external_attributes(zip_.get(), i, 0, ZIP_OPSYS_UNIX, 0100644u << 16) < 0)
        fail("set attributes of");
}

void ZipWriter::close() {
    // Largest first, so one big chapter started last does not leave the other threads idle.
    std::vector<Entry*> order;
    for (auto& e : entries_)
        if (!e->prepared) order.push_back(e.get());
    std::stable_sort(order.begin(), order.end(), [](const Entry* a, const Entry* b) {
        return a->bytes.size() > b->bytes.size();
    });
    try {
        util::parallel_for(order.size(), [&](size_t i) { order[i]->prepare(); });
    } catch (const std::exception& e) {
        throw util::BuildError({report_as_}, std::string("cannot write the EPUB: ") + e.what());
    }
    if (zip_close(zip_.get()) < 0)
        throw util::BuildError({report_as_},
                               std::string("cannot write the EPUB: ") + zip_strerror(zip_.get()));
    (void)zip_.release(); // zip_close freed it
    entries_.clear();
}

} // namespace imprenta::epub
