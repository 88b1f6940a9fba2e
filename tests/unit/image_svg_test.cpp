// SVG rasterisation for the PDF (librsvg + cairo): sizes, colours and straight alpha, the PDF
// image it becomes, refusal of hostile or malformed documents, proof that librsvg itself reaches
// no file and no socket, determinism across threads, and the sample book's banner.
#include "image/codec.h"
#include "image/image.h"
#include "image/prepare.h"
#include "image/svg_raster.h"
#include "support/support.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

using namespace imprenta::image;
using imprenta::image::detail::Bitmap;
namespace ts = testing_support;

namespace {

const std::string kNs = R"X(xmlns="http://www.w3.org/2000/svg")X";

fs::path write_fixture(const std::string& dir, const std::string& name, const std::string& bytes) {
    fs::path p = ts::fresh_dir(dir) / name;
    ts::write(p, bytes);
    return p;
}

struct Px {
    int r, g, b, a;
};

Px pixel(const Bitmap& bm, int x, int y) {
    const uint8_t* p = &bm.rgba[(size_t(y) * size_t(bm.width) + size_t(x)) * 4];
    return {p[0], p[1], p[2], p[3]};
}

void expect_px(const Bitmap& bm, int x, int y, Px want, int tol = 0) {
    ASSERT_LT(x, bm.width);
    ASSERT_LT(y, bm.height);
    Px got = pixel(bm, x, y);
    EXPECT_NEAR(got.r, want.r, tol) << "R at " << x << "," << y;
    EXPECT_NEAR(got.g, want.g, tol) << "G at " << x << "," << y;
    EXPECT_NEAR(got.b, want.b, tol) << "B at " << x << "," << y;
    EXPECT_NEAR(got.a, want.a, tol) << "A at " << x << "," << y;
}

std::string base64(const std::string& in) {
    static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        unsigned v = unsigned(uint8_t(in[i])) << 16 | unsigned(uint8_t(in[i + 1])) << 8 |
                     unsigned(uint8_t(in[i + 2]));
        out += t[v >> 18];
        out += t[(v >> 12) & 63];
        out += t[(v >> 6) & 63];
        out += t[v & 63];
    }
    if (i < in.size()) {
        unsigned v = unsigned(uint8_t(in[i])) << 16;
        if (i + 1 < in.size()) v |= unsigned(uint8_t(in[i + 1])) << 8;
        out += t[v >> 18];
        out += t[(v >> 12) & 63];
        out += i + 1 < in.size() ? t[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

// A listening socket on 127.0.0.1: any attempt to fetch from it shows up as a pending connection.
class Listener {
public:
    Listener() {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = 0;
        socklen_t len = sizeof a;
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
            ::listen(fd_, 8) != 0 || ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len))
            return;
        port_ = ntohs(a.sin_port);
    }
    ~Listener() {
        if (fd_ >= 0) ::close(fd_);
    }
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;
    int port() const { return port_; }
    bool contacted(int wait_ms) const {
        pollfd p{fd_, POLLIN, 0};
        return ::poll(&p, 1, wait_ms) > 0;
    }

private:
    int fd_ = -1;
    int port_ = 0;
};

const std::string kShapes = "<svg " + kNs +
                            R"X( width="100" height="50">)X"
                            R"X(<rect x="0" y="0" width="50" height="50" fill="#ff0000"/>)X"
                            R"X(<circle cx="75" cy="25" r="20" fill="#0000ff"/></svg>)X";

} // namespace

// ================================================================ sizes and pixels

