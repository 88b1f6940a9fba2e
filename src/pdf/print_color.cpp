#include "pdf/print_color.h"

#include "util/diag.h"
#include "util/fs.h"

#include <lcms2.h>

#include <algorithm>
#include <cmath>

namespace imprenta::pdf {

namespace fs = std::filesystem;

namespace {

struct ProfileCloser {
    void operator()(void* p) const {
        if (p) cmsCloseProfile(p);
    }
};
using ProfilePtr = std::unique_ptr<void, ProfileCloser>;

fs::path profile_path(const book::PrintConfig& print, const fs::path& root) {
    if (print.output_profile.empty()) return kDefaultOutputProfile;
    fs::path p = print.output_profile;
    std::error_code ec;
    fs::path system = fs::weakly_canonical(kSystemProfileDir, ec);
    fs::path full = fs::weakly_canonical(p.is_relative() ? root / p : p, ec);
    if (!ec && !system.empty() && util::is_within_resolved(system, full)) return full;
    return util::resolve_input(root, p); // anything else must lie in the book
}

// lcms2's sRGB profile with its creation date set to zero: the same bytes on every build.
std::string srgb_profile() {
    ProfilePtr p(cmsCreate_sRGBProfile());
    cmsUInt32Number n = 0;
    if (!p || !cmsSaveProfileToMem(p.get(), nullptr, &n)) return {};
    std::string bytes(n, '\0');
    if (!cmsSaveProfileToMem(p.get(), bytes.data(), &n)) return {};
    std::fill(bytes.begin() + 24, bytes.begin() + 36, '\0'); // header dateTimeNumber
    return bytes;
}

std::string description(cmsHPROFILE p) {
    char buf[256] = {};
    cmsGetProfileInfoASCII(p, cmsInfoDescription, "en", "US", buf, sizeof buf);
    std::string s = buf;
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0'))
        s.pop_back();
    return s.empty() ? "CMYK output profile" : s;
}

} // namespace

PrintColor::PrintColor(const book::PrintConfig& print, const fs::path& root) {
    version_ = print.pdfx == "x1a" ? "PDF/X-1a:2003" : "PDF/X-4";
    fs::path path = profile_path(print, root);
    std::string shown = print.output_profile.empty() ? path.string() : print.output_profile;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw util::BuildError({"book.toml"},
                               "[print] pdfx = \"" + print.pdfx + "\" needs a CMYK ICC profile: " +
                                   shown + " does not exist (install libgs-common, or set " +
                                   "[print] output_profile to your printer's profile)");
    icc_ = util::read_file(path, size_t(16) << 20);
    ProfilePtr out(cmsOpenProfileFromMem(icc_.data(), cmsUInt32Number(icc_.size())));
    if (!out || cmsGetColorSpace(out.get()) != cmsSigCmykData ||
        cmsGetDeviceClass(out.get()) != cmsSigOutputClass)
        throw util::BuildError({"book.toml"}, "[print] output_profile " + shown +
                                                  " is not a CMYK output (printer) ICC profile");
    desc_ = description(out.get());
    srgb_ = srgb_profile();
    ProfilePtr rgb(cmsCreate_sRGBProfile());
    // Relative colorimetric with black point compensation: what print shops expect for
    // sRGB artwork; no cache, so one transform serves every thread.
    cmsUInt32Number flags = cmsFLAGS_BLACKPOINTCOMPENSATION | cmsFLAGS_NOCACHE;
    rgb_to_cmyk_8_ = cmsCreateTransform(rgb.get(), TYPE_RGB_8, out.get(), TYPE_CMYK_8,
                                        INTENT_RELATIVE_COLORIMETRIC, flags);
    rgb_to_cmyk_16_ = cmsCreateTransform(rgb.get(), TYPE_RGB_16, out.get(), TYPE_CMYK_16,
                                         INTENT_RELATIVE_COLORIMETRIC, flags);
    if (!rgb_to_cmyk_8_ || !rgb_to_cmyk_16_ || srgb_.empty())
        throw util::BuildError({"book.toml"},
                               "cannot convert colours to the CMYK profile " + shown);
}

PrintColor::~PrintColor() {
    if (rgb_to_cmyk_8_) cmsDeleteTransform(rgb_to_cmyk_8_);
    if (rgb_to_cmyk_16_) cmsDeleteTransform(rgb_to_cmyk_16_);
}

std::array<double, 4> PrintColor::cmyk(const Color& c) const {
    if (c.r == c.g && c.g == c.b) return {0, 0, 0, 1.0 - std::clamp(double(c.r), 0.0, 1.0)};
    auto u16 = [](float v) {
        return cmsUInt16Number(std::lround(std::clamp(v, 0.f, 1.f) * 65535));
    };
    cmsUInt16Number in[3] = {u16(c.r), u16(c.g), u16(c.b)}, out[4] = {};
    cmsDoTransform(rgb_to_cmyk_16_, in, out, 1);
    // Three decimals are what the page operators write: round here so equal colours stay equal.
    auto d = [](cmsUInt16Number v) { return std::round(v / 65535.0 * 1000) / 1000; };
    return {d(out[0]), d(out[1]), d(out[2]), d(out[3])};
}

void PrintColor::to_cmyk(std::vector<uint8_t>& pixels, int components,
                         const std::vector<uint8_t>& alpha) const {
    size_t n = pixels.size() / size_t(components);
    std::vector<uint8_t> rgb(n * 3);
    for (size_t i = 0; i < n; ++i)
        for (int k = 0; k < 3; ++k) {
            unsigned v = pixels[i * size_t(components) + (components == 1 ? 0 : size_t(k))];
            if (!alpha.empty())
                v = (v * alpha[i] + 255u * (255u - alpha[i]) + 127) / 255; // on white
            rgb[i * 3 + size_t(k)] = uint8_t(v);
        }
    std::vector<uint8_t> out(n * 4);
    constexpr size_t kChunk = 1 << 16; // cmsDoTransform counts pixels in 32 bits
    for (size_t i = 0; i < n; i += kChunk)
        cmsDoTransform(rgb_to_cmyk_8_, rgb.data() + i * 3, out.data() + i * 4,
                       cmsUInt32Number(std::min(kChunk, n - i)));
    pixels = std::move(out);
}

} // namespace imprenta::pdf
