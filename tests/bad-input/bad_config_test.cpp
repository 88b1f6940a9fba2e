// Hostile books that must not build: broken front matter, configuration, folders and output
// paths. Each one fails with exit 1, names file:line, and leaves a previous good build untouched.
#include "bad_input.h"

#include <gtest/gtest.h>
#include <unistd.h>

using namespace testing_support;
using namespace bad_input;

TEST(BadInputFrontMatter, MalformedYamlNamesTheLine) {
    auto b = make_book("book");
    auto r = expect_failure_keeps_output(
        b, [&] { write_essay(b, "x.md", "---\ntitle: Broken\n- item\nweight: 2\n---\n\nBody.\n"); },
        {"content/x.md:3:", "malformed YAML front matter"});
    EXPECT_NE(r.err.find("build failed"), std::string::npos) << r.err;
}

TEST(BadInputFrontMatter, MalformedTomlNamesTheLine) {
    auto b = make_book("book");
    expect_failure_keeps_output(
        b, [&] { write_essay(b, "x.md", "+++\ntitle = \"Broken\"\nweight = = 3\n+++\n\nBody.\n"); },
        {"content/x.md:3:", "malformed TOML front matter"});
}

TEST(BadInputFrontMatter, UnclosedFenceNamesTheOpeningLine) {
    auto b = make_book("book");
    expect_failure_keeps_output(
        b, [&] { write_essay(b, "x.md", "\n---\ntitle: Never closed\n\nBody text.\n"); },
        {"content/x.md:2:", "never closed"});
}

TEST(BadInputFrontMatter, WeightInWordsIsAnError) {
    auto b = make_book("book");
    expect_failure_keeps_output(
        b, [&] { write_essay(b, "x.md", "---\ntitle: Dos\nweight: dos\n---\n\nBody.\n"); },
        {"content/x.md:3:", "weight must be an integer", "'dos'"});
}

TEST(BadInputFrontMatter, FractionalTomlWeightIsAnError) {
    auto b = make_book("book");
    expect_failure_keeps_output(
        b, [&] { write_essay(b, "x.md", "+++\ntitle = \"Half\"\nweight = 1.5\n+++\n\nBody.\n"); },
        {"content/x.md:3:", "weight must be an integer"});
}

TEST(BadInputFrontMatter, YamlAliasBombIsHarmless) {
    // Billion laughs: aliases nest nine levels of nine-element lists; only scalars are read.
    auto b = make_book("book");
    std::string fm = "---\na: &a [x, x, x, x, x, x, x, x, x]\n";
    std::string prev = "a";
    for (char c = 'b'; c <= 'j'; ++c) {
        std::string name(1, c);
        fm += name + ": &" + name + " [";
        for (int i = 0; i < 9; ++i)
            fm += (i ? ", *" : "*") + prev;
        fm += "]\n";
        prev = name;
    }
    fm += "title: Laughs\n---\n\nBody.\n";
    write_essay(b, "x.md", fm);
    expect_builds_with(b, {}, "--format epub");
}

TEST(BadInputText, InvalidUtf8NamesTheLine) {
    auto b = make_book("book");
    expect_failure_keeps_output(
        b,
        [&] {
            write_essay(b, "x.md",
                        "---\ntitle: Latin-1\n---\n\nFine line.\nCaf\xe9 con leche.\nMore.\n");
        },
        {"content/x.md:6", "invalid UTF-8"});
}

TEST(BadInputBook, OnlyDraftsIsAnEmptyBook) {
    auto b = make_book("book");
    expect_failure_keeps_output(
        b,
        [&] {
            write_essay(b, "a.md", "---\ntitle: First\ndraft: true\n---\n\nNot yet.\n");
            write_essay(b, "b.md", "+++\ndraft = true\n+++\n\nNot yet either.\n");
        },
        {"no essays", "drafts"});
}

TEST(BadInputBook, NoEssaysAtAll) {
    auto b = make_book("book");
    expect_failure_keeps_output(b,
                                [&] {
                                    fs::remove(b.root / "content" / "a.md");
                                    write(b.root / "content" / "notes.pdf", "%PDF-1.4\n");
                                    write(b.root / "content" / "img" / "x.png",
                                          make_png(2, 2, 0x336699));
                                },
                                {"no essays"});
}

TEST(BadInputBook, MissingBookFolder) {
    auto b = make_book("book");
    auto missing = b.root.parent_path() / "no-such-book";
    auto r = imprenta("build " + quote(missing.string()) + " -o " + quote(b.out.string()));
    expect_no_crash(r);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no-such-book"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(b.out)) << "an output folder was created for a missing book";
}

TEST(BadInputConfig, MalformedBookTomlNamesTheLine) {
    auto b = make_book("book");
    expect_failure_keeps_output(b,
                                [&] {
                                    write(b.root / "book.toml",
                                          "title = \"Hostile\"\nslug = \"hostile\"\nauthors = "
                                          "[\"A\" \"B\"]\nlanguage = \"en\"\n");
                                },
                                {"book.toml:3:", "malformed book.toml"});
}

