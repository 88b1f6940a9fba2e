// `imprenta check`, `imprenta init` and `cmake --install`: what a newcomer and a CI job run.
#include "support/support.h"

#include <gtest/gtest.h>

using namespace testing_support;

namespace {

std::string schema() {
    return source_dir() + "/docs/check.schema.json";
}

// check --format json on `book` with `extra` options; the report must validate against the
// schema (tests/tools/validate_json_schema.py, standard-library python3).
RunResult check_json(const fs::path& book, const std::string& extra = "") {
    auto r = imprenta("check " + quote(book.string()) + " --format json --no-cache " + extra);
    fs::path report = fresh_dir("report") / "check.json";
    write(report, r.out);
    auto v = run("python3 " + quote(source_dir() + "/tests/tools/validate_json_schema.py") + " " +
                 quote(schema()) + " " + quote(report.string()));
    EXPECT_EQ(v.exit_code, 0) << "the report does not follow the schema:\n"
                              << v.out << v.err << "\n"
                              << r.out;
    return r;
}

fs::path make_book(const std::string& name) {
    fs::path root = fresh_dir(name);
    write(root / "book.toml", "title = \"Cuaderno\"\nlanguage = \"es\"\n");
    write(root / "content/01-uno.md", "---\ntitle: \"Uno\"\nweight: 1\n---\n\n"
                                      "El primer cuaderno del taller, con [el segundo](02-dos.md)."
                                      "\n");
    write(root / "content/02-dos.md", "---\ntitle: \"Dos\"\nweight: 2\n---\n\n"
                                      "El segundo cuaderno, escrito a lápiz.\n");
    return root;
}

} // namespace

TEST(CliCheck, TheSampleBookIsClean) {
    auto r = imprenta("check " + quote(source_dir()) + " --no-cache");
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("check: 0 errors"), std::string::npos) << r.out;
    auto j = check_json(source_dir());
    EXPECT_EQ(j.exit_code, 0) << j.out;
    EXPECT_NE(j.out.find("\"ok\": true"), std::string::npos) << j.out;
}

TEST(CliCheck, WritesNothing) {
    auto root = make_book("book");
    auto r = check_json(root);
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_FALSE(fs::exists(root / "dist"));
    // Nor a leftover scratch folder: every entry of the book is one the test made.
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(root))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"book.toml", "content"}));
}

TEST(CliCheck, EachBadInputFailsWithItsPlace) {
    struct Case {
        const char* name;
        const char* file;
        const char* text;
        const char* expect; // in the report
        bool error;         // else a warning, which only --strict fails on
    };
    const Case cases[] = {
        {"toml", "book.toml", "title = \"Cuaderno\nlanguage = 3\n", "\"file\": \"book.toml\"",
         true},
        {"front-matter", "content/03-tres.md", "---\ntitle: [sin cerrar\n---\n\nTexto.\n",
         "content/03-tres.md", true},
        {"utf8", "content/03-tres.md", "Texto \xff\xfe roto.\n", "invalid UTF-8", true},
        {"paper", "book.toml", "title = \"Cuaderno\"\n[pdf]\npaper = \"a3\"\n", "paper", true},
        {"image", "content/03-tres.md", "# Tres\n\n![Un grabado](no-existe.png)\n", "no-existe.png",
         false},
        {"link", "content/03-tres.md", "# Tres\n\nVéase [el cuarto](04-cuatro.md#nada).\n",
         "04-cuatro.md", false},
        {"order", "content/03-tres.md", "---\ntitle: \"Dos\"\nweight: 2\n---\n\nOtro dos.\n",
         "same weight (2) and title as content/02-dos.md", false},
        {"shortcode", "content/03-tres.md", "# Tres\n\n{{< desconocido >}}\n", "desconocido",
         false},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        auto root = make_book(c.name);
        write(root / c.file, c.text);
        auto r = check_json(root);
        EXPECT_NE(r.out.find(c.expect), std::string::npos) << r.out;
        EXPECT_NE(r.out.find(c.error ? "\"severity\": \"error\"" : "\"severity\": \"warning\""),
                  std::string::npos)
            << r.out;
        EXPECT_EQ(r.exit_code, c.error ? 1 : 0) << r.out;
        if (!c.error) {
            auto strict = check_json(root, "--strict");
            EXPECT_EQ(strict.exit_code, 1) << strict.out;
            EXPECT_NE(strict.out.find("\"ok\": false"), std::string::npos) << strict.out;
            // Text format: the usual path:line: severity: message lines, then a summary.
            auto text = imprenta("check " + quote(root.string()) + " --strict --no-cache");
            EXPECT_EQ(text.exit_code, 1);
            EXPECT_NE(text.out.find(": warning: "), std::string::npos) << text.out;
            EXPECT_NE(text.out.find("and --strict"), std::string::npos) << text.out;
        }
        EXPECT_FALSE(fs::exists(root / "dist"));
    }
}

