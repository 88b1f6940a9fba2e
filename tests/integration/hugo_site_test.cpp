// The hugo-book-shaped fixture (tests/fixtures/hugosite): two editions, parts, drafts, hidden
// pages, shortcodes, hostile raw HTML, cross-links and images of every format, in both outputs.
#include "support/support.h"

#include <gtest/gtest.h>
#include <regex>
#include <set>
#include <tinyxml2.h>
#include <unistd.h>

using namespace testing_support;

namespace {

fs::path fixture() {
    return fs::path(source_dir()) / "tests/fixtures/hugosite";
}

struct Site {
    fs::path out;
    RunResult run;
};

const Site& built() {
    static Site site = [] {
        Site s;
        s.out = fs::path(IMPRENTA_TEST_TMP) / ("hugosite-out-" + std::to_string(::getpid()));
        fs::remove_all(s.out);
        s.run = run("SOURCE_DATE_EPOCH=1700000000 " + quote(IMPRENTA_BIN) + " build " +
                    quote(fixture().string()) + " --no-cache -o " + quote(s.out.string()));
        return s;
    }();
    return site;
}

tinyxml2::XMLElement* find_nav_toc(tinyxml2::XMLElement* el) {
    for (auto* c = el->FirstChildElement(); c; c = c->NextSiblingElement()) {
        if (std::string(c->Name()) == "nav" && c->Attribute("epub:type", "toc")) return c;
        if (auto* f = find_nav_toc(c)) return f;
    }
    return nullptr;
}

// The toc as "title" / "  title" lines (two spaces per nesting level).
std::vector<std::string> toc_lines(const std::vector<ZipEntry>& entries) {
    std::vector<std::string> lines;
    for (const auto& e : entries) {
        if (!e.name.ends_with("nav.xhtml")) continue;
        tinyxml2::XMLDocument d;
        EXPECT_EQ(d.Parse(e.data.c_str(), e.data.size()), tinyxml2::XML_SUCCESS);
        auto* toc = find_nav_toc(d.RootElement());
        EXPECT_TRUE(toc);
        if (!toc) return lines;
        std::function<void(tinyxml2::XMLElement*, int)> walk = [&](tinyxml2::XMLElement* ol,
                                                                   int depth) {
            for (auto* li = ol->FirstChildElement("li"); li; li = li->NextSiblingElement("li")) {
                std::string title;
                if (auto* a = li->FirstChildElement("a")) {
                    // Sections (h2, toc_depth) link into a page: this list is of the pages.
                    if (std::string(a->Attribute("href")).find('#') != std::string::npos) continue;
                    tinyxml2::XMLPrinter p(nullptr, true);
                    a->Accept(&p);
                    title = xml_text(p.CStr());
                    title.erase(0, title.find_first_not_of(' '));
                }
                lines.push_back(std::string(2 * depth, ' ') + title);
                if (auto* sub = li->FirstChildElement("ol")) walk(sub, depth + 1);
            }
        };
        walk(toc->FirstChildElement("ol"), 0);
    }
    return lines;
}

std::string all_xhtml(const std::vector<ZipEntry>& entries) {
    std::string s;
    for (const auto& e : entries)
        if (e.name.ends_with(".xhtml")) s += e.data;
    return s;
}

} // namespace

TEST(HugoSite, BuildsOneEditionPerLanguageAndWarnsAboutTheMissingOne) {
    const Site& s = built();
    ASSERT_EQ(s.run.exit_code, 0) << s.run.err;
    EXPECT_TRUE(fs::exists(s.out / "manual-de-pruebas-es.epub")) << s.run.out;
    EXPECT_TRUE(fs::exists(s.out / "manual-de-pruebas-es.pdf"));
    EXPECT_TRUE(fs::exists(s.out / "manual-de-pruebas-en.epub"));
    EXPECT_TRUE(fs::exists(s.out / "manual-de-pruebas-en.pdf"));
    EXPECT_NE(s.run.err.find("hugo.toml: warning: language 'fr'"), std::string::npos) << s.run.err;
    // Diagnostics name the essay and line.
    EXPECT_NE(s.run.err.find("content.en/docs/part-one/02-links.md:8"), std::string::npos)
        << s.run.err;
    EXPECT_NE(s.run.err.find("dropped <script>"), std::string::npos) << s.run.err;
}

TEST(HugoSite, EveryEpubPassesEpubcheck) {
    const Site& s = built();
    for (const char* name : {"manual-de-pruebas-es.epub", "manual-de-pruebas-en.epub"}) {
        auto r = epubcheck(s.out / name);
        EXPECT_EQ(r.fatals, 0) << name << r.output;
        EXPECT_EQ(r.errors, 0) << name << r.output;
        EXPECT_EQ(r.warnings, 0) << name << r.output;
    }
}

