#include "util/deflate.h"
#include "util/hash.h"
#include "util/idle.h"
#include "util/string_table.h"
#include "util/time.h"
#include "util/utf8.h"

#include <gtest/gtest.h>
#include <xxhash.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace imprenta::util;

TEST(Utf8, FindsInvalidBytes) {
    EXPECT_FALSE(find_invalid_utf8("Canción ¿qué? — «sí»").has_value());
    EXPECT_EQ(find_invalid_utf8("ab\xff"
                                "cd"),
              2u);
    EXPECT_EQ(find_invalid_utf8("\xc3"), 0u);         // truncated
    EXPECT_EQ(find_invalid_utf8("x\xc0\xaf"), 1u);    // overlong
    EXPECT_EQ(find_invalid_utf8("\xed\xa0\x80"), 0u); // surrogate
    // Long ASCII runs are checked eight bytes at a time: the offset is still exact, and a
    // sequence across an eight-byte boundary is still read whole.
    EXPECT_EQ(find_invalid_utf8("abcdefghijklmnop\xff"), 16u);
    EXPECT_EQ(find_invalid_utf8("abcdefghijklm\xfftuvwxyz0123456"), 13u);
    EXPECT_FALSE(find_invalid_utf8("abcdefg\xc3\xb1"
                                   "abcdefghijklmnop")
                     .has_value());
    EXPECT_EQ(find_invalid_utf8("abcdefg\xc3"
                                "abcdefghijklmnop"),
              7u); // cut off by ASCII
}

TEST(Utf8, Slugify) {
    EXPECT_EQ(slugify("Introducción a la IA"), "introduccion-a-la-ia");
    EXPECT_EQ(slugify("02 - La Captura de GPT-4"), "02-la-captura-de-gpt-4");
    EXPECT_EQ(slugify("  ¿Qué pasó?  "), "que-paso");
    EXPECT_EQ(slugify("Ñandú ŁÓDŹ"), "nandu-lodz");
    EXPECT_EQ(slugify("日本"), "");
}

TEST(Utf8, Lowercase) {
    EXPECT_EQ(to_lower("ÁRBOL Ñu ΑΒΓ"), "árbol ñu αβγ");
}

namespace {
// xml_safe_text as specified: decode every code point, drop the ones XML 1.0 forbids.
std::string xml_safe_reference(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size();) {
        char32_t cp = next_code_point(s, i);
        if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F || cp == 0xFFFE || cp == 0xFFFF)
            continue;
        append_utf8(out, cp);
    }
    return out;
}
} // namespace

TEST(Utf8, XmlSafeTextMatchesThePerCodePointDefinition) {
    // Pieces that stress the 8-byte ASCII path: every forbidden or special byte at every offset
    // modulo 8, multi-byte sequences across word boundaries, and malformed tails.
    const std::vector<std::string> pieces = {"a",
                                             "abcdefg",
                                             "\t",
                                             "\n",
                                             "\r",
                                             std::string(1, '\0'),
                                             "\x01",
                                             "\x1f",
                                             " ",
                                             "~",
                                             "\x7f",
                                             "\xc3\xb1",
                                             "\xe2\x80\x94",
                                             "\xf0\x9f\x98\x80",
                                             "\xef\xbf\xbe",
                                             "\xef\xbf\xbf",
                                             "\xef\xbf\xbd",
                                             "\xff",
                                             "\xc3",
                                             "\xe2\x80",
                                             "\xc0\xaf",
                                             "\xed\xa0\x80",
                                             "\xf4\x90\x80\x80",
                                             "\x80",
                                             "plain words ",
                                             "0123456789abcdef"};
    uint32_t seed = 12345;
    auto next = [&] { return (seed = seed * 1103515245u + 12345u) >> 16; };
    for (int round = 0; round < 4000; ++round) {
        std::string s;
        size_t parts = next() % 12;
        for (size_t k = 0; k < parts; ++k)
            s += pieces[next() % pieces.size()];
        ASSERT_EQ(xml_safe_text(s), xml_safe_reference(s)) << testing::PrintToString(s);
        std::string appended = "prefix:";
        append_xml_safe_text(appended, s);
        ASSERT_EQ(appended, "prefix:" + xml_safe_reference(s)) << testing::PrintToString(s);
    }
    std::string ascii(100, 'x');
    for (size_t at = 0; at < 16; ++at)
        for (char bad : {'\x00', '\x01', '\x7f', '\r'}) {
            std::string s = ascii;
            s[at] = bad;
            EXPECT_EQ(xml_safe_text(s), std::string(99, 'x')) << at << " " << int(bad);
        }
    EXPECT_EQ(xml_safe_text(ascii), ascii);
}