TEST(ImageSvgRaster, ShapesAtNaturalSizeAndFitted) {
    Bitmap bm = detail::rasterize_svg(kShapes, 0, 0);
    ASSERT_EQ(bm.width, 100);
    ASSERT_EQ(bm.height, 50);
    expect_px(bm, 10, 10, {255, 0, 0, 255});
    expect_px(bm, 49, 49, {255, 0, 0, 255});
    expect_px(bm, 75, 25, {0, 0, 255, 255});
    expect_px(bm, 99, 0, {0, 0, 0, 0}); // outside the circle: transparent
    expect_px(bm, 99, 49, {0, 0, 0, 0});
    EXPECT_FALSE(bm.opaque());

    // Vector art is enlarged to the box as readily as it is reduced, keeping its aspect.
    bm = detail::rasterize_svg(kShapes, 400, 400);
    ASSERT_EQ(bm.width, 400);
    ASSERT_EQ(bm.height, 200);
    expect_px(bm, 40, 40, {255, 0, 0, 255});
    expect_px(bm, 300, 100, {0, 0, 255, 255});
    expect_px(bm, 399, 0, {0, 0, 0, 0});
    // The circle's edge is antialiased: partial coverage, straight (unpremultiplied) colour.
    bool edge = false;
    for (int x = 300 + 75; x < 300 + 85 && !edge; ++x) {
        Px p = pixel(bm, x, 100);
        if (p.a > 0 && p.a < 255) {
            edge = true;
            EXPECT_EQ(p.b, 255) << x;
            EXPECT_EQ(p.r, 0) << x;
        }
    }
    EXPECT_TRUE(edge);

    bm = detail::rasterize_svg(kShapes, 40, 1000);
    EXPECT_EQ(bm.width, 40);
    EXPECT_EQ(bm.height, 20);
    bm = detail::rasterize_svg(kShapes, 1000, 10);
    EXPECT_EQ(bm.width, 20);
    EXPECT_EQ(bm.height, 10);
}

TEST(ImageSvgRaster, ViewBoxOnlyAndPhysicalUnits) {
    std::string vb = "<svg " + kNs +
                     R"X( viewBox="0 0 300 150"><rect width="300" height="150" fill="#ffffff"/>)X"
                     R"X(<rect x="150" width="150" height="150" fill="#00ff00"/></svg>)X";
    Bitmap bm = detail::rasterize_svg(vb, 0, 0);
    ASSERT_EQ(bm.width, 300);
    ASSERT_EQ(bm.height, 150);
    bm = detail::rasterize_svg(vb, 600, 600);
    ASSERT_EQ(bm.width, 600);
    ASSERT_EQ(bm.height, 300);
    EXPECT_TRUE(bm.opaque());
    expect_px(bm, 100, 150, {255, 255, 255, 255});
    expect_px(bm, 500, 150, {0, 255, 0, 255});
    expect_px(bm, 599, 299, {0, 255, 0, 255});

    // One side plus a viewBox: the other side follows the viewBox's aspect.
    std::string half =
        "<svg " + kNs +
        R"X( width="200" viewBox="0 0 300 150"><rect width="300" height="150"/></svg>)X";
    bm = detail::rasterize_svg(half, 0, 0);
    EXPECT_EQ(bm.width, 200);
    EXPECT_EQ(bm.height, 100);

    // Inches at 96 px each; the viewBox (a different aspect) is fitted inside, centred.
    std::string inches = "<svg " + kNs +
                         R"X( width="1in" height="0.5in" viewBox="0 0 10 10">)X"
                         R"X(<rect width="10" height="10" fill="#000000"/></svg>)X";
    bm = detail::rasterize_svg(inches, 0, 0);
    ASSERT_EQ(bm.width, 96);
    ASSERT_EQ(bm.height, 48);
    expect_px(bm, 48, 24, {0, 0, 0, 255});
    expect_px(bm, 2, 24, {0, 0, 0, 0});
}

TEST(ImageSvgRaster, NoSizeAndNoViewBoxIs1200Wide) {
    std::string bare = "<svg " + kNs + R"X(><rect width="10" height="5" fill="#0000ff"/></svg>)X";
    Bitmap bm = detail::rasterize_svg(bare, 0, 0);
    ASSERT_EQ(bm.width, detail::kDefaultSvgWidth);
    ASSERT_EQ(bm.height, 600);
    EXPECT_TRUE(bm.opaque());
    expect_px(bm, 600, 300, {0, 0, 255, 255});
    bm = detail::rasterize_svg(bare, 300, 300);
    EXPECT_EQ(bm.width, 300);
    EXPECT_EQ(bm.height, 150);
    // Nothing drawn and no size: nothing to go on.
    EXPECT_THROW(detail::rasterize_svg("<svg " + kNs + "/>", 0, 0), ImageError);
}

