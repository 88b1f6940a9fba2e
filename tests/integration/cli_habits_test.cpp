// The command line's everyday habits: usage, typo hints, where the book is found, one-essay
// books, what a bare folder leaves out, -v, clean and the output manifest.
#include "support/support.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace testing_support;

namespace {

// A book folder: book.toml with `title`, and content/ with the given essays.
fs::path make_book(const std::string& name, const std::string& toml,
                   const std::vector<std::pair<std::string, std::string>>& essays) {
    fs::path root = fresh_dir(name);
    if (!toml.empty()) write(root / "book.toml", toml);
    for (const auto& [file, text] : essays)
        write(root / "content" / file, text);
    return root;
}

// `imprenta ARGS` run from the folder `cwd`.
RunResult imprenta_in(const fs::path& cwd, const std::string& args) {
    return run("cd " + quote(cwd.string()) + " && " + quote(IMPRENTA_BIN) + " " + args);
}

// The chapter documents of an EPUB (XHTML files other than the title page and the nav).
std::vector<std::string> chapter_texts(const fs::path& epub) {
    std::vector<std::string> texts;
    for (const auto& e : read_zip(epub))
        if (e.name.ends_with(".xhtml") && e.name.find("nav") == std::string::npos &&
            e.name.find("title") == std::string::npos && e.name.find("cover") == std::string::npos)
            texts.push_back(xml_text(e.data));
    return texts;
}

std::string opf_of(const fs::path& epub) {
    for (const auto& e : read_zip(epub))
        if (e.name.ends_with(".opf")) return e.data;
    return {};
}

const std::string kEssayA = "---\ntitle: \"Las imprentas de Mainz\"\nweight: 1\n---\n\n"
                            "Los talleres de la ciudad compartían tipos y deudas.\n";
const std::string kEssayB = "---\ntitle: \"El papel de trapo\"\nweight: 2\n---\n\n"
                            "Los molinos del río molían trapos viejos hasta hacerlos pasta.\n";

} // namespace

TEST(CliHabits, AloneItPrintsAShortUsageWithTheCommands) {
    auto r = imprenta("");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    for (const char* cmd : {"build", "check", "clean", "init", "help"})
        EXPECT_NE(r.out.find(std::string("  ") + cmd), std::string::npos) << cmd << "\n" << r.out;
    EXPECT_LT(std::count(r.out.begin(), r.out.end(), '\n'), 20) << "not short:\n" << r.out;
}

TEST(CliHabits, AMistypedCommandGetsASuggestion) {
    for (auto [typo, meant] : {std::pair{"biuld", "build"},
                               {"buidl", "build"},
                               {"chekc", "check"},
                               {"claen", "clean"},
                               {"inti", "init"},
                               {"hlep", "help"}}) {
        auto r = imprenta(typo);
        EXPECT_EQ(r.exit_code, 2) << typo;
        EXPECT_NE(r.err.find(std::string("did you mean '") + meant + "'?"), std::string::npos)
            << typo << ": " << r.err;
    }
    auto far = imprenta("publish");
    EXPECT_EQ(far.exit_code, 2);
    EXPECT_EQ(far.err.find("did you mean"), std::string::npos) << far.err;
    EXPECT_NE(far.err.find("build, check, clean, init, watch, help"), std::string::npos) << far.err;
}

