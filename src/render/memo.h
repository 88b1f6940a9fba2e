// What one build made, kept in memory for the next build of the same book (`imprenta watch`):
// per-chapter work (an EPUB page, a PDF chapter's layout) stored under a hash of everything it
// was made from, so a rebuild after one essay changed redoes only the work that essay's change
// reaches. Content-addressed: a stale result is never found, only left unused, and end_build()
// drops what the last build did not ask for, so memory stays near one book's worth.
#pragma once
#include "book/frontmatter.h"
#include "doc/essay_cache.h"
#include "doc/ir.h"
#include "image/prepare.h"

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <typeindex>
#include <utility>
#include <vector>

namespace imprenta::render {

// XXH3-128 of everything a result was made from: fast enough to hash a whole book's IR on
// every rebuild (a few ms), and collisions are not a practical concern for a book's own text.
using Key = std::array<uint8_t, 16>;

// The key of a sequence of values; strings are length-framed, so ("ab", "c") and ("a", "bc")
// give different keys.
class KeyBuilder {
public:
    KeyBuilder& add(std::string_view s);
    KeyBuilder& add(int64_t v);
    KeyBuilder& add(const Key& k);
    Key finish() const;

private:
    std::string bytes_;
};

class Memo {
public:
    // The value stored under `key` for type T, or null. Counts a hit or a miss.
    template <class T> std::shared_ptr<const T> find(const Key& key) {
        std::lock_guard lock(mutex_);
        auto it = items_.find({std::type_index(typeid(T)), key});
        if (it == items_.end()) {
            ++misses_;
            return nullptr;
        }
        ++hits_;
        it->second.used = true;
        return std::static_pointer_cast<const T>(it->second.value);
    }
    // Stores `value` under `key` and returns the stored copy.
    template <class T> std::shared_ptr<const T> put(const Key& key, T value) {
        auto p = std::make_shared<const T>(std::move(value));
        std::lock_guard lock(mutex_);
        items_[{std::type_index(typeid(T)), key}] = {p, true};
        return p;
    }

    // Per chapter of `book`, the key of its IR (doc::fingerprint): made once per build, in
    // parallel, for every renderer to build its keys on.
    const std::vector<Key>& chapter_keys(const doc::Book& book);

    // Starts a build: forgets the books of an earlier one (which may have failed).
    void begin_build();
    // Drops what the build that just ended did not find or store; its counts become last_*().
    void end_build();
    // Forgets everything (a change the keys do not cover, like book.toml or a template).
    void clear();

    // Of the last build that ended: results found, and results looked for and not found.
    size_t last_hits() const { return last_hits_; }
    size_t last_misses() const { return last_misses_; }
    size_t size() const;

    // The essays' parses (doc::assemble_book), begun, ended and cleared with the rest.
    doc::EssayCache& essays() { return essays_; }
    const doc::EssayCache& essays() const { return essays_; }
    // The images prepare_ahead made (image::Cache::keep), begun and cleared with the rest.
    image::KeptImages& images() { return images_; }
    // The essays' front matter (book::scan_content), begun and cleared with the rest.
    book::FrontMatterMemo& front_matter() { return front_matter_; }

private:
    doc::EssayCache essays_;
    image::KeptImages images_;
    book::FrontMatterMemo front_matter_;
    struct Item {
        std::shared_ptr<const void> value;
        bool used = false;
    };
    mutable std::mutex mutex_;
    std::map<std::pair<std::type_index, Key>, Item> items_;
    size_t hits_ = 0, misses_ = 0, last_hits_ = 0, last_misses_ = 0;
    std::map<const doc::Book*, std::vector<Key>> chapter_keys_; // of this build's books
};

} // namespace imprenta::render