TEST(HugoSite, TocNestsPartsAndLeavesOutHiddenAndDrafts) {
    auto entries = read_zip(built().out / "manual-de-pruebas-es.epub");
    auto toc = toc_lines(entries);
    std::vector<std::string> expected{"Introducción",     "Primera parte: imágenes",
                                      "  Formatos",       "Segunda parte: códigos cortos",
                                      "  Códigos cortos", "  HTML"};
    EXPECT_EQ(toc, expected);
    std::string xhtml = all_xhtml(entries);
    EXPECT_NE(xhtml.find("Esta página está en el orden de lectura"), std::string::npos)
        << "the hidden page must stay in the book";
    EXPECT_EQ(xhtml.find("BORRADOR"), std::string::npos) << "a draft leaked";
    EXPECT_EQ(xhtml.find("Una portada de sitio web"), std::string::npos)
        << "the landing page is not a chapter";
    auto en = toc_lines(read_zip(built().out / "manual-de-pruebas-en.epub"));
    EXPECT_EQ(en, (std::vector<std::string>{"Introduction", "Part one", "  Links"}));
}

TEST(HugoSite, NothingHostileAndNoShortcodeSyntaxInAnyOutput) {
    const Site& s = built();
    for (const char* name : {"manual-de-pruebas-es.epub", "manual-de-pruebas-en.epub"}) {
        std::string xhtml = all_xhtml(read_zip(s.out / name));
        for (const char* bad : {"MALICIOSO", "javascript:", "<script", "<iframe", "onclick",
                                "onmouseover", "<form", "<input", "robar", "{{", "imprenta-open"})
            EXPECT_EQ(xhtml.find(bad), std::string::npos) << name << " contains " << bad;
    }
    for (const char* name : {"manual-de-pruebas-es.pdf", "manual-de-pruebas-en.pdf"}) {
        std::string text = pdftotext(s.out / name);
        ASSERT_FALSE(text.empty()) << name;
        for (const char* bad : {"MALICIOSO", "{{", "robar", "BORRADOR"})
            EXPECT_EQ(text.find(bad), std::string::npos) << name << " contains " << bad;
        auto q = qpdf_check(s.out / name);
        EXPECT_EQ(q.exit_code, 0) << q.out << q.err;
    }
}

TEST(HugoSite, ShortcodesBecomeBookBlocks) {
    std::string xhtml = all_xhtml(read_zip(built().out / "manual-de-pruebas-es.epub"));
    for (const char* text :
         {"Atención:", "Un bloque plegable", "Primera", "Contenido de la segunda",
          "Columna izquierda", "Texto de la derecha", "Una figura con pie", "E = mc^2",
          "graph LR; A --&gt; B", "se conserva", "Un botón"})
        EXPECT_NE(xhtml.find(text), std::string::npos) << text;
    EXPECT_NE(xhtml.find("<figcaption"), std::string::npos);
    EXPECT_NE(xhtml.find("<aside"), std::string::npos);
}

TEST(HugoSite, LinksGoToTheRightChapterAndAnchor) {
    auto entries = read_zip(built().out / "manual-de-pruebas-es.epub");
    std::string intro, formatos;
    for (const auto& e : entries) {
        if (e.name.find("introduccion") != std::string::npos && e.name.ends_with(".xhtml"))
            intro = e.data;
        if (e.name.find("formatos") != std::string::npos && e.name.ends_with(".xhtml"))
            formatos = e.data;
    }
    ASSERT_FALSE(intro.empty());
    ASSERT_FALSE(formatos.empty());
    std::set<std::string> hrefs;
    std::regex href("href=\"([^\"]+)\"");
    for (auto it = std::sregex_iterator(intro.begin(), intro.end(), href);
         it != std::sregex_iterator(); ++it)
        hrefs.insert((*it)[1]);
    auto has = [&](const std::string& needle) {
        for (const auto& h : hrefs)
            if (h.find(needle) != std::string::npos) return true;
        return false;
    };
    EXPECT_TRUE(has("formatos.xhtml#mapas-de-bits")) << intro;
    EXPECT_TRUE(has("parte-uno.xhtml")) << intro;
    EXPECT_TRUE(has("06-html.xhtml") || has("html.xhtml")) << intro;
    EXPECT_NE(formatos.find("id=\"mapas-de-bits\""), std::string::npos);
}

TEST(HugoSite, EveryImageFormatInBothOutputs) {
    auto entries = read_zip(built().out / "manual-de-pruebas-es.epub");
    std::set<std::string> images;
    for (const auto& e : entries) {
        if (e.name.find("images/") == std::string::npos) continue;
        images.insert(e.name);
        EXPECT_FALSE(e.name.ends_with(".webp")) << e.name;
    }
    // 2 banners + 16 distinct inline images (the figure reuses rgb8.png) + the drawn cover.
    EXPECT_EQ(images.size(), 19u);
    EXPECT_TRUE(images.count("EPUB/images/cover.png"));
    // The remote image became a link, never fetched.
    std::string xhtml = all_xhtml(entries);
    EXPECT_NE(xhtml.find("href=\"https://example.org/logo.png\""), std::string::npos);

    // PDF: every image, the SVG rasterised with librsvg = 2 banners + 16.
    std::set<std::string> objects; // an image drawn twice is embedded once
    for (const auto& row : pdfimages(built().out / "manual-de-pruebas-es.pdf"))
        if (row.type == "image") objects.insert(row.object);
    size_t count = objects.size();
    EXPECT_EQ(count, 18u);
}
