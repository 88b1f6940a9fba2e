// What stores, readers and release pages need: a cover when the book has none (with the EPUB 2
// guide reference), a warning for a book without author, sections in the contents, release names
// with SHA256SUMS, ISBN identifiers, and the release script.
#include "support/support.h"

#include <gtest/gtest.h>
#include <tinyxml2.h>

#include <cstdlib>
#include <functional>

using namespace testing_support;

namespace {

// A short Spanish travel book: two chapters, one with a banner, sections, a table.
fs::path make_book(const std::string& name, const std::string& toml) {
    fs::path dir = fresh_dir(name);
    write(dir / "book.toml", toml);
    write(dir / "content/01-llegada.md", "---\n"
                                         "title: La llegada\n"
                                         "image: banner.png\n"
                                         "---\n"
                                         "# La llegada\n\n"
                                         "Llegamos a la ciudad con [un mapa viejo](https://"
                                         "example.org/mapa) y poca prisa.\n\n"
                                         "## El puente romano\n\n"
                                         "Cruzamos el puente al caer la tarde.\n\n"
                                         "| Ciudad | Río |\n|---|---|\n| Salamanca | Tormes |\n\n"
                                         "## La catedral nueva\n\n"
                                         "La piedra dorada brilla con la última luz.\n");
    write(dir / "content/02-partida.md", "# La partida\n\nNos fuimos al alba.\n\n"
                                         "### Un detalle del camino\n\nUn perro nos siguió.\n");
    write(dir / "content/banner.png", make_png(1200, 400, 0x8899aa));
    return dir;
}

const char* kToml = "title = \"Cartas desde Salamanca\"\n"
                    "subtitle = \"Ensayos de viaje\"\n"
                    "language = \"es\"\n"
                    "date = 2024\n";

fs::path only_file(const fs::path& dir, const std::string& ext) {
    fs::path found;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ext) {
            EXPECT_TRUE(found.empty()) << "two " << ext << " files in " << dir;
            found = e.path();
        }
    EXPECT_FALSE(found.empty()) << "no " << ext << " in " << dir;
    return found;
}

std::string entry(const std::vector<ZipEntry>& zip, const std::string& name) {
    const ZipEntry* e = find_entry(zip, name);
    EXPECT_TRUE(e) << name;
    return e ? e->data : std::string();
}

tinyxml2::XMLElement* find_element(tinyxml2::XMLElement* root,
                                   const std::function<bool(tinyxml2::XMLElement*)>& pred) {
    if (!root) return nullptr;
    if (pred(root)) return root;
    for (auto* c = root->FirstChildElement(); c; c = c->NextSiblingElement())
        if (auto* f = find_element(c, pred)) return f;
    return nullptr;
}

bool named(tinyxml2::XMLElement* e, const char* name) {
    return std::string(e->Name()) == name;
}

uint32_t be32(const std::string& s, size_t at) {
    auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(s[at + i])); };
    return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

} // namespace

