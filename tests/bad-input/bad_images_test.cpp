// Hostile images: truncated, corrupt, lying about their size, escaping the book, remote. The book
// still builds (exit 0) with a warning naming the essay line or the image file, never crashes,
// never allocates what a header claims, and never ships what it could not check.
#include "bad_input.h"

#include <gtest/gtest.h>

using namespace testing_support;
using namespace bad_input;

namespace {

// Bytes of a tiny but complete file of each kind, made with the tools the suite already needs.
std::string good_png() {
    return make_png(16, 12, 0x2060a0);
}

std::string tool_output(const std::string& command) {
    auto r = run(command);
    EXPECT_EQ(r.exit_code, 0) << command << "\n" << r.err;
    return r.out;
}

// An image of the book: under EPUB/images/, and not the cover drawn for a book without one.
bool image_entry(const std::string& name) {
    return name.find("EPUB/images/") == 0 && name != "EPUB/images/cover.png";
}

} // namespace

TEST(BadInputImages, TruncatedPngBanner) {
    auto b = make_book("book");
    std::string png = good_png();
    write(b.root / "content" / "banner.png", png.substr(0, png.size() / 2));
    write_essay(b, "x.md", "---\ntitle: Banner\nimage: banner.png\n---\n\nText after a banner.\n");
    auto r = expect_builds_with(b, {"content/banner.png", "truncated"});
    for (const auto& e : read_zip(b.out / "hostile.epub"))
        EXPECT_FALSE(image_entry(e.name)) << e.name;
    EXPECT_NE(pdftotext(b.out / "hostile.pdf").find("Text after a banner"), std::string::npos);
}

TEST(BadInputImages, CorruptJpegTruncatedWebpGarbageSvg) {
    auto b = make_book("book");
    auto dir = b.root / "content";
    write(dir / "bad.jpg",
          std::string("\xff\xd8\xff\xe0\x00\x10JFIF\x00", 11) + std::string(300, '\x37'));
    std::string webp = std::string("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00", 20) +
                       std::string("\x30\x01\x00\x9d\x01\x2a", 6);
    write(dir / "cut.webp", webp);
    write(dir / "junk.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><g><rect</svg>" +
                                std::string("\x00\x01\x02", 3) + " garbage");
    write(dir / "empty.png", "");
    write(dir / "text.png", "this is not an image\n");
    write(dir / "cut.gif", std::string("GIF89a\x0a\x00\x0a\x00\x80\x00\x00", 13));
    write_essay(b, "x.md",
                "# Images\n\n![jpeg](bad.jpg)\n\n![webp](cut.webp)\n\n![svg](junk.svg)\n\n"
                "![empty](empty.png) ![text](text.png)\n\n<img src=\"cut.gif\" alt=\"gif\">\n");
    auto r = expect_builds_with(b, {"content/x.md:3:", "bad.jpg", "content/x.md:5:", "cut.webp",
                                    "content/x.md:7:", "junk.svg", "content/x.md:9:", "empty.png",
                                    "text.png", "content/x.md:11:", "cut.gif"});
    auto epub = b.out / "hostile.epub";
    for (const auto& e : read_zip(epub))
        EXPECT_FALSE(image_entry(e.name)) << e.name;
}

TEST(BadInputImages, UnsafeSvgIsNotShipped) {
    auto b = make_book("book");
    write(b.root / "content" / "evil.svg",
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\" "
          "onload=\"alert(1)\"><script>alert(2)</script><image "
          "href=\"https://evil.example/x.png\"/></svg>");
    write_essay(b, "x.md", "# Svg\n\n![evil](evil.svg)\n");
    auto r = expect_builds_with(b, {"evil.svg"});
    for (const auto& e : read_zip(b.out / "hostile.epub"))
        EXPECT_EQ(e.data.find("alert("), std::string::npos) << e.name;
}

