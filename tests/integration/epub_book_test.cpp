// Builds real books with the imprenta binary and inspects the EPUB: zip, OPF, nav, chapters,
// epubcheck, and reproducibility.
#include "support/support.h"

#include <gtest/gtest.h>
#include <tinyxml2.h>

using namespace testing_support;

namespace {

struct Built {
    fs::path epub;
    std::vector<ZipEntry> entries;
};

Built build_epub(const fs::path& book, const fs::path& out, const std::string& extra = "") {
    auto r = imprenta("build " + quote(book.string()) + " -o " + quote(out.string()) +
                      " --format epub --no-cache " + extra);
    EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
    Built b;
    for (const auto& e : fs::directory_iterator(out))
        if (e.path().extension() == ".epub") b.epub = e.path();
    EXPECT_FALSE(b.epub.empty()) << "no .epub in " << out;
    if (!b.epub.empty()) b.entries = read_zip(b.epub);
    return b;
}

void expect_epubcheck_clean(const fs::path& epub) {
    auto r = epubcheck(epub);
    EXPECT_EQ(r.fatals, 0) << r.output;
    EXPECT_EQ(r.errors, 0) << r.output;
    EXPECT_EQ(r.warnings, 0) << r.output;
}

// The OPF's spine as hrefs, in order.
std::vector<std::string> spine_hrefs(const std::vector<ZipEntry>& entries, std::string& opf_dir) {
    const ZipEntry* container = find_entry(entries, "META-INF/container.xml");
    EXPECT_TRUE(container);
    if (!container) return {};
    tinyxml2::XMLDocument c;
    c.Parse(container->data.c_str(), container->data.size());
    std::string opf_path = c.RootElement()
                               ->FirstChildElement("rootfiles")
                               ->FirstChildElement("rootfile")
                               ->Attribute("full-path");
    opf_dir = opf_path.substr(0, opf_path.rfind('/') + 1);
    const ZipEntry* opf = find_entry(entries, opf_path);
    EXPECT_TRUE(opf);
    tinyxml2::XMLDocument d;
    EXPECT_EQ(d.Parse(opf->data.c_str(), opf->data.size()), tinyxml2::XML_SUCCESS);
    std::map<std::string, std::string> hrefs;
    for (auto* it = d.RootElement()->FirstChildElement("manifest")->FirstChildElement("item"); it;
         it = it->NextSiblingElement("item"))
        hrefs[it->Attribute("id")] = it->Attribute("href");
    std::vector<std::string> out;
    for (auto* it = d.RootElement()->FirstChildElement("spine")->FirstChildElement("itemref"); it;
         it = it->NextSiblingElement("itemref"))
        out.push_back(hrefs[it->Attribute("idref")]);
    return out;
}

// Titles of the top level of the nav toc, in order.
std::vector<std::string> nav_titles(const std::vector<ZipEntry>& entries) {
    std::vector<std::string> titles;
    for (const auto& e : entries) {
        if (e.name.rfind("nav.xhtml") == std::string::npos) continue;
        tinyxml2::XMLDocument d;
        EXPECT_EQ(d.Parse(e.data.c_str(), e.data.size()), tinyxml2::XML_SUCCESS);
        std::function<void(tinyxml2::XMLElement*)> walk = [&](tinyxml2::XMLElement* el) {
            for (auto* c = el->FirstChildElement(); c; c = c->NextSiblingElement()) {
                if (std::string(c->Name()) == "nav" && c->Attribute("epub:type", "toc")) {
                    for (auto* li = c->FirstChildElement("ol")->FirstChildElement("li"); li;
                         li = li->NextSiblingElement("li")) {
                        std::string title;
                        if (auto* a = li->FirstChildElement("a")) {
                            tinyxml2::XMLPrinter p(nullptr, true);
                            a->Accept(&p);
                            title = xml_text(p.CStr());
                        }
                        titles.push_back(title);
                    }
                    return;
                }
                walk(c);
            }
        };
        walk(d.RootElement());
    }
    return titles;
}

std::string chapter_text(const std::vector<ZipEntry>& entries) {
    std::string all;
    for (const auto& e : entries)
        if (e.name.find("text/") != std::string::npos && e.name.ends_with(".xhtml"))
            all += xml_text(e.data) + "\n";
    return all;
}

} // namespace