TEST(ImageSvgRaster, TranslucentFillComesOutStraight) {
    std::string s = "<svg " + kNs +
                    R"X( width="4" height="4"><rect width="4" height="4" fill="#c08040")X"
                    R"X( fill-opacity="0.5"/></svg>)X";
    Bitmap bm = detail::rasterize_svg(s, 0, 0);
    ASSERT_EQ(bm.width, 4);
    expect_px(bm, 1, 1, {0xc0, 0x80, 0x40, 128}, 2);
}

TEST(ImageSvgRaster, PixelBudgetAndSizeLimit) {
    std::string huge =
        "<svg " + kNs + R"X( width="100000" height="100000"><rect width="10" height="10"/></svg>)X";
    EXPECT_THROW(detail::rasterize_svg(huge, 0, 0), ImageError);
    Bitmap bm = detail::rasterize_svg(huge, 500, 500); // bounded by the policy instead
    EXPECT_EQ(bm.width, 500);
    EXPECT_EQ(bm.height, 500);

    std::string big = "<svg " + kNs + R"X( width="10" height="10"><!--)X";
    big += std::string(detail::kMaxSvgBytes, 'x');
    big += "--></svg>";
    try {
        detail::rasterize_svg(big, 100, 100);
        FAIL() << "no exception";
    } catch (const ImageError& e) {
        EXPECT_NE(std::string(e.what()).find("4 MB"), std::string::npos) << e.what();
    }
    EXPECT_THROW(detail::render_svg_unchecked(big, 100, 100), ImageError);
}

TEST(ImageSvgRaster, MalformedThrows) {
    const std::string bad[] = {
        "<svg " + kNs + "><g></svg>",
        "<svg " + kNs + " width=\"10\" height=\"10\">",
        "not xml at all",
        "",
        "<html><body/></html>",
        std::string("<svg ") + kNs + ">\0</svg>",
    };
    for (const std::string& s : bad) {
        EXPECT_THROW(detail::rasterize_svg(s, 100, 100), ImageError) << s;
        EXPECT_THROW(detail::render_svg_unchecked(s, 100, 100), ImageError) << s;
    }
    fs::path p = write_fixture("image-svg-malformed", "m.svg", "<svg " + kNs + "><rect></svg>");
    EXPECT_THROW(prepare_for_pdf(p, {}), ImageError);
}

// ================================================================ safety

TEST(ImageSvgSafety, HostileSvgIsRefusedBeforeRendering) {
    Listener net;
    ASSERT_GT(net.port(), 0);
    std::string port = std::to_string(net.port());
    const std::string hostile[] = {
        "<svg " + kNs + R"X( width="10" height="10"><script>alert(1)</script></svg>)X",
        "<svg " + kNs + R"X( width="10" height="10" onload="alert(1)"/>)X",
        "<svg " + kNs + R"X( width="10" height="10"><image href="http://127.0.0.1:)X" + port +
            R"X(/x.png" width="10" height="10"/></svg>)X",
        "<svg " + kNs +
            R"X( xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">)X"
            R"X(<image xlink:href="file:///etc/passwd" width="10" height="10"/></svg>)X",
        "<svg " + kNs +
            R"X( width="10" height="10"><image href="../secret.png" width="10" height="10"/></svg>)X",
        "<svg " + kNs + R"X( width="10" height="10"><rect style="fill:url(http://127.0.0.1:)X" +
            port + R"X(/p#a)" width="10" height="10"/></svg>)X",
        "<svg " + kNs + R"X( width="10" height="10"><style>@import url(http://127.0.0.1:)X" + port +
            R"X(/s.css);</style></svg>)X",
        R"X(<?xml-stylesheet type="text/css" href="http://127.0.0.1:)X" + port + R"X(/s.css"?>)X" +
            "<svg " + kNs + R"X( width="10" height="10"/>)X",
        "<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg " + kNs +
            R"X( width="10" height="10"><text>&x;</text></svg>)X",
    };
    int n = 0;
    for (const std::string& s : hostile) {
        EXPECT_THROW(detail::rasterize_svg(s, 100, 100), ImageError) << s;
        fs::path p = write_fixture("image-svg-hostile-" + std::to_string(n++), "h.svg", s);
        try {
            prepare_for_pdf(p, {});
            ADD_FAILURE() << "accepted: " << s;
        } catch (const ImageError& e) {
            EXPECT_NE(std::string(e.what()).find("SVG"), std::string::npos) << e.what();
        }
    }
    EXPECT_FALSE(net.contacted(50));
}

