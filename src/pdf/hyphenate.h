// Hyphenation with libhyphen and the TeX-derived dictionaries Debian ships (hyphen-es,
// hyphen-en-us), chosen by language tag.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace imprenta::pdf {

class Hyphenator {
public:
    // Loads the dictionary for `lang` ("es", "es-AR", "es_MX", "en", "en-GB" ...) from
    // /usr/share/hyphen: exact region, else the language's default region (es_ES, en_US), else
    // hyph_<ll>_<LL>, hyph_<ll>, any hyph_<ll>_*. `found()` is false if no dictionary exists
    // (then points() always returns nothing); the caller warns.
    explicit Hyphenator(const std::string& lang);
    ~Hyphenator();
    Hyphenator(const Hyphenator&) = delete;
    Hyphenator& operator=(const Hyphenator&) = delete;

    bool found() const;
    const std::string& dictionary_path() const;

    // Byte offsets into `word` (UTF-8), ascending, where a hyphen may be inserted: the break goes
    // before word[offset], so the line ends with word.substr(0, offset) + "-". Every offset is a
    // code point boundary strictly inside the letters. Case does not matter ("Información" ==
    // "información"); punctuation around the word (quotes, «», ¿¡, brackets, . , ; … ) is
    // allowed and never split. Minimums are the dictionary's LEFTHYPHENMIN/RIGHTHYPHENMIN, at
    // least 2/2: Spanish 2/2 (as babel-spanish), en_US 2/3 (as TeX).
    // No points for: fewer than 5 letters, digits, '@', '/', '_', '\', "://", soft hyphens
    // (U+00AD), inner punctuation other than apostrophes, invalid UTF-8, > 256 bytes.
    // Explicit compounds ("teórico-práctico"): each part is hyphenated on its own; the position
    // after the '-' is NOT returned, since breaking there inserts nothing: the caller offers that
    // break itself (flagged penalty of width 0).
    // Thread-safe (the dictionary is only read; the cache has its own lock); cached per word.
    std::vector<size_t> points(std::string_view word) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace imprenta::pdf
