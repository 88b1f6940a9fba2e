// "Babel": a book with chapters in English, Chinese, Japanese, Hebrew, Arabic, Greek, Russian and
// Hindi plus emoji (tests/fixtures/babel), built through the CLI: every script shaped, every
// font embedded, the text given back, right-to-left lines set right to left, kinsoku kept.
#include "support/support.h"

#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <sstream>
#include <unistd.h>

using namespace testing_support;

namespace {

fs::path fixture() {
    return fs::path(source_dir()) / "tests/fixtures/babel";
}

struct Built {
    fs::path epub, pdf;
    RunResult run;
};

Built build_into(const fs::path& out) {
    Built r;
    fs::remove_all(out);
    r.run = run("SOURCE_DATE_EPOCH=1700000000 " + quote(IMPRENTA_BIN) + " build " +
                quote(fixture().string()) + " -o " + quote(out.string()) + " --no-cache");
    r.epub = out / "babel.epub";
    r.pdf = out / "babel.pdf";
    return r;
}

const Built& built() {
    static Built b =
        build_into(fs::path(IMPRENTA_TEST_TMP) / ("babel-out-" + std::to_string(::getpid())));
    return b;
}

char32_t decode(const std::string& s, size_t& i) {
    auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (int k = 1; k < n && i + k < s.size(); ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += size_t(n);
    return cp;
}

// Letters, digits and ideographs only: spaces, punctuation, quotes, bidi marks and emoji go,
// so that source and extracted text compare whatever the line breaks and smart quotes did.
std::string letters(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size();) {
        size_t at = i;
        char32_t c = decode(s, i);
        bool drop = (c < 0x80 && !std::isalnum(int(c))) || (c >= 0x80 && c < 0xC0) ||
                    (c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
                    (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xFF00 && c <= 0xFF20) ||
                    (c >= 0x1F000) || c == 0x05BE || c == 0x060C || c == 0x0964;
        if (!drop) out.append(s, at, i - at);
    }
    return out;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> v;
    std::istringstream in(text);
    std::string l;
    while (std::getline(in, l))
        v.push_back(l);
    return v;
}

struct Word {
    double x_min = 0, y_min = 0, x_max = 0;
    std::string text;
};

// pdftotext -bbox words of one page.
std::vector<Word> words_on_page(const fs::path& pdf, int page) {
    std::string html =
        pdftotext(pdf, "-bbox -f " + std::to_string(page) + " -l " + std::to_string(page));
    std::vector<Word> out;
    for (size_t at = 0; (at = html.find("<word ", at)) != std::string::npos;) {
        Word w;
        auto num = [&](const char* key) {
            size_t k = html.find(key, at);
            return std::stod(html.substr(k + std::string(key).size()));
        };
        w.x_min = num("xMin=\"");
        w.y_min = num("yMin=\"");
        w.x_max = num("xMax=\"");
        size_t open = html.find('>', at) + 1, close = html.find("</word>", open);
        w.text = html.substr(open, close - open);
        out.push_back(w);
        at = close;
    }
    return out;
}

// pdftotext -bbox gives right-to-left words in visual order: the word's characters reversed.
std::string reversed(const std::string& s) {
    std::vector<std::string> cps;
    for (size_t i = 0; i < s.size();) {
        size_t at = i;
        decode(s, i);
        cps.push_back(s.substr(at, i - at));
    }
    std::string out;
    for (auto it = cps.rbegin(); it != cps.rend(); ++it)
        out += *it;
    return out;
}

int page_with(const fs::path& pdf, const std::string& needle) {
    for (int p = 1; p < 60; ++p) {
        std::string t = pdftotext(pdf, "-f " + std::to_string(p) + " -l " + std::to_string(p));
        if (t.find(needle) != std::string::npos) return p;
        if (t.empty()) break;
    }
    return -1;
}

} // namespace

TEST(Babel, BuildsWithoutMissingGlyphsOrWarnings) {
    const Built& b = built();
    ASSERT_EQ(b.run.exit_code, 0) << b.run.err;
    EXPECT_EQ(b.run.err.find("warning"), std::string::npos) << b.run.err;
    EXPECT_EQ(b.run.out.find("warning:"), std::string::npos) << b.run.out;
}

TEST(Babel, PdfIsCleanWithEveryFontEmbedded) {
    const Built& b = built();
    auto q = qpdf_check(b.pdf);
    EXPECT_EQ(q.exit_code, 0) << q.out << q.err;
    auto fonts = pdffonts(b.pdf);
    EXPECT_GE(fonts.size(), 8u); // text faces, CJK, Hebrew, Arabic, Devanagari, emoji
    for (const auto& [name, embedded] : fonts)
        EXPECT_TRUE(embedded) << name;
    std::string listing = run("pdffonts " + quote(b.pdf.string())).out;
    for (const char* face : {"NotoSerifCJKsc", "NotoSerifCJKjp", "NotoSerifHebrew",
                             "NotoNaskhArabic", "NotoSerifDevanagari", "Type 3"})
        EXPECT_NE(listing.find(face), std::string::npos) << face << "\n" << listing;
    // poppler reads every ToUnicode map and font program without a complaint.
    auto text = run("pdftotext " + quote(b.pdf.string()) + " /dev/null");
    EXPECT_EQ(text.err, "");
}

TEST(Babel, EpubPassesEpubcheck) {
    if (!have_tool("java")) GTEST_SKIP() << "no java";
    auto r = epubcheck(built().epub);
    EXPECT_EQ(r.errors, 0) << r.output;
    EXPECT_EQ(r.warnings, 0) << r.output;
    EXPECT_EQ(r.fatals, 0) << r.output;
}

TEST(Babel, EveryChapterComesBackFromThePdf) {
    std::string pdf_text = letters(pdftotext(built().pdf));
    int checked = 0;
    for (const auto& entry : fs::directory_iterator(fixture() / "content")) {
        for (const std::string& para : markdown_paragraphs(slurp(entry.path()))) {
            std::string want = letters(para);
            if (want.size() < 8) continue;
            EXPECT_NE(pdf_text.find(want), std::string::npos)
                << entry.path().filename() << ": " << para;
            ++checked;
        }
    }
    EXPECT_GE(checked, 16);
}

TEST(Babel, LigaturesAndKerningKeepTheirText) {
    std::string text = pdftotext(built().pdf);
    for (const char* w : {"office", "fluffy", "affluent", "ffl", "ffi", "AVAVAV"})
        EXPECT_NE(text.find(w), std::string::npos) << w;
}

TEST(Babel, HebrewReadsFromTheRight) {
    const fs::path& pdf = built().pdf;
    int page = page_with(pdf, "שינה");
    const std::string w1 = reversed("הדפוס"), w2 = reversed("שינה"), w3 = reversed("את");
    ASSERT_GT(page, 0);
    auto words = words_on_page(pdf, page);
    // The paragraph's first words, "הדפוס שינה את": right to left on their line.
    const Word *first = nullptr, *second = nullptr, *third = nullptr;
    for (const auto& w : words)
        if (w.text == w2) second = &w;
    ASSERT_NE(second, nullptr);
    for (const auto& w : words) {
        if (std::abs(w.y_min - second->y_min) > 0.5) continue;
        if (w.text == w1) first = &w;
        if (w.text == w3) third = &w;
    }
    ASSERT_NE(first, nullptr);
    ASSERT_NE(third, nullptr);
    EXPECT_GT(first->x_min, second->x_max);
    EXPECT_GT(second->x_min, third->x_max);
    // The first word is the rightmost of its line, at the right margin.
    double right = 0;
    for (const auto& w : words)
        right = std::max(right, w.x_max);
    for (const auto& w : words)
        if (std::abs(w.y_min - first->y_min) <= 0.5) {
            EXPECT_LE(w.x_max, first->x_max + 0.01);
        }
    EXPECT_NEAR(first->x_max, right, 1.0);
    // Numbers and Latin inside stay left to right.
    std::string text = pdftotext(pdf);
    EXPECT_NE(text.find("1450"), std::string::npos);
    EXPECT_NE(text.find("PDF"), std::string::npos);
}

TEST(Babel, NoChineseOrJapaneseLineStartsWithClosingPunctuation) {
    std::string text = pdftotext(built().pdf);
    int cjk_lines = 0;
    for (const auto& l : lines_of(text)) {
        if (l.rfind("\xe6", 0) == 0 || l.rfind("\xe3", 0) == 0 || l.rfind("\xef\xbc", 0) == 0)
            ++cjk_lines;
        for (const char* p : {"，", "。", "、", "）", "」"})
            EXPECT_NE(l.rfind(p, 0), 0u) << "line starts with " << p << ": " << l;
    }
    EXPECT_GE(cjk_lines, 10); // both chapters wrap over several lines
}

TEST(Babel, EmojiAreDrawnAndInvisibleCharactersAreNot) {
    const Built& b = built();
    std::string text = pdftotext(b.pdf);
    EXPECT_NE(text.find("🙂"), std::string::npos);
    EXPECT_NE(text.find("📚"), std::string::npos);
    // Colour glyphs: the rendered page has the smiley's yellow (red and green high, blue low).
    int page = page_with(b.pdf, "Signs and Smiles\n");
    ASSERT_GT(page, 0);
    fs::path png = b.pdf.parent_path() / "emoji";
    run("pdftoppm -r 40 -f " + std::to_string(page) + " -l " + std::to_string(page) +
        " -singlefile " + quote(b.pdf.string()) + " " + quote(png.string()));
    std::string ppm = slurp(png.string() + ".ppm");
    int yellow = 0;
    size_t header = 0;
    for (int nl = 0; nl < 3 && header < ppm.size(); ++header)
        if (ppm[header] == '\n') ++nl;
    for (size_t i = header; i + 2 < ppm.size(); i += 3) {
        auto r = uint8_t(ppm[i]), g = uint8_t(ppm[i + 1]), bl = uint8_t(ppm[i + 2]);
        if (r > 200 && g > 150 && bl < 90) ++yellow;
    }
    EXPECT_GT(yellow, 5);
    // Zero-width space, word joiner and LRM are never shown, not even as '?'.
    EXPECT_NE(text.find("zerowidth"), std::string::npos);
    EXPECT_NE(text.find("wordjoiner"), std::string::npos);
    EXPECT_EQ(text.find('?'), std::string::npos);
}

// Copy and paste keeps the emoji where they stand in the sentence: pdftotext (reading order,
// not -raw) gives each one on its line, between its neighbours, whole (VS16, ZWJ sequences).
TEST(Babel, EmojiComeBackInTheirPlaceInTheLine) {
    std::string text = pdftotext(built().pdf);
    for (const char* want : {"smile 🙂", "book 📚", "heart ❤️.", "emoji 👩‍👩‍👧"})
        EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
}

// Copy and paste gives Hindi words whole: a vowel sign or nasal mark (ढंग, पंक्तियाँ) adds no
// space inside its word, and conjuncts come back as their letters.
TEST(Babel, HindiWordsComeBackWithoutStraySpaces) {
    std::string text = pdftotext(built().pdf);
    std::string joined; // lines joined, words hyphenated across them mended
    for (size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 2, "-\n") == 0) {
            ++i;
            continue;
        }
        joined += text[i] == '\n' ? ' ' : text[i];
    }
    std::string source = slurp(fixture() / "content/08-hindi.md");
    source = source.substr(source.find("\n---", 4) + 4);
    std::istringstream words(source);
    int checked = 0;
    for (std::string w; words >> w;) {
        while (!w.empty() && std::string(",:।").find(w.back()) != std::string::npos)
            w.pop_back();
        if (w.size() >= 3 && w.rfind("\xe0\xa5\xa4") == w.size() - 3) w.resize(w.size() - 3);
        if (w.empty()) continue;
        EXPECT_NE(joined.find(" " + w), std::string::npos) << w;
        ++checked;
    }
    EXPECT_GT(checked, 30);
    EXPECT_NE(joined.find("सही ढंग से"), std::string::npos);
}

