// The user's own book: "Crónica de la IA Moderna" as its authors keep it (../shared/cronica), with
// only the book.toml lines the README documents added beside its hugo.toml.
#include "support/support.h"

#include <cmath>
#include <gtest/gtest.h>
#include <regex>
#include <set>
#include <unistd.h>

using namespace testing_support;

namespace {

fs::path cronica() {
    return fs::path(shared_dir()) / "cronica";
}

struct Built {
    fs::path epub, pdf;
    RunResult run;
};

const Built& built() {
    static Built b = [] {
        Built r;
        fs::path site =
            fs::path(IMPRENTA_TEST_TMP) / ("cronica-site-" + std::to_string(::getpid()));
        fs::path out = fs::path(IMPRENTA_TEST_TMP) / ("cronica-out-" + std::to_string(::getpid()));
        fs::remove_all(site);
        fs::remove_all(out);
        fs::copy(cronica(), site, fs::copy_options::recursive);
        fs::copy_file(fs::path(source_dir()) / "tests/fixtures/cronica/book.toml",
                      site / "book.toml");
        r.run = run(quote(IMPRENTA_BIN) + " build " + quote(site.string()) + " -o " +
                    quote(out.string()) + " --no-cache");
        fs::remove_all(site); // 23 MB per test process; the outputs are what the tests read
        r.epub = out / "cronica-de-la-ia-moderna-es.epub";
        r.pdf = out / "cronica-de-la-ia-moderna-es.pdf";
        return r;
    }();
    return b;
}

// Chapter files of the essays under docs/content, in weight order, with their titles.
std::vector<std::pair<int, std::string>> source_chapters() {
    std::vector<std::pair<int, std::string>> out;
    std::regex weight(R"(\nweight:\s*(\d+))"), title(R"re(\ntitle:\s*"?([^"\n]+)"?)re");
    for (const auto& e : fs::directory_iterator(cronica() / "content.es/docs/content")) {
        if (e.path().filename() == "_index.md") continue;
        std::string text = slurp(e.path());
        std::smatch w, t;
        if (std::regex_search(text, w, weight) && std::regex_search(text, t, title))
            out.emplace_back(std::stoi(w[1]), t[1]);
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

TEST(Cronica, BuildsTheSpanishEdition) {
    if (!fs::is_directory(cronica())) GTEST_SKIP() << "../shared/cronica not present";
    const Built& b = built();
    ASSERT_EQ(b.run.exit_code, 0) << b.run.err;
    EXPECT_TRUE(fs::exists(b.epub)) << b.run.out;
    EXPECT_TRUE(fs::exists(b.pdf)) << b.run.out;
    // The declared English edition has no content here: a warning, not an error.
    EXPECT_NE(b.run.err.find("language 'en'"), std::string::npos) << b.run.err;
}

TEST(Cronica, EpubPassesEpubcheckWith23ChaptersInWeightOrderEachWithItsBanner) {
    if (!fs::is_directory(cronica())) GTEST_SKIP() << "../shared/cronica not present";
    const Built& b = built();
    auto check = epubcheck(b.epub);
    EXPECT_EQ(check.fatals, 0) << check.output;
    EXPECT_EQ(check.errors, 0) << check.output;
    EXPECT_EQ(check.warnings, 0) << check.output;

    auto entries = read_zip(b.epub);
    auto expected = source_chapters();
    ASSERT_EQ(expected.size(), 23u);
    // The nav lists the chapters in weight order.
    std::string nav;
    for (const auto& e : entries)
        if (e.name.ends_with("nav.xhtml")) nav = xml_text(e.data);
    size_t at = 0;
    for (const auto& [w, title] : expected) {
        size_t found = nav.find(title, at);
        ASSERT_NE(found, std::string::npos)
            << "chapter " << w << " '" << title << "' missing or out of order";
        at = found + title.size();
    }
    // Every chapter opens with its banner, a JPEG of a sensible reading size.
    int chapters = 0, with_banner = 0;
    std::regex first_img(R"re(<img[^>]*src="([^"]+)")re");
    for (const auto& e : entries) {
        if (e.name.find("text/") == std::string::npos || e.name.ends_with("title.xhtml") ||
            e.name.ends_with("cover.xhtml") || !e.name.ends_with(".xhtml"))
            continue;
        ++chapters;
        std::smatch m;
        if (std::regex_search(e.data, m, first_img) && std::string(m[1]).ends_with(".jpg"))
            ++with_banner;
    }
    EXPECT_EQ(chapters, 23);
    EXPECT_EQ(with_banner, 23);
    for (const auto& e : entries) {
        if (e.name.find("images/") != std::string::npos) continue; // binary
        EXPECT_EQ(e.data.find("{{"), std::string::npos) << e.name;
        EXPECT_EQ(e.data.find("_din_style"), std::string::npos) << e.name;
    }
    EXPECT_LT(fs::file_size(b.epub), 20u << 20) << "keep the EPUB a size a store accepts";
}

TEST(Cronica, PdfIsCleanWithEveryBannerAsJpegAndEveryFontEmbedded) {
    if (!fs::is_directory(cronica())) GTEST_SKIP() << "../shared/cronica not present";
    const Built& b = built();
    auto q = qpdf_check(b.pdf);
    EXPECT_EQ(q.exit_code, 0) << q.out << q.err;
    auto fonts = pdffonts(b.pdf);
    ASSERT_FALSE(fonts.empty());
    for (const auto& [name, embedded] : fonts)
        EXPECT_TRUE(embedded) << name;
    // Banners are the 2464x1856 photographs (aspect 1.328), scaled for print (image_dpi 300 at
    // their printed width of 2.85 in: 854 px), as DCT.
    int jpeg_banners = 0;
    for (const auto& row : pdfimages(b.pdf))
        if (row.type == "image" && row.encoding == "jpeg" && row.width >= 800 &&
            std::abs(double(row.width) / row.height - 2464.0 / 1856.0) < 0.01)
            ++jpeg_banners;
    EXPECT_EQ(jpeg_banners, 23);
    std::string text = pdftotext(b.pdf);
    EXPECT_EQ(text.find("{{"), std::string::npos);
    EXPECT_EQ(text.find("_din_style"), std::string::npos);
    // The smile that closes the last chapter is drawn (Noto Color Emoji), not a '?'.
    EXPECT_NE(text.find("🙂"), std::string::npos);
    // The first chapter's opening words, in order, with accents.
    EXPECT_NE(normalize_words(text).find("a principios de 2023 la situación era distinta"),
              std::string::npos);
}