TEST(CliCheck, AMissingBookIsAnErrorInTheReport) {
    auto r = check_json(fresh_dir("x") / "nope");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("does not exist"), std::string::npos) << r.out;
    EXPECT_EQ(imprenta("check --format yaml").exit_code, 2);
    EXPECT_EQ(imprenta("check -o somewhere").exit_code, 2);
}

TEST(CliCheck, TheValidatorRejectsWhatTheSchemaForbids) {
    // The schema check above can fail: a report missing a field or with a stray one does.
    fs::path dir = fresh_dir("bad");
    std::string validator = quote(source_dir() + "/tests/tools/validate_json_schema.py");
    write(dir / "a.json", "{\"tool\": \"imprenta\", \"version\": \"1\", \"ok\": true, "
                          "\"errors\": 0, \"warnings\": 0, \"diagnostics\": "
                          "[{\"severity\": \"fatal\", \"message\": \"x\"}]}");
    write(dir / "b.json", "{\"tool\": \"imprenta\", \"version\": \"1\", \"ok\": true, "
                          "\"errors\": -1, \"warnings\": 0, \"diagnostics\": [], \"x\": 1}");
    for (const char* f : {"a.json", "b.json"})
        EXPECT_EQ(
            run("python3 " + validator + " " + quote(schema()) + " " + quote((dir / f).string()))
                .exit_code,
            1)
            << f;
}

