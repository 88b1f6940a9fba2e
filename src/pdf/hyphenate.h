// Hyphenation with libhyphen and the TeX-derived dictionaries Debian ships (hyphen-es,
// hyphen-en-us), chosen by language tag.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace imprenta::pdf {

// The book's hyphenation rules ([pdf] in book.toml).
struct HyphenOptions {
    // TeX's \lefthyphenmin / \righthyphenmin; 0: the language's own (English 2/3 as TeX,
    // Spanish 2/3 so that no two-letter tail such as "benchma-rk" is left; others 2/2), never
    // below the dictionary's LEFTHYPHENMIN/RIGHTHYPHENMIN.
    int left_min = 0, right_min = 0;
    // Words that start with a capital (names: "Zuckerberg") are not hyphenated unless true
    // (TeX's \uchyph=0; plain TeX's default is 1).
    bool capitalized = false;
    // As TeX's \hyphenation{}: words with their only break points as '-' ("Zucker-berg",
    // "ta-ble"); matched without regard to case, and allowed even when capitalised.
    std::vector<std::string> exceptions;
};

class Hyphenator {
public:
    // Loads the dictionary for `lang` ("es", "es-AR", "es_MX", "en", "en-GB" ...) from
    // /usr/share/hyphen: exact region, else the language's default region (es_ES, en_US), else
    // hyph_<ll>_<LL>, hyph_<ll>, any hyph_<ll>_*. `found()` is false if no dictionary exists
    // (then points() always returns nothing); the caller warns.
    explicit Hyphenator(const std::string& lang, const HyphenOptions& options = {});
    ~Hyphenator();
    Hyphenator(const Hyphenator&) = delete;
    Hyphenator& operator=(const Hyphenator&) = delete;

    bool found() const;
    const std::string& dictionary_path() const;

    // Byte offsets into `word` (UTF-8), ascending, where a hyphen may be inserted: the break goes
    // before word[offset], so the line ends with word.substr(0, offset) + "-". Every offset is a
    // code point boundary strictly inside the letters. Case does not matter ("Información" ==
    // "información"); punctuation around the word (quotes, «», ¿¡, brackets, . , ; … ) is
    // allowed and never split. Minimums and capitalised words: see HyphenOptions; exceptions
    // replace the patterns for their word (each part of a compound is looked up alone).
    // No points for: fewer than 5 letters, digits, '@', '/', '_', '\', "://", soft hyphens
    // (U+00AD), inner punctuation other than apostrophes, invalid UTF-8, > 256 bytes.
    // Explicit compounds ("teórico-práctico"): each part is hyphenated on its own; the position
    // after the '-' is NOT returned, since breaking there inserts nothing: the caller offers that
    // break itself (flagged penalty of width 0).
    // Thread-safe (the dictionary is only read; the cache has its own lock); cached per word.
    std::vector<size_t> points(std::string_view word) const;
    // The same into `out` (cleared first), whose storage is reused: the line builder asks for
    // every word of a book.
    void points(std::string_view word, std::vector<size_t>& out) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace imprenta::pdf