TEST(CliHabits, HelpShowsTheManualAsTextWhenNotATerminal) {
    auto r = imprenta("help");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    // The embedded page is docs/imprenta.1: its sections and every command, without roff.
    for (const char* part : {"NAME", "SYNOPSIS", "COMMANDS", "EXIT STATUS", "imprenta clean",
                             "imprenta init", "--format json", "OUT/.imprenta-manifest"})
        EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n" << r.out;
    EXPECT_EQ(r.out.find("\\f"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("\n.TP"), std::string::npos) << r.out;
}

TEST(CliHabits, TheBookIsFoundByWalkingUpFromASubfolder) {
    auto root = make_book("book", "title = \"Talleres\"\nslug = \"talleres\"\n",
                          {{"01-mainz.md", kEssayA}, {"parte/02-papel.md", kEssayB}});
    auto r = imprenta_in(root / "content" / "parte", "build --format epub --no-cache");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_TRUE(fs::exists(root / "dist" / "talleres.epub")) << r.out;
    EXPECT_FALSE(fs::exists(root / "content" / "parte" / "dist"));
    auto chapters = chapter_texts(root / "dist" / "talleres.epub");
    EXPECT_EQ(chapters.size(), 2u);
    EXPECT_NE(opf_of(root / "dist" / "talleres.epub").find("Talleres"), std::string::npos);
    // -v says where it found the book.
    auto v = imprenta_in(root / "content", "build -v --format epub --no-cache");
    EXPECT_NE(v.out.find("found above the current folder"), std::string::npos) << v.out;
}

TEST(CliHabits, AHugoConfigurationIsABookRootToo) {
    fs::path site = fresh_dir("site");
    write(site / "hugo.toml", "title = \"Sitio\"\n[params]\nBookSection = \"docs\"\n");
    write(site / "content/docs/a.md", kEssayA);
    auto r = imprenta_in(site / "content" / "docs", "build --format epub --no-cache -q");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(site / "dist" / "sitio.epub"));
}

TEST(CliHabits, TheSearchStopsAtARepositoryTop) {
    // A folder of essays with its own .git inside a book: it is its own (bare) book.
    auto outer = make_book("outer", "title = \"Exterior\"\n", {{"a.md", kEssayA}});
    fs::path inner = outer / "notas";
    fs::create_directories(inner / ".git");
    write(inner / "nota.md", kEssayB);
    auto r = imprenta_in(inner, "build --format epub --no-cache -q");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(inner / "dist" / "notas.epub"));
    EXPECT_FALSE(fs::exists(outer / "dist"));
}

TEST(CliHabits, OneEssayFileBuildsAOneChapterBook) {
    fs::path dir = fresh_dir("loose");
    write(dir / "ensayo-suelto.md", "# Sobre la tinta\n\nLa tinta de imprenta era barniz y "
                                    "hollín, más espesa que la de los copistas.[^1]\n\n"
                                    "[^1]: Aceite de linaza cocido.\n");
    write(dir / "otro.md", kEssayB); // beside it, and not part of the book
    auto r = imprenta("build " + quote((dir / "ensayo-suelto.md").string()) + " --no-cache");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    fs::path epub = dir / "dist" / "ensayo-suelto.epub";
    ASSERT_TRUE(fs::exists(epub)) << r.out;
    EXPECT_TRUE(fs::exists(dir / "dist" / "ensayo-suelto.pdf"));
    auto chapters = chapter_texts(epub);
    ASSERT_EQ(chapters.size(), 1u);
    EXPECT_NE(chapters[0].find("barniz"), std::string::npos);
    EXPECT_NE(opf_of(epub).find(">Sobre la tinta</dc:title>"), std::string::npos) << opf_of(epub);
    EXPECT_EQ(r.err.find("no title"), std::string::npos) << r.err;
    auto check = epubcheck(epub);
    EXPECT_EQ(check.errors + check.fatals + check.warnings, 0) << check.output;
    auto text = pdftotext(dir / "dist" / "ensayo-suelto.pdf");
    EXPECT_NE(normalize_words(text).find("barniz"), std::string::npos) << text;
}

TEST(CliHabits, ANonEssayFileIsAClearError) {
    fs::path dir = fresh_dir("f");
    write(dir / "cover.png", make_png(4, 4, 0x336699));
    auto r = imprenta("build " + quote((dir / "cover.png").string()));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("cover.png: error:"), std::string::npos) << r.err;
}

