// Hostile input, round two (issue 13), findings 1-3 and 9: every path the build reads or writes
// obeys one rule. Outputs stay inside the output folder; inputs resolve inside the book folder
// (fonts also in the system font folders), or the build stops naming the file and the reason.
// Each case plants a canary beside the book and checks that nothing reached or touched it.
#include "bad_input.h"

#include <gtest/gtest.h>

using namespace testing_support;
using namespace bad_input;

// Finding 1: a slug with "../" (or an absolute one) wrote the EPUB and PDF outside the output
// folder, exit 0.
TEST(BadInputPaths, SlugWithParentFoldersIsAnErrorAtItsLine) {
    auto b = make_book("book");
    auto canary = plant_canary(b);
    auto r = expect_failure_keeps_output(
        b, [&] { write(b.root / "book.toml", "title = \"Hostile\"\nslug = \"../../escaped\"\n"); },
        {"book.toml:2:8: error:", "slug must be a file name", "'../../escaped'"});
    expect_contained(b, canary, r);
}

TEST(BadInputPaths, AbsoluteSlugIsAnErrorAtItsLine) {
    auto b = make_book("book");
    auto canary = plant_canary(b);
    fs::path target = b.root.parent_path() / "escaped";
    auto r = expect_failure_keeps_output(
        b,
        [&] {
            write(b.root / "book.toml",
                  "title = \"Hostile\"\nlanguage = \"en\"\nslug = \"" + target.string() + "\"\n");
        },
        {"book.toml:3:8: error:", "slug must be a file name"});
    EXPECT_FALSE(fs::exists(target.string() + ".epub"));
    expect_contained(b, canary, r);
}

