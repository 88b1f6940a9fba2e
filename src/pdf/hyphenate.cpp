#include "pdf/hyphenate.h"

#include "util/string_table.h"
#include "util/utf8.h"

#include <hyphen.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

namespace imprenta::pdf {

namespace {

constexpr const char* kDictDir = "/usr/share/hyphen";
constexpr size_t kMaxWordBytes = 256; // longer "words" are URLs, code or noise
constexpr size_t kMinLetters = 5;
constexpr size_t kMaxCacheEntries =
    200000; // bounds memory on huge books; results don't depend on it

struct DictDeleter {
    void operator()(HyphenDict* d) const { hnj_hyphen_free(d); }
};
using DictPtr = std::unique_ptr<HyphenDict, DictDeleter>;

// hnj_hyphen_load is not documented as thread-safe; loads are rare, so serialise them.
std::mutex& load_mutex() {
    static std::mutex mu;
    return mu;
}

bool file_exists(const std::string& path) {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec); // follows the es_XX -> es_ES symlinks
}

std::string lower_ascii(std::string s) {
    for (char& c : s)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}
std::string upper_ascii(std::string s) {
    for (char& c : s)
        c = char(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// Candidate dictionary files for a BCP 47-ish tag, best first.
std::vector<std::string> candidates(const std::string& lang) {
    std::vector<std::string> parts;
    std::string cur;
    for (char c : lang) {
        if (c == '-' || c == '_') {
            parts.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    parts.push_back(cur);
    std::string language = lower_ascii(parts[0]);
    if (language.empty() ||
        !std::all_of(language.begin(), language.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        return {};
    std::string region;
    for (size_t i = 1; i < parts.size(); ++i) {
        if (parts[i].size() == 2) { // skip script subtags such as "Latn"
            region = upper_ascii(parts[i]);
            break;
        }
    }
    std::string dir = kDictDir;
    std::vector<std::string> out;
    auto add = [&](const std::string& name) { out.push_back(dir + "/hyph_" + name + ".dic"); };
    if (!region.empty() &&
        std::all_of(region.begin(), region.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
        add(language + "_" + region);
    if (language == "es")
        add("es_ES");
    else if (language == "en")
        add("en_US");
    else if (language == "pt")
        add("pt_PT");
    add(language + "_" + upper_ascii(language)); // de_DE, fr_FR, it_IT ...
    add(language);
    // Any other region of the language, in a stable order.
    std::vector<std::string> others;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(dir, ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
        std::string name = it->path().filename().string();
        std::string prefix = "hyph_" + language + "_";
        if (name.rfind(prefix, 0) == 0 && name.size() > 4 &&
            name.compare(name.size() - 4, 4, ".dic") == 0)
            others.push_back(dir + "/" + name);
    }
    std::sort(others.begin(), others.end());
    out.insert(out.end(), others.begin(), others.end());
    return out;
}

bool is_combining(char32_t c) {
    return (c >= 0x300 && c <= 0x36F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
           (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF);
}

// Letters of the scripts the shipped dictionaries cover (Latin, Greek, Cyrillic). Anything else
// at the edges of a word is punctuation to strip.
bool is_letter(char32_t c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    if (c >= 0xC0 && c <= 0x24F) return c != 0xD7 && c != 0xF7;
    if (c >= 0x250 && c <= 0x2AF) return true;
    if (c >= 0x370 && c <= 0x3FF) return c != 0x37E && c != 0x387;
    if (c >= 0x400 && c <= 0x52F) return !(c >= 0x482 && c <= 0x489);
    if (c >= 0x1E00 && c <= 0x1FFF) return true;
    return false;
}

bool is_apostrophe(char32_t c) {
    return c == '\'' || c == 0x2019;
}

struct CodePoint {
    char32_t cp;
    size_t offset; // byte offset in the original word
};

// The defaults of HyphenOptions::left_min/right_min for a language tag.
std::pair<int, int> language_mins(const std::string& lang) {
    std::string ll = lower_ascii(lang.substr(0, 2));
    if ((ll == "en" || ll == "es") && (lang.size() == 2 || lang[2] == '-' || lang[2] == '_'))
        return {2, 3};
    return {2, 2};
}

} // namespace

struct Hyphenator::Impl {
    std::string path;
    DictPtr dict;
    int left_min = 2, right_min = 2;
    bool capitalized = false;
    // Lowercased word without its hyphens -> code point indices of its breaks.
    std::unordered_map<std::string, std::vector<size_t>> exceptions;
    mutable std::shared_mutex cache_mu;
    mutable util::StringTable<std::vector<size_t>> cache;

    // Points for the letters cps[begin, end) (no punctuation at either edge), as byte offsets in
    // the original word.
    void hyphenate_run(const std::vector<CodePoint>& cps, size_t begin, size_t end,
                       std::vector<size_t>& out) const {
        size_t letters = 0;
        for (size_t i = begin; i < end; ++i)
            if (is_letter(cps[i].cp)) ++letters;
        std::string lowered;
        for (size_t i = begin; i < end; ++i) {
            char32_t c = cps[i].cp;
            // The patterns use the ASCII apostrophe; one code point either way, so indices match.
            util::append_utf8(lowered, c == 0x2019 ? char32_t('\'') : util::to_lower(c));
        }
        if (auto ex = exceptions.find(lowered); ex != exceptions.end()) {
            for (size_t k : ex->second)
                if (k > 0 && begin + k < end) out.push_back(cps[begin + k].offset);
            return;
        }
        if (letters < kMinLetters) return;
        if (!capitalized && util::to_lower(cps[begin].cp) != cps[begin].cp) return; // a name
        std::vector<char> hyphens(lowered.size() + 5, '0');
        char** rep = nullptr;
        int* pos = nullptr;
        int* cut = nullptr;
        // libhyphen raises the minimums to the dictionary's LEFTHYPHENMIN/RIGHTHYPHENMIN. The
        // dictionary is only read here, so concurrent calls need no lock (hyphen.c 2.8.8).
        int rc = hnj_hyphen_hyphenate3(dict.get(), lowered.data(), int(lowered.size()),
                                       hyphens.data(), nullptr, &rep, &pos, &cut, left_min,
                                       right_min, left_min, right_min);
        size_t n = end - begin;
        for (size_t j = 0; rc == 0 && j + 1 < n; ++j) {
            if (!(hyphens[j] & 1)) continue;
            if (rep && rep[j]) continue; // non-standard (spelling-changing) break: not supported
            const CodePoint& next = cps[begin + j + 1];
            const CodePoint& prev = cps[begin + j];
            if (is_combining(next.cp) || !is_letter(next.cp) || !is_letter(prev.cp)) continue;
            out.push_back(next.offset);
        }
        if (rep) {
            for (size_t j = 0; j < lowered.size(); ++j)
                free(rep[j]);
            free(rep);
        }
        free(pos);
        free(cut);
    }

    std::vector<size_t> compute(std::string_view word) const {
        std::vector<size_t> out;
        if (!dict || word.empty() || word.size() > kMaxWordBytes) return out;
        if (util::find_invalid_utf8(word)) return out;
        if (word.find("://") != std::string_view::npos) return out;
        std::vector<CodePoint> cps;
        for (size_t i = 0; i < word.size();) {
            size_t at = i;
            char32_t c = util::next_code_point(word, i);
            if ((c >= '0' && c <= '9') || c == '@' || c == '/' || c == '_' || c == '\\' ||
                c == 0xAD) // soft hyphens: the author already chose the breaks
                return out;
            cps.push_back({c, at});
        }
        // Strip punctuation at the edges (quotes, «», ¿¡, brackets, periods, ellipsis ...).
        size_t begin = 0, end = cps.size();
        while (begin < end && !is_letter(cps[begin].cp))
            ++begin;
        while (end > begin && !is_letter(cps[end - 1].cp) && !is_combining(cps[end - 1].cp))
            --end;
        // Inner punctuation other than apostrophes (e.g. "a.m.", "S.A.") makes patterns unreliable;
        // mixed case with a capital after the first letter marks a name ("ChatGPT", "OpenAI"),
        // which typesetters do not break (all capitals is just emphasis: "INFORMACIÓN").
        bool lower = false, inner_upper = false;
        for (size_t i = begin; i < end; ++i) {
            char32_t c = cps[i].cp;
            lower = lower || (util::to_lower(c) == c && is_letter(c));
            inner_upper = inner_upper || (i > begin && util::to_lower(c) != c);
            if (lower && inner_upper) return {};
            if (!is_letter(c) && !is_combining(c) && !is_apostrophe(c) && c != '-' && c != 0x2010 &&
                c != 0x2011)
                return {};
        }
        // Each part of an explicit compound ("teórico-práctico") is hyphenated on its own; the
        // position after the '-' itself is not a point (breaking there inserts no hyphen).
        size_t run = begin;
        for (size_t i = begin; i <= end; ++i) {
            bool sep = i == end || cps[i].cp == '-' || cps[i].cp == 0x2010 || cps[i].cp == 0x2011;
            if (!sep) continue;
            size_t b = run, e = i;
            while (b < e && !is_letter(cps[b].cp))
                ++b;
            while (e > b && !is_letter(cps[e - 1].cp) && !is_combining(cps[e - 1].cp))
                --e;
            if (b < e) hyphenate_run(cps, b, e, out);
            run = i + 1;
        }
        return out;
    }
};

Hyphenator::Hyphenator(const std::string& lang, const HyphenOptions& options)
    : impl_(std::make_unique<Impl>()) {
    auto [left, right] = language_mins(lang);
    impl_->left_min = std::max(1, options.left_min > 0 ? options.left_min : left);
    impl_->right_min = std::max(1, options.right_min > 0 ? options.right_min : right);
    impl_->capitalized = options.capitalized;
    for (const std::string& word : options.exceptions) {
        std::string key;
        std::vector<size_t> breaks;
        size_t letters = 0;
        for (size_t i = 0; i < word.size();) {
            char32_t c = util::next_code_point(word, i);
            if (c == '-') {
                breaks.push_back(letters);
                continue;
            }
            util::append_utf8(key, c == 0x2019 ? char32_t('\'') : util::to_lower(c));
            ++letters;
        }
        if (!key.empty()) impl_->exceptions[key] = std::move(breaks);
    }
    for (const std::string& path : candidates(lang)) {
        if (!file_exists(path)) continue;
        std::lock_guard lock(load_mutex());
        DictPtr d(hnj_hyphen_load(path.c_str()));
        if (!d) continue;
        impl_->path = path;
        impl_->dict = std::move(d);
        break;
    }
}

Hyphenator::~Hyphenator() = default;

bool Hyphenator::found() const {
    return impl_->dict != nullptr;
}

const std::string& Hyphenator::dictionary_path() const {
    return impl_->path;
}

std::vector<size_t> Hyphenator::points(std::string_view word) const {
    std::vector<size_t> out;
    points(word, out);
    return out;
}

void Hyphenator::points(std::string_view word, std::vector<size_t>& out) const {
    out.clear();
    if (!impl_->dict) return;
    {
        std::shared_lock lock(impl_->cache_mu);
        if (const auto* found = impl_->cache.find(word)) {
            out.assign(found->begin(), found->end());
            return;
        }
    }
    out = impl_->compute(word);
    std::unique_lock lock(impl_->cache_mu);
    if (impl_->cache.size() >= kMaxCacheEntries) impl_->cache.clear();
    impl_->cache.find_or_add(word) = out;
}

} // namespace imprenta::pdf