TEST(CliHabits, ReadmeLicenseAndChangelogOfABareFolderAreNotChapters) {
    fs::path dir = fresh_dir("essays");
    write(dir / "book.toml", "title = \"Ensayos\"\nauthor = \"Lucía Prado\"\n");
    write(dir / "a.md", kEssayA);
    write(dir / "b.md", kEssayB);
    write(dir / "README.md", "# Ensayos\n\nEste repositorio guarda borradores.\n");
    write(dir / "LICENSE.md", "Permiso concedido para copiar estos borradores.\n");
    write(dir / "CHANGELOG.md", "# Cambios\n\n- primera versión de los borradores\n");
    write(dir / "notas/README.md", "# Notas\n\nUn README más abajo sí es una página.\n");
    auto r = imprenta("build " + quote(dir.string()) + " --format epub --no-cache --strict");
    ASSERT_EQ(r.exit_code, 0) << r.err; // notes are not warnings: --strict still builds
    for (const char* f : {"README.md: note: not a chapter", "LICENSE.md: note: not a chapter",
                          "CHANGELOG.md: note: not a chapter"})
        EXPECT_NE(r.err.find(f), std::string::npos) << f << "\n" << r.err;
    auto chapters = chapter_texts(dir / "dist" / "ensayos.epub");
    EXPECT_EQ(chapters.size(), 3u);
    std::string all;
    for (const auto& c : chapters)
        all += c;
    EXPECT_EQ(all.find("repositorio"), std::string::npos);
    EXPECT_EQ(all.find("Permiso"), std::string::npos);
    EXPECT_EQ(all.find("primera versión"), std::string::npos);
    EXPECT_NE(all.find("más abajo"), std::string::npos);
}

TEST(CliHabits, ABookWithoutATitleIsWarnedHowToSetOne) {
    fs::path dir = fresh_dir("sin-titulo");
    write(dir / "a.md", kEssayA);
    auto r = imprenta("build " + quote(dir.string()) + " --format epub --no-cache");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("warning: the book has no title"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("'sin-titulo'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("title = \"...\""), std::string::npos) << r.err;
    write(dir / "book.toml", "title = \"Con título\"\n");
    auto ok = imprenta("build " + quote(dir.string()) + " --format epub --no-cache");
    EXPECT_EQ(ok.err.find("no title"), std::string::npos) << ok.err;
}

TEST(CliHabits, VerboseListsEveryFileWrittenWithItsSize) {
    auto root = make_book("book", "title = \"Talleres\"\n", {{"a.md", kEssayA}});
    auto r = imprenta("build " + quote(root.string()) + " -v --no-cache");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* name : {"talleres.epub", "talleres.pdf"}) {
        auto size = fs::file_size(root / "dist" / name);
        std::string line = "wrote " + (root / "dist" / name).string();
        auto at = r.out.find(line);
        ASSERT_NE(at, std::string::npos) << r.out;
        std::string rest = r.out.substr(at, r.out.find('\n', at) - at);
        EXPECT_NE(rest.find(std::to_string(size) + " bytes"), std::string::npos) << rest;
    }
    auto q = imprenta("build " + quote(root.string()) + " -q --no-cache");
    EXPECT_EQ(q.out, "");
    EXPECT_EQ(imprenta("build -q -v").exit_code, 2);
}

TEST(CliHabits, NoProgressLineWhenStderrIsNotATerminal) {
    auto root = make_book("book", "title = \"Talleres\"\n", {{"a.md", kEssayA}});
    auto r = imprenta("build " + quote(root.string()) + " --no-cache");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find('\r'), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("\033["), std::string::npos) << r.err;
}

