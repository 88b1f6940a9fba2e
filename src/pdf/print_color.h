// Colour for PDF/X ([print] pdfx in book.toml): the output intent's CMYK ICC profile, read and
// checked with lcms2; vector colours written as CMYK (greys on the black plate alone); the sRGB
// profile RGB images are tagged with (PDF/X-4), or their pixels converted to CMYK (PDF/X-1a).
#pragma once
#include "book/config.h"
#include "pdf/page.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace imprenta::pdf {

// The profile used when [print] output_profile is not set: ghostscript's CMYK (SWOP-like)
// profile from Debian's libgs-common, the only CMYK output profile Debian packages.
constexpr const char* kDefaultOutputProfile = "/usr/share/color/icc/ghostscript/default_cmyk.icc";
// Folder outside the book an output profile may be read from (Debian's ICC profiles).
constexpr const char* kSystemProfileDir = "/usr/share/color/icc";

// Whether the print interior and cover are PDF/X ([print] with pdfx other than "none").
inline bool wants_pdfx(const book::PrintConfig& print) {
    return print.enabled() && print.pdfx != "none";
}

class PrintColor {
public:
    // Reads [print] output_profile (relative to the book folder `root`, or under
    // kSystemProfileDir) or the default; throws BuildError if it is missing, unreadable, or not
    // a CMYK output profile.
    PrintColor(const book::PrintConfig& print, const std::filesystem::path& root);
    ~PrintColor();
    PrintColor(const PrintColor&) = delete;
    PrintColor& operator=(const PrintColor&) = delete;

    const std::string& version() const { return version_; } // "PDF/X-4" or "PDF/X-1a:2003"
    bool all_cmyk() const { return version_ == "PDF/X-1a:2003"; }
    const std::string& profile() const { return icc_; }    // the ICC profile's bytes
    const std::string& condition() const { return desc_; } // its description
    // An sRGB ICC profile (lcms2's, with a fixed date): what DeviceRGB content means.
    const std::string& srgb() const { return srgb_; }

    // C, M, Y, K in 0..1 of an sRGB colour; neutral greys go on K alone. Thread-safe.
    std::array<double, 4> cmyk(const Color& c) const;
    // `rgb` (3 bytes a pixel, or 1 for gray) replaced by CMYK (4 bytes a pixel), each pixel
    // first laid on white by `alpha` (empty: opaque). Thread-safe.
    void to_cmyk(std::vector<uint8_t>& pixels, int components,
                 const std::vector<uint8_t>& alpha) const;

private:
    std::string version_, icc_, desc_, srgb_;
    void* rgb_to_cmyk_8_ = nullptr;  // cmsHTRANSFORM
    void* rgb_to_cmyk_16_ = nullptr; // cmsHTRANSFORM
};

} // namespace imprenta::pdf