// The second wall: even when the check is skipped, a handle without a base URI loads nothing
// but data: URLs (librsvg's rule 3), so no file is read and no socket is opened.
TEST(ImageSvgSafety, LibrsvgItselfReachesNoFileAndNoNetwork) {
    fs::path dir = ts::fresh_dir("image-svg-noload");
    std::string red = ts::make_png(4, 4, 0xff0000);
    ts::write(dir / "red.png", red);
    Listener net;
    ASSERT_GT(net.port(), 0);
    std::string port = std::to_string(net.port());

    auto with_image = [&](const std::string& href) {
        return "<svg " + kNs + R"X( width="20" height="20"><image href=")X" + href +
               R"X(" x="0" y="0" width="20" height="20"/></svg>)X";
    };
    // Control: the same element does draw when the PNG is inline.
    Bitmap bm =
        detail::render_svg_unchecked(with_image("data:image/png;base64," + base64(red)), 0, 0);
    expect_px(bm, 10, 10, {255, 0, 0, 255});

    const std::string refs[] = {
        "file://" + (dir / "red.png").string(),
        (dir / "red.png").string(),
        "red.png",
        "http://127.0.0.1:" + port + "/red.png",
    };
    for (const std::string& href : refs) {
        SCOPED_TRACE(href);
        bm = detail::render_svg_unchecked(with_image(href), 0, 0);
        ASSERT_EQ(bm.width, 20) << href;
        expect_px(bm, 10, 10, {0, 0, 0, 0});
    }
    // Style sheets and external DTDs are not fetched either.
    std::string css =
        R"X(<?xml-stylesheet type="text/css" href="http://127.0.0.1:)X" + port +
        R"X(/s.css"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://127.0.0.1:)X" + port +
        R"X(/svg11.dtd"><svg )X" + kNs +
        R"X( width="4" height="4"><rect width="4" height="4"/></svg>)X";
    bm = detail::render_svg_unchecked(css, 0, 0);
    expect_px(bm, 1, 1, {0, 0, 0, 255});
    EXPECT_FALSE(net.contacted(50));

    // The checked path accepts a plain external DTD declaration (common in editors' output).
    std::string dtd = R"X(<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://127.0.0.1:)X" +
                      port + R"X(/svg11.dtd"><svg )X" + kNs +
                      R"X( width="4" height="4"><rect width="4" height="4"/></svg>)X";
    EXPECT_TRUE(detail::rasterize_svg(dtd, 0, 0).opaque());
    EXPECT_FALSE(net.contacted(50));

    // The detector itself works: a real connection is seen.
    Listener probe;
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(uint16_t(probe.port()));
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_TRUE(probe.contacted(1000));
    ::close(fd);
}

// tinyxml2 lets these through; epubcheck and libxml2 (librsvg's parser) do not.
TEST(ImageSvgSafety, OnlyWellFormedXmlPasses) {
    const std::string tail = "<svg " + kNs + R"X( width="10" height="10">)X";
    const std::string good[] = {
        R"X(<?xml version="1.0" encoding="UTF-8" standalone="no"?>)X" + tail + "</svg>",
        "\xEF\xBB\xBF<?xml version='1.1'?>\n" + tail + "</svg>",
        tail + "<text>a &amp; b &lt;&#233;&#x20AC;&gt; caf\xC3\xA9</text></svg>",
        tail + "<!-- one - hyphen --><style><![CDATA[a & b --]]></style></svg>",
        "<?custom data?>" + tail + "<text>\t</text></svg>",
    };
    for (const std::string& s : good)
        EXPECT_NO_THROW(detail::sanitize_svg(s)) << s;
    const std::string bad[] = {
        "<?xml foo=\"1\" <b>x</b> version=\"1.0\"?>\n" + tail + "<rect/></svg>",
        R"X(<?xml encoding="UTF-8" version="1.0"?>)X" + tail + "</svg>",
        R"X(<?xml version="1.0" encoding="ISO-8859-1"?>)X" + tail + "</svg>",
        R"X(<?xml version="1.0"?><?xml version="1.0"?>)X" + tail + "</svg>",
        tail + "<!-- a -- b --><rect/></svg>",
        tail + "<!-- ends in a hyphen ---><rect/></svg>",
        tail + "<text>a&nbsp;b</text></svg>",
        tail + "<text>a & b</text></svg>",
        tail + "<text>&#1;</text></svg>",
        tail + "<text>a\x01b</text></svg>",
        tail + "<text>\xC3(</text></svg>",        // not UTF-8
        tail + "<text>\xEF\xBF\xBF</text></svg>", // U+FFFF
    };
    for (const std::string& s : bad) {
        EXPECT_THROW(detail::sanitize_svg(s), ImageError) << s;
        EXPECT_THROW(detail::rasterize_svg(s, 10, 10), ImageError) << s;
    }
}