TEST(CliHabits, CleanRemovesWhatBuildWroteAndNothingElse) {
    auto root = make_book("book", "title = \"Talleres\"\n", {{"a.md", kEssayA}});
    auto r = imprenta("build " + quote(root.string()) + " --no-cache -q");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    fs::path dist = root / "dist";
    write(dist / "mis-notas.txt", "no es de imprenta");
    write(dist / "otra.epub", "tampoco"); // an EPUB the build did not write
    auto c = imprenta("clean " + quote(root.string()));
    ASSERT_EQ(c.exit_code, 0) << c.err;
    EXPECT_NE(c.out.find("removed 2 files"), std::string::npos) << c.out;
    EXPECT_FALSE(fs::exists(dist / "talleres.epub"));
    EXPECT_FALSE(fs::exists(dist / "talleres.pdf"));
    EXPECT_FALSE(fs::exists(dist / ".imprenta-manifest"));
    EXPECT_EQ(slurp(dist / "mis-notas.txt"), "no es de imprenta");
    EXPECT_EQ(slurp(dist / "otra.epub"), "tampoco");
    // Again: nothing recorded, nothing removed.
    auto again = imprenta("clean " + quote(root.string()));
    EXPECT_EQ(again.exit_code, 0);
    EXPECT_NE(again.out.find("nothing to clean"), std::string::npos) << again.out;
    EXPECT_TRUE(fs::exists(dist / "mis-notas.txt"));
    // A dist/ holding only the build's files goes away with them.
    fs::remove_all(dist);
    ASSERT_EQ(imprenta_in(root / "content", "build --no-cache -q").exit_code, 0);
    auto c2 = imprenta_in(root / "content", "clean");
    EXPECT_EQ(c2.exit_code, 0) << c2.err;
    EXPECT_FALSE(fs::exists(dist)) << c2.out;
}

TEST(CliHabits, OutputsOfAnOldSlugDoNotPileUp) {
    auto root =
        make_book("book", "title = \"Talleres\"\nslug = \"primera\"\n", {{"a.md", kEssayA}});
    fs::path dist = root / "dist";
    ASSERT_EQ(imprenta("build " + quote(root.string()) + " --no-cache -q").exit_code, 0);
    write(root / "book.toml", "title = \"Talleres\"\nslug = \"segunda\"\n");
    // An EPUB-only build replaces the old EPUB and leaves the old PDF (a PDF build owns it).
    auto r = imprenta("build " + quote(root.string()) + " --no-cache --format epub");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("removed " + (dist / "primera.epub").string()), std::string::npos)
        << r.out;
    EXPECT_FALSE(fs::exists(dist / "primera.epub"));
    EXPECT_TRUE(fs::exists(dist / "segunda.epub"));
    EXPECT_TRUE(fs::exists(dist / "primera.pdf"));
    ASSERT_EQ(imprenta("build " + quote(root.string()) + " --no-cache -q").exit_code, 0);
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dist))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names,
              (std::vector<std::string>{".imprenta-manifest", "segunda.epub", "segunda.pdf"}));
}

TEST(CliHabits, ATamperedManifestCannotMakeCleanRemoveAnythingElse) {
    auto root = make_book("book", "title = \"Talleres\"\n", {{"a.md", kEssayA}});
    fs::path dist = root / "dist";
    ASSERT_EQ(imprenta("build " + quote(root.string()) + " --no-cache -q --format epub").exit_code,
              0);
    write(dist / ".imprenta-manifest", slurp(dist / ".imprenta-manifest") +
                                           "epub:\t../book.toml\nepub:\t/etc/hostname\n"
                                           "pdf:\t..\nepub:\tsub\n");
    fs::create_directories(dist / "sub");
    write(dist / "sub" / "keep.txt", "x");
    auto c = imprenta("clean " + quote(root.string()));
    EXPECT_EQ(c.exit_code, 0) << c.err;
    EXPECT_TRUE(fs::exists(root / "book.toml"));
    EXPECT_TRUE(fs::exists(dist / "sub" / "keep.txt"));
    EXPECT_FALSE(fs::exists(dist / "talleres.epub"));
}

