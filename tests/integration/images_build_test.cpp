// Builds of an image-heavy book in two editions (Spanish and English sharing their banners):
// JPEG pass-through into the PDF and the EPUB byte for byte, every build equal whatever the
// thread count, cache state or formats asked for, each source decoded once; and `imprenta
// watch`, whose rebuild after a save equals a full build.
#include "image/codec.h"
#include "support/support.h"

#include <gtest/gtest.h>
#include <webp/encode.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

namespace ts = testing_support;
using imprenta::image::detail::Bitmap;

namespace {

Bitmap textured(int w, int h, unsigned seed) {
    Bitmap bm;
    bm.width = w;
    bm.height = h;
    bm.rgba.resize(size_t(w) * h * 4);
    std::mt19937 rng(seed);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            uint8_t* p = &bm.rgba[(size_t(y) * w + x) * 4];
            p[0] = uint8_t(x * 200 / w + rng() % 32);
            p[1] = uint8_t(y * 200 / h + rng() % 32);
            p[2] = uint8_t((x / 7 + y / 5) % 256);
            p[3] = 255;
        }
    return bm;
}

std::string webp_of(const Bitmap& bm) {
    uint8_t* out = nullptr;
    size_t n = WebPEncodeRGBA(bm.rgba.data(), bm.width, bm.height, bm.width * 4, 80, &out);
    std::string s(reinterpret_cast<char*>(out), n);
    WebPFree(out);
    return s;
}

const char* kEssay = R"(---
title: "%s"
weight: %d
image: banners/%s
imageAlt: "%s"
---

%s

## %s

%s
)";

std::string essay(const std::string& title, int weight, const std::string& banner,
                  const std::string& body, const std::string& heading) {
    char buf[4096];
    std::snprintf(buf, sizeof buf, kEssay, title.c_str(), weight, banner.c_str(), title.c_str(),
                  body.c_str(), heading.c_str(), body.c_str());
    return buf;
}

// A two-edition book: three chapters each, opening with a large WebP, a JPEG small enough to
// go into both media as it is, and a large PNG photograph.
fs::path make_book(const std::string& name) {
    fs::path book = ts::fresh_dir(name);
    ts::write(book / "book.toml", "title = \"Cuaderno de grabados\"\nauthor = \"Taller\"\n"
                                  "language = \"es\"\n");
    ts::write(book / "assets/banners/prensa.webp", webp_of(textured(2000, 1300, 1)));
    ts::write(book / "assets/banners/taller.jpg",
              imprenta::image::detail::encode_jpeg(textured(900, 560, 2), 88));
    ts::write(book / "assets/banners/tinta.png", ts::make_png(1800, 1000, 0x8a5a2b));
    const char* banners[] = {"prensa.webp", "taller.jpg", "tinta.png"};
    const char* es[] = {"La prensa de madera", "El taller del impresor", "La tinta y el papel"};
    const char* en[] = {"The wooden press", "The printer's workshop", "Ink and paper"};
    for (int i = 0; i < 3; ++i) {
        ts::write(book / "content/es" / (std::to_string(i + 1) + ".md"),
                  essay(es[i], i + 1, banners[i],
                        "El oficio pasa de maestro a aprendiz, pliego tras pliego.", "Oficio"));
        ts::write(book / "content/en" / (std::to_string(i + 1) + ".md"),
                  essay(en[i], i + 1, banners[i],
                        "The craft passes from master to apprentice, sheet after sheet.", "Craft"));
    }
    return book;
}

const char* kOutputs[] = {"cuaderno-de-grabados-es.epub", "cuaderno-de-grabados-es.pdf",
                          "cuaderno-de-grabados-en.epub", "cuaderno-de-grabados-en.pdf"};

// `imprenta build BOOK -o OUT -q ARGS` with a fixed SOURCE_DATE_EPOCH and `env` before it.
ts::RunResult build(const fs::path& book, const fs::path& out, const std::string& env,
                    const std::string& args = "") {
    std::string cmd = "SOURCE_DATE_EPOCH=1700000000 ";
    cmd += env;
    cmd += ' ';
    cmd += ts::quote(IMPRENTA_BIN);
    cmd += " build ";
    cmd += ts::quote(book.string());
    cmd += " -o ";
    cmd += ts::quote(out.string());
    cmd += " -q ";
    cmd += args;
    return ts::run(cmd);
}

// Every output `b` has equals `a`'s (a build of one format has only those files).
void expect_same_outputs(const fs::path& a, const fs::path& b, const std::string& what) {
    for (const char* name : kOutputs) {
        if (!fs::exists(b / name)) continue;
        EXPECT_TRUE(ts::slurp(a / name) == ts::slurp(b / name)) << name << " differs: " << what;
    }
}

} // namespace

TEST(ImagesBuild, JpegThatFitsGoesIntoThePdfAndEpubByteForByte) {
    fs::path book = make_book("img-pass");
    fs::path out = book / "out";
    auto r = build(book, out, "");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string jpeg = ts::slurp(book / "assets/banners/taller.jpg");
    for (const char* lang : {"es", "en"}) {
        std::string pdf = ts::slurp(out / (std::string("cuaderno-de-grabados-") + lang + ".pdf"));
        // The stream of a pass-through JPEG is the file itself, stored without a filter.
        size_t at = pdf.find(jpeg);
        ASSERT_NE(at, std::string::npos) << lang << ": the JPEG is not in the PDF as is";
        EXPECT_NE(pdf.rfind("/DCTDecode", at), std::string::npos);
        auto entries = ts::read_zip(out / (std::string("cuaderno-de-grabados-") + lang + ".epub"));
        bool found = false;
        for (const auto& e : entries)
            found = found || e.data == jpeg;
        EXPECT_TRUE(found) << lang << ": the EPUB does not carry the JPEG as is";
    }
    // The large WebP and PNG are scaled: pdfimages sees them at the PDF's size, no larger.
    for (const auto& row : ts::pdfimages(out / "cuaderno-de-grabados-es.pdf"))
        EXPECT_LE(row.width, 2000);
}

