// Incremental rebuilds (render::Memo, what `imprenta watch` keeps between builds): after an edit,
// a rebuild that reuses the unchanged chapters' EPUB pages and PDF layouts writes the same bytes
// as a full build without any cache, and it did reuse them.
#include "cli/app.h"
#include "render/memo.h"
#include "support/support.h"

#include <gtest/gtest.h>

#include <algorithm>
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

    // A title changed in the front matter (the others' front matter is kept parsed).
    std::string retitled = essay(3, "");
    retitled.replace(retitled.find("Ensayo 3"), 8, "El almacén de papel");
    ts::write(book / "content" / kNames[2], retitled);
    ASSERT_EQ(build(book, out, &memo), 0);
    expect_same_as_full_build(book, out, "a title changed");

    // The last essay edited: every chapter before it is kept as it was.
    ts::write(book / "content" / kNames[4], essay(5, "Cerraban a las nueve.\n\n"));
    ASSERT_EQ(build(book, out, &memo), 0);
    EXPECT_GE(memo.last_hits(), memo.last_hits() + memo.last_misses() - 3);
    expect_same_as_full_build(book, out, "the last essay edited");
    ::unsetenv("SOURCE_DATE_EPOCH");
}

// Which page a link path finds is kept between builds of the same pages (EssayCache::find_link):
// an unchanged essay's links must still find a page added, lose a page removed, and follow the
// renumbered chapters.
TEST(Incremental, KeptLinkAnswersFollowThePagesOfTheBook) {
    ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    fs::path book = make_book();
    ts::write(book / "content" / kNames[3],
              essay(4, "Lo cuenta [el sexto](06-sexto.md) y [el segundo](02-segundo.md).\n\n"));
    fs::path out = ts::fresh_dir("incremental-links-out");
    render::Memo memo;
    ASSERT_EQ(build(book, out, &memo), 0); // 06-sexto.md is missing: its link is plain text

    // The page it names is written: essay 4 (unchanged) now links to it.
    ts::write(book / "content" / "06-sexto.md", essay(6, ""));
    ASSERT_EQ(build(book, out, &memo), 0);
    expect_same_as_full_build(book, out, "the linked page added");
    EXPECT_EQ(memo.essays().last_misses(), 1u) << "only the new essay is parsed";

    // Another edit with the same pages: the kept answers are used.
    ts::write(book / "content" / kNames[4], essay(5, "Cerraban a las nueve.\n\n"));
    ASSERT_EQ(build(book, out, &memo), 0);
    expect_same_as_full_build(book, out, "an essay edited, the same pages");

    // A page linked from essays 1 and 4 is removed: the chapters after it move up one place.
    fs::remove(book / "content" / kNames[1]);
    ASSERT_EQ(build(book, out, &memo), 0);
    expect_same_as_full_build(book, out, "a linked page removed");

    // And written again.
    ts::write(book / "content" / kNames[1],
              essay(2, "## El oficio\n\nComponer es leer al revés.\n\n"));
    ASSERT_EQ(build(book, out, &memo), 0);
    expect_same_as_full_build(book, out, "the linked page back");
    ::unsetenv("SOURCE_DATE_EPOCH");
}

