// Hugo sites as their authors keep them (tests/fixtures/hugo-folders: three languages by
// folder, one empty, one right to left; tests/fixtures/hugo-filenames: two languages by file
// name, site shortcodes mapped in book.toml) and, when ../shared is there, the real
// eleven-language webrtc book: whole-site builds, links in every Hugo form, Hugo's syntax.
#include "support/support.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <regex>
#include <set>
#include <tinyxml2.h>
#include <unistd.h>

using namespace testing_support;

namespace {

struct Built {
    fs::path out;
    RunResult run;
};

Built build_site(const fs::path& site, const std::string& name, const std::string& extra = "") {
    Built b;
    b.out = fs::path(IMPRENTA_TEST_TMP) / (name + "-" + std::to_string(::getpid()));
    fs::remove_all(b.out);
    b.run = run("SOURCE_DATE_EPOCH=1700000000 " + quote(IMPRENTA_BIN) + " build " +
                quote(site.string()) + " --no-cache -o " + quote(b.out.string()) + " " + extra);
    return b;
}

const Built& folders() {
    static Built b = build_site(fs::path(source_dir()) / "tests/fixtures/hugo-folders", "hfold");
    return b;
}
const Built& filenames() {
    static Built b = build_site(fs::path(source_dir()) / "tests/fixtures/hugo-filenames", "hname");
    return b;
}

std::string chapters_xhtml(const fs::path& epub) {
    std::string s;
    for (const auto& e : read_zip(epub))
        if (e.name.starts_with("EPUB/text/") && e.name.ends_with(".xhtml")) s += e.data;
    return s;
}

// The toc's link texts, in order.
std::vector<std::string> nav_titles(const fs::path& epub) {
    std::vector<std::string> out;
    auto entries = read_zip(epub);
    const ZipEntry* nav = find_entry(entries, "EPUB/nav.xhtml");
    if (!nav) return out;
    std::string toc = nav->data.substr(0, nav->data.find("epub:type=\"landmarks\""));
    std::regex a("<a href=\"text/[^\"#]*\">([^<]*)</a>"); // pages, not their sections
    for (std::sregex_iterator it(toc.begin(), toc.end(), a), end; it != end; ++it)
        if ((*it)[1] != "Title page") out.push_back((*it)[1]);
    return out;
}

// The PDF outline's entries, every level.
std::string outline_json(const fs::path& pdf) {
    return run("qpdf --json --json-key=outlines " + quote(pdf.string())).out;
}

// Every link between chapters points at a file of the EPUB and, with a fragment, an id in it.
void expect_links_resolve(const fs::path& epub) {
    auto entries = read_zip(epub);
    std::regex href("<a href=\"([^\"#:]*)(#([^\"]*))?\"");
    int internal = 0;
    for (const auto& e : entries) {
        if (!e.name.starts_with("EPUB/text/")) continue;
        for (std::sregex_iterator it(e.data.begin(), e.data.end(), href), end; it != end; ++it) {
            std::string file = (*it)[1];
            std::string frag = (*it)[3];
            const ZipEntry* target = file.empty() ? &e : find_entry(entries, "EPUB/text/" + file);
            ASSERT_TRUE(target) << e.name << " links to a missing file " << file;
            if (!frag.empty()) {
                EXPECT_NE(target->data.find("id=\"" + frag + "\""), std::string::npos)
                    << e.name << " links to a missing anchor " << file << "#" << frag;
            }
            ++internal;
        }
    }
    EXPECT_GT(internal, 0);
}

// The pages of a PDF's text (pdftotext separates them with form feeds); 1-based page of `needle`.
int page_of(const std::string& text, const std::string& needle) {
    auto at = text.find(needle);
    if (at == std::string::npos) return 0;
    return 1 + int(std::count(text.begin(), text.begin() + long(at), '\f'));
}

// Page `page` rendered at `dpi` (pdftoppm, PPM): how many pixels are within 12 of `rgb`.
size_t pixels_of(const fs::path& pdf, int page, unsigned rgb, fs::path* png_out = nullptr) {
    fs::path base = pdf.parent_path() / ("page" + std::to_string(page));
    std::string p = std::to_string(page);
    run("pdftoppm -r 60 -f " + p + " -l " + p + " -singlefile " + quote(pdf.string()) + " " +
        quote(base.string()));
    if (png_out) *png_out = base;
    std::string ppm = slurp(fs::path(base.string() + ".ppm"));
    // "P6\nW H\n255\n" then RGB triples.
    size_t header = 0;
    for (int fields = 0; fields < 4 && header < ppm.size(); ++header)
        if (std::isspace((unsigned char)ppm[header]) &&
            (header == 0 || !std::isspace((unsigned char)ppm[header - 1])))
            ++fields;
    size_t n = 0;
    int r = int(rgb >> 16), g = int((rgb >> 8) & 255), b = int(rgb & 255);
    for (size_t i = header; i + 2 < ppm.size(); i += 3)
        n += std::abs((unsigned char)ppm[i] - r) <= 12 &&
             std::abs((unsigned char)ppm[i + 1] - g) <= 12 &&
             std::abs((unsigned char)ppm[i + 2] - b) <= 12;
    return n;
}

} // namespace