TEST(BadInputPaths, HugoLanguageCodeWithASlashIsAnError) {
    // The language code is part of the output names (<slug>-<lang>.epub).
    auto b = make_book("site");
    fs::remove(b.root / "book.toml");
    write(b.root / "hugo.toml", "title = \"Site\"\n[languages.'../../up']\ntitle = \"Up\"\n"
                                "[languages.en]\ntitle = \"En\"\n");
    auto canary = plant_canary(b);
    auto r = build(b);
    expect_no_crash(r);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("hugo.toml:2:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("must be usable in a file name"), std::string::npos) << r.err;
    expect_contained(b, canary, r);
}

// Finding 2: a template override that is a symlink to a file outside the book shipped that file
// inside the EPUB.
TEST(BadInputPaths, TemplateSymlinkOutsideTheBookIsRefused) {
    auto b = make_book("book");
    auto canary = plant_canary(b);
    auto r = expect_failure_keeps_output(
        b,
        [&] {
            fs::create_directories(b.root / "templates" / "epub");
            fs::create_symlink(canary.file, b.root / "templates" / "epub" / "style.css");
        },
        {"templates/epub/style.css: error: refused", "through a symlink", "outside the book"});
    expect_contained(b, canary, r);
}

TEST(BadInputPaths, TemplateSymlinkInsideTheBookIsFine) {
    auto b = make_book("book");
    write(b.root / "styles" / "mine.css", "p { text-indent: 1.5em; }\n");
    fs::create_directories(b.root / "templates" / "epub");
    fs::create_symlink(b.root / "styles" / "mine.css", b.root / "templates" / "epub" / "style.css");
    expect_builds_with(b, {}, "--format epub");
    auto css_entries = read_zip(b.out / "hostile.epub");
    auto css = find_entry(css_entries, "EPUB/style.css");
    ASSERT_NE(css, nullptr);
    EXPECT_NE(css->data.find("text-indent: 1.5em"), std::string::npos);
}

// Finding 3: book.toml or hugo.toml as a symlink to a file outside the book was read and used.
TEST(BadInputPaths, BookTomlSymlinkOutsideTheBookIsRefused) {
    auto b = make_book("book");
    auto canary = plant_canary(b);
    auto r = expect_failure_keeps_output(b,
                                         [&] {
                                             fs::remove(b.root / "book.toml");
                                             fs::create_symlink(canary.file, b.root / "book.toml");
                                         },
                                         {"book.toml: error: refused", "outside the book folder"});
    expect_contained(b, canary, r);
}

TEST(BadInputPaths, HugoTomlSymlinkOutsideTheBookIsRefused) {
    auto b = make_book("site");
    auto canary = plant_canary(b);
    auto r = expect_failure_keeps_output(
        b, [&] { fs::create_symlink(canary.file, b.root / "hugo.toml"); },
        {"hugo.toml: error: refused", "outside the book folder"});
    expect_contained(b, canary, r);
}

TEST(BadInputPaths, ContentFolderSymlinkOutsideTheBookIsRefusedWhole) {
    auto b = make_book("book");
    fs::path elsewhere = b.root.parent_path() / "elsewhere";
    for (int i = 0; i < 30; ++i) {
        std::string name = "e"; // appended: GCC 12 warns falsely on "literal" + string at -O3
        name += std::to_string(i);
        write(elsewhere / name / "essay.md", "# CANARY-7f3a-OUTSIDE-THE-BOOK\n");
    }
    auto canary = plant_canary(b);
    auto r =
        expect_failure_keeps_output(b,
                                    [&] {
                                        fs::remove_all(b.root / "content");
                                        fs::create_directory_symlink(elsewhere, b.root / "content");
                                    },
                                    {"content: error: refused", "outside the book folder"});
    // One line for the folder, not one per file in it.
    EXPECT_LT(std::count(r.err.begin(), r.err.end(), '\n'), 4) << r.err;
    expect_contained(b, canary, r);
}

// Finding 9: contentDir = "/etc" listed every entry of /etc on stderr before failing.
TEST(BadInputPaths, HugoContentDirOutsideTheBookIsOneError) {
    auto b = make_book("site");
    auto canary = plant_canary(b);
    auto r = expect_failure_keeps_output(
        b, [&] { write(b.root / "hugo.toml", "title = \"Site\"\ncontentDir = \"/etc\"\n"); },
        {"hugo.toml:2:14: error: refused to read /etc", "outside the book folder"});
    EXPECT_EQ(r.err.find("passwd"), std::string::npos) << r.err;
    EXPECT_LT(std::count(r.err.begin(), r.err.end(), '\n'), 4) << r.err;
    expect_contained(b, canary, r);
}

TEST(BadInputPaths, HugoContentDirClimbingOutIsOneError) {
    auto b = make_book("site");
    write(b.root.parent_path() / "sibling" / "x.md", "# CANARY-7f3a-OUTSIDE-THE-BOOK\n");
    auto canary = plant_canary(b);
    auto r = expect_failure_keeps_output(
        b, [&] { write(b.root / "hugo.yaml", "title: Site\n\ncontentDir: ../sibling\n"); },
        {"hugo.yaml:3:13: error: refused to read", "outside the book folder"});
    expect_contained(b, canary, r);
}

// Fonts named by path: inside the book or the system font folders, nothing else.
TEST(BadInputPaths, FontOutsideTheBookAndSystemFoldersIsRefused) {
    auto b = make_book("book");
    auto canary = plant_canary(b);
    auto r = expect_failure_keeps_output(
        b,
        [&] {
            write(b.root / "book.toml", "title = \"Hostile\"\nslug = \"hostile\"\n\n[pdf.fonts]\n"
                                        "regular = \"../canary.txt\"\n");
        },
        {"book.toml:5:11: error: refused to read", "canary.txt", "system font folders"});
    expect_contained(b, canary, r);
}

TEST(BadInputPaths, SystemFontByAbsolutePathIsAllowed) {
    const char* font = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";
    if (!fs::exists(font)) GTEST_SKIP() << "no " << font;
    auto b = make_book("book");
    write(b.root / "book.toml", std::string("title = \"Hostile\"\nslug = \"hostile\"\n\n"
                                            "[pdf.fonts]\nregular = \"") +
                                    font + "\"\n");
    expect_builds_with(b, {}, "--format pdf");
}
