// Incremental rebuilds (render::Memo, what `imprenta watch` keeps between builds): after an edit,
// a rebuild that reuses the unchanged chapters' EPUB pages and PDF layouts writes the same bytes
// as a full build without any cache, and it did reuse them.
#include "cli/app.h"
#include "render/memo.h"
#include "support/support.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

using namespace imprenta;
namespace ts = testing_support;
namespace fs = std::filesystem;

namespace {

std::string essay(int n, const std::string& extra) {
    std::string s = "---\ntitle: \"Ensayo " + std::to_string(n) + "\"\n---\n\n";
    s += "La imprenta de la calle del Pez abría a las siete. Los cajistas llegaban antes, "
         "encendían la estufa y repasaban las galeradas del día anterior con un lápiz rojo.\n\n";
    s += "## El taller\n\nEn el taller había dos prensas[^1] y una guillotina que nadie "
         "se atrevía a tocar sin permiso del regente.\n\n";
    if (n == 1) s += "Sobre los tipos, [véase el taller del segundo](02-segundo.md#el-oficio).\n\n";
    if (n == 3) s += "| Año | Pliegos |\n|---|---:|\n| 1890 | 1200 |\n| 1891 | 1450 |\n\n";
    s += extra;
    s += "[^1]: Una de ellas, de hierro, traída de Lieja en un carro.\n";
    return s;
}

const char* kNames[] = {"01-primero.md", "02-segundo.md", "03-tercero.md", "04-cuarto.md",
                        "05-quinto.md"};

fs::path make_book() {
    fs::path book = ts::fresh_dir("incremental-book");
    ts::write(book / "book.toml",
              "title = \"Talleres de la calle del Pez\"\nauthor = \"Inés Ortega\"\n"
              "language = \"es\"\n");
    for (int n = 1; n <= 5; ++n)
        ts::write(book / "content" / kNames[n - 1], essay(n, ""));
    // The heading essay 1 links to.
    ts::write(book / "content" / kNames[1],
              essay(2, "## El oficio\n\nComponer es leer al revés.\n\n"));
    return book;
}

int build(const fs::path& book, const fs::path& out, render::Memo* memo) {
    std::vector<std::string> args{book.string(), "-o", out.string(), "-q", "--no-cache"};
    return cli::build(cli::parse_build_args(args), cli::builtin_renderers(), nullptr, memo);
}

// The memo's rebuild and a build from nothing write the same EPUB and PDF.
void expect_same_as_full_build(const fs::path& book, const fs::path& out, const std::string& what) {
    fs::path full = ts::fresh_dir("incremental-full");
    ASSERT_EQ(build(book, full, nullptr), 0) << what;
    for (const char* ext : {".epub", ".pdf"}) {
        std::string name = std::string("talleres-de-la-calle-del-pez") + ext;
        std::string a = ts::slurp(out / name), b = ts::slurp(full / name);
        ASSERT_FALSE(a.empty()) << what << ": " << name;
        EXPECT_TRUE(a == b) << what << ": " << name << " differs from a full build's";
    }
}

} // namespace

TEST(Incremental, RebuildAfterEditsEqualsAFullBuildAndReusesTheRest) {
    ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    fs::path book = make_book();
    fs::path out = ts::fresh_dir("incremental-out");
    render::Memo memo;
    ASSERT_EQ(build(book, out, &memo), 0);
    EXPECT_EQ(memo.last_hits(), 0u);
    EXPECT_GT(memo.size(), 0u);

    // A word changed in essay 4: only its renderings are made again.
    ts::write(book / "content" / kNames[3], essay(4, "Un párrafo corregido al final.\n\n"));
    ASSERT_EQ(build(book, out, &memo), 0);
    size_t renderings = memo.last_hits() + memo.last_misses();
    EXPECT_GE(memo.last_hits(), renderings - 3) << "most chapters should have been reused";
    EXPECT_GE(memo.last_misses(), 2u) << "the edited essay must be rendered again";
    expect_same_as_full_build(book, out, "one paragraph changed");
    std::string epub = ts::slurp(out / "talleres-de-la-calle-del-pez.epub");

    // The heading essay 1 links to is renamed: essay 1's page must not be the old one.
    ts::write(book / "content" / kNames[1],
              essay(2, "## El oficio de cajista\n\nComponer es leer al revés.\n\n"));
    ASSERT_EQ(build(book, out, &memo), 0);
    expect_same_as_full_build(book, out, "a linked heading renamed");
    EXPECT_NE(ts::slurp(out / "talleres-de-la-calle-del-pez.epub"), epub);

    // Essay 1 grows by pages: every later chapter starts on another page.
    std::string longer;
    for (int i = 0; i < 60; ++i)
        longer += "Las pruebas volvían del autor con tachaduras en los márgenes, y el regente "
                  "las repartía entre los oficiales según la letra de cada uno.\n\n";
    ts::write(book / "content" / kNames[0], essay(1, longer));
    ASSERT_EQ(build(book, out, &memo), 0);
    expect_same_as_full_build(book, out, "an essay grew by pages");
    ::unsetenv("SOURCE_DATE_EPOCH");
}