// A prefix must be bound by xmlns:... on the element or an ancestor: XML readers refuse the
// document otherwise (namespace well-formedness), and tinyxml2 does not check it. Found by
// fuzz_image: <scriptHH:x> kept under an unbound prefix (tests/fuzz/regressions/fuzz_image).
TEST(ImageSvgSafety, EveryPrefixIsDeclared) {
    const std::string tail = "<svg " + kNs + R"X( width="10" height="10")X";
    const std::string good[] = {
        tail + R"X( xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape")X" +
            R"X(><g inkscape:label="Layer 1"><rect width="1" height="1"/></g></svg>)X",
        tail +
            R"X(><metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>)X" +
            "</metadata></svg>",
        tail + R"X(><a xlink:href="#r"><rect id="r" xml:space="preserve"/></a></svg>)X",
    };
    for (const std::string& s : good) {
        std::string out;
        EXPECT_NO_THROW(out = detail::sanitize_svg(s)) << s;
    }
    const std::string bad[] = {
        tail + R"X(><scriptx:circle id="x"/></svg>)X",
        tail + R"X(><g inkscape:label="Layer 1"/></svg>)X",
        tail + R"X(><g><rdf:RDF/></g><rdf:x xmlns:rdf="urn:x"/></svg>)X", // bound on a sibling only
        tail + R"X(><circle :cy="2" r="2"/></svg>)X",                     // not a QName
        tail + R"X(><circle xlink:href:x="#a" r="2"/></svg>)X",
    };
    for (const std::string& s : bad)
        EXPECT_THROW(detail::sanitize_svg(s), ImageError) << s;
}

// ================================================================ the PDF image

TEST(ImageSvgPdf, RawWithAlphaPlaneOrOpaque) {
    PdfPolicy policy;
    policy.max_width = 200;
    policy.max_height = 200;
    PdfImage img = prepare_for_pdf(write_fixture("image-svg-pdf-a", "s.svg", kShapes), policy);
    EXPECT_EQ(img.kind, PdfImage::Kind::Raw);
    ASSERT_EQ(img.width, 200);
    ASSERT_EQ(img.height, 100);
    EXPECT_EQ(img.components, 3);
    ASSERT_EQ(img.pixels.size(), 200u * 100 * 3);
    ASSERT_EQ(img.alpha.size(), 200u * 100);
    EXPECT_EQ(img.alpha[size_t(20) * 200 + 20], 255);
    EXPECT_EQ(img.alpha[199], 0);
    EXPECT_EQ(img.pixels[(size_t(20) * 200 + 20) * 3], 255);
    EXPECT_EQ(img.pixels[(size_t(20) * 200 + 20) * 3 + 2], 0);
    EXPECT_EQ(img.pixels[(size_t(50) * 200 + 150) * 3 + 2], 255); // the circle

    std::string opaque =
        "<svg " + kNs +
        R"X( width="30" height="10"><rect width="30" height="10" fill="#336699"/>)X"
        "</svg>";
    img = prepare_for_pdf(write_fixture("image-svg-pdf-o", "o.svg", opaque), policy);
    EXPECT_EQ(img.kind, PdfImage::Kind::Raw);
    EXPECT_EQ(img.width, 200);
    EXPECT_EQ(img.height, 67);
    EXPECT_TRUE(img.alpha.empty());
    ASSERT_EQ(img.pixels.size(), 200u * 67 * 3);
    EXPECT_EQ(img.pixels[0], 0x33);
    EXPECT_EQ(img.pixels[1], 0x66);
    EXPECT_EQ(img.pixels[2], 0x99);

    std::string gray = "<svg " + kNs +
                       R"X( width="10" height="10"><rect width="10" height="10" fill="#808080"/>)X"
                       "</svg>";
    img = prepare_for_pdf(write_fixture("image-svg-pdf-g", "g.svg", gray), policy);
    EXPECT_EQ(img.components, 1);
    EXPECT_EQ(img.pixels.size(), 200u * 200);
    EXPECT_EQ(img.pixels[0], 0x80);
}

