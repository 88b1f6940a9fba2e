// What ICU knows about text that the line builder needs: bidi embedding levels (UAX #9) and
// line-break opportunities (UAX #14, with kinsoku for CJK and dictionary breaks for Thai).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace imprenta::pdf {

// True if `text` may contain right-to-left characters (Hebrew, Arabic, Syriac, Thaana, N'Ko...).
bool has_rtl(std::string_view text);

struct Bidi {
    uint8_t paragraph = 0;       // 0 left-to-right, 1 right-to-left
    std::vector<uint8_t> levels; // per byte of the text; empty: all at level 0
};

// Levels of a paragraph; its direction is `base` (0 LTR, 1 RTL) or, when base < 0, that of its
// first strong character (left to right if none).
Bidi bidi_levels(std::string_view text, int base);

// The visual order of items whose levels are `levels` (UAX #9 rule L2): order[i] is the logical
// index drawn i-th from the left.
std::vector<int> visual_order(const std::vector<uint8_t>& levels);

// True if `text` has characters of scripts written without spaces between words (CJK, Thai,
// Lao, Khmer, Myanmar), where lines break inside what the builder sees as one word.
bool needs_icu_breaks(std::string_view text);

// Byte offsets inside `text` (never 0 or text.size()) where ICU's line BreakIterator allows a
// break, for language `lang`; only between two characters of which at least one is in a
// script written without spaces.
std::vector<size_t> icu_breaks(std::string_view text, const std::string& lang);

// True for a language whose text is never hyphenated (so a missing dictionary is no loss).
bool unhyphenated_language(const std::string& lang);

// The direction a language is written in: 1 right-to-left (he, ar, fa, ur, yi...), else 0.
int language_direction(const std::string& lang);

} // namespace imprenta::pdf