TEST(StoreReady, BookWithoutCoverAuthorOrTocDepth) {
    fs::path book = make_book("store-ready", kToml);
    fs::path out = book / "out";
    auto r = imprenta("build " + quote(book.string()) + " -o " + quote(out.string()) +
                      " --format epub --no-cache");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("no author"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("author = "), std::string::npos) << "the warning says how: " << r.err;
    fs::path epub = only_file(out, ".epub");
    auto zip = read_zip(epub);

    // The OPF: cover image, EPUB 2 meta and guide, year-only date.
    tinyxml2::XMLDocument opf;
    std::string opf_text = entry(zip, "EPUB/content.opf");
    ASSERT_EQ(opf.Parse(opf_text.c_str(), opf_text.size()), tinyxml2::XML_SUCCESS);
    auto* pkg = opf.RootElement();
    auto* cover_item = find_element(
        pkg, [](auto* e) { return named(e, "item") && e->Attribute("properties", "cover-image"); });
    ASSERT_TRUE(cover_item) << opf_text;
    EXPECT_STREQ(cover_item->Attribute("media-type"), "image/png");
    auto* cover_meta = find_element(
        pkg, [](auto* e) { return named(e, "meta") && e->Attribute("name", "cover"); });
    ASSERT_TRUE(cover_meta);
    EXPECT_STREQ(cover_meta->Attribute("content"), cover_item->Attribute("id"));
    auto* guide = pkg->FirstChildElement("guide");
    ASSERT_TRUE(guide) << "no EPUB 2 guide: Kindle conversions add a second cover";
    auto* ref = guide->FirstChildElement("reference");
    ASSERT_TRUE(ref);
    EXPECT_STREQ(ref->Attribute("type"), "cover");
    std::string cover_page = entry(zip, std::string("EPUB/") + ref->Attribute("href"));
    EXPECT_NE(cover_page.find(cover_item->Attribute("href")), std::string::npos) << cover_page;
    auto* date = find_element(pkg, [](auto* e) { return named(e, "dc:date"); });
    ASSERT_TRUE(date);
    EXPECT_STREQ(date->GetText(), "2024");

    // The drawn cover: a PNG of 1600x2560 that is not one flat colour.
    std::string png = entry(zip, std::string("EPUB/") + cover_item->Attribute("href"));
    ASSERT_GT(png.size(), 24u);
    EXPECT_EQ(png.substr(1, 3), "PNG");
    EXPECT_EQ(be32(png, 16), 1600u);
    EXPECT_EQ(be32(png, 20), 2560u);
    EXPECT_GT(png.size(), 10000u) << "text drawn on the cover makes it more than a flat ground";

    // The contents: h2 sections nested under their chapter, pointing at the headings' ids.
    std::string nav_text = entry(zip, "EPUB/nav.xhtml");
    tinyxml2::XMLDocument nav;
    ASSERT_EQ(nav.Parse(nav_text.c_str(), nav_text.size()), tinyxml2::XML_SUCCESS);
    auto* toc = find_element(nav.RootElement(), [](auto* e) {
        return named(e, "nav") && e->Attribute("epub:type", "toc");
    });
    ASSERT_TRUE(toc);
    tinyxml2::XMLElement *first = nullptr, *second = nullptr; // the two chapters' entries
    for (auto* li = toc->FirstChildElement("ol")->FirstChildElement("li"); li;
         li = li->NextSiblingElement("li"))
        (std::string(li->FirstChildElement("a")->GetText()) == "La llegada" ? first : second) = li;
    ASSERT_TRUE(first && second) << nav_text;
    auto* sub = first->FirstChildElement("ol");
    ASSERT_TRUE(sub) << nav_text;
    std::vector<std::string> sections;
    for (auto* li = sub->FirstChildElement("li"); li; li = li->NextSiblingElement("li"))
        sections.push_back(li->FirstChildElement("a")->GetText());
    EXPECT_EQ(sections, (std::vector<std::string>{"El puente romano", "La catedral nueva"}));
    std::string href = sub->FirstChildElement("li")->FirstChildElement("a")->Attribute("href");
    std::string file = href.substr(0, href.find('#'));
    std::string chapter = entry(zip, "EPUB/" + file);
    EXPECT_NE(chapter.find("id=\"" + href.substr(href.find('#') + 1) + "\""), std::string::npos);
    // h3 is below the default toc_depth of 2: the second chapter has no sub-list.
    EXPECT_FALSE(second->FirstChildElement("ol")) << nav_text;
    EXPECT_NE(entry(zip, "EPUB/toc.ncx").find("El puente romano"), std::string::npos);

    // Accessibility: a banner whose alt would repeat the heading is decoration; links are
    // underlined; no heading level is skipped (### after the chapter's h1 becomes h2).
    EXPECT_NE(chapter.find("alt=\"\" role=\"presentation\""), std::string::npos) << chapter;
    std::string second_chapter = entry(zip, "EPUB/text/c02-partida.xhtml");
    EXPECT_NE(second_chapter.find("<h2 id=\"un-detalle-del-camino\""), std::string::npos)
        << second_chapter;
    std::string css = entry(zip, "EPUB/style.css");
    EXPECT_NE(css.find("a { text-decoration: underline; }"), std::string::npos);
    size_t cells = css.find("th, td {");
    ASSERT_NE(cells, std::string::npos);
    EXPECT_NE(css.substr(cells, css.find('}', cells) - cells).find("hyphens: none"),
              std::string::npos);

    auto check = epubcheck(epub);
    EXPECT_EQ(check.errors, 0) << check.output;
    EXPECT_EQ(check.warnings, 0) << check.output;
    EXPECT_EQ(check.fatals, 0) << check.output;
}

TEST(StoreReady, TocDepthOneListsChaptersOnly) {
    fs::path book = make_book("toc-depth-1", std::string(kToml) + "author = \"Ana Ruiz\"\n"
                                                                  "toc_depth = 1\n");
    fs::path out = book / "out";
    auto r = imprenta("build " + quote(book.string()) + " -o " + quote(out.string()) +
                      " --format epub --no-cache");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("no author"), std::string::npos) << r.err;
    std::string nav = entry(read_zip(only_file(out, ".epub")), "EPUB/nav.xhtml");
    EXPECT_EQ(nav.find("El puente romano"), std::string::npos) << nav;
    EXPECT_NE(nav.find("La llegada"), std::string::npos);
}