TEST(ImagesBuild, SameBytesWhateverThreadsCacheOrFormats) {
    fs::path book = make_book("img-det");
    fs::path base = book / "one-thread";
    auto r = build(book, base, "IMPRENTA_THREADS=1");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* name : kOutputs)
        ASSERT_TRUE(fs::exists(base / name)) << name;

    r = build(book, book / "two", "IMPRENTA_THREADS=2");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expect_same_outputs(base, book / "two", "IMPRENTA_THREADS=1 vs 2");

    // Cold cache, then warm cache, then --no-cache (memory only): all the same bytes.
    fs::path cache = book / "cache";
    for (const char* run : {"cold", "warm"}) {
        r = build(book, book / run, "", std::string("--cache-dir ") + ts::quote(cache.string()));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        expect_same_outputs(base, book / run, run);
    }
    r = build(book, book / "nocache", "", "--no-cache");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expect_same_outputs(base, book / "nocache", "--no-cache");

    // One format alone: the same images as when both are built from the same decodes. The PDF
    // is the same file; the EPUB alone has no page-list (that comes from the PDF's pages), so
    // its images are compared entry by entry.
    fs::path only = book / "only-pdf";
    r = build(book, only, "", "--no-cache --format pdf");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_TRUE(fs::exists(only / "cuaderno-de-grabados-es.pdf"));
    expect_same_outputs(base, only, "--format pdf");
    only = book / "only-epub";
    r = build(book, only, "", "--no-cache --format epub");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* name : {"cuaderno-de-grabados-es.epub", "cuaderno-de-grabados-en.epub"}) {
        auto both = ts::read_zip(base / name), alone = ts::read_zip(only / name);
        size_t images = 0;
        for (const auto& e : both) {
            if (e.name.rfind("EPUB/images/", 0) != 0) continue;
            ++images;
            const ts::ZipEntry* same = ts::find_entry(alone, e.name);
            EXPECT_TRUE(same && same->data == e.data) << e.name << " differs: --format epub";
        }
        EXPECT_GT(images, 0u) << name;
    }
}

namespace {

// Lines a background process has written to `log` so far.
std::string read_log(const fs::path& log) {
    std::error_code ec;
    return fs::exists(log, ec) ? ts::slurp(log) : "";
}

bool wait_for(const fs::path& log, const std::string& text, size_t count, int seconds) {
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < end) {
        std::string s = read_log(log);
        size_t n = 0;
        for (size_t at = s.find(text); at != std::string::npos; at = s.find(text, at + 1))
            ++n;
        if (n >= count) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

} // namespace

TEST(Watch, RebuildsOnSaveAndEqualsAFullBuild) {
    fs::path book = make_book("img-watch");
    // Logs and the comparison build live outside the book, so they do not look like edits.
    fs::path side = ts::fresh_dir("img-watch-side");
    fs::path out = book / "watched", log = side / "watch.log";
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
        std::freopen(log.c_str(), "w", stdout);
        std::freopen((side / "watch.err").c_str(), "w", stderr);
        ::execl(IMPRENTA_BIN, "imprenta", "watch", book.c_str(), "-o", out.c_str(), "--no-cache",
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    struct Stop { // the watcher never outlives the test, whatever fails
        pid_t pid;
        ~Stop() {
            if (pid <= 0) return;
            ::kill(pid, SIGTERM);
            for (int i = 0; i < 200; ++i) {
                if (::waitpid(pid, nullptr, WNOHANG) == pid) return;
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    } stop{pid};
    ASSERT_TRUE(wait_for(log, "watching ", 1, 120))
        << read_log(log) << ts::slurp(side / "watch.err");
    EXPECT_NE(read_log(log).find("built in "), std::string::npos);

    // A save: the chapter gains a paragraph. One rebuild line, naming the file.
    std::string chapter = ts::slurp(book / "content/es/2.md");
    ts::write(book / "content/es/2.md",
              chapter + "\nUn párrafo nuevo, escrito mientras el libro se vigila.\n");
    ASSERT_TRUE(wait_for(log, "rebuilt in ", 1, 120)) << read_log(log);
    EXPECT_NE(read_log(log).find("content/es/2.md"), std::string::npos) << read_log(log);
    // An editor's swap file and the output folder changing do not trigger builds.
    ts::write(book / "content/es/.02.md.swp", "x");
    std::this_thread::sleep_for(std::chrono::milliseconds(600));

    auto r = build(book, side / "full", "");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expect_same_outputs(out, side / "full", "watch rebuild vs full build");
    EXPECT_NE(ts::normalize_words(ts::pdftotext(out / "cuaderno-de-grabados-es.pdf"))
                  .find(ts::normalize_words("escrito mientras el libro se vigila")),
              std::string::npos);

    ::kill(pid, SIGTERM);
    int status = 0;
    for (int i = 0; i < 200 && ::waitpid(pid, &status, WNOHANG) != pid; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    // Stopped through main()'s signal handler: exit 128 + SIGTERM, with its one-line message.
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGTERM)
        << "watch did not stop cleanly: " << status;
    stop.pid = -1;
    size_t rebuilds = 0;
    std::string s = read_log(log);
    for (size_t at = s.find("rebuilt in "); at != std::string::npos; at = s.find("rebuilt", at + 1))
        ++rebuilds;
    EXPECT_EQ(rebuilds, 1u) << s;
}
