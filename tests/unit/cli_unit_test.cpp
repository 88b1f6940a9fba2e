// The command line's pure pieces: edit distance, the manifest reader, finding the book.
#include "cli/find_book.h"
#include "cli/manifest.h"
#include "cli/usage.h"
#include "support/support.h"
#include "util/diag.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

using namespace imprenta;
using testing_support::fresh_dir;
using testing_support::write;

TEST(CliUnit, EditDistanceCountsASwapOfNeighboursAsOneEdit) {
    EXPECT_EQ(cli::edit_distance("build", "build"), 0);
    EXPECT_EQ(cli::edit_distance("biuld", "build"), 1);
    EXPECT_EQ(cli::edit_distance("buil", "build"), 1);
    EXPECT_EQ(cli::edit_distance("bulid", "build"), 1);
    EXPECT_EQ(cli::edit_distance("", "init"), 4);
    EXPECT_GT(cli::edit_distance("publish", "build"), 2);
    EXPECT_NE(cli::unknown_command_message("chekc").find("'check'"), std::string::npos);
    EXPECT_EQ(cli::unknown_command_message("xyzzy").find("did you mean"), std::string::npos);
}

TEST(CliUnit, TheManifestReaderKeepsPlainFileNamesOnly) {
    auto dir = fresh_dir("out");
    write(dir / ".imprenta-manifest", "# comment\nepub:es\tlibro.epub\npdf:es\t../x.pdf\n"
                                      "pdf:\t/abs.pdf\nepub:\t..\nno tab here\npdf:\t\n"
                                      "pdf:es\tlibro.pdf\nepub:\t.imprenta-manifest\n");
    auto entries = cli::read_manifest(dir);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].file, "libro.epub");
    EXPECT_EQ(entries[0].kind, "epub:es");
    EXPECT_EQ(entries[1].file, "libro.pdf");
}

// Every watch rebuild writes the same outputs: the manifest is then left as it is (no rewrite,
// no fsync), and written again as soon as its list changes.
TEST(CliUnit, AnUnchangedManifestIsNotWrittenAgain) {
    auto dir = fresh_dir("out");
    std::vector<cli::ManifestEntry> written = {{"epub:es", "libro.epub"}, {"pdf:es", "libro.pdf"}};
    cli::update_manifest(dir, written);
    fs::path file = dir / cli::kManifestName;
    struct stat before {};
    ASSERT_EQ(::stat(file.c_str(), &before), 0);
    cli::update_manifest(dir, written);
    struct stat after {};
    ASSERT_EQ(::stat(file.c_str(), &after), 0);
    EXPECT_EQ(after.st_ino, before.st_ino); // a rewrite renames a new file over it
    ASSERT_EQ(cli::read_manifest(dir).size(), 2u);

    written.back().file = "libro-2.pdf"; // renamed: the old PDF goes, the list changes
    write(dir / "libro.pdf", "%PDF-1.7\n");
    auto removed = cli::update_manifest(dir, written);
    EXPECT_EQ(removed, std::vector<std::string>{"libro.pdf"});
    auto entries = cli::read_manifest(dir);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[1].file, "libro.epub"); // sorted by name
    EXPECT_EQ(entries[0].file, "libro-2.pdf");
}

TEST(CliUnit, FindBookWalksUpOnlyWhenNoBookIsGiven) {
    auto root = fresh_dir("book");
    write(root / "book.toml", "title = \"T\"\n");
    write(root / "content/parte/a.md", "# A\n");
    auto deep = root / "content" / "parte";
    auto found = cli::find_book(deep, false);
    EXPECT_EQ(found.root, fs::canonical(root));
    EXPECT_TRUE(found.found_above);
    auto given = cli::find_book(deep, true);
    EXPECT_EQ(given.root, fs::canonical(deep));
    auto file = cli::find_book(deep / "a.md", true);
    ASSERT_TRUE(file.single_file);
    EXPECT_EQ(*file.single_file, fs::canonical(deep / "a.md"));
    EXPECT_THROW(cli::find_book(root / "nope", true), util::BuildError);
    EXPECT_THROW(cli::find_book(root / "book.toml", true), util::BuildError);
}

TEST(CliUnit, AConfigTomlIsAHugoSiteOnlyWithContentBesideIt) {
    auto top = fresh_dir("project");
    fs::create_directories(top / ".git"); // ends the search here, whatever lies above
    write(top / "config.toml", "[tool]\nname = \"not hugo\"\n");
    write(top / "notes/a.md", "# A\n");
    auto found = cli::find_book(top / "notes", false);
    EXPECT_EQ(found.root, fs::canonical(top / "notes"));
    EXPECT_FALSE(found.found_above);
    fs::create_directories(top / "content");
    found = cli::find_book(top / "notes", false);
    EXPECT_EQ(found.root, fs::canonical(top));
    EXPECT_TRUE(found.found_above);
}