namespace {

// A book whose essays use images: a banner, a figure shared by two essays, a missing one. Both
// images print below 150 ppi, so every build warns about them, pages kept by the memo or not.
fs::path make_illustrated_book() {
    fs::path book = ts::fresh_dir("incremental-illustrated");
    ts::write(book / "book.toml", "title = \"Talleres de la calle del Pez\"\nlanguage = \"es\"\n");
    ts::write(book / "assets" / "prensa.png", ts::make_png(320, 200, 0x8a5a2b));
    ts::write(book / "assets" / "tipos.png", ts::make_png(240, 240, 0x2b5a8a));
    ts::write(book / "content" / "01-primero.md",
              "---\ntitle: \"La prensa\"\nimage: prensa.png\n---\n\nLa prensa de hierro llegó "
              "en un carro desde Lieja.\n\n![Una caja de tipos](tipos.png)\n");
    ts::write(book / "content" / "02-segundo.md",
              "# Las cajas\n\nLos tipos se guardaban por tamaños.\n\n![Otra vez](tipos.png)\n\n"
              "![Perdida](no-existe.png)\n");
    ts::write(book / "content" / "03-tercero.md",
              "# El regente\n\nEl regente repartía las pruebas entre los oficiales.\n");
    return book;
}

int check_build(const fs::path& book, render::Memo* memo, cli::BuildReport& report) {
    std::vector<std::string> args{book.string(), "-q", "--no-cache"};
    return cli::build(cli::parse_build_args(args), cli::builtin_renderers(), &report, memo);
}

std::vector<std::string> messages(const cli::BuildReport& report) {
    std::vector<std::string> out;
    for (const auto& d : report.diagnostics)
        out.push_back(util::format_diagnostic(d));
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

// Unchanged essays are not parsed again: their chapters come from the memo with their images
// resolved again (the asset table is the book's, made anew) and their warnings given again.
TEST(Incremental, UnchangedEssaysAreNotParsedAgainAndKeepTheirImagesAndWarnings) {
    ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    fs::path book = make_illustrated_book();
    fs::path out = ts::fresh_dir("incremental-illustrated-out");
    render::Memo memo;
    ASSERT_EQ(build(book, out, &memo), 0);
    EXPECT_EQ(memo.essays().last_hits(), 0u);
    EXPECT_EQ(memo.essays().last_misses(), 3u);

    // Essay 3 edited: essays 1 and 2 (with the images) are taken from the memo.
    ts::write(book / "content" / "03-tercero.md",
              "# El regente\n\nEl regente repartía las pruebas entre los oficiales, y las "
              "devolvía corregidas antes del mediodía.\n");
    ASSERT_EQ(build(book, out, &memo), 0);
    EXPECT_EQ(memo.essays().last_hits(), 2u);
    EXPECT_EQ(memo.essays().last_misses(), 1u);
    expect_same_as_full_build(book, out, "an essay after the illustrated ones edited");

    // Essay 1 edited, so the shared figure is first met in essay 2, a kept parse: the asset
    // table is renumbered and the outputs still equal a full build's.
    ts::write(book / "content" / "01-primero.md",
              "---\ntitle: \"La prensa\"\nimage: prensa.png\n---\n\nLa prensa llegó en un "
              "carro.\n");
    ASSERT_EQ(build(book, out, &memo), 0);
    EXPECT_EQ(memo.essays().last_hits(), 2u);
    expect_same_as_full_build(book, out, "the first use of a shared image removed");

    // The kept essay's warning (the missing image) is given on every build, as a full build does.
    cli::BuildReport kept, full;
    ASSERT_EQ(check_build(book, &memo, kept), 0);
    EXPECT_EQ(memo.essays().last_hits(), 3u);
    ASSERT_EQ(check_build(book, nullptr, full), 0);
    EXPECT_EQ(messages(kept), messages(full));
    bool missing = false;
    for (const auto& m : messages(kept))
        missing = missing || m.find("no-existe.png") != std::string::npos;
    EXPECT_TRUE(missing) << "the missing image of a kept essay must still be reported";
    ::unsetenv("SOURCE_DATE_EPOCH");
}

// The images a build made are kept for the next one, found by their source's bytes: an image
// rewritten under the same name (and the same size) is made again, the others are not.
TEST(Incremental, KeptImagesAreReusedOnlyWhileTheirBytesAreTheSame) {
    ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    fs::path book = make_illustrated_book();
    fs::path out = ts::fresh_dir("incremental-images-out");
    render::Memo memo;
    ASSERT_EQ(build(book, out, &memo), 0);
    EXPECT_EQ(memo.images().hits(), 0u);

    ts::write(book / "content" / "03-tercero.md", "# El regente\n\nRepartía las pruebas.\n");
    ASSERT_EQ(build(book, out, &memo), 0);
    EXPECT_EQ(memo.images().hits(), 4u); // two images, each for the EPUB and for the PDF
    expect_same_as_full_build(book, out, "an essay edited, the images kept");
    std::string epub = ts::slurp(out / "talleres-de-la-calle-del-pez.epub");

    std::string before = ts::slurp(book / "assets" / "tipos.png");
    std::string after = ts::make_png(240, 240, 0x8a2b5a);
    ASSERT_EQ(before.size(), after.size()); // only the bytes tell them apart
    ASSERT_NE(before, after);
    ts::write(book / "assets" / "tipos.png", after);
    ASSERT_EQ(build(book, out, &memo), 0);
    EXPECT_EQ(memo.images().hits(), 2u); // the banner only
    expect_same_as_full_build(book, out, "an image rewritten under its name");
    EXPECT_NE(ts::slurp(out / "talleres-de-la-calle-del-pez.epub"), epub);
    ::unsetenv("SOURCE_DATE_EPOCH");
}
