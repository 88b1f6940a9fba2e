// Images made ahead of the backends (prepare_ahead): each source decoded once for all its
// outputs, results equal to what each backend would make alone; and the box scaler checked
// against a plain reference implementation of the same area average.
#include "image/codec.h"
#include "image/prepare.h"
#include "support/image_bytes.h"
#include "support/support.h"

#include <gtest/gtest.h>
#include <webp/encode.h>

#include <random>

using namespace imprenta::image;
using imprenta::image::detail::Bitmap;
namespace ts = testing_support;
using ts::textured;

namespace {

std::string webp_of(const Bitmap& bm) {
    uint8_t* out = nullptr;
    size_t n = WebPEncodeRGBA(bm.rgba.data(), bm.width, bm.height, bm.width * 4, 80, &out);
    std::string s(reinterpret_cast<char*>(out), n);
    WebPFree(out);
    return s;
}

// What prepare_for_* give for one source with no cache at all (each decodes on its own).
struct Alone {
    EpubImage epub;
    PdfImage pdf;
};

void expect_same(const EpubImage& a, const EpubImage& b) {
    EXPECT_EQ(a.media_type, b.media_type);
    EXPECT_EQ(a.width, b.width);
    EXPECT_EQ(a.height, b.height);
    EXPECT_TRUE(a.bytes == b.bytes) << "EPUB image bytes differ";
}

void expect_same(const PdfImage& a, const PdfImage& b) {
    EXPECT_EQ(int(a.kind), int(b.kind));
    EXPECT_EQ(a.width, b.width);
    EXPECT_EQ(a.height, b.height);
    EXPECT_TRUE(a.data == b.data) << "PDF image data differ";
    EXPECT_TRUE(a.pixels == b.pixels) << "PDF pixels differ";
    EXPECT_TRUE(a.alpha == b.alpha);
}

std::vector<Request> both_media(const std::vector<fs::path>& sources, const PdfPolicy& pdf) {
    std::vector<Request> out;
    for (const auto& s : sources) {
        Request r;
        r.source = s;
        r.pdf = pdf;
        out.push_back(r);
        r.kind = Request::Kind::Pdf;
        out.push_back(r);
    }
    return out;
}

} // namespace

TEST(ImageAhead, EachSourceDecodedOnceForBothMediaAndEveryEdition) {
    fs::path dir = ts::fresh_dir("ahead-once");
    ts::write(dir / "banner.webp", webp_of(textured(1900, 1100, 1)));
    ts::write(dir / "diagram.png", ts::make_png(1700, 900, 0x336699));
    std::vector<fs::path> sources{dir / "banner.webp", dir / "diagram.png"};
    PdfPolicy pdf;
    pdf.max_width = 1300;
    pdf.max_height = 1900;

    std::vector<Alone> alone;
    for (const auto& s : sources)
        alone.push_back({prepare_for_epub(s, EpubPolicy{}), prepare_for_pdf(s, pdf)});

    Cache cache(""); // memory only, as with --no-cache
    uint64_t before = detail::decode_count();
    // Two editions asking for the same banners: the second set of requests is merged.
    std::vector<Request> requests = both_media(sources, pdf);
    std::vector<Request> twice = requests;
    twice.insert(twice.end(), requests.begin(), requests.end());
    std::thread t = prepare_ahead(twice, cache);
    for (size_t i = 0; i < sources.size(); ++i) {
        expect_same(prepare_for_epub(sources[i], EpubPolicy{}, &cache), alone[i].epub);
        expect_same(prepare_for_pdf(sources[i], pdf, &cache), alone[i].pdf);
    }
    t.join();
    // The WebP is decoded once for both sizes; the PNG fits neither medium whole, and is
    // decoded once too (the EPUB's and the PDF's scales come from the same pixels).
    EXPECT_EQ(detail::decode_count() - before, 2u);
    // Asked again (another edition after the first is written): still no decoding.
    expect_same(prepare_for_epub(sources[0], EpubPolicy{}, &cache), alone[0].epub);
    EXPECT_EQ(detail::decode_count() - before, 2u);
}

TEST(ImageAhead, JpegSharesADecodeOnlyAtTheSameDctScale) {
    fs::path dir = ts::fresh_dir("ahead-jpeg");
    ts::write(dir / "photo.jpg", detail::encode_jpeg(textured(3200, 2000, 2), 85));
    PdfPolicy same, other;
    same.max_width = 1500; // EPUB 1400 and PDF 1500 wide both decode at 4/8 (1600)
    same.max_height = 3000;
    other.max_width = 700; // 2/8 (800): a decode of its own, so the PDF is what it is alone
    other.max_height = 3000;
    for (const PdfPolicy* pdf : {&same, &other}) {
        Alone alone{prepare_for_epub(dir / "photo.jpg", EpubPolicy{}),
                    prepare_for_pdf(dir / "photo.jpg", *pdf)};
        Cache cache("");
        uint64_t before = detail::decode_count();
        std::thread t = prepare_ahead(both_media({dir / "photo.jpg"}, *pdf), cache);
        expect_same(prepare_for_epub(dir / "photo.jpg", EpubPolicy{}, &cache), alone.epub);
        expect_same(prepare_for_pdf(dir / "photo.jpg", *pdf, &cache), alone.pdf);
        t.join();
        EXPECT_EQ(detail::decode_count() - before, pdf == &same ? 1u : 2u);
    }
}