TEST(HugoSites, EveryLanguageWithChaptersIsBuiltAndTheEmptyOneIsAWarning) {
    const auto& b = folders();
    ASSERT_EQ(b.run.exit_code, 0) << b.run.err;
    EXPECT_TRUE(fs::exists(b.out / "notes-on-tides-en.epub"));
    EXPECT_TRUE(fs::exists(b.out / "notes-on-tides-he.epub"));
    EXPECT_FALSE(fs::exists(b.out / "notes-on-tides-fr.epub"));
    EXPECT_NE(b.run.err.find("language 'fr' has no chapters in content.fr"), std::string::npos)
        << b.run.err;
    EXPECT_EQ(b.run.err.find("missing essay"), std::string::npos) << b.run.err;
    EXPECT_EQ(b.run.err.find("image not found"), std::string::npos) << b.run.err;
    EXPECT_NE(b.run.err.find("3 page(s) outside the book section"), std::string::npos);
}

TEST(HugoSites, HugosContentModelDecidesWhatIsAPage) {
    auto titles = nav_titles(folders().out / "notes-on-tides-en.epub");
    std::vector<std::string> expected{"The Moon\u2019s Pull", "Currents",   "Marées",
                                      "Field Guide",          "Shortcodes", "Experimental",
                                      "Storm Surge",          "Tide gauges"};
    EXPECT_EQ(titles, expected); // no draft, future, build.list never, headless, bundle resource
    std::string text = chapters_xhtml(folders().out / "notes-on-tides-en.epub");
    for (const char* left_out : {"Unfinished draft", "almanac", "Unlisted", "Headless",
                                 "resource of the bundle", "Posts are not", "landing page"})
        EXPECT_EQ(text.find(left_out), std::string::npos) << left_out;
    // hugo -D -F: the draft and the future page come back.
    auto all = build_site(fs::path(source_dir()) / "tests/fixtures/hugo-folders", "hfold-df",
                          "-D -F --lang en --format epub");
    ASSERT_EQ(all.run.exit_code, 0) << all.run.err;
    std::string more = chapters_xhtml(all.out / "notes-on-tides-en.epub");
    EXPECT_NE(more.find("Unfinished draft"), std::string::npos);
    EXPECT_NE(more.find("almanac"), std::string::npos);
}

TEST(HugoSites, EachEditionHoldsOnlyItsLanguage) {
    std::string en = chapters_xhtml(folders().out / "notes-on-tides-en.epub");
    std::string he = chapters_xhtml(folders().out / "notes-on-tides-he.epub");
    EXPECT_NE(en.find("Tides rise twice a day"), std::string::npos);
    EXPECT_EQ(en.find("הירח"), std::string::npos);
    EXPECT_NE(he.find("הירח"), std::string::npos);
    EXPECT_EQ(he.find("Tides rise"), std::string::npos);
    std::string pl = chapters_xhtml(filenames().out / "systemy-operacyjne-pl.epub");
    std::string en2 = chapters_xhtml(filenames().out / "systemy-operacyjne-en.epub");
    ASSERT_EQ(filenames().run.exit_code, 0) << filenames().run.err;
    EXPECT_NE(pl.find("Proces potomny"), std::string::npos);
    EXPECT_NE(pl.find("Strona bez przyrostka"), std::string::npos); // no suffix: default language
    EXPECT_EQ(pl.find("The child gets zero"), std::string::npos);
    EXPECT_NE(en2.find("The child gets zero"), std::string::npos);
    EXPECT_EQ(en2.find("Wprowadzenie"), std::string::npos);
    EXPECT_EQ(en2.find("Strona"), std::string::npos);
    auto titles = nav_titles(filenames().out / "systemy-operacyjne-en.epub");
    EXPECT_EQ(titles, (std::vector<std::string>{"Processes", "Lab 1", "First example"}));
}