TEST(ImageSvgPdf, GoesThroughTheCache) {
    fs::path dir = ts::fresh_dir("image-svg-cache");
    Cache cache(dir / "cache");
    fs::path p = write_fixture("image-svg-cache-src", "s.svg", kShapes);
    PdfPolicy policy;
    policy.max_width = 120;
    policy.max_height = 120;
    PdfImage first = prepare_for_pdf(p, policy, &cache);
    std::vector<fs::path> entries;
    for (const auto& e : fs::recursive_directory_iterator(dir / "cache"))
        if (e.is_regular_file()) entries.push_back(e.path());
    ASSERT_EQ(entries.size(), 1u);
    // Served from disk: a planted entry (another image's) comes back instead of a fresh render.
    PdfPolicy other = policy;
    other.max_width = 60;
    fs::path q = write_fixture("image-svg-cache-src2", "s.svg", kShapes);
    PdfImage small = prepare_for_pdf(q, other, &cache);
    ASSERT_EQ(small.width, 60);
    entries.clear();
    for (const auto& e : fs::recursive_directory_iterator(dir / "cache"))
        if (e.is_regular_file()) entries.push_back(e.path());
    ASSERT_EQ(entries.size(), 2u);
    std::sort(entries.begin(), entries.end(), [](const fs::path& a, const fs::path& b) {
        return fs::file_size(a) > fs::file_size(b);
    });
    fs::copy_file(entries[1], entries[0], fs::copy_options::overwrite_existing);
    PdfImage hit = prepare_for_pdf(p, policy, &cache);
    EXPECT_EQ(hit.width, 60);
    EXPECT_EQ(first.width, 120);
}

TEST(ImageSvgRaster, DeterministicAcrossCallsAndThreads) {
    std::string banner = ts::slurp(fs::path(ts::source_dir()) / "assets/banners/ebook.svg");
    Bitmap ref = detail::rasterize_svg(banner, 600, 600);
    std::vector<Bitmap> out(4);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < out.size(); ++i)
        threads.emplace_back([&, i] { out[i] = detail::rasterize_svg(banner, 600, 600); });
    for (auto& t : threads)
        t.join();
    for (const Bitmap& bm : out) {
        EXPECT_EQ(bm.width, ref.width);
        EXPECT_TRUE(bm.rgba == ref.rgba);
    }
}

// ================================================================ the sample book's banner

TEST(ImageSvgRaster, SampleBannerKeepsItsAspect) {
    std::string banner = ts::slurp(fs::path(ts::source_dir()) / "assets/banners/ebook.svg");
    auto t0 = std::chrono::steady_clock::now();
    Bitmap bm = detail::rasterize_svg(banner, 1950, 2800); // about a 6.5 in measure at 300 dpi
    auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    std::printf("[ banner ] %dx%d in %lld ms\n", bm.width, bm.height, (long long)ms);
    ASSERT_EQ(bm.width, 1950);
    ASSERT_EQ(bm.height, 650); // 1200x400
    EXPECT_TRUE(bm.opaque());
    // The gradient runs from #0f3d45 (top left) to #1d6b66 (bottom right).
    expect_px(bm, 0, 0, {0x0f, 0x3d, 0x45, 255}, 3);
    expect_px(bm, 1949, 649, {0x1d, 0x6b, 0x66, 255}, 3);
    // The reader's screen, cream, at user (600, 75).
    expect_px(bm, 600 * 1950 / 1200, 75 * 650 / 400, {0xf1, 0xee, 0xe6, 255}, 2);
    EXPECT_TRUE(detail::rasterize_svg(banner, 0, 0).width == 1200);
}
