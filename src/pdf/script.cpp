#include "pdf/script.h"

#include "util/utf8.h"

#include <unicode/brkiter.h>
#include <unicode/ubidi.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>

#include <map>
#include <memory>

namespace imprenta::pdf {

namespace {

bool rtl_char(char32_t c) {
    return (c >= 0x590 && c <= 0x8FF) || (c >= 0xFB1D && c <= 0xFDFF) ||
           (c >= 0xFE70 && c <= 0xFEFF) || (c >= 0x10800 && c <= 0x10FFF) ||
           (c >= 0x1E800 && c <= 0x1EFFF);
}

bool spaceless(char32_t c) {
    if (c < 0xE00) return false;
    if (c <= 0xEFF || (c >= 0x1000 && c <= 0x109F) || (c >= 0x1780 && c <= 0x17FF)) return true;
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFFEF) ||
           (c >= 0x20000 && c <= 0x3FFFF);
}

} // namespace

bool has_rtl(std::string_view text) {
    for (size_t i = 0; i < text.size();) {
        if (static_cast<unsigned char>(text[i]) < 0xD6) { // below U+0590's lead byte
            ++i;
            continue;
        }
        if (rtl_char(util::next_code_point(text, i))) return true;
    }
    return false;
}

Bidi bidi_levels(std::string_view text, int base) {
    Bidi out;
    if (base != 1 && !has_rtl(text)) return out;
    std::u16string u16;
    std::vector<size_t> byte_of; // UTF-16 index -> byte offset
    u16.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        size_t at = i;
        char32_t c = util::next_code_point(text, i);
        if (c >= 0x10000) {
            u16 += char16_t(0xD800 + ((c - 0x10000) >> 10));
            u16 += char16_t(0xDC00 + ((c - 0x10000) & 0x3FF));
            byte_of.push_back(at);
            byte_of.push_back(at);
        } else {
            u16 += char16_t(c);
            byte_of.push_back(at);
        }
    }
    UErrorCode err = U_ZERO_ERROR;
    UBiDi* bidi = ubidi_openSized(int32_t(u16.size()), 0, &err);
    UBiDiLevel para = base == 1 ? 1 : base == 0 ? 0 : UBIDI_DEFAULT_LTR;
    ubidi_setPara(bidi, u16.data(), int32_t(u16.size()), para, nullptr, &err);
    if (U_SUCCESS(err)) {
        out.paragraph = ubidi_getParaLevel(bidi) & 1;
        const UBiDiLevel* lv = ubidi_getLevels(bidi, &err);
        if (U_SUCCESS(err)) {
            out.levels.assign(text.size(), out.paragraph);
            for (size_t k = 0; k < u16.size(); ++k) {
                size_t from = byte_of[k], to = k + 1 < u16.size() ? byte_of[k + 1] : text.size();
                for (size_t b = from; b < to; ++b)
                    out.levels[b] = lv[k];
            }
        }
    }
    ubidi_close(bidi);
    return out;
}

std::vector<int> visual_order(const std::vector<uint8_t>& levels) {
    std::vector<int> order(levels.size());
    if (levels.empty()) return order;
    ubidi_reorderVisual(reinterpret_cast<const UBiDiLevel*>(levels.data()), int32_t(levels.size()),
                        order.data());
    return order;
}

bool needs_icu_breaks(std::string_view text) {
    for (size_t i = 0; i < text.size();) {
        if (static_cast<unsigned char>(text[i]) < 0xE0) { // below U+0800 (or a trail byte)
            ++i;
            continue;
        }
        if (spaceless(util::next_code_point(text, i))) return true;
    }
    return false;
}

std::vector<size_t> icu_breaks(std::string_view text, const std::string& lang) {
    std::vector<size_t> out;
    // One iterator per thread and language: creating one costs far more than using it.
    thread_local std::map<std::string, std::unique_ptr<icu::BreakIterator>> iterators;
    auto& it = iterators[lang];
    if (!it) {
        UErrorCode err = U_ZERO_ERROR;
        std::string loc = lang;
        if (loc.rfind("ja", 0) == 0) loc += "@lb=strict"; // no small kana or ー at a line start
        it.reset(icu::BreakIterator::createLineInstance(icu::Locale(loc.c_str()), err));
        if (U_FAILURE(err)) {
            it.reset();
            return out;
        }
    }
    UErrorCode err = U_ZERO_ERROR;
    UText* ut = utext_openUTF8(nullptr, text.data(), int64_t(text.size()), &err);
    if (U_FAILURE(err)) return out;
    it->setText(ut, err);
    for (int32_t b = it->next(); b != icu::BreakIterator::DONE && size_t(b) < text.size();
         b = it->next()) {
        if (b <= 0) continue;
        // The characters on both sides: break only where spaceless script text is involved.
        size_t after = size_t(b), before = after;
        while (before > 0 && (static_cast<unsigned char>(text[before - 1]) & 0xC0) == 0x80)
            --before;
        if (before > 0) --before;
        while (before > 0 && (static_cast<unsigned char>(text[before]) & 0xC0) == 0x80)
            --before;
        size_t i = before;
        char32_t a = util::next_code_point(text, i);
        i = after;
        char32_t c = util::next_code_point(text, i);
        if (spaceless(a) || spaceless(c)) out.push_back(after);
    }
    utext_close(ut);
    return out;
}

bool unhyphenated_language(const std::string& lang) {
    std::string base = lang.substr(0, lang.find_first_of("-_"));
    for (const char* l : {"zh", "ja", "ko", "th", "lo", "km", "my", "he", "ar", "fa", "ur", "yi"})
        if (base == l) return true;
    return false;
}

int language_direction(const std::string& lang) {
    std::string base = lang.substr(0, lang.find_first_of("-_"));
    for (const char* l : {"he", "ar", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"})
        if (base == l) return 1;
    return 0;
}

} // namespace imprenta::pdf