TEST(BadInputConfig, InvalidUtf8InBookToml) {
    auto b = make_book("book");
    expect_failure_keeps_output(
        b, [&] { write(b.root / "book.toml", "slug = \"hostile\"\ntitle = \"Host\xffile\"\n"); },
        {"book.toml:2:"});
}

TEST(BadInputConfig, UnknownPaperSize) {
    auto b = make_book("book");
    expect_failure_keeps_output(
        b,
        [&] {
            write(b.root / "book.toml",
                  "title = \"Hostile\"\nslug = \"hostile\"\n\n[pdf]\npaper = \"a3\"\n");
        },
        {"book.toml:5:", "paper", "'a3'"});
}

TEST(BadInputConfig, WrongTypeInBookToml) {
    auto b = make_book("book");
    expect_failure_keeps_output(
        b,
        [&] {
            write(b.root / "book.toml",
                  "title = \"Hostile\"\nslug = \"hostile\"\n[pdf]\nfont_size = \"big\"\n");
        },
        {"book.toml:4:", "font_size"});
}

TEST(BadInputOutput, OutputPathIsAFile) {
    // Running as root, chmod cannot make a folder unwritable; a regular file where the output
    // folder should be fails for everyone.
    auto b = make_book("book");
    fs::path file = b.out.parent_path() / "out-file";
    write(file, "precious");
    auto r = run(quote(IMPRENTA_BIN) + " build " + quote(b.root.string()) + " -o " +
                 quote(file.string()) + " --no-cache -q");
    expect_no_crash(r);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("out-file"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("output folder"), std::string::npos) << r.err;
    EXPECT_EQ(slurp(file), "precious");
    expect_only(file.parent_path(), {"book", "out-file"});
}

TEST(BadInputOutput, OutputBelowAFile) {
    auto b = make_book("book");
    fs::path file = b.out.parent_path() / "out-file";
    write(file, "precious");
    auto r = run(quote(IMPRENTA_BIN) + " build " + quote(b.root.string()) + " -o " +
                 quote((file / "sub").string()) + " --no-cache -q");
    expect_no_crash(r);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("output folder"), std::string::npos) << r.err;
    EXPECT_EQ(slurp(file), "precious");
}

TEST(BadInputOutput, ReadOnlyOutputFolder) {
    if (::geteuid() == 0) GTEST_SKIP() << "root writes into read-only folders";
    auto b = make_book("book");
    fs::create_directories(b.out);
    fs::permissions(b.out, fs::perms::owner_read | fs::perms::owner_exec);
    auto r = build(b);
    fs::permissions(b.out, fs::perms::owner_all);
    expect_no_crash(r);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    expect_only(b.out, {});
}

// A directory where the PDF should go: the build fails, and the EPUB of the previous build is
// not replaced either (outputs are all-or-nothing).
TEST(BadInputOutput, DirectoryInTheWayKeepsEveryOutput) {
    auto b = make_book("book");
    auto good = build(b, "--format epub");
    ASSERT_EQ(good.exit_code, 0) << good.err;
    fs::create_directories(b.out / "hostile.pdf");
    auto before = snapshot(b.out);
    write_essay(b, "a.md", "# Changed\n\nNew text.\n");
    auto r = build(b);
    expect_no_crash(r);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("hostile.pdf"), std::string::npos) << r.err;
    EXPECT_TRUE(snapshot(b.out) == before)
        << "the failed build replaced hostile.epub or left a temporary file";
}

TEST(BadInputUsage, BadArgumentsExitTwoWithoutWriting) {
    auto b = make_book("book");
    for (const char* args : {"--format ''", "--format epub,docx", "--format=,", "--frobnicate",
                             "extra-positional-argument", "--cache-dir"}) {
        auto r = build(b, args);
        expect_no_crash(r);
        EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
        EXPECT_NE(r.err.find("imprenta --help"), std::string::npos) << args << "\n" << r.err;
        EXPECT_FALSE(fs::exists(b.out)) << args;
    }
}

TEST(BadInputStrict, OneWarningFailsAndWritesNothing) {
    auto b = make_book("book");
    auto r = expect_failure_keeps_output(
        b, [&] { write_essay(b, "x.md", "# X\n\nLine two.\n\n![gone](missing.png)\n"); },
        {"content/x.md:5:", "missing.png", "--strict", "nothing written"}, "--strict");
    // Without --strict the same book builds.
    auto ok = build(b);
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_NE(ok.err.find("content/x.md:5:"), std::string::npos) << ok.err;
}

TEST(BadInputStrict, StrictIntoAFreshFolderCreatesNoFile) {
    auto b = make_book("book");
    write_essay(b, "x.md", "# X\n\n{{< nope >}}\n");
    auto r = build(b, "--strict");
    expect_no_crash(r);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("content/x.md:3"), std::string::npos) << r.err;
    if (fs::exists(b.out)) expect_only(b.out, {});
}