// 100000×100000 declared in the header: rejected from the header alone. Under a 4 GB address
// space limit a decoder that trusted the header would fail to allocate (or be killed).
TEST(BadInputImages, DecompressionBombIsRejectedWithoutAllocating) {
    auto b = make_book("book");
    auto dir = b.root / "content";
    write(dir / "bomb.png", png_with_header(100000, 100000, std::string(64, '\0')));
    // Within the pixel budget but with far too little data: decoding must fail cleanly.
    write(dir / "short.png", png_with_header(7000, 7000, std::string("\x78\x01", 2)));
    // Huge in one dimension only.
    write(dir / "thin.png", png_with_header(1, 0x7fffffff, std::string(8, '\0')));
    write_essay(b, "x.md",
                "---\ntitle: Bombs\nimage: bomb.png\n---\n\n![bomb](bomb.png)\n\n"
                "![short](short.png)\n\n![thin](thin.png)\n");
    std::string prefix = kSanitized ? "" : "ulimit -v 4000000; ";
    auto r = build(b, "", prefix);
    expect_no_crash(r);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    for (const char* part : {"content/x.md:3:", "content/x.md:6:", "bomb.png", "100000",
                             "short.png", "content/x.md:10:", "thin.png"})
        EXPECT_NE(r.err.find(part), std::string::npos) << part << "\n" << r.err;
    EXPECT_EQ(r.err.find("out of memory"), std::string::npos) << r.err;
    expect_only(b.out, {"hostile.epub", "hostile.pdf", ".imprenta-manifest"});
    for (const auto& e : read_zip(b.out / "hostile.epub"))
        EXPECT_FALSE(image_entry(e.name)) << e.name;
}

TEST(BadInputImages, PathsEscapingTheBook) {
    auto b = make_book("book");
    fs::path outside = b.root.parent_path() / "outside.png";
    write(outside, good_png());
    std::string deep = "../../../../../../../../../../../..";
    write(b.root / "book.toml",
          "title = \"Hostile\"\nslug = \"hostile\"\ncover = \"../outside.png\"\n");
    write_essay(b, "x.md",
                "# Escape\n\n![up](../../outside.png)\n\n![passwd](" + deep +
                    "/etc/passwd)\n\n![abs](/etc/hostname)\n\n<img src=\"" + deep +
                    "/etc/hostname\" alt=\"h\">\n\n![enc](..%2F..%2Foutside.png)\n\n"
                    "![file](file:///etc/passwd)\n");
    auto r = expect_builds_with(
        b, {"content/x.md:3:", "outside", "content/x.md:5:", "etc/passwd",
            "content/x.md:7:", "content/x.md:9:", "content/x.md:11:", "book.toml"});
    std::string hostname = slurp("/etc/hostname");
    for (const auto& e : read_zip(b.out / "hostile.epub")) {
        EXPECT_FALSE(image_entry(e.name)) << e.name;
        EXPECT_EQ(e.data.find("root:x:0:0"), std::string::npos) << e.name;
        if (e.name.ends_with(".xhtml") && hostname.size() > 4) {
            EXPECT_EQ(e.data.find(hostname), std::string::npos) << e.name;
        }
    }
}

TEST(BadInputImages, RemoteImagesAreNotFetched) {
    auto b = make_book("book");
    write_essay(b, "x.md",
                "---\ntitle: Remote\nimage: https://example.com/banner.png\n---\n\n"
                "![remote](https://example.com/r.png)\n\n<img src=\"http://example.com/h.png\" "
                "alt=\"html\">\n\n![proto](//cdn.example.com/p.png)\n");
    auto r = expect_builds_with(b, {"content/x.md:3:", "content/x.md:6:", "not fetched",
                                    "content/x.md:8:", "content/x.md:10:"});
    auto epub = b.out / "hostile.epub";
    for (const auto& [name, xhtml] : xhtml_files(epub))
        if (name != "EPUB/text/cover.xhtml") { // the drawn cover's page
            EXPECT_EQ(xhtml.find("<img"), std::string::npos) << name << ": a remote <img> remained";
        }
    auto entries = read_zip(epub);
    const auto* opf = find_entry(entries, "EPUB/content.opf");
    ASSERT_TRUE(opf);
    EXPECT_EQ(opf->data.find("remote-resources"), std::string::npos);
    // Each remote image becomes a link to it; a protocol-relative one to its https: form.
    std::string xhtml;
    for (const auto& [name, x] : xhtml_files(epub))
        if (name.ends_with("/x.xhtml")) xhtml = x;
    EXPECT_NE(xhtml.find("href=\"https://example.com/r.png\""), std::string::npos) << xhtml;
    EXPECT_NE(xhtml.find("href=\"https://cdn.example.com/p.png\""), std::string::npos) << xhtml;
    EXPECT_EQ(r.err.find("does not lead to a chapter"), std::string::npos) << r.err;
    expect_epubcheck_clean(epub);
}