TEST(ImageAhead, FailuresAreLeftToTheBackendToReport) {
    fs::path dir = ts::fresh_dir("ahead-bad");
    ts::write(dir / "cut.webp", webp_of(textured(300, 200, 3)).substr(0, 200));
    Cache cache("");
    std::thread t = prepare_ahead(both_media({dir / "cut.webp", dir / "missing.png"}, {}), cache);
    EXPECT_THROW(prepare_for_epub(dir / "cut.webp", EpubPolicy{}, &cache), ImageError);
    EXPECT_THROW(prepare_for_pdf(dir / "missing.png", PdfPolicy{}, &cache), ImageError);
    t.join();
}

TEST(ImageAhead, DiskCacheFilledOnceAndUsedByTheNextBuild) {
    fs::path dir = ts::fresh_dir("ahead-disk");
    ts::write(dir / "banner.webp", webp_of(textured(1600, 1000, 4)));
    EpubImage alone = prepare_for_epub(dir / "banner.webp", EpubPolicy{});
    {
        Cache cache(dir / "cache");
        prepare_ahead(both_media({dir / "banner.webp"}, {}), cache).join();
    }
    Cache next(dir / "cache");
    uint64_t before = detail::decode_count();
    prepare_ahead(both_media({dir / "banner.webp"}, {}), next).join();
    expect_same(prepare_for_epub(dir / "banner.webp", EpubPolicy{}, &next), alone);
    EXPECT_EQ(detail::decode_count(), before);
}

// ---------------------------------------------------------------- scaler against a reference

namespace {

// The area average written out plainly: every output pixel sums every source pixel it
// overlaps, weighted by the overlap, with colour weighted by alpha; rounded to nearest.
Bitmap reference_scale(const Bitmap& src, int dw, int dh) {
    const int sw = src.width, sh = src.height;
    auto overlap = [](int o, int i, int s, int d) -> int64_t {
        int64_t lo = std::max(int64_t(o) * s, int64_t(i) * d);
        int64_t hi = std::min(int64_t(o + 1) * s, int64_t(i + 1) * d);
        return std::max<int64_t>(0, hi - lo);
    };
    Bitmap out;
    out.width = dw;
    out.height = dh;
    out.rgba.resize(size_t(dw) * dh * 4);
    const uint64_t area = uint64_t(sw) * sh;
    for (int oy = 0; oy < dh; ++oy)
        for (int ox = 0; ox < dw; ++ox) {
            uint64_t c[3] = {0, 0, 0}, a = 0;
            for (int y = int(int64_t(oy) * sh / dh);
                 y < sh && int64_t(y) * dh < int64_t(oy + 1) * sh; ++y)
                for (int x = int(int64_t(ox) * sw / dw);
                     x < sw && int64_t(x) * dw < int64_t(ox + 1) * sw; ++x) {
                    uint64_t w = uint64_t(overlap(ox, x, sw, dw) * overlap(oy, y, sh, dh));
                    const uint8_t* p = &src.rgba[(size_t(y) * sw + x) * 4];
                    for (int k = 0; k < 3; ++k)
                        c[k] += w * p[k] * p[3];
                    a += w * p[3];
                }
            uint8_t* o = &out.rgba[(size_t(oy) * dw + ox) * 4];
            o[3] = uint8_t((a * 2 + area) / (area * 2));
            for (int k = 0; k < 3; ++k)
                o[k] = a ? uint8_t(std::min<uint64_t>(255, (c[k] * 2 + a) / (a * 2))) : 0;
        }
    return out;
}

} // namespace

TEST(ImageScale, AreaAverageMatchesAPlainReference) {
    std::mt19937 rng(7);
    struct Case {
        int sw, sh, dw, dh;
        bool alpha;
    } cases[] = {
        {97, 61, 40, 25, false}, {97, 61, 40, 25, true},    {300, 200, 7, 5, false},
        {300, 200, 7, 5, true},  {64, 64, 63, 1, false},    {1, 50, 1, 3, false},
        {250, 3, 71, 2, true},   {123, 77, 122, 76, false}, {1000, 20, 9, 20, false},
    };
    for (const Case& c : cases) {
        Bitmap src = textured(c.sw, c.sh, rng(), c.alpha);
        Bitmap got = detail::scale_down(src, c.dw, c.dh);
        Bitmap want = reference_scale(src, c.dw, c.dh);
        ASSERT_EQ(got.width, c.dw);
        ASSERT_EQ(got.height, c.dh);
        EXPECT_TRUE(got.rgba == want.rgba)
            << c.sw << "x" << c.sh << " -> " << c.dw << "x" << c.dh << (c.alpha ? " alpha" : "");
    }
}

// Over 2^32 / 255 source pixels the opaque sums need 64 bits: the same average there too.
TEST(ImageScale, LargeOpaqueSourceUsesWideSums) {
    Bitmap src = textured(17000, 1000, 9);
    Bitmap got = detail::scale_down(src, 17, 3);
    Bitmap want = reference_scale(src, 17, 3);
    EXPECT_TRUE(got.rgba == want.rgba);
}
