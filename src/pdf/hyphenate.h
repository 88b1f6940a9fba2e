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
    // Loads the dictionary for `lang` ("es", "es-AR", "en", "en-GB" ...): exact region, else the
    // language's default region (es_ES, en_US). `found()` is false if no dictionary exists.
    explicit Hyphenator(const std::string& lang);
    ~Hyphenator();
    Hyphenator(const Hyphenator&) = delete;
    Hyphenator& operator=(const Hyphenator&) = delete;

    bool found() const;
    const std::string& dictionary_path() const;

    // Byte offsets into `word` (UTF-8) where a hyphen may be inserted, honouring left/right
    // minimums (2 and 3 characters). Punctuation around the word is allowed and never split.
    // Words with digits, URLs or fewer than 5 letters give no points. Thread-safe; cached.
    std::vector<size_t> points(std::string_view word) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace imprenta::pdf