TEST(BadInputImages, GoodImagesStillWorkBesideBadOnes) {
    auto b = make_book("book");
    auto dir = b.root / "content";
    write(dir / "good.png", good_png());
    if (have_tool("cjpeg")) {
        std::string ppm = "P6\n8 8\n255\n" + std::string(8 * 8 * 3, '\x80');
        write(dir / "img.ppm", ppm);
        write(dir / "good.jpg",
              tool_output("cjpeg -quality 80 " + quote((dir / "img.ppm").string())));
        fs::remove(dir / "img.ppm");
    }
    std::string png = good_png();
    write(dir / "cut.png", png.substr(0, png.size() - 20));
    write_essay(b, "x.md",
                "# Mixed\n\n![good](good.png)\n\n![cut](cut.png)\n\n" +
                    std::string(fs::exists(dir / "good.jpg") ? "![jpg](good.jpg)\n" : ""));
    auto r = expect_builds_with(b, {"cut.png"});
    int images = 0;
    for (const auto& e : read_zip(b.out / "hostile.epub"))
        images += image_entry(e.name);
    EXPECT_EQ(images, fs::exists(dir / "good.jpg") ? 2 : 1);
}

// SVGs that tinyxml2 accepts but XML does not (found by fuzz_image; reproducers in
// tests/fuzz/regressions/fuzz_image/): each must be repaired or left out with a warning, never
// shipped as it is (epubcheck: RSC-016 fatal).
TEST(BadInputImages, SvgThatIsNotWellFormedXmlIsNotShipped) {
    auto b = make_book("book");
    auto dir = b.root / "content";
    const char* tail = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">";
    size_t tail_end = std::string_view(tail).size() - 1; // before the '>'

    write(dir / "decl.svg", std::string("<?xml foo=\"1\" <b>x</b> version=\"1.0\"?>\n") + tail +
                                "<rect width=\"5\" height=\"5\"/></svg>");
    write(dir / "comment.svg",
          std::string(tail) + "<!-- a -- b --><rect width=\"5\" height=\"5\"/></svg>");
    write(dir / "version.svg", "<?xml version=\"1.#0\"?>\n" + std::string(tail) +
                                   "<rect width=\"5\" height=\"5\"/></svg>");
    write(dir / "xml11.svg", "<?xml version=\"1.1\"?>\n" + std::string(tail) +
                                 "<rect width=\"5\" height=\"5\"/></svg>");
    write(dir / "entity.svg", std::string(tail) + "<text>a&nbsp;b</text></svg>");
    write(dir / "control.svg", std::string(tail) + "<text>a\x01"
                                                   "b</text></svg>");
    write(dir / "lt.svg", std::string(tail).insert(tail_end, " title=\"a<b\"") +
                              "<rect width=\"5\" height=\"5\"/></svg>");
    write(dir / "after.svg", std::string(tail) + "</svg><script>alert(1)</script>");
    write(dir / "good.svg", std::string(tail) + "<rect width=\"5\" height=\"5\"/></svg>");
    write_essay(b, "x.md",
                "# Svg\n\n![decl](decl.svg)\n\n![comment](comment.svg)\n\n![entity](entity.svg)"
                "\n\n![control](control.svg)\n\n![good](good.svg)\n\n![v](version.svg) "
                "![v11](xml11.svg) ![lt](lt.svg) ![after](after.svg)\n");
    expect_builds_with(b, {}, "--format epub");
    auto epub = b.out / "hostile.epub";
    bool good_shipped = false;
    for (const auto& e : read_zip(epub))
        good_shipped |= e.name.ends_with("good.svg");
    EXPECT_TRUE(good_shipped);
    for (const auto& e : read_zip(epub))
        EXPECT_EQ(e.data.find("alert("), std::string::npos) << e.name;
    expect_epubcheck_clean(epub);
}
