#include "bad_input.h"

#include <gtest/gtest.h>
#include <tinyxml2.h>

using namespace testing_support;

namespace bad_input {

Book make_book(const std::string& name) {
    Book b;
    fs::path dir = fresh_dir(name);
    b.root = dir / "book";
    b.out = dir / "out";
    write(b.root / "book.toml", "title = \"Hostile\"\nslug = \"hostile\"\nlanguage = \"en\"\n");
    write(b.root / "content" / "a.md", "---\ntitle: First\nweight: 1\n---\n\nA good essay with "
                                       "*emphasis*, a list:\n\n- one\n- two\n");
    return b;
}

void write_essay(const Book& book, const std::string& name, const std::string& text) {
    write(book.root / "content" / name, text);
}

RunResult build(const Book& book, const std::string& extra, const std::string& prefix) {
    return run(prefix + quote(IMPRENTA_BIN) + " build " + quote(book.root.string()) + " -o " +
               quote(book.out.string()) + " --no-cache -q " + extra);
}

void expect_no_crash(const RunResult& r) {
    EXPECT_LT(r.exit_code, 128) << "killed by a signal\n" << r.err;
    EXPECT_EQ(r.err.find("Sanitizer"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("runtime error:"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("terminate called"), std::string::npos) << r.err;
}

std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> files;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return files;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        std::string rel = fs::relative(e.path(), dir).generic_string();
        files[rel] = e.is_regular_file() ? slurp(e.path()) : std::string("<dir>");
    }
    return files;
}

void expect_only(const fs::path& dir, const std::vector<std::string>& names) {
    std::vector<std::string> found;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        found.push_back(it->path().filename().string());
    std::sort(found.begin(), found.end());
    std::vector<std::string> want = names;
    std::sort(want.begin(), want.end());
    EXPECT_EQ(found, want) << "in " << dir;
}

namespace {
void expect_err_has(const RunResult& r, const std::vector<std::string>& parts) {
    for (const auto& p : parts)
        EXPECT_NE(r.err.find(p), std::string::npos) << "stderr lacks '" << p << "':\n" << r.err;
}

std::vector<std::string> outputs_for(const std::string& extra) {
    bool epub_only = extra.find("--format epub") != std::string::npos &&
                     extra.find("--format epub,pdf") == std::string::npos;
    bool pdf_only = extra.find("--format pdf") != std::string::npos;
    // A successful build also records what it wrote (for `imprenta clean`).
    if (epub_only) return {"hostile.epub", ".imprenta-manifest"};
    if (pdf_only) return {"hostile.pdf", ".imprenta-manifest"};
    return {"hostile.epub", "hostile.pdf", ".imprenta-manifest"};
}
} // namespace

RunResult expect_failure_keeps_output(const Book& book, const std::function<void()>& breaker,
                                      const std::vector<std::string>& expect_in_err,
                                      const std::string& extra) {
    auto good = build(book);
    EXPECT_EQ(good.exit_code, 0) << good.err;
    expect_only(book.out, {"hostile.epub", "hostile.pdf", ".imprenta-manifest"});
    auto before = snapshot(book.out);

    breaker();
    auto r = build(book, extra);
    expect_no_crash(r);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    expect_err_has(r, expect_in_err);
    EXPECT_NE(r.err.find("error"), std::string::npos) << r.err;
    auto after = snapshot(book.out);
    EXPECT_EQ(before.size(), after.size());
    for (const auto& [name, bytes] : after) {
        auto it = before.find(name);
        if (it == before.end())
            ADD_FAILURE() << "the failed build left " << name << " in the output folder";
        else
            EXPECT_TRUE(it->second == bytes) << name << " changed although the build failed";
    }
    return r;
}

RunResult expect_builds_with(const Book& book, const std::vector<std::string>& expect_in_err,
                             const std::string& extra) {
    auto r = build(book, extra);
    expect_no_crash(r);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    expect_err_has(r, expect_in_err);
    expect_only(book.out, outputs_for(extra));
    return r;
}

std::map<std::string, std::string> xhtml_files(const fs::path& epub) {
    std::map<std::string, std::string> out;
    for (auto& e : read_zip(epub)) {
        if (!e.name.ends_with(".xhtml")) continue;
        tinyxml2::XMLDocument d;
        auto err = d.Parse(e.data.data(), e.data.size());
        EXPECT_EQ(err, tinyxml2::XML_SUCCESS)
            << e.name << " does not parse: " << d.ErrorStr()
            << (err == tinyxml2::XML_ELEMENT_DEPTH_EXCEEDED
                    ? " (elements nested deeper than tinyxml2's limit of 100)"
                    : "");
        out[e.name] = std::move(e.data);
    }
    EXPECT_FALSE(out.empty()) << "no XHTML in " << epub;
    return out;
}

void expect_epubcheck_clean(const fs::path& epub) {
    // The sanitizer build checks memory, not EPUB rules: the plain build runs epubcheck.
    if (kSanitized) return;
    if (!have_tool("java")) GTEST_SKIP() << "no java for epubcheck";
    auto r = epubcheck(epub);
    EXPECT_EQ(r.fatals, 0) << r.output;
    EXPECT_EQ(r.errors, 0) << r.output;
    EXPECT_EQ(r.warnings, 0) << r.output;
}

namespace {
// The test folder without the output folder and the book folder (which the tests change).
std::map<std::string, std::string> around_book(const Book& book) {
    auto all = snapshot(book.root.parent_path());
    for (const fs::path& skip : {book.out, book.root}) {
        std::string name = skip.filename().string();
        for (auto it = all.begin(); it != all.end();)
            it = (it->first == name || it->first.starts_with(name + "/")) ? all.erase(it) : ++it;
    }
    return all;
}
} // namespace

Canary plant_canary(const Book& book) {
    Canary c;
    c.file = book.root.parent_path() / "canary.txt";
    c.secret = "CANARY-7f3a-OUTSIDE-THE-BOOK";
    write(c.file, "title = \"" + c.secret + "\"\n" + c.secret + "\n");
    c.around = around_book(book);
    return c;
}

void expect_contained(const Book& book, const Canary& canary, const RunResult& r) {
    auto now = around_book(book);
    EXPECT_EQ(now.size(), canary.around.size())
        << "files appeared or vanished outside " << book.out;
    for (const auto& [name, bytes] : now) {
        auto it = canary.around.find(name);
        if (it == canary.around.end())
            ADD_FAILURE() << "the build wrote " << name << " outside the output folder";
        else
            EXPECT_TRUE(it->second == bytes) << name << " (outside the output folder) changed";
    }
    EXPECT_EQ(r.out.find(canary.secret), std::string::npos) << r.out;
    EXPECT_EQ(r.err.find(canary.secret), std::string::npos) << r.err;
    for (const auto& [name, bytes] : snapshot(book.out)) {
        EXPECT_EQ(bytes.find(canary.secret), std::string::npos) << name << " holds the canary";
        if (name.ends_with(".epub")) {
            for (const auto& e : read_zip(book.out / name))
                EXPECT_EQ(e.data.find(canary.secret), std::string::npos)
                    << name << "!" << e.name << " holds the canary";
        }
        if (name.ends_with(".pdf") && have_tool("pdftotext")) {
            EXPECT_EQ(pdftotext(book.out / name).find(canary.secret), std::string::npos)
                << name << " shows the canary";
        }
    }
}

namespace {
uint32_t crc32(std::string_view bytes) {
    uint32_t c = 0xFFFFFFFFu;
    for (unsigned char b : bytes) {
        c ^= b;
        for (int k = 0; k < 8; ++k)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return c ^ 0xFFFFFFFFu;
}

void put_be32(std::string& s, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
        s += char((v >> shift) & 0xFF);
}

std::string chunk(const std::string& type, const std::string& data) {
    std::string c;
    put_be32(c, uint32_t(data.size()));
    std::string body = type + data;
    c += body;
    put_be32(c, crc32(body));
    return c;
}
} // namespace

std::string png_with_header(uint32_t width, uint32_t height, const std::string& idat) {
    std::string ihdr;
    put_be32(ihdr, width);
    put_be32(ihdr, height);
    ihdr += std::string("\x08\x02\x00\x00\x00", 5); // 8-bit RGB, deflate, no filter, no interlace
    return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", idat) +
           chunk("IEND", "");
}

} // namespace bad_input