TEST(HugoSites, EverySitePathLinkIsAWorkingLinkInBothOutputs) {
    EXPECT_EQ(filenames().run.err.find("missing essay"), std::string::npos) << filenames().run.err;
    for (const auto& [built, name] : std::vector<std::pair<const Built*, std::string>>{
             {&folders(), "notes-on-tides-en"},
             {&folders(), "notes-on-tides-he"},
             {&filenames(), "systemy-operacyjne-pl"},
             {&filenames(), "systemy-operacyjne-en"}}) {
        SCOPED_TRACE(name);
        expect_links_resolve(built->out / (name + ".epub"));
    }
    // The moon page's eleven links all go somewhere in the PDF too: link annotations with a
    // destination inside the document.
    auto r = run("qpdf --qdf --object-streams=disable " +
                 quote((folders().out / "notes-on-tides-en.pdf").string()) + " -");
    size_t internal = 0;
    for (size_t p = 0; (p = r.out.find("/Subtype /Link", p)) != std::string::npos; ++p)
        ++internal;
    EXPECT_GE(internal, 11u);
}

TEST(HugoSites, HugoSyntaxBecomesBookTextNeverSyntax) {
    for (const auto& [built, name] : std::vector<std::pair<const Built*, std::string>>{
             {&folders(), "notes-on-tides-en"}, {&filenames(), "systemy-operacyjne-pl"}}) {
        SCOPED_TRACE(name);
        std::string x = xml_text(chapters_xhtml(built->out / (name + ".epub")));
        std::string p = pdftotext(built->out / (name + ".pdf"));
        for (const std::string& text : {x, p}) {
            EXPECT_EQ(text.find("{{</*"), std::string::npos);
            EXPECT_EQ(text.find("*/>}}"), std::string::npos);
            EXPECT_EQ(text.find("[!NOTE]"), std::string::npos);
            EXPECT_EQ(text.find("[!TIP]"), std::string::npos);
        }
    }
    std::string x = chapters_xhtml(folders().out / "notes-on-tides-en.epub");
    EXPECT_NE(x.find("Write {{&lt; tabs"), std::string::npos); // as Hugo prints the escape
    EXPECT_NE(x.find("{{&lt; katex display &gt;}}\nh(t) = A \\cos(\\omega t) &gt;}} still"),
              std::string::npos);
    EXPECT_NE(x.find("{{% hint warning %}}"), std::string::npos);
    // Math intact: inline in its table row, display as a block; mermaid as code.
    EXPECT_NE(x.find("<td><code>h_0 + A\\cos(\\omega t)</code></td>"), std::string::npos);
    EXPECT_NE(x.find("<td>12 h 25 min</td>"), std::string::npos);
    EXPECT_NE(x.find("language-math\">T = \\frac{2\\pi}{\\omega}</code>"), std::string::npos);
    EXPECT_NE(x.find("language-mermaid"), std::string::npos);
    // Alerts: five kinds, each with its own class and title; the hint's own kinds too.
    for (const char* kind : {"note", "tip", "important", "warning", "caution", "success"})
        EXPECT_NE(x.find(std::string("<aside class=\"hint ") + kind + "\""), std::string::npos)
            << kind;
    // Videos: a titled note with the link, never an empty heading.
    EXPECT_NE(x.find("Video: Tides in one minute</p><p><a "
                     "href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\">"),
              std::string::npos);
    EXPECT_NE(x.find("href=\"https://vimeo.com/76979871\""), std::string::npos);
    // Image size and alignment classes.
    EXPECT_NE(x.find("<div class=\"division img-medium img-center\"><p><img "), std::string::npos);
    EXPECT_NE(x.find("<div class=\"division img-small\"><p><img "), std::string::npos);
    // The title is shown once, though the body has its own H1 after the alert.
    auto first = x.find(">Shortcodes</h1>");
    ASSERT_NE(first, std::string::npos);
    EXPECT_EQ(x.find(">Shortcodes</h1>", first + 1), std::string::npos);
}