// A book in Hebrew: its contents page is mirrored (titles from the right margin, page numbers
// at the left) and its running heads read right to left.
// A Hebrew book of two long chapters, built to a PDF; `toml` is added to its book.toml.
fs::path hebrew_book_pdf(const std::string& name, const std::string& toml) {
    fs::path dir = fs::path(IMPRENTA_TEST_TMP) / (name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    write(dir / "book.toml", "title = \"ספר הדפוס\"\nlanguage = \"he\"\n" + toml);
    std::string para = "הדפוס שינה את העולם כי הוא אפשר להעתיק ספרים במהירות ובזול, ולפני כן "
                       "כל ספר נכתב ביד ורק מעטים יכלו לקנות אותו בשוק של העיר.\n\n";
    std::string body;
    for (int i = 0; i < 50; ++i)
        body += para;
    write(dir / "content/01.md", "---\ntitle: \"פרק ראשון\"\n---\n\n" + body);
    write(dir / "content/02.md", "---\ntitle: \"פרק שני\"\n---\n\n" + body);
    auto r = run(quote(IMPRENTA_BIN) + " build " + quote(dir.string()) + " -o " +
                 quote((dir / "out").string()) + " --format pdf -q");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    for (const auto& e : fs::directory_iterator(dir / "out"))
        if (e.path().extension() == ".pdf") return e.path();
    return {};
}

TEST(Babel, RightToLeftBookMirrorsItsContentsAndHeads) {
    fs::path pdf = hebrew_book_pdf("babel-rtl", "");
    ASSERT_FALSE(pdf.empty());
    // Contents: in Hebrew, each title's words right to left against the right margin, its page
    // number left of it.
    int toc = page_with(pdf, "העניינים");
    ASSERT_GT(toc, 0);
    auto words = words_on_page(pdf, toc);
    double right = 0, first_x = -1, second_x = -1, number_x = 1e9;
    for (const auto& w : words) {
        right = std::max(right, w.x_max);
        if (reversed(w.text) == "פרק" || w.text == "פרק") first_x = std::max(first_x, w.x_min);
        if (reversed(w.text) == "ראשון" || w.text == "ראשון") second_x = w.x_min;
        if (w.text == "1") number_x = w.x_min;
    }
    ASSERT_GT(first_x, 0);
    ASSERT_GT(second_x, 0);
    EXPECT_GT(first_x, second_x);       // פרק, the first word, is the rightmost
    EXPECT_LT(number_x, second_x - 20); // the page number stands at the left
    EXPECT_LT(number_x, 100);

    // Running heads: the book's title on a verso, the chapter's on the recto after it, each
    // with its first word rightmost.
    int opening = page_with(pdf, "במהירות");
    auto head_order = [&](int page, const std::string& first, const std::string& second) {
        double a = -1, b = -1;
        for (const auto& w : words_on_page(pdf, page)) {
            if (w.y_min > 40) continue; // the head sits above the text block
            if (reversed(w.text) == first) a = w.x_min;
            if (reversed(w.text) == second) b = w.x_min;
        }
        EXPECT_GT(a, 0) << "page " << page;
        EXPECT_GT(b, 0) << "page " << page;
        EXPECT_GT(a, b) << "page " << page;
    };
    head_order(opening + 1, "ספר", "הדפוס");
    head_order(opening + 2, "פרק", "ראשון");
}

// The text block's left and right edges on a full body page, and the folio's left edge.
struct Edges {
    double left = 1e9, right = 0, folio = -1;
};
Edges edges_of(const fs::path& pdf, int page) {
    Edges e;
    for (const auto& w : words_on_page(pdf, page)) {
        if (w.y_min < 40) { // the running head's line: the folio is its number
            if (!w.text.empty() && std::isdigit((unsigned char)w.text[0])) e.folio = w.x_min;
            continue;
        }
        e.left = std::min(e.left, w.x_min);
        e.right = std::max(e.right, w.x_max);
    }
    return e;
}

// A right-to-left book is bound on the right, as Typst's `binding: auto` and a Hebrew or Arabic
// printer do: its rectos are left-hand pages with the spine (inner margin) on their right, folios
// on the outer edge, and viewers show spreads right to left.
TEST(Babel, RightToLeftBookIsBoundOnTheRight) {
    const double page_w = 148 * 72 / 25.4, inner = 20 * 72 / 25.4, outer = 15 * 72 / 25.4;
    fs::path pdf = hebrew_book_pdf("babel-bind", "");
    ASSERT_FALSE(pdf.empty());
    int opening = page_with(pdf, "במהירות"); // a recto: chapters open on one
    ASSERT_GT(opening, 0);
    ASSERT_EQ(opening % 2, 1);
    Edges recto = edges_of(pdf, opening + 2), verso = edges_of(pdf, opening + 1);
    EXPECT_NEAR(recto.left, outer, 4);
    EXPECT_NEAR(recto.right, page_w - inner, 4);
    EXPECT_NEAR(verso.left, inner, 4);
    EXPECT_NEAR(verso.right, page_w - outer, 4);
    EXPECT_GT(recto.folio, 0);
    EXPECT_LT(recto.folio, page_w / 2); // the outer edge of a right-bound recto is its left
    EXPECT_GT(verso.folio, page_w / 2);
    auto qdf = run("qpdf --qdf --object-streams=disable " + quote(pdf.string()) + " -").out;
    EXPECT_NE(qdf.find("/Direction /R2L"), std::string::npos);

    // `binding = "left"` sets it as a left-bound book, and an unknown side is an error at its line.
    fs::path left = hebrew_book_pdf("babel-bind-left", "[pdf]\nbinding = \"left\"\n");
    ASSERT_FALSE(left.empty());
    recto = edges_of(left, opening + 2);
    EXPECT_NEAR(recto.left, inner, 4);
    EXPECT_GT(recto.folio, page_w / 2);
    EXPECT_EQ(run("qpdf --qdf --object-streams=disable " + quote(left.string()) + " -")
                  .out.find("/Direction /R2L"),
              std::string::npos);
    fs::path bad = fs::path(IMPRENTA_TEST_TMP) / ("babel-bind-bad-" + std::to_string(::getpid()));
    fs::remove_all(bad);
    write(bad / "book.toml", "title = \"x\"\n\n[pdf]\nbinding = \"top\"\n");
    write(bad / "content/01.md", "# One\n\nText.\n");
    auto r = run(quote(IMPRENTA_BIN) + " build " + quote(bad.string()) + " --format pdf -q");
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("book.toml:4:11: error: binding must be"), std::string::npos) << r.err;
}

