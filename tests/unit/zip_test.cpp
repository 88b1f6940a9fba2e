// The EPUB zip writer on its own: imprenta deflates entries itself (in parallel) and libzip only
// copies the finished streams, so check what a reader sees: names, order, methods, bytes, CRCs.
#include "epub/zip.h"
#include "support/support.h"
#include "util/deflate.h"
#include "util/diag.h"

#include <cstdlib>
#include <gtest/gtest.h>
#include <random>
#include <zip.h>
#include <zlib.h>

using imprenta::epub::ZipWriter;

namespace {

struct Item {
    std::string name;
    std::string data;
    ZipWriter::Method method;
};

std::string prose(size_t bytes) {
    std::string s;
    for (int i = 0; s.size() < bytes; ++i)
        s += "<p id=\"p" + std::to_string(i) + "\">Érase una vez un párrafo número " +
             std::to_string(i * 7919 % 1000) + ", con acentos y “comillas”.</p>\n";
    s.resize(bytes);
    return s;
}

std::string noise(size_t bytes, unsigned seed) {
    std::mt19937 rng(seed);
    std::string s(bytes, '\0');
    for (auto& c : s)
        c = static_cast<char>(rng());
    return s;
}

std::vector<Item> sample_items() {
    using M = ZipWriter::Method;
    return {
        {"mimetype", "application/epub+zip", M::Store},
        {"META-INF/container.xml", "<?xml version=\"1.0\"?><container/>", M::Deflate},
        // Bigger than libzip's copy buffer and than one deflate block.
        {"EPUB/text/long.xhtml", prose(300 * 1024), M::Deflate},
        {"EPUB/images/noise.png", noise(70 * 1024, 1), M::Store},
        {"EPUB/empty.css", "", M::Deflate},
        // Incompressible but asked to deflate: still a valid (slightly larger) stream.
        {"EPUB/images/figure.svg", noise(5000, 2), M::Deflate},
        {"EPUB/text/short.xhtml", prose(900), M::Deflate},
    };
}

fs::path write_zip(const fs::path& path, const std::vector<Item>& items) {
    ZipWriter zip(path, 1700000000, path.string());
    for (const auto& it : items)
        zip.add(it.name, it.data, it.method);
    zip.close();
    return path;
}

// Reads entry `i` until libzip reports the end: that is when it checks the CRC-32.
// Returns false (and the libzip error) if any read fails.
bool read_to_end(zip_t* z, zip_uint64_t i, std::string& out, std::string& error) {
    zip_file_t* f = zip_fopen_index(z, i, 0);
    if (!f) {
        error = zip_strerror(z);
        return false;
    }
    out.clear();
    char buf[4096];
    zip_int64_t n;
    while ((n = zip_fread(f, buf, sizeof buf)) > 0)
        out.append(buf, static_cast<size_t>(n));
    if (n < 0) error = zip_file_strerror(f);
    zip_fclose(f);
    return n == 0;
}

std::string raw_entry(zip_t* z, zip_uint64_t i, size_t comp_size) {
    std::string out(comp_size, '\0');
    zip_file_t* f = zip_fopen_index(z, i, ZIP_FL_COMPRESSED);
    if (!f) return "";
    zip_int64_t n = zip_fread(f, out.data(), out.size());
    zip_fclose(f);
    out.resize(n < 0 ? 0 : static_cast<size_t>(n));
    return out;
}

} // namespace

