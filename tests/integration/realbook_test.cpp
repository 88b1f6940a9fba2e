// Two later chapters of the real book (../shared/realbook): per-chapter [^n] footnotes that reuse
// the same labels, a note cited several times, backslash hard breaks, rules and escapes.
#include "support/support.h"

#include <gtest/gtest.h>
#include <regex>
#include <sstream>
#include <tinyxml2.h>

using namespace testing_support;

namespace {

struct Chapter {
    std::string name, xhtml;
};

std::vector<Chapter> build_chapters(const fs::path& out) {
    auto r = imprenta("build " + quote(shared_dir() + "/realbook/es") + " -o " +
                      quote(out.string()) + " --no-cache");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<Chapter> chapters;
    for (const auto& e : fs::directory_iterator(out)) {
        if (e.path().extension() != ".epub") continue;
        auto check = epubcheck(e.path());
        EXPECT_EQ(check.errors + check.fatals + check.warnings, 0) << check.output;
        for (const auto& z : read_zip(e.path()))
            if (z.name.find("text/") != std::string::npos &&
                z.name.find("title") == std::string::npos && !z.name.ends_with("/cover.xhtml") &&
                z.name.ends_with(".xhtml"))
                chapters.push_back({z.name, z.data});
    }
    std::sort(chapters.begin(), chapters.end(),
              [](const Chapter& a, const Chapter& b) { return a.name < b.name; });
    return chapters;
}

int count(const std::string& s, const std::string& what) {
    int n = 0;
    for (size_t p = 0; (p = s.find(what, p)) != std::string::npos; p += what.size())
        ++n;
    return n;
}

} // namespace

TEST(Realbook, FootnotesStayPerChapterAndEveryCitationLinks) {
    if (!have_shared()) GTEST_SKIP() << "../shared not present";
    auto chapters = build_chapters(fresh_dir("out"));
    ASSERT_EQ(chapters.size(), 2u);
    const char* sources[] = {"02_cgpt.md", "09_enpttc.md"};
    for (size_t i = 0; i < chapters.size(); ++i) {
        const Chapter& ch = chapters[i];
        int definitions = 0;
        std::istringstream src(slurp(shared_dir() + "/realbook/es/" + sources[i]));
        for (std::string line; std::getline(src, line);)
            definitions += line.starts_with("[^");
        tinyxml2::XMLDocument doc;
        ASSERT_EQ(doc.Parse(ch.xhtml.c_str(), ch.xhtml.size()), tinyxml2::XML_SUCCESS) << ch.name;
        // Each chapter has its own notes numbered from 1: ids resolve within the same file.
        std::set<std::string> ids;
        std::regex id_re("id=\"([^\"]+)\""), ref_re("epub:type=\"noteref\"[^>]*href=\"#([^\"]+)\"|"
                                                    "href=\"#([^\"]+)\"[^>]*epub:type=\"noteref\"");
        for (auto it = std::sregex_iterator(ch.xhtml.begin(), ch.xhtml.end(), id_re);
             it != std::sregex_iterator(); ++it)
            ids.insert((*it)[1]);
        int refs = 0;
        for (auto it = std::sregex_iterator(ch.xhtml.begin(), ch.xhtml.end(), ref_re);
             it != std::sregex_iterator(); ++it) {
            std::string target = (*it)[1].matched ? (*it)[1] : (*it)[2];
            EXPECT_TRUE(ids.count(target)) << ch.name << " noteref to missing #" << target;
            ++refs;
        }
        EXPECT_GE(refs, definitions) << ch.name;
        EXPECT_EQ(count(ch.xhtml, "epub:type=\"footnote\""), definitions) << ch.name;
        EXPECT_EQ(ch.xhtml.find("[^"), std::string::npos) << ch.name << ": unresolved footnote";
    }
    // The chapter on test-time compute cites note 3 eight times: eight noterefs, one note.
    const std::string& enpttc = chapters[1].xhtml;
    EXPECT_NE(enpttc.find("Q*"), std::string::npos) << "escaped Q\\* must print as Q*";
    EXPECT_GE(count(enpttc, "<br"), 3) << "backslash hard breaks";
    EXPECT_GE(count(enpttc, "<hr"), 1);
}