TEST(Babel, SameInputSameBytes) {
    Built again =
        build_into(fs::path(IMPRENTA_TEST_TMP) / ("babel-again-" + std::to_string(::getpid())));
    ASSERT_EQ(again.run.exit_code, 0);
    EXPECT_TRUE(slurp(again.pdf) == slurp(built().pdf));
    EXPECT_TRUE(slurp(again.epub) == slurp(built().epub));
}

// The writer puts each page into the document as soon as it and the pages before it are encoded,
// on whichever thread finished it, and numbers the fonts before their glyphs are known: the
// bytes (eleven fonts, emoji pages with their own Type 3 fonts, links) must not depend on it.
TEST(Babel, SamePdfBytesWhateverTheThreads) {
    for (const char* threads : {"1", "3"}) {
        fs::path out = fs::path(IMPRENTA_TEST_TMP) /
                       ("babel-threads-" + std::string(threads) + "-" + std::to_string(::getpid()));
        fs::remove_all(out);
        auto r = run("SOURCE_DATE_EPOCH=1700000000 IMPRENTA_THREADS=" + std::string(threads) + " " +
                     quote(IMPRENTA_BIN) + " build " + quote(fixture().string()) + " -o " +
                     quote(out.string()) + " -f pdf --no-cache");
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_TRUE(slurp(out / "babel.pdf") == slurp(built().pdf)) << threads << " threads";
    }
}

TEST(Babel, BookTomlNamesAFontFamily) {
    fs::path dir = fs::path(IMPRENTA_TEST_TMP) / ("babel-family-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "content");
    fs::copy_file(fixture() / "content/01-english.md", dir / "content/01-english.md");
    write(dir / "book.toml", "title = \"Family\"\n[pdf.fonts]\nregular = \"EB Garamond\"\n");
    auto r = run(quote(IMPRENTA_BIN) + " build " + quote(dir.string()) + " -o " +
                 quote((dir / "out").string()) + " --format pdf");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string listing = run("pdffonts " + quote((dir / "out/family.pdf").string())).out;
    EXPECT_NE(listing.find("EBGaramond"), std::string::npos) << listing;
    // An unknown family is an error that names it.
    write(dir / "book.toml", "title = \"Family\"\n[pdf.fonts]\nregular = \"No Such Face\"\n");
    r = run(quote(IMPRENTA_BIN) + " build " + quote(dir.string()) + " -o " +
            quote((dir / "out").string()) + " --format pdf");
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE((r.out + r.err).find("No Such Face"), std::string::npos) << r.err;
}