TEST(ZipWriter, ReadsBackWithNamesOrderMethodsBytesAndCrcs) {
    auto items = sample_items();
    fs::path path = write_zip(testing_support::fresh_dir("zip") / "a.zip", items);

    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err);
    ASSERT_NE(z, nullptr) << "libzip error " << err;
    ASSERT_EQ(zip_get_num_entries(z, 0), static_cast<zip_int64_t>(items.size()));
    for (size_t i = 0; i < items.size(); ++i) {
        SCOPED_TRACE(items[i].name);
        zip_stat_t st;
        ASSERT_EQ(zip_stat_index(z, i, 0, &st), 0);
        EXPECT_STREQ(st.name, items[i].name.c_str());
        EXPECT_EQ(st.size, items[i].data.size());
        bool deflated = items[i].method == ZipWriter::Method::Deflate && !items[i].data.empty();
        EXPECT_EQ(st.comp_method, deflated ? ZIP_CM_DEFLATE : ZIP_CM_STORE);
        uLong crc = crc32(0, reinterpret_cast<const Bytef*>(items[i].data.data()),
                          static_cast<uInt>(items[i].data.size()));
        EXPECT_EQ(st.crc, crc);

        std::string data, error;
        EXPECT_TRUE(read_to_end(z, i, data, error)) << error;
        EXPECT_EQ(data, items[i].data);

        // libzip copied the stream imprenta made instead of compressing the data again.
        std::string raw = raw_entry(z, i, st.comp_size);
        EXPECT_EQ(raw, deflated
                           ? imprenta::util::deflate_raw(items[i].data, ZipWriter::kDeflateLevel)
                           : items[i].data);
    }
    zip_discard(z);

    // `mimetype` first, stored, no extra field, its content right after the name.
    std::string bytes = testing_support::slurp(path);
    ASSERT_GT(bytes.size(), 58u);
    auto u16 = [&](size_t at) {
        return static_cast<unsigned char>(bytes[at]) | static_cast<unsigned char>(bytes[at + 1])
                                                           << 8;
    };
    EXPECT_EQ(bytes.substr(0, 4), "PK\x03\x04");
    EXPECT_EQ(u16(8), ZIP_CM_STORE);
    EXPECT_EQ(u16(28), 0);
    EXPECT_EQ(bytes.substr(30, 28), "mimetypeapplication/epub+zip");
    // The same fixed time in every local header: 2023-11-14 22:13:20 UTC.
    uint16_t time = (22 << 11) | (13 << 5) | 10, date = ((2023 - 1980) << 9) | (11 << 5) | 14;
    size_t headers = 0;
    for (size_t at = bytes.find("PK\x03\x04"); at != std::string::npos;
         at = bytes.find("PK\x03\x04", at + 4)) {
        if (u16(at + 10) == time && u16(at + 12) == date) ++headers;
    }
    EXPECT_EQ(headers, items.size());
}

TEST(ZipWriter, AWrongCrcIsCaughtByTheReader) {
    // The control for the test above: the CRC check it relies on does fire.
    auto items = sample_items();
    fs::path path = write_zip(testing_support::fresh_dir("zip-crc") / "a.zip", items);
    std::string bytes = testing_support::slurp(path);
    // Flip a bit of the CRC of "EPUB/text/long.xhtml" in its central directory record.
    size_t cd = bytes.find("PK\x01\x02");
    ASSERT_NE(cd, std::string::npos);
    size_t rec = bytes.find("EPUB/text/long.xhtml", cd);
    ASSERT_NE(rec, std::string::npos);
    bytes[rec - 46 + 16] ^= 1;
    testing_support::write(path, bytes);

    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
    ASSERT_NE(z, nullptr);
    zip_int64_t i = zip_name_locate(z, "EPUB/text/long.xhtml", 0);
    ASSERT_GE(i, 0);
    std::string data, error;
    EXPECT_FALSE(read_to_end(z, static_cast<zip_uint64_t>(i), data, error));
    EXPECT_NE(error.find("CRC"), std::string::npos) << error;
    zip_discard(z);
}

TEST(ZipWriter, SameBytesWhateverTheThreadCount) {
    auto items = sample_items();
    for (int i = 0; i < 40; ++i)
        items.push_back({"EPUB/text/c" + std::to_string(i) + ".xhtml",
                         prose(1000 + 997 * static_cast<size_t>(i)), ZipWriter::Method::Deflate});
    fs::path dir = testing_support::fresh_dir("zip-threads");
    ::setenv("IMPRENTA_THREADS", "1", 1);
    std::string one = testing_support::slurp(write_zip(dir / "1.zip", items));
    ::setenv("IMPRENTA_THREADS", "7", 1);
    std::string seven = testing_support::slurp(write_zip(dir / "7.zip", items));
    ::unsetenv("IMPRENTA_THREADS");
    std::string dflt = testing_support::slurp(write_zip(dir / "d.zip", items));
    ASSERT_FALSE(one.empty());
    EXPECT_EQ(one, seven);
    EXPECT_EQ(one, dflt);
}

TEST(ZipWriter, DuplicateNameIsABuildError) {
    fs::path path = testing_support::fresh_dir("zip-dup") / "a.zip";
    ZipWriter zip(path, 1700000000, "libro.epub");
    zip.add("a.txt", "one");
    EXPECT_THROW(zip.add("a.txt", "two"), imprenta::util::BuildError);
}
