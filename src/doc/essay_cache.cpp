#include "doc/essay_cache.h"

#include "util/hash.h"

#include <cstring>

namespace imprenta::doc {

namespace {

// Length-framed values, so ("ab", "c") and ("a", "bc") differ.
class Framed {
public:
    Framed& add(std::string_view s) {
        add(int64_t(s.size()));
        hash_.append(s.data(), s.size());
        return *this;
    }
    Framed& add(int64_t v) {
        char b[8];
        std::memcpy(b, &v, 8);
        hash_.append(b, 8);
        return *this;
    }
    Framed& add(const book::MathDelimiters& d) {
        add(int64_t(d.size()));
        for (const auto& [open, close] : d)
            add(open).add(close);
        return *this;
    }
    EssayCache::Key finish() { return hash_.finish(); }

private:
    util::Hash128 hash_; // the essay's text is hashed where it lies, not copied first
};

} // namespace

EssayCache::Key EssayCache::key(const book::Config& config, const std::string& language,
                                const book::Essay& essay) {
    Framed f;
    const auto& fm = essay.text.front;
    f.add(essay.path.string()).add(essay.display).add(essay.url);
    f.add(int64_t(essay.depth)).add(int64_t(essay.is_section));
    f.add(essay.text.body).add(int64_t(essay.text.body_line));
    f.add(int64_t(fm.title.has_value())).add(fm.title.value_or(""));
    f.add(fm.image).add(fm.image_alt).add(int64_t(fm.image_line));
    f.add(fm.description).add(fm.lang).add(int64_t(fm.book_hidden));
    f.add(language).add(config.site.direction).add(int64_t(config.smart_punctuation));
    f.add(config.site.math_inline).add(config.site.math_block);
    f.add(int64_t(config.shortcodes.size()));
    for (const auto& [name, m] : config.shortcodes)
        f.add(name).add(m.as).add(m.include).add(m.lang);
    return f.finish();
}

EssayCache::Key EssayCache::pages_key(const std::vector<book::Essay>& essays,
                                      const book::SiteConfig& site,
                                      const std::filesystem::path& content_root) {
    // What resolve_links' page index and find_link read: every page's file, URL and title (in
    // book order: answers are chapter numbers), the site's path rules and the content folders.
    Framed f;
    f.add(content_root.string()).add(site.content_dir.string()).add(int64_t(site.hugo));
    f.add(site.lang).add(site.default_lang).add(site.url_prefix);
    f.add(int64_t(site.path_to_lower)).add(int64_t(site.owns_content_dir));
    f.add(int64_t(site.languages.size()));
    for (const auto& l : site.languages)
        f.add(l);
    f.add(int64_t(essays.size()));
    for (const auto& e : essays) {
        const auto& title = e.text.front.title;
        f.add(e.path.string()).add(e.url).add(int64_t(title.has_value())).add(title.value_or(""));
    }
    return f.finish();
}

std::optional<int> EssayCache::find_link(const Key& pages, const std::string& link) {
    std::lock_guard lock(mutex_);
    auto table = links_.find(pages);
    if (table == links_.end()) return std::nullopt;
    table->second.used = true;
    auto it = table->second.targets.find(link);
    if (it == table->second.targets.end()) return std::nullopt;
    return it->second;
}

void EssayCache::put_link(const Key& pages, std::string link, int target) {
    std::lock_guard lock(mutex_);
    Links& table = links_[pages];
    table.used = true;
    table.targets.emplace(std::move(link), target);
}

std::shared_ptr<const ParsedEssay> EssayCache::find(const Key& key) {
    std::lock_guard lock(mutex_);
    auto it = items_.find(key);
    if (it == items_.end()) {
        ++misses_;
        return nullptr;
    }
    ++hits_;
    it->second.used = true;
    return it->second.value;
}

void EssayCache::put(const Key& key, ParsedEssay parsed) {
    auto p = std::make_shared<const ParsedEssay>(std::move(parsed));
    std::lock_guard lock(mutex_);
    items_[key] = {std::move(p), true};
}

void EssayCache::begin_build() {
    std::lock_guard lock(mutex_);
    hits_ = misses_ = 0;
    for (auto& [key, item] : items_)
        item.used = false;
    for (auto& [key, table] : links_)
        table.used = false;
}

void EssayCache::end_build() {
    std::lock_guard lock(mutex_);
    std::erase_if(items_, [](const auto& kv) { return !kv.second.used; });
    std::erase_if(links_, [](const auto& kv) { return !kv.second.used; });
    last_hits_ = hits_;
    last_misses_ = misses_;
}

void EssayCache::clear() {
    std::lock_guard lock(mutex_);
    items_.clear();
    links_.clear();
}

} // namespace imprenta::doc
