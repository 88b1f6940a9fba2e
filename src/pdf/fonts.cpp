#include "pdf/fonts.h"

#include "util/diag.h"
#include "util/fs.h"

#include <fontconfig/fontconfig.h>
#include <hb-ot.h>
#include <hb.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <thread>

namespace imprenta::pdf {

namespace fs = std::filesystem;

namespace {

constexpr hb_tag_t kCffTag = HB_TAG('C', 'F', 'F', ' ');

bool has_table(hb_face_t* face, hb_tag_t tag) {
    hb_blob_t* b = hb_face_reference_table(face, tag);
    bool found = hb_blob_get_length(b) > 0;
    hb_blob_destroy(b);
    return found;
}

// Skips one CFF INDEX at `off`; returns the offset after it (0 if malformed).
size_t skip_index(const uint8_t* d, size_t n, size_t off, size_t* first = nullptr,
                  size_t* first_end = nullptr) {
    if (off + 2 > n) return 0;
    unsigned count = unsigned(d[off] << 8 | d[off + 1]);
    if (count == 0) return off + 2;
    if (off + 3 > n) return 0;
    unsigned osz = d[off + 2];
    if (osz < 1 || osz > 4) return 0;
    auto offset_at = [&](unsigned i) {
        size_t p = off + 3 + size_t(i) * osz, v = 0;
        if (p + osz > n) return size_t(0);
        for (unsigned k = 0; k < osz; ++k)
            v = v << 8 | d[p + k];
        return v;
    };
    size_t data = off + 3 + size_t(count + 1) * osz - 1;
    if (first) *first = data + offset_at(0);
    if (first_end) *first_end = data + offset_at(1);
    size_t end = data + offset_at(count);
    return end <= n ? end : 0;
}

// A CID-keyed CFF starts its Top DICT with the ROS operator (12 30).
bool cff_cid_keyed(hb_face_t* face) {
    hb_blob_t* b = hb_face_reference_table(face, kCffTag);
    unsigned n = 0;
    const auto* d = reinterpret_cast<const uint8_t*>(hb_blob_get_data(b, &n));
    bool cid = false;
    if (n > 4) {
        size_t names = skip_index(d, n, d[2]);
        size_t top = 0, top_end = 0;
        if (names && skip_index(d, n, names, &top, &top_end) && top_end <= n) {
            for (size_t p = top; p < top_end;) {
                uint8_t b0 = d[p];
                if (b0 == 12) {
                    cid = p + 1 < top_end && d[p + 1] == 30;
                    break;
                }
                if (b0 <= 21) break; // another operator first: name-keyed
                if (b0 == 28)
                    p += 3;
                else if (b0 == 29)
                    p += 5;
                else if (b0 == 30) { // real number: nibbles up to 0xf
                    ++p;
                    while (p < top_end && (d[p] & 0x0F) != 0x0F && (d[p] >> 4) != 0x0F)
                        ++p;
                    ++p;
                } else if (b0 >= 247 && b0 <= 254)
                    p += 2;
                else
                    ++p;
            }
        }
    }
    hb_blob_destroy(b);
    return cid;
}

// PostScript names go into PDF names: keep them to the safe ASCII letters.
std::string clean_name(std::string s) {
    s.erase(std::remove_if(s.begin(), s.end(),
                           [](char c) {
                               return !std::isalnum(static_cast<unsigned char>(c)) && c != '-' &&
                                      c != '_';
                           }),
            s.end());
    return s.empty() ? "Font" : s;
}

} // namespace

std::unique_ptr<Font> Font::load(const fs::path& path, unsigned index, const std::string& display) {
    auto fail = [&](const std::string& why) {
        return util::BuildError({display}, "not a usable font: " + why);
    };
    hb_blob_t* blob = hb_blob_create_from_file_or_fail(path.c_str());
    if (!blob) throw util::BuildError({display}, "cannot read the font file");
    unsigned faces = hb_face_count(blob);
    if (faces == 0 || index >= faces) {
        hb_blob_destroy(blob);
        throw fail("not TrueType, OpenType or a font collection");
    }
    std::unique_ptr<Font> f(new Font);
    f->path_ = path;
    f->index_ = index;
    f->face_ = hb_face_create(blob, index);
    hb_blob_destroy(blob);
    hb_face_make_immutable(f->face_);
    f->upem_ = hb_face_get_upem(f->face_);
    bool glyf = has_table(f->face_, HB_TAG('g', 'l', 'y', 'f'));
    f->cff_ = has_table(f->face_, kCffTag);
    f->bitmap_ = !glyf && !f->cff_ && hb_ot_color_has_png(f->face_);
    if (hb_face_get_glyph_count(f->face_) == 0 || f->upem_ == 0 ||
        (!glyf && !f->cff_ && !f->bitmap_))
        throw fail("no glyph outlines (TrueType glyf or CFF) in it");
    f->cid_keyed_ = f->cff_ && cff_cid_keyed(f->face_);

    f->font_ = hb_font_create(f->face_);
    hb_font_make_immutable(f->font_);
    for (char32_t cp = 0; cp < f->latin_.size(); ++cp)
        f->latin_[cp] = f->lookup(cp);
    // Widths once, for measuring and the /W arrays. Marks take no room: shaping zeroes their
    // advance, and their width says the same, so text extraction sees no gap after each one.
    unsigned count = hb_face_get_glyph_count(f->face_);
    f->widths_.resize(count);
    for (unsigned g = 0; g < count; ++g)
        f->widths_[g] = hb_font_get_glyph_h_advance(f->font_, g) * 1000.0 / f->upem_;
    hb_set_t* marks = hb_set_create();
    hb_ot_layout_get_glyphs_in_class(f->face_, HB_OT_LAYOUT_GLYPH_CLASS_MARK, marks);
    for (hb_codepoint_t g = HB_SET_VALUE_INVALID; hb_set_next(marks, &g);)
        if (g < count) f->widths_[g] = 0;
    hb_set_destroy(marks);
    f->milli_widths_.resize(count);
    for (unsigned g = 0; g < count; ++g)
        f->milli_widths_[g] = int32_t(std::llround(f->widths_[g] * 1000.0));
    hb_position_t v = 0;
    double em = f->upem_;
    if (hb_ot_metrics_get_position(f->font_, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &v))
        f->ascent_ = v / em;
    if (hb_ot_metrics_get_position(f->font_, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &v))
        f->descent_ = -v / em;
    if (hb_ot_metrics_get_position(f->font_, HB_OT_METRICS_TAG_X_HEIGHT, &v) && v > 0)
        f->x_height_ = v / em;
    char name[128];
    unsigned len = sizeof name;
    if (hb_ot_name_get_utf8(f->face_, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &len,
                            name))
        f->ps_name_ = clean_name(name);
    else
        f->ps_name_ = clean_name(path.stem().string());
    return f;
}

Font::~Font() {
    hb_font_destroy(font_);
    hb_face_destroy(face_);
}

uint32_t Font::lookup(char32_t cp) const {
    hb_codepoint_t g = 0;
    return hb_font_get_nominal_glyph(font_, cp, &g) ? g : 0;
}

bool invisible(char32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           (cp >= 0xE0000 && cp <= 0xE007F);
}

namespace {

struct Located {
    fs::path path;
    unsigned index = 0;
};

// Family names and generic aliases, with the style of each face.
struct Wanted {
    const char* family;
    int weight;
    int slant;
};
Wanted style_of(Face f) {
    switch (f) {
    case Face::Bold:
        return {"serif", FC_WEIGHT_BOLD, FC_SLANT_ROMAN};
    case Face::Italic:
        return {"serif", FC_WEIGHT_REGULAR, FC_SLANT_ITALIC};
    case Face::BoldItalic:
        return {"serif", FC_WEIGHT_BOLD, FC_SLANT_ITALIC};
    case Face::Mono:
        return {"monospace", FC_WEIGHT_REGULAR, FC_SLANT_ROMAN};
    case Face::MonoBold:
        return {"monospace", FC_WEIGHT_BOLD, FC_SLANT_ROMAN};
    case Face::Fallback:
        return {"sans-serif", FC_WEIGHT_REGULAR, FC_SLANT_ROMAN};
    default:
        return {"serif", FC_WEIGHT_REGULAR, FC_SLANT_ROMAN};
    }
}

FcPattern* pattern(const std::string& family, Face f, const std::string& lang) {
    FcPattern* p = FcPatternCreate();
    Wanted w = style_of(f);
    if (!family.empty())
        FcPatternAddString(p, FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
    FcPatternAddString(p, FC_FAMILY, reinterpret_cast<const FcChar8*>(w.family));
    FcPatternAddInteger(p, FC_WEIGHT, w.weight);
    FcPatternAddInteger(p, FC_SLANT, w.slant);
    if (!lang.empty())
        FcPatternAddString(p, FC_LANG, reinterpret_cast<const FcChar8*>(lang.c_str()));
    FcConfigSubstitute(nullptr, p, FcMatchPattern);
    FcDefaultSubstitute(p);
    return p;
}

bool located(FcPattern* p, Located& out) {
    FcChar8* file = nullptr;
    int index = 0;
    if (FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch) return false;
    FcPatternGetInteger(p, FC_INDEX, 0, &index);
    out = {reinterpret_cast<const char*>(file), unsigned(index)};
    return true;
}

std::string lower(std::string s) {
    for (char& c : s)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// The installed face of `family` closest to `f`'s weight and slant, if that family exists.
bool find_family(const std::string& family, Face f, Located& out) {
    FcPattern* p = pattern(family, f, {});
    FcResult r;
    FcPattern* m = FcFontMatch(nullptr, p, &r);
    FcPatternDestroy(p);
    if (!m) return false;
    bool same = false;
    FcChar8* name = nullptr;
    for (int i = 0; FcPatternGetString(m, FC_FAMILY, i, &name) == FcResultMatch; ++i)
        same = same || lower(reinterpret_cast<const char*>(name)) == lower(family);
    bool ok = same && located(m, out);
    FcPatternDestroy(m);
    return ok;
}

// A configured font file must be in the book folder or a system font folder.
fs::path confined_font_file(const std::string& value, const fs::path& root) {
    return util::resolve_input(root, value, /*allow_system_fonts=*/true);
}

// Debian's book faces, in order of preference: TeX Gyre Pagella (a Palatino: ligatures, old
// style figures on request, a large x-height that reads well at 10.5 pt on A5), then Liberation.
const std::vector<std::string> kSerifDefaults = {"TeX Gyre Pagella", "EB Garamond",
                                                 "Liberation Serif", "DejaVu Serif"};
const std::vector<std::string> kMonoDefaults = {"DejaVu Sans Mono", "Liberation Mono"};
const std::vector<std::string> kSansDefaults = {"DejaVu Sans", "Liberation Sans"};

const std::pair<const char*, const char*> kScriptFaces[] = {{"ar", "Noto Naskh Arabic"},
                                                            {"fa", "Noto Naskh Arabic"},
                                                            {"ur", "Noto Nastaliq Urdu"},
                                                            {"he", "Noto Serif Hebrew"},
                                                            {"hi", "Noto Serif Devanagari"},
                                                            {"mr", "Noto Serif Devanagari"},
                                                            {"ne", "Noto Serif Devanagari"},
                                                            {"bn", "Noto Serif Bengali"},
                                                            {"ta", "Noto Serif Tamil"},
                                                            {"th", "Noto Serif Thai"},
                                                            {"zh-cn", "Noto Serif CJK SC"},
                                                            {"zh-tw", "Noto Serif CJK TC"},
                                                            {"ja", "Noto Serif CJK JP"},
                                                            {"ko", "Noto Serif CJK KR"},
                                                            {"el", "Noto Serif"},
                                                            {"ru", "Noto Serif"}};

} // namespace

namespace {
std::mutex font_config_mu;
std::jthread font_config_loading; // guarded by font_config_mu; joined at exit if still running

// fontconfig loaded: by load_font_config_ahead's thread, else here.
void font_config_ready() {
    {
        std::lock_guard lock(font_config_mu);
        if (font_config_loading.joinable()) font_config_loading.join();
    }
    FcInit();
}
} // namespace

void load_font_config_ahead() {
    std::lock_guard lock(font_config_mu);
    static bool started = false;
    if (started) return;
    started = true;
    font_config_loading = std::jthread([] { FcInit(); });
}

struct FontSet::Fallbacks {
    std::map<std::pair<int, std::string>, FcFontSet*> sorted;     // per (face, lang)
    std::map<std::tuple<int, std::string, char32_t>, int> chosen; // -1: none has it
    std::map<std::pair<int, std::string>, int> script_face;       // kScriptFaces, -1: none
    ~Fallbacks() {
        for (auto& [k, s] : sorted)
            FcFontSetDestroy(s);
    }
};

FontSet::FontSet(const book::PdfConfig& config, const fs::path& root)
    : fallbacks_(std::make_unique<Fallbacks>()) {
    font_config_ready();
    static std::atomic<size_t> generations{0};
    generation_ = ++generations;
    fonts_.reserve(kMaxFonts);
    const std::string* configured[kFaceCount] = {
        &config.font_regular, &config.font_bold, &config.font_italic,  &config.font_bold_italic,
        &config.font_mono,    &config.font_mono, &config.font_fallback};
    for (int i = 0; i < kFaceCount; ++i) {
        Face face = static_cast<Face>(i);
        const std::string& value = *configured[i];
        Located at;
        std::string display = value;
        if (!value.empty() && util::looks_like_font_file(value)) {
            at = {confined_font_file(value, root), 0};
        } else if (!value.empty()) {
            // A family named for the regular face also gives the bold and italic ones.
            if (!find_family(value, face, at))
                throw util::BuildError({value}, "no installed font family '" + value +
                                                    "' (fc-list lists them)");
        } else {
            // Unset bold/italic follow a configured regular family.
            bool found = false;
            if (i < 4 && !config.font_regular.empty() &&
                !util::looks_like_font_file(config.font_regular))
                found = find_family(config.font_regular, face, at);
            const auto& list =
                i >= 4 ? (face == Face::Fallback ? kSansDefaults : kMonoDefaults) : kSerifDefaults;
            for (const std::string& fam : list)
                if (!found) found = find_family(fam, face, at);
            if (!found) throw util::BuildError({style_of(face).family}, "no default font found");
            display = at.path.string();
        }
        faces_[size_t(i)] = add(at.path, at.index, display);
    }
}

FontSet::~FontSet() = default;

FontId FontSet::add(const fs::path& path, unsigned index, const std::string& display) const {
    auto key = std::make_pair(path.string(), index);
    auto it = by_file_.find(key);
    if (it != by_file_.end()) return it->second;
    if (fonts_.size() >= kMaxFonts) throw util::BuildError({display}, "too many fonts");
    fonts_.push_back(Font::load(path, index, display));
    FontId id = FontId(fonts_.size() - 1);
    count_.store(fonts_.size(), std::memory_order_release);
    by_file_.emplace(key, id);
    return id;
}

const Font& FontSet::font(FontId id) const {
    return *fonts_.data()[id];
}

size_t FontSet::size() const {
    return count_.load(std::memory_order_acquire);
}

double FontSet::char_width(Face face, char32_t cp, double size) const {
    const Font& f = file(face);
    return f.advance(f.glyph(cp)) * size / 1000.0;
}

namespace {

// The language fontconfig should sort fallbacks for: the script's own, or the text's.
std::string lang_for(char32_t cp, const std::string& text_lang) {
    if (text_lang == kEmojiLang || u_hasBinaryProperty(UChar32(cp), UCHAR_EMOJI_PRESENTATION) ||
        (cp >= 0x1F000 && u_hasBinaryProperty(UChar32(cp), UCHAR_EXTENDED_PICTOGRAPHIC)))
        return kEmojiLang;
    UErrorCode err = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(UChar32(cp), &err);
    std::string base = lower(text_lang.substr(0, text_lang.find_first_of("-_")));
    switch (sc) {
    case USCRIPT_HAN:
        if (base == "ja" || base == "ko") return base;
        if (base == "zh")
            return lower(text_lang).find("tw") != std::string::npos ||
                           lower(text_lang).find("hant") != std::string::npos
                       ? "zh-tw"
                       : "zh-cn";
        return "zh-cn";
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
        return "ja";
    case USCRIPT_HANGUL:
        return "ko";
    case USCRIPT_HEBREW:
        return "he";
    case USCRIPT_ARABIC:
        return base == "fa" || base == "ur" ? base : "ar";
    case USCRIPT_DEVANAGARI:
        return base == "mr" || base == "ne" ? base : "hi";
    case USCRIPT_BENGALI:
        return "bn";
    case USCRIPT_TAMIL:
        return "ta";
    case USCRIPT_TELUGU:
        return "te";
    case USCRIPT_GUJARATI:
        return "gu";
    case USCRIPT_GURMUKHI:
        return "pa";
    case USCRIPT_KANNADA:
        return "kn";
    case USCRIPT_MALAYALAM:
        return "ml";
    case USCRIPT_THAI:
        return "th";
    case USCRIPT_LAO:
        return "lo";
    case USCRIPT_KHMER:
        return "km";
    case USCRIPT_MYANMAR:
        return "my";
    case USCRIPT_GEORGIAN:
        return "ka";
    case USCRIPT_ARMENIAN:
        return "hy";
    case USCRIPT_ETHIOPIC:
        return "am";
    case USCRIPT_SINHALA:
        return "si";
    case USCRIPT_TIBETAN:
        return "bo";
    case USCRIPT_GREEK:
        return "el";
    case USCRIPT_CYRILLIC:
        return base == "uk" || base == "bg" || base == "sr" ? base : "ru";
    default:
        return base.empty() ? "en" : base;
    }
}

} // namespace

bool FontSet::resolve(Face preferred, char32_t cp, const std::string& lang, FontId& out) const {
    if (font(id(preferred)).has(cp)) {
        out = id(preferred);
        return true;
    }
    if (preferred == Face::MonoBold && font(id(Face::Mono)).has(cp)) {
        out = id(Face::Mono); // code keeps its grid
        return true;
    }
    if (font(id(Face::Fallback)).has(cp) && lang_for(cp, lang) != kEmojiLang) {
        // The configured fallback covers most symbols; scripts with their own faces go to
        // fontconfig so that, say, Hebrew is set in a Hebrew face, not DejaVu's.
        UErrorCode err = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript(UChar32(cp), &err);
        if (sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED || sc == USCRIPT_LATIN ||
            sc == USCRIPT_GREEK || sc == USCRIPT_CYRILLIC) {
            out = id(Face::Fallback);
            return true;
        }
    }
    std::string sort_lang = lang_for(cp, lang);
    std::lock_guard lock(mu_);
    auto key = std::make_tuple(int(preferred), sort_lang, cp);
    auto hit = fallbacks_->chosen.find(key);
    if (hit != fallbacks_->chosen.end()) {
        if (hit->second < 0) return false;
        out = FontId(hit->second);
        return true;
    }
    int found = -1;
    // Book faces for scripts where fontconfig's own ranking puts a sans-serif display face (or
    // DejaVu Sans) first; browsers keep a similar default font per script.
    auto [pref, fresh] = fallbacks_->script_face.try_emplace({int(preferred), sort_lang}, -1);
    if (fresh) {
        for (const auto& [l, family] : kScriptFaces) {
            Located at;
            if (sort_lang != l || !find_family(family, preferred, at)) continue;
            try {
                pref->second = add(at.path, at.index, at.path.string());
            } catch (const util::BuildError&) {
            }
        }
    }
    if (pref->second >= 0 && fonts_[size_t(pref->second)]->has(cp)) found = pref->second;
    auto& set = fallbacks_->sorted[{int(preferred), sort_lang}];
    if (!set) {
        FcPattern* p = pattern({}, preferred, sort_lang);
        FcResult r;
        set = FcFontSort(nullptr, p, FcTrue, nullptr, &r);
        FcPatternDestroy(p);
    }
    for (int i = 0; set && i < set->nfont && found < 0; ++i) {
        FcCharSet* cs = nullptr;
        FcChar8* format = nullptr;
        Located at;
        if (FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &cs) != FcResultMatch ||
            !FcCharSetHasChar(cs, FcChar32(cp)) || !located(set->fonts[i], at))
            continue;
        if (FcPatternGetString(set->fonts[i], FC_FONTFORMAT, 0, &format) == FcResultMatch &&
            std::string_view(reinterpret_cast<const char*>(format)) != "TrueType" &&
            std::string_view(reinterpret_cast<const char*>(format)) != "CFF")
            continue;
        try {
            FontId fid = add(at.path, at.index, at.path.string());
            if (fonts_[fid]->has(cp)) found = fid;
        } catch (const util::BuildError&) {
            // an unusable installed font: try the next one
        }
    }
    fallbacks_->chosen.emplace(key, found);
    if (found < 0) return false;
    out = FontId(found);
    return true;
}

} // namespace imprenta::pdf