// Hugo prints an escaped shortcode as written (straight quotes, no Markdown), and with goldmark's
// passthrough enabled keeps $…$, \(…\), $$…$$ and \[…\] math as TeX, never as Markdown.
TEST(HugoSites, EscapedShortcodesAndPassthroughMathKeptAsWritten) {
    std::string x = chapters_xhtml(folders().out / "notes-on-tides-en.epub");
    EXPECT_NE(x.find("Write {{&lt; tabs \"tides\" &gt;}} to open tabs"), std::string::npos);
    EXPECT_EQ(x.find("tabs \u201ctides"), std::string::npos);
    // Inline math: a code span of the TeX ("h_0" is no emphasis); quotes around it still curly.
    EXPECT_NE(x.find("height is <code>h(t) = h_0 + A\\cos(\\omega t)</code>, where "
                     "\u201c<code>A</code>\u201d is"),
              std::string::npos);
    EXPECT_NE(x.find("and <code>\\omega</code> the angular"), std::string::npos);
    EXPECT_NE(x.find("a fee of $5 stays money"), std::string::npos); // \$ is a dollar
    EXPECT_NE(x.find("<code>$x$</code> in code"), std::string::npos);
    // Display math: blocks of TeX.
    EXPECT_NE(x.find("<pre><code class=\"language-math\">\\omega_{M_2} = "
                     "\\frac{2\\pi}{T_{M_2}}</code></pre>"),
              std::string::npos);
    EXPECT_NE(x.find("<pre><code class=\"language-math\">T_{S_2} = 12\\,\\mathrm{h}</code></pre>"),
              std::string::npos);
    // The PDF shows the same TeX, and straight quotes in the escaped shortcode.
    std::string p = pdftotext(folders().out / "notes-on-tides-en.pdf");
    EXPECT_NE(p.find("{{< tabs \"tides\" >}}"), std::string::npos);
    EXPECT_NE(p.find("\\omega_{M_2} = \\frac{2\\pi}{T_{M_2}}"), std::string::npos);
    // Without passthrough in the site's configuration, dollars are text (the filenames site).
    std::string pl = chapters_xhtml(filenames().out / "systemy-operacyjne-pl.epub");
    EXPECT_NE(pl.find("W powłoce $HOME to katalog domowy, a $PPID to"), std::string::npos);
}

// The Hebrew translation links with the English anchors (#slack-water): they land on the Hebrew
// heading in the same place. Dead anchors: one by one when few (English), one warning with the
// count when many (Hebrew). A link to another language's page goes to that edition on the web.
TEST(HugoSites, TranslatedAnchorsDeadAnchorsAndOtherEditions) {
    auto he = read_zip(folders().out / "notes-on-tides-he.epub");
    const ZipEntry* currents = find_entry(he, "EPUB/text/currents.xhtml");
    const ZipEntry* moon = find_entry(he, "EPUB/text/moon.xhtml");
    ASSERT_TRUE(currents && moon);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(currents->data, m, std::regex("<h3 id=\"([^\"]+)\">מים עומדים")));
    EXPECT_NE(moon->data.find("href=\"currents.xhtml#" + m[1].str() + "\">מים עומדים"),
              std::string::npos);
    ASSERT_TRUE(std::regex_search(currents->data, m, std::regex("<h2 id=\"([^\"]+)\">זרמי סחף")));
    EXPECT_NE(moon->data.find("href=\"currents.xhtml#" + m[1].str() + "\">זרמי סחף"),
              std::string::npos);
    const std::string& err = folders().run.err;
    EXPECT_NE(err.find("content/docs/currents.md:14: warning: link to a missing anchor: #slack"),
              std::string::npos)
        << err;
    EXPECT_NE(err.find("content.he/docs/currents.md:13: warning: 4 links to missing anchors in "
                       "this edition"),
              std::string::npos)
        << err;
    EXPECT_EQ(err.find("slack-water"), std::string::npos) << err; // resolved, not reported
    EXPECT_EQ(err.find("#undertow"), std::string::npos) << err;   // summarised: first three only
    // Other editions: an external link to the page on the site, in the EPUB and the PDF.
    std::string en = chapters_xhtml(folders().out / "notes-on-tides-en.epub");
    EXPECT_NE(en.find("<a href=\"https://tides.example.org/he/docs/moon/\">in Hebrew</a>"),
              std::string::npos);
    std::string pl = chapters_xhtml(filenames().out / "systemy-operacyjne-pl.epub");
    EXPECT_NE(pl.find("<a href=\"https://kurs.example.org/en/docs/lab/l1/example1/\">po "
                      "angielsku</a>"),
              std::string::npos);
    auto q = run("qpdf --qdf --object-streams=disable " +
                 quote((folders().out / "notes-on-tides-en.pdf").string()) + " -");
    EXPECT_NE(q.out.find("/URI (https://tides.example.org/he/docs/moon/)"), std::string::npos);
}

