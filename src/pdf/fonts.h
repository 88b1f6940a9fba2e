// Fonts for the PDF backend: TrueType metrics read straight from the files (cmap, hmtx), so text
// can be measured on any thread before libharu is involved, plus per-code-point fallback.
#pragma once
#include "book/config.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace imprenta::pdf {

enum class Face : uint8_t { Regular, Bold, Italic, BoldItalic, Mono, MonoBold, Fallback };
constexpr int kFaceCount = 7;

// The metrics of one TrueType font, as libharu will embed it: widths in 1/1000 em, truncated
// the way libharu writes its /W array, and coverage from the (3,1) format-4 cmap it uses.
class FontFile {
public:
    // Throws util::BuildError if the file is missing or not a usable TrueType font.
    static FontFile load(const std::filesystem::path& path);

    const std::filesystem::path& path() const { return path_; }
    // True if the font has a glyph for `cp` that libharu can draw (BMP only).
    bool has(char32_t cp) const {
        return cp < 0x10000 && gid_[cp] != 0 && !(cp >= 0xD800 && cp <= 0xDFFF);
    }
    int advance(char32_t cp) const { // 1/1000 em; 0 for missing glyphs
        if (cp >= 0x10000) return 0;
        uint16_t g = gid_[cp];
        return g < width_.size() ? width_[g] : 0;
    }
    double ascent() const { return ascent_; }   // em fractions
    double descent() const { return descent_; } // positive, below the baseline
    double x_height() const { return x_height_; }

private:
    std::filesystem::path path_;
    std::vector<uint16_t> gid_;   // code point (BMP) -> glyph id
    std::vector<uint16_t> width_; // glyph id -> advance, 1/1000 em
    double ascent_ = 0.8, descent_ = 0.2, x_height_ = 0.45;
};

// A piece of text drawn with one face.
struct Run {
    Face face = Face::Regular;
    std::string text;
    double width = 0; // points at the size it was shaped for
};

class FontSet {
public:
    // Loads the seven faces from `config` (paths relative to `root`) or the Debian defaults.
    FontSet(const book::PdfConfig& config, const std::filesystem::path& root);

    const FontFile& file(Face f) const { return files_[static_cast<int>(f)]; }
    // The face that draws `cp` when `preferred` is asked for, or false if none can.
    bool resolve(Face preferred, char32_t cp, Face& out) const;
    // True if some face (preferred or fallback) has `cp`.
    bool can_draw(Face preferred, char32_t cp) const {
        Face f;
        return resolve(preferred, cp, f);
    }

    // Splits `text` into runs by the face that has each glyph. Code points no face has become
    // '?' and are added to `missing`; control characters are dropped.
    std::vector<Run> shape(Face preferred, std::string_view text, double size,
                           std::set<char32_t>* missing) const;
    double char_width(Face face, char32_t cp, double size) const {
        return file(face).advance(cp) * size / 1000.0;
    }

private:
    std::array<FontFile, kFaceCount> files_;
};

// Default font files (Debian packages fonts-liberation2 and fonts-dejavu-core).
std::filesystem::path default_font_path(Face f);

} // namespace imprenta::pdf