TEST(CliHabits, OnATerminalAProgressLineIsDrawnAndErased) {
    if (!have_tool("script")) GTEST_SKIP() << "script(1) (util-linux) is missing";
    auto root = make_book("book", "title = \"Talleres\"\n", {{"a.md", kEssayA}, {"b.md", kEssayB}});
    // script(1) gives the build a terminal; the one-second delay is shortened to none.
    auto tty = [&](const std::string& flags, const fs::path& book) {
        return run(
            "IMPRENTA_PROGRESS_AFTER_MS=0 script -qec " +
            quote(quote(IMPRENTA_BIN) + " build " + quote(book.string()) + " --no-cache " + flags) +
            " /dev/null");
    };
    auto r = tty("", root);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    auto drawn = r.out.find("\r\033[K");
    ASSERT_NE(drawn, std::string::npos) << r.out;
    EXPECT_NE(r.out.find("(0."), std::string::npos) << r.out; // the seconds so far
    // Erased before the results: the last erase comes before "wrote".
    EXPECT_LT(r.out.rfind("\r\033[K"), r.out.find("wrote ")) << r.out;
    auto quiet = tty("-q", root);
    EXPECT_EQ(quiet.exit_code, 0);
    EXPECT_EQ(quiet.out.find("\033[K"), std::string::npos) << quiet.out;
    // A build shorter than the line's 100 ms refresh still draws it: the line used to wait one
    // refresh for its first stage, so a 50 ms build drew nothing (2 times out of 10).
    auto one = make_book("one", "title = \"Uno\"\n", {{"a.md", kEssayA}});
    for (int k = 0; k < 5; ++k) {
        auto quick = tty("--format epub", one);
        ASSERT_EQ(quick.exit_code, 0) << quick.out << quick.err;
        EXPECT_NE(quick.out.find("\r\033[K"), std::string::npos)
            << "run " << k << ": " << quick.out;
    }
}

// The essays are read on several threads; their warnings must still come in book order, the
// same on every run (a long first essay used to have its warnings printed after a short second
// one's: the Crónica's missing banners came out in a different order on each build).
TEST(CliHabits, WarningsComeInBookOrderWhateverTheThreads) {
    std::string long_body;
    for (int i = 0; i < 4000; ++i)
        long_body += "El cajista *alzaba* las líneas del componedor a la galera, " +
                     std::to_string(i) + " veces, sin prisa y sin erratas.\n\n";
    std::vector<std::pair<std::string, std::string>> essays{
        {"01-larga.md", "---\ntitle: Larga\nweight: 1\nimage: faltan/uno.webp\n---\n\n" +
                            long_body + "![grabado](faltan/dos.png)\n"},
        {"02-corta.md", "---\ntitle: Corta\nweight: 2\nimage: faltan/tres.webp\n---\n\n"
                        "Una hoja suelta, ![viñeta](faltan/cuatro.png) y nada más.\n"},
        {"03-corta.md", "---\ntitle: Otra\nweight: 3\n---\n\n![orla](faltan/cinco.png)\n"}};
    fs::path root = make_book("order", "title = \"Orden\"\nauthor = \"A\"\n", essays);
    for (int run = 0; run < 3; ++run) {
        auto r = imprenta_in(root, "build --no-cache --format epub -o out");
        ASSERT_EQ(r.exit_code, 0) << r.err;
        std::vector<size_t> at;
        for (const char* image : {"uno.webp", "dos.png", "tres.webp", "cuatro.png", "cinco.png"}) {
            at.push_back(r.err.find(image));
            ASSERT_NE(at.back(), std::string::npos) << image << " not warned:\n" << r.err;
        }
        // Within an essay: the inline images as the text reaches them, then the banner.
        std::vector<size_t> book_order{at[1], at[0], at[3], at[2], at[4]};
        EXPECT_TRUE(std::is_sorted(book_order.begin(), book_order.end())) << "run " << run << ":\n"
                                                                          << r.err;
    }
}