TEST(CliInit, ANewBookBuildsEpubcheckClean) {
    fs::path parent = fresh_dir("w");
    auto r = imprenta("init " + quote((parent / "mi-libro").string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    fs::path book = parent / "mi-libro";
    for (const char* f : {"book.toml", "content/01-first-essay.md", ".gitignore"})
        EXPECT_TRUE(fs::is_regular_file(book / f)) << f;
    EXPECT_TRUE(fs::is_directory(book / "assets"));
    std::string toml = slurp(book / "book.toml");
    EXPECT_NE(toml.find("title = \"Mi libro\""), std::string::npos) << toml;
    for (const char* key :
         {"# subtitle", "# authors", "# slug", "# cover", "# paper", "# font_size", "# regular"})
        EXPECT_NE(toml.find(key), std::string::npos) << key;
    EXPECT_NE(slurp(book / ".gitignore").find("dist/"), std::string::npos);

    // The template leaves authors to the writer: the one warning says how to set them.
    auto b = run("cd " + quote(book.string()) + " && " + quote(IMPRENTA_BIN) + " build --no-cache");
    ASSERT_EQ(b.exit_code, 0) << b.err;
    EXPECT_NE(b.out.find("1 warning"), std::string::npos) << b.out << b.err;
    EXPECT_NE(b.err.find("no author"), std::string::npos) << b.err;
    auto check = epubcheck(book / "dist" / "mi-libro.epub");
    EXPECT_EQ(check.errors + check.fatals + check.warnings, 0) << check.output;
    EXPECT_EQ(qpdf_check(book / "dist" / "mi-libro.pdf").exit_code, 0);
    EXPECT_NE(pdftotext(book / "dist" / "mi-libro.pdf").find("first essay"), std::string::npos);
}

TEST(CliInit, AHugoSiteBuildsEpubcheckClean) {
    fs::path site = fresh_dir("sitio");
    auto r = imprenta("init " + quote(site.string()) + " --hugo");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::is_regular_file(site / "hugo.toml"));
    EXPECT_NE(slurp(site / "hugo.toml").find("BookSection = \"docs\""), std::string::npos);
    auto b = imprenta("build " + quote(site.string()) + " --no-cache");
    ASSERT_EQ(b.exit_code, 0) << b.err;
    auto check = epubcheck(site / "dist" / "sitio.epub");
    EXPECT_EQ(check.errors + check.fatals + check.warnings, 0) << check.output;
    // The landing page is outside the book section: one chapter.
    int chapters = 0;
    for (const auto& e : read_zip(site / "dist" / "sitio.epub"))
        chapters += e.data.find("A first essay") != std::string::npos &&
                    e.name.ends_with(".xhtml") && e.name.find("nav") == std::string::npos;
    EXPECT_GE(chapters, 1);
}

TEST(CliInit, RefusesToOverwrite) {
    fs::path dir = fresh_dir("existing");
    write(dir / "book.toml", "title = \"Mío\"\n");
    auto r = imprenta("init " + quote(dir.string()));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("book.toml"), std::string::npos) << r.err;
    EXPECT_EQ(slurp(dir / "book.toml"), "title = \"Mío\"\n");
    EXPECT_FALSE(fs::exists(dir / "content")); // nothing half-written either
    EXPECT_EQ(imprenta("init " + quote(dir.string()) + " --frobnicate").exit_code, 2);
}

TEST(CliInstall, InstallsBinaryManPageAndCompletions) {
    fs::path prefix = fresh_dir("prefix");
    fs::path build_dir = fs::path(IMPRENTA_BIN).parent_path();
    auto r =
        run("cmake --install " + quote(build_dir.string()) + " --prefix " + quote(prefix.string()));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    fs::path bin = prefix / "bin" / "imprenta";
    EXPECT_TRUE(fs::is_regular_file(bin));
    // Compressed, as Debian installs man pages.
    EXPECT_EQ(run("gzip -dc " + quote((prefix / "share/man/man1/imprenta.1.gz").string())).out,
              slurp(source_dir() + "/docs/imprenta.1"));
    EXPECT_NE(slurp(prefix / "share/bash-completion/completions/imprenta").find("complete "),
              std::string::npos);
    EXPECT_NE(slurp(prefix / "share/zsh/vendor-completions/_imprenta").find("#compdef imprenta"),
              std::string::npos);
    // The bash completion loads and completes the commands.
    auto comp =
        run("bash -c " +
            quote("source " + (prefix / "share/bash-completion/completions/imprenta").string() +
                  "; COMP_WORDS=(imprenta c); COMP_CWORD=1; _imprenta; "
                  "echo ${COMPREPLY[@]}"));
    EXPECT_EQ(comp.out, "check clean\n") << comp.err;
    // The installed binary builds a book from anywhere (templates and manual are inside it).
    fs::path book = fresh_dir("anywhere");
    write(book / "book.toml", "title = \"Lejos\"\n");
    write(book / "content/a.md", "# Lejos\n\nUn libro construido lejos del repositorio.\n");
    auto b = run("cd / && " + quote(bin.string()) + " build " + quote(book.string()) +
                 " --no-cache -q --format epub");
    EXPECT_EQ(b.exit_code, 0) << b.err;
    EXPECT_TRUE(fs::exists(book / "dist" / "lejos.epub"));
    auto m = run("cd / && " + quote(bin.string()) + " help");
    EXPECT_NE(m.out.find("SYNOPSIS"), std::string::npos);
}
