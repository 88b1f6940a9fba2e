// Fonts for the PDF backend: faces found through fontconfig (by family name or file), opened
// with HarfBuzz so text can be shaped and measured on any thread, and a fallback face per
// character chosen by fontconfig for the character's script and language.
#pragma once
#include "book/config.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

struct hb_face_t;
struct hb_font_t;

namespace imprenta::pdf {

// The styles text asks for; the face that draws a character may be a fallback (FontId).
enum class Face : uint8_t { Regular, Bold, Italic, BoldItalic, Mono, MonoBold, Fallback };
constexpr int kFaceCount = 7;

using FontId = uint16_t;

// The language tag fontconfig ranks colour emoji fonts first for (Unicode's "Zsye" script).
constexpr const char* kEmojiLang = "und-zsye";

// One face of a font file (a .ttf, .otf, or one member of a .ttc), immutable once loaded.
class Font {
public:
    // Throws util::BuildError if the file is missing or not a usable font.
    static std::unique_ptr<Font> load(const std::filesystem::path& path, unsigned index,
                                      const std::string& display);
    ~Font();
    Font(const Font&) = delete;
    Font& operator=(const Font&) = delete;

    const std::filesystem::path& path() const { return path_; }
    unsigned index() const { return index_; }
    hb_font_t* hb() const { return font_; }
    hb_face_t* face() const { return face_; }
    uint32_t glyph(char32_t cp) const { // 0 when the font has none
        return cp < latin_.size() ? latin_[cp] : lookup(cp);
    }
    bool has(char32_t cp) const { return glyph(cp) != 0; }
    double advance(uint32_t gid) const { // natural advance (hmtx; 0 for marks), 1/1000 em
        return gid < widths_.size() ? widths_[gid] : 0;
    }
    // advance(gid) in 1/1000 of 1/1000 em, rounded half away from zero (as the /W arrays and
    // the content writer's pen write it).
    long long advance_milli(uint32_t gid) const {
        return gid < milli_widths_.size() ? milli_widths_[gid] : 0;
    }
    size_t glyph_count() const { return widths_.size(); }
    double ascent() const { return ascent_; }   // em fractions
    double descent() const { return descent_; } // positive, below the baseline
    double x_height() const { return x_height_; }
    unsigned upem() const { return upem_; }
    bool cff() const { return cff_; }             // OpenType/CFF outlines (else TrueType glyf)
    bool cid_keyed() const { return cid_keyed_; } // CFF with a CID charset (Noto CJK)
    bool color_bitmap() const { return bitmap_; } // CBDT/sbix colour glyphs (Noto Color Emoji)
    const std::string& postscript_name() const { return ps_name_; }

private:
    Font() = default;
    std::filesystem::path path_;
    unsigned index_ = 0;
    hb_face_t* face_ = nullptr;
    hb_font_t* font_ = nullptr;
    unsigned upem_ = 1000;
    double ascent_ = 0.8, descent_ = 0.2, x_height_ = 0.45;
    bool cff_ = false, cid_keyed_ = false, bitmap_ = false;
    std::string ps_name_;
    std::vector<double> widths_;        // natural advances by glyph id, 1/1000 em (0 for marks)
    std::vector<int32_t> milli_widths_; // llround(widths_ * 1000)
    // U+0000-00FF's glyphs, looked up once: HarfBuzz's cmap lookup takes ~350 instructions, and
    // every space and most letters of a Latin book ask it (hundreds of thousands of times).
    std::array<uint32_t, 256> latin_{};
    uint32_t lookup(char32_t cp) const;
};

// Starts loading fontconfig's configuration and font cache (about 10 ms) on a thread of its
// own; the first FontSet waits for it. Later calls do nothing.
void load_font_config_ahead();

class FontSet {
public:
    // Loads the seven faces from `config` (family names, or files inside `root` or the system's
    // font folders) or the defaults. Throws util::BuildError.
    FontSet(const book::PdfConfig& config, const std::filesystem::path& root);
    ~FontSet();

    FontId id(Face f) const { return faces_[static_cast<int>(f)]; }
    const Font& font(FontId id) const;
    const Font& file(Face f) const { return font(id(f)); }
    size_t size() const;                              // fonts loaded so far (fallbacks grow it)
    size_t generation() const { return generation_; } // unique per FontSet in the process

    // The font that draws `cp` for text asked in `preferred` and language `lang` (BCP 47):
    // the face itself, else the best fallback fontconfig sorts for the character's script.
    // Returns false if no installed font has it. Thread-safe.
    bool resolve(Face preferred, char32_t cp, const std::string& lang, FontId& out) const;
    bool can_draw(Face preferred, char32_t cp) const {
        FontId f;
        return resolve(preferred, cp, {}, f);
    }
    double char_width(Face face, char32_t cp, double size) const;

private:
    struct Fallbacks;
    std::array<FontId, kFaceCount> faces_{};
    size_t generation_ = 0;
    // Fonts never move once loaded: readers index them without a lock (ids below count_).
    static constexpr size_t kMaxFonts = 512;
    mutable std::mutex mu_; // guards adding fonts and the fallback caches
    mutable std::vector<std::unique_ptr<Font>> fonts_; // capacity kMaxFonts, reserved up front
    mutable std::atomic<size_t> count_{0};
    mutable std::map<std::pair<std::string, unsigned>, FontId> by_file_;
    std::unique_ptr<Fallbacks> fallbacks_;
    FontId add(const std::filesystem::path& path, unsigned index, const std::string& display) const;
};

// True for characters never drawn: controls, soft hyphen, zero-width and bidi format characters,
// word joiners and invisible operators (U+2060–206F), tags (U+E0000–E007F), BOM.
bool invisible(char32_t cp);

} // namespace imprenta::pdf