TEST(Hash, Sha256KnownVectors) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    std::string million(1000000, 'a');
    EXPECT_EQ(sha256_hex(million),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Hash128 feeds XXH3 through a 16 KB buffer: however the bytes are cut, across the buffer's
// edge or larger than it, the key is XXH3-128 of them all at once.
TEST(Hash, Hash128IsXxh3OfTheBytesHoweverAppended) {
    std::string text;
    for (int i = 0; text.size() < 70000; ++i)
        text += "Párrafo " + std::to_string(i) + " de la corrección; ";
    auto xxh3 = [](std::string_view bytes) {
        XXH128_canonical_t k;
        XXH128_canonicalFromHash(&k, XXH3_128bits(bytes.data(), bytes.size()));
        std::array<uint8_t, 16> key;
        std::memcpy(key.data(), k.digest, 16);
        return key;
    };
    const std::array<uint8_t, 16> whole = xxh3(text);
    for (size_t piece : {size_t(1), size_t(7), size_t(16383), size_t(16384), size_t(40000)}) {
        Hash128 h;
        for (size_t at = 0; at < text.size(); at += piece)
            h.append(text.data() + at, std::min(piece, text.size() - at));
        EXPECT_EQ(h.finish(), whole) << "pieces of " << piece;
    }
    Hash128 other;
    std::string edited = text;
    edited[50000] ^= 1;
    other.append(edited.data(), edited.size());
    EXPECT_NE(other.finish(), whole);
    Hash128 empty;
    EXPECT_EQ(empty.finish(), xxh3(""));
}

// Watch frees what a rebuild left behind after reporting it: the work runs in the order given,
// once, and what it holds is let go on the thread that runs it.
TEST(Idle, WorkRunsInOrderOnceAndLetsGoOfWhatItHolds) {
    std::vector<int> ran;
    auto held = std::make_shared<std::string>("the last rebuild's book");
    std::weak_ptr<std::string> watch = held;
    when_idle([&ran, h = std::move(held)] { ran.push_back(int(h->size())); });
    when_idle([&ran] { ran.push_back(-1); });
    EXPECT_TRUE(ran.empty());
    EXPECT_FALSE(watch.expired()); // kept until the build is over
    run_idle_work();
    EXPECT_EQ(ran, (std::vector<int>{23, -1}));
    EXPECT_TRUE(watch.expired());
    run_idle_work(); // nothing left
    EXPECT_EQ(ran.size(), 2u);
}

TEST(Hash, StableUuidIsStableAndWellFormed) {
    auto a = stable_urn_uuid("Título|Autora");
    EXPECT_EQ(a, stable_urn_uuid("Título|Autora"));
    EXPECT_NE(a, stable_urn_uuid("Título|Autor"));
    ASSERT_EQ(a.size(), 9 + 36u);
    EXPECT_EQ(a[9 + 14], '5'); // version
}

TEST(Time, Formats) {
    EXPECT_EQ(iso8601_utc(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(iso8601_utc(1700000000), "2023-11-14T22:13:20Z");
    EXPECT_EQ(pdf_date_utc(1700000000), "D:20231114221320Z");
    auto d = dos_time_utc(1700000000);
    EXPECT_EQ(d.date, ((2023 - 1980) << 9) | (11 << 5) | 14);
    EXPECT_EQ(d.time, (22 << 11) | (13 << 5) | 10);
}

// ---- deflate (libdeflate): streams any zlib reader inflates, the same bytes on every thread

namespace {

std::string inflate_with_zlib(const std::string& z, bool raw, size_t size) {
    z_stream s{};
    EXPECT_EQ(inflateInit2(&s, raw ? -MAX_WBITS : MAX_WBITS), Z_OK);
    std::string out(size + 16, '\0');
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(z.data()));
    s.avail_in = uInt(z.size());
    s.next_out = reinterpret_cast<Bytef*>(out.data());
    s.avail_out = uInt(out.size());
    EXPECT_EQ(inflate(&s, Z_FINISH), Z_STREAM_END); // zlib format: Adler-32 checked too
    out.resize(s.total_out);
    inflateEnd(&s);
    return out;
}

std::string sample_text() {
    std::string t;
    for (int i = 0; i < 20000; ++i)
        t += "<p>Los tipos m\xc3\xb3viles " + std::to_string(i * 7919 % 1000) + "</p>\n";
    return t;
}

} // namespace

TEST(Deflate, RawAndZlibStreamsInflateBackWithZlib) {
    std::string text = sample_text();
    for (int level : {1, 5, 12}) {
        std::string raw = imprenta::util::deflate_raw(text, level);
        std::string z = imprenta::util::deflate_zlib(text, level);
        EXPECT_LT(raw.size(), text.size() / 4) << level;
        EXPECT_EQ(inflate_with_zlib(raw, true, text.size()), text) << level;
        EXPECT_EQ(inflate_with_zlib(z, false, text.size()), text) << level;
    }
    EXPECT_EQ(inflate_with_zlib(imprenta::util::deflate_zlib("", 5), false, 0), "");
    EXPECT_THROW(imprenta::util::deflate_raw(text, 0), std::invalid_argument);
}

TEST(Deflate, SameBytesOnEveryThreadAndCrcAsZlib) {
    std::string text = sample_text();
    std::string here = imprenta::util::deflate_raw(text, 5), there;
    std::thread t([&] { there = imprenta::util::deflate_raw(text, 5); });
    t.join();
    EXPECT_EQ(here, there);
    EXPECT_EQ(imprenta::util::crc32(text),
              uint32_t(::crc32(0, reinterpret_cast<const Bytef*>(text.data()), uInt(text.size()))));
    EXPECT_EQ(imprenta::util::crc32("123456789"), 0xCBF43926u); // the standard check value
}

// RunDeflater (the drawn cover's IDAT): what zlib inflates back, whatever the pieces it was fed
// in, on inputs that are runs (a PNG's Paeth rows of a flat drawing), noise, three values (the
// Huffman codes' length limit reached with skewed counts) and nothing at all; and as small as
// zlib's own run-length strategy on the runs.
namespace {

std::string run_deflate(const std::string& data, size_t piece) {
    std::string out;
    RunDeflater deflater(out);
    for (size_t at = 0; at < data.size(); at += piece)
        deflater.add(reinterpret_cast<const uint8_t*>(data.data()) + at,
                     std::min(piece, data.size() - at));
    deflater.finish();
    return out;
}

std::string zlib_runs(const std::string& data) {
    z_stream s{};
    EXPECT_EQ(deflateInit2(&s, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_RLE), Z_OK);
    std::string out(deflateBound(&s, uLong(data.size())), '\0');
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    s.avail_in = uInt(data.size());
    s.next_out = reinterpret_cast<Bytef*>(out.data());
    s.avail_out = uInt(out.size());
    EXPECT_EQ(deflate(&s, Z_FINISH), Z_STREAM_END);
    out.resize(s.total_out);
    deflateEnd(&s);
    return out;
}

} // namespace

TEST(Deflate, RunsInflateBackWithZlibWhateverThePieces) {
    uint32_t seed = 12345;
    auto next = [&seed] { return seed = seed * 1103515245u + 12345u, seed >> 16; };
    std::string rows, noise, three, skewed;
    for (int y = 0; y < 300; ++y) { // 300 rows of 1+4800: mostly zero, a few small differences
        rows += char(4);
        for (int x = 0; x < 4800; ++x)
            rows += next() % 400 == 0 ? char(next() % 5) : '\0';
    }
    for (int i = 0; i < 200000; ++i)
        noise += char(next());
    for (int i = 0; i < 100000; ++i)
        three += char(next() % 3);
    // Counts that double from symbol to symbol: an optimal code would need 24 bits.
    for (int s = 0; s < 24; ++s)
        for (int k = 0; k < (1 << s) / 64 + 1; ++k)
            skewed += char(s * 10 + 1) + std::string(1, char(s * 10 + 2));
    for (const std::string* data : {&rows, &noise, &three, &skewed}) {
        std::string whole = run_deflate(*data, data->size() + 1);
        EXPECT_EQ(inflate_with_zlib(whole, true, data->size()), *data);
        for (size_t piece : {size_t(1), size_t(7), size_t(4801)}) {
            std::string cut = run_deflate(*data, piece);
            EXPECT_EQ(inflate_with_zlib(cut, true, data->size()), *data) << piece;
        }
    }
    EXPECT_EQ(run_deflate(rows, 4801), run_deflate(rows, 4801)); // deterministic
    EXPECT_LE(run_deflate(rows, 4801).size(), zlib_runs(rows).size() * 102 / 100);
    EXPECT_LT(run_deflate(noise, 4801).size(), noise.size() * 101 / 100);
    EXPECT_EQ(inflate_with_zlib(run_deflate("", 1), true, 0), "");
}

// The caches' table: every word of a book's vocabulary found again after the table grew many
// times, words that share a prefix kept apart, and nothing found that was never added.
TEST(StringTable, FindsEveryKeyAfterGrowingAndNothingElse) {
    StringTable<std::vector<size_t>> table;
    EXPECT_EQ(table.find("imprenta"), nullptr); // empty: no slots yet
    std::vector<std::string> words;
    for (size_t i = 0; i < 5000; ++i) // past several doublings of the 1024 slots
        words.push_back((i % 2 ? "página" : "tipografía") + std::to_string(i));
    words.push_back(""); // an empty text is a key like any other
    for (size_t i = 0; i < words.size(); ++i)
        table.find_or_add(words[i]) = {i, words[i].size()};
    EXPECT_EQ(table.size(), words.size());
    for (size_t i = 0; i < words.size(); ++i) {
        const auto* found = table.find(words[i]);
        ASSERT_NE(found, nullptr) << words[i];
        EXPECT_EQ(*found, (std::vector<size_t>{i, words[i].size()})) << words[i];
    }
    EXPECT_EQ(table.find("tipografía"), nullptr);
    EXPECT_EQ(table.find("página5000"), nullptr);
    // Adding a key again hands back its value, not a new one.
    EXPECT_EQ(table.find_or_add("página1"), (std::vector<size_t>{1, words[1].size()}));
    EXPECT_EQ(table.size(), words.size());
    table.clear();
    EXPECT_EQ(table.size(), 0u);
    EXPECT_EQ(table.find("página1"), nullptr);
    EXPECT_TRUE(table.find_or_add("página1").empty());
}