// Boxes in the PDF as in the EPUB: a hint split by a page break has its tint and rule on both
// pages; details and cards are framed; a video's link has a QR code that reads back as the link;
// hugo-book's image size classes set the image's width.
TEST(HugoSites, PdfBoxesQrCodesAndImageSizes) {
    fs::path pdf = folders().out / "notes-on-tides-en.pdf";
    std::string text = pdftotext(pdf);
    int first = page_of(text, "Step 1:"), last = page_of(text, "Step 14:");
    ASSERT_GT(first, 0);
    ASSERT_GT(last, first) << "the long warning should cross a page break";
    // The warning's rule colour (#d9a300) down the box on both pages; none on the page after.
    EXPECT_GT(pixels_of(pdf, first, 0xd9a300), 20u);
    EXPECT_GT(pixels_of(pdf, last, 0xd9a300), 20u);
    int card = page_of(text, "A gauge is read against chart datum");
    ASSERT_GT(card, 0);
    EXPECT_GT(pixels_of(pdf, card, 0xb8b8b8), 100u); // the card's and details' grey frames
    int before = page_of(text, "Two sizes of the same gauge");
    EXPECT_LT(pixels_of(pdf, before - 1, 0xb8b8b8), 5u) << "no frame on the page before";
    // The video's QR code.
    int video = page_of(text, "Video: Tides in one minute");
    ASSERT_GT(video, 0);
    if (have_tool("zbarimg")) {
        fs::path base;
        pixels_of(pdf, video, 0, &base);
        std::string p = std::to_string(video);
        run("pdftoppm -r 200 -png -f " + p + " -l " + p + " -singlefile " + quote(pdf.string()) +
            " " + quote(base.string()));
        auto r = run("zbarimg -q --raw " + quote(base.string() + ".png"));
        EXPECT_NE(r.out.find("https://www.youtube.com/watch?v=dQw4w9WgXcQ"), std::string::npos)
            << r.out << r.err;
        EXPECT_NE(r.out.find("https://vimeo.com/76979871"), std::string::npos) << r.out;
    }
    // img-medium (half the measure) and width="150" (img-small, a third): 0.5 / 0.33.
    auto q = run("qpdf --qdf --object-streams=disable " + quote(pdf.string()) + " -");
    std::regex cm("\\n([0-9.]+) 0 0 ([0-9.]+) [0-9.]+ [0-9.]+ cm\\n/[A-Za-z0-9]+ Do");
    std::vector<double> widths;
    for (std::sregex_iterator it(q.out.begin(), q.out.end(), cm), end; it != end; ++it)
        widths.push_back(std::stod((*it)[1]));
    bool pair = false;
    for (double a : widths)
        for (double b : widths)
            pair |= b > 40 && std::abs(a / b - 0.5 / 0.33) < 0.03;
    EXPECT_TRUE(pair) << "image widths: " << ::testing::PrintToString(widths);
}

TEST(HugoSites, SiteShortcodesMappedInBookToml) {
    std::string pl = chapters_xhtml(filenames().out / "systemy-operacyjne-pl.epub");
    EXPECT_NE(pl.find("<code class=\"language-c\">#include &lt;unistd.h&gt;"), std::string::npos);
    EXPECT_NE(pl.find("<div class=\"details\"><p>Proces potomny dostaje zero.</p></div>"),
              std::string::npos);
    EXPECT_NE(pl.find("Video: Wykład o procesach"), std::string::npos);
    EXPECT_EQ(filenames().run.err.find("unknown shortcode"), std::string::npos);
}