TEST(Release, VersionedNamesAndReproducibleChecksums) {
    std::string toml = std::string(kToml) + "author = \"Ana Ruiz\"\nversion = \"1.2.0\"\n"
                                            "identifier = \"978-0-306-40615-7\"\n";
    fs::path a = make_book("release-a", toml);
    fs::path b = make_book("release-b", toml);
    // As a release does (scripts/release.sh takes the commit's time): without SOURCE_DATE_EPOCH
    // the date is the newest input's mtime, and the two copies were written a moment apart
    // (CI saw them straddle a second and the checksums differ).
    for (const fs::path& book : {a, b}) {
        auto r =
            run("SOURCE_DATE_EPOCH=1700000000 " + quote(IMPRENTA_BIN) + " build " +
                quote(book.string()) + " -o " + quote((book / "dist").string()) + " --no-cache");
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    fs::path dist = a / "dist";
    EXPECT_TRUE(fs::exists(dist / "cartas-desde-salamanca-1.2.0.epub"));
    EXPECT_TRUE(fs::exists(dist / "cartas-desde-salamanca-1.2.0.pdf"));
    std::string sums = slurp(dist / "SHA256SUMS");
    EXPECT_EQ(sums, slurp(b / "dist" / "SHA256SUMS")) << "builds in two folders differ";
    EXPECT_NE(sums.find("  cartas-desde-salamanca-1.2.0.epub\n"), std::string::npos) << sums;
    EXPECT_NE(sums.find("  cartas-desde-salamanca-1.2.0.pdf\n"), std::string::npos) << sums;
    auto c = run("cd " + quote(dist.string()) + " && sha256sum -c SHA256SUMS");
    EXPECT_EQ(c.exit_code, 0) << c.out << c.err;
    EXPECT_NE(slurp(dist / ".imprenta-manifest").find("SHA256SUMS"), std::string::npos);

    auto zip = read_zip(dist / "cartas-desde-salamanca-1.2.0.epub");
    std::string opf = entry(zip, "EPUB/content.opf");
    EXPECT_NE(opf.find(">urn:isbn:9780306406157<"), std::string::npos) << opf;
    EXPECT_NE(opf.find("<meta property=\"schema:version\">1.2.0</meta>"), std::string::npos);
    EXPECT_NE(slurp(dist / "cartas-desde-salamanca-1.2.0.pdf").find("/Version (1.2.0)"),
              std::string::npos);

    // --release-version wins over book.toml; `clean` removes the checksums with the rest.
    auto r = imprenta("build " + quote(a.string()) + " -o " + quote(dist.string()) +
                      " --no-cache --format epub --release-version 2.0");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(dist / "cartas-desde-salamanca-2.0.epub"));
    EXPECT_NE(slurp(dist / "SHA256SUMS").find("cartas-desde-salamanca-2.0.epub"),
              std::string::npos);
    auto cl = imprenta("clean " + quote(a.string()) + " -o " + quote(dist.string()));
    EXPECT_EQ(cl.exit_code, 0) << cl.err;
    EXPECT_FALSE(fs::exists(dist / "SHA256SUMS"));
}

TEST(Release, WrongIsbnIsAnErrorAtItsLine) {
    fs::path book =
        make_book("bad-isbn", std::string(kToml) + "author = \"Ana Ruiz\"\n"
                                                   "identifier = \"978-0-306-40615-8\"\n");
    auto r = imprenta("build " + quote(book.string()) + " -o " + quote((book / "out").string()) +
                      " --no-cache");
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("book.toml:6:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("ISBN"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(book / "out" / "cartas-desde-salamanca.epub"));
}

// scripts/release.sh, the steps of docs/release-workflow.yml: check, build for the tag's version,
// sha256sum -c; the files it lists are the release's.
TEST(Release, ScriptBuildsTheTaggedRelease) {
    fs::path book = make_book("release-script", std::string(kToml) + "author = \"Ana Ruiz\"\n");
    fs::path out = book / "dist";
    auto r = run("IMPRENTA=" + quote(IMPRENTA_BIN) + " GITHUB_REF_NAME=v3.1.4 SOURCE_DATE_EPOCH=" +
                 "1700000000 bash " + quote(source_dir() + "/scripts/release.sh") + " " +
                 quote(book.string()) + " " + quote(out.string()));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("cartas-desde-salamanca-3.1.4.epub: OK"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("cartas-desde-salamanca-3.1.4.pdf: OK"), std::string::npos) << r.out;
    EXPECT_TRUE(fs::exists(out / "SHA256SUMS"));
    auto check = epubcheck(out / "cartas-desde-salamanca-3.1.4.epub");
    EXPECT_EQ(check.errors, 0) << check.output;
    EXPECT_EQ(check.warnings, 0) << check.output;

    // The workflow runs that script on a tag and uploads what SHA256SUMS names.
    std::string workflow = slurp(fs::path(source_dir()) / "docs/release-workflow.yml");
    EXPECT_NE(workflow.find("scripts/setup.sh"), std::string::npos);
    EXPECT_NE(workflow.find("scripts/release.sh"), std::string::npos);
    EXPECT_NE(workflow.find("tags:"), std::string::npos);
    EXPECT_NE(workflow.find("SHA256SUMS"), std::string::npos);

    // Without a version there is nothing to release: the script says so and fails.
    fs::path plain = make_book("release-script-none", std::string(kToml) + "author = \"Ana\"\n");
    auto none = run("IMPRENTA=" + quote(IMPRENTA_BIN) + " bash " +
                    quote(source_dir() + "/scripts/release.sh") + " " + quote(plain.string()));
    EXPECT_NE(none.exit_code, 0);
    EXPECT_NE(none.err.find("no SHA256SUMS"), std::string::npos) << none.err;
}