TEST(EpubBook, SeedsPassEpubcheckInOrderWithEveryParagraph) {
    if (!have_shared()) GTEST_SKIP() << "../shared not present";
    auto out = fresh_dir("out");
    auto b = build_epub(shared_dir() + "/seeds", out);
    ASSERT_FALSE(b.entries.empty());
    expect_epubcheck_clean(b.epub);

    // mimetype first, stored, exact
    EXPECT_EQ(b.entries[0].name, "mimetype");
    EXPECT_EQ(b.entries[0].data, "application/epub+zip");
    EXPECT_EQ(b.entries[0].compression, 0);

    auto titles = nav_titles(b.entries);
    ASSERT_GE(titles.size(), 2u);
    EXPECT_NE(titles[0].find("La Captura de GPT-4"), std::string::npos) << titles[0];
    EXPECT_NE(titles[1].find("Carta abierta para la parada de modelos más allá de GPT-4"),
              std::string::npos)
        << titles[1];

    std::string text = normalize_words(chapter_text(b.entries));
    for (const auto& seed : {"000_21297a3babc778fd.txt", "004_e44508a0cf2b7f7b.txt"}) {
        auto paras = markdown_paragraphs(slurp(shared_dir() + "/seeds/" + seed));
        ASSERT_GT(paras.size(), 3u) << seed;
        for (const auto& p : paras)
            EXPECT_NE(text.find(normalize_words(p)), std::string::npos) << seed << ": " << p;
    }
}

TEST(EpubBook, SampleBookPassesEpubcheck) {
    auto out = fresh_dir("out");
    auto b = build_epub(source_dir(), out);
    expect_epubcheck_clean(b.epub);
    std::string opf_dir;
    auto spine = spine_hrefs(b.entries, opf_dir);
    std::string text = chapter_text(b.entries);
    EXPECT_EQ(text.find("BORRADOR"), std::string::npos) << "a draft leaked into the book";
    // Every essay that is not a draft is in the spine, weighted ones first.
    int chapters = 0;
    for (const auto& h : spine)
        chapters += h.find("text/") != std::string::npos;
    EXPECT_GE(chapters, 5);
    // Banners: WebP must have been transcoded (not a core media type in EPUB 3.2).
    int images = 0;
    for (const auto& e : b.entries) {
        EXPECT_FALSE(e.name.ends_with(".webp")) << e.name;
        images += e.name.find("images/") != std::string::npos;
    }
    EXPECT_GE(images, 5);
}

TEST(EpubBook, ReproducibleWhateverTheFolderAndThreadCount) {
    auto a = fresh_dir("a"), b = fresh_dir("b");
    fs::create_directories(a / "book");
    fs::create_directories(b / "elsewhere/deeper");
    fs::copy(source_dir() + "/content", a / "book/content", fs::copy_options::recursive);
    fs::copy(source_dir() + "/assets", a / "book/assets", fs::copy_options::recursive);
    fs::copy(source_dir() + "/book.toml", a / "book/book.toml");
    fs::copy(a / "book", b / "elsewhere/deeper/book", fs::copy_options::recursive);
    std::string env = "SOURCE_DATE_EPOCH=1700000000 ";
    auto build = [&](const std::string& extra_env, const fs::path& book, const fs::path& out) {
        return run(env + extra_env + quote(IMPRENTA_BIN) + " build " + quote(book.string()) +
                   " --format epub,pdf --no-cache -o " + quote(out.string()));
    };
    auto r1 = build("", a / "book", a / "o1");
    auto r2 = build("IMPRENTA_THREADS=4 ", a / "book", a / "o2");
    auto r3 = build("IMPRENTA_THREADS=1 ", b / "elsewhere/deeper/book", b / "o3");
    ASSERT_EQ(r1.exit_code, 0) << r1.err;
    ASSERT_EQ(r2.exit_code, 0) << r2.err;
    ASSERT_EQ(r3.exit_code, 0) << r3.err;
    std::string name;
    for (const char* ext : {".epub", ".pdf"}) {
        for (const auto& e : fs::directory_iterator(a / "o1"))
            if (e.path().extension() == ext) name = e.path().filename();
        auto f1 = slurp(a / "o1" / name), f2 = slurp(a / "o2" / name), f3 = slurp(b / "o3" / name);
        ASSERT_FALSE(f1.empty()) << ext;
        EXPECT_TRUE(f1 == f2) << ext << ": builds with 2 and 4 threads differ";
        EXPECT_TRUE(f1 == f3) << ext << ": a build in another folder with one thread differs";
    }
    name = name.substr(0, name.size() - 4) + ".epub";
    // dcterms:modified comes from SOURCE_DATE_EPOCH
    bool found = false;
    for (const auto& e : read_zip(a / "o1" / name))
        if (e.name.ends_with(".opf"))
            found = e.data.find("2023-11-14T22:13:20Z") != std::string::npos;
    EXPECT_TRUE(found);
}