TEST(HugoSites, NavTitlesEqualOutlineAndContentsTitles) {
    for (const auto& [built, name] : std::vector<std::pair<const Built*, std::string>>{
             {&folders(), "notes-on-tides-en"}, {&filenames(), "systemy-operacyjne-en"}}) {
        SCOPED_TRACE(name);
        auto nav = nav_titles(built->out / (name + ".epub"));
        std::string outline = outline_json(built->out / (name + ".pdf"));
        ASSERT_FALSE(nav.empty());
        for (const auto& t : nav)
            EXPECT_NE(outline.find("\"title\": \"" + t + "\""), std::string::npos) << t;
        std::string contents = pdftotext(built->out / (name + ".pdf"), "-f 1 -l 4");
        for (const auto& t : nav)
            EXPECT_NE(contents.find(t + " . ."), std::string::npos) << t;
    }
}

TEST(HugoSites, EveryEpubPassesEpubcheck) {
    if (!have_tool("epubcheck")) GTEST_SKIP() << "epubcheck not installed";
    for (const auto& p :
         {folders().out / "notes-on-tides-en.epub", folders().out / "notes-on-tides-he.epub",
          filenames().out / "systemy-operacyjne-pl.epub",
          filenames().out / "systemy-operacyjne-en.epub"}) {
        auto r = epubcheck(p);
        EXPECT_EQ(r.errors, 0) << p << "\n" << r.output;
        EXPECT_EQ(r.warnings, 0) << p << "\n" << r.output;
    }
}

// The real eleven-language hugo-book site: every edition, no link reported missing, every
// image the site holds found.
TEST(HugoSites, WebrtcBuildsWholeWithEveryLinkAndImage) {
    if (!have_shared() || !fs::exists(fs::path(shared_dir()) / "webrtc/config.toml"))
        GTEST_SKIP() << "../shared/webrtc is not here";
    auto b = build_site(fs::path(shared_dir()) / "webrtc", "webrtc", "--format epub");
    ASSERT_EQ(b.run.exit_code, 0) << b.run.err;
    size_t epubs = 0;
    for (const auto& e : fs::directory_iterator(b.out))
        epubs += e.path().extension() == ".epub";
    EXPECT_EQ(epubs, 11u);
    EXPECT_EQ(b.run.err.find("missing essay"), std::string::npos) << b.run.err;
    EXPECT_EQ(b.run.err.find("image not found"), std::string::npos) << b.run.err;
    // Translations' English anchors land on their own headings (160 anchor warnings before;
    // the rest, dead on the site too, at most one line per edition past three).
    size_t anchor_lines = 0;
    for (size_t p = 0; (p = b.run.err.find("missing anchor", p)) != std::string::npos; ++p)
        ++anchor_lines;
    EXPECT_LE(anchor_lines, 20u) << b.run.err;
    std::string es = chapters_xhtml(b.out / "webrtc-para-los-curiosos-es.epub");
    EXPECT_NE(
        es.find("href=\"c06-media-communication.xhtml#correccion-de-errores-hacia-adelante\""),
        std::string::npos);
    if (!have_tool("epubcheck")) return;
    // The right-to-left edition, and the English one with its chrome:// links.
    for (const char* name : {"webrtc-fa.epub", "webrtc-for-the-curious-en.epub"}) {
        auto r = epubcheck(b.out / name);
        EXPECT_EQ(r.errors, 0) << name << "\n" << r.output;
        EXPECT_EQ(r.warnings, 0) << name << "\n" << r.output;
    }
}

TEST(HugoSites, RightToLeftEditionIsMarkedSoInTheEpub) {
    auto he = read_zip(folders().out / "notes-on-tides-he.epub");
    const ZipEntry* opf = find_entry(he, "EPUB/content.opf");
    ASSERT_TRUE(opf);
    EXPECT_NE(opf->data.find("page-progression-direction=\"rtl\""), std::string::npos);
    const ZipEntry* moon = find_entry(he, "EPUB/text/moon.xhtml");
    ASSERT_TRUE(moon);
    EXPECT_NE(moon->data.find("xml:lang=\"he\" lang=\"he\""), std::string::npos);
    EXPECT_NE(moon->data.find("class=\"chapter\" dir=\"rtl\""), std::string::npos);
    auto en = read_zip(folders().out / "notes-on-tides-en.epub");
    EXPECT_EQ(find_entry(en, "EPUB/content.opf")->data.find("page-progression-direction"),
              std::string::npos);
    EXPECT_EQ(find_entry(en, "EPUB/text/moon.xhtml")->data.find("dir=\"rtl\""), std::string::npos);
}
