#include "render/memo.h"

#include "doc/fingerprint.h"
#include "util/hash.h"
#include "util/parallel.h"

#include <cstring>

namespace imprenta::render {

KeyBuilder& KeyBuilder::add(std::string_view s) {
    add(int64_t(s.size()));
    bytes_.append(s);
    return *this;
}

KeyBuilder& KeyBuilder::add(int64_t v) {
    char b[8];
    std::memcpy(b, &v, 8);
    bytes_.append(b, 8);
    return *this;
}

KeyBuilder& KeyBuilder::add(const Key& k) {
    bytes_.append(reinterpret_cast<const char*>(k.data()), k.size());
    return *this;
}

Key KeyBuilder::finish() const {
    return util::xxh3_128(bytes_);
}

const std::vector<Key>& Memo::chapter_keys(const doc::Book& book) {
    std::lock_guard lock(mutex_);
    auto [it, added] = chapter_keys_.try_emplace(&book);
    if (added) {
        std::vector<Key>& keys = it->second; // (a structured binding cannot be captured in C++17)
        keys.resize(book.chapters.size());
        util::parallel_for(book.chapters.size(),
                           [&](size_t i) { keys[i] = doc::fingerprint_key(book.chapters[i]); });
    }
    return it->second;
}

void Memo::begin_build() {
    essays_.begin_build();
    images_.begin_build();
    front_matter_.begin_build();
    std::lock_guard lock(mutex_);
    chapter_keys_.clear();
    hits_ = misses_ = 0;
}

void Memo::end_build() {
    essays_.end_build();
    std::lock_guard lock(mutex_);
    chapter_keys_.clear();
    for (auto it = items_.begin(); it != items_.end();) {
        if (!it->second.used) {
            it = items_.erase(it);
        } else {
            it->second.used = false;
            ++it;
        }
    }
    last_hits_ = hits_;
    last_misses_ = misses_;
    hits_ = misses_ = 0;
}

void Memo::clear() {
    essays_.clear();
    images_.clear();
    front_matter_.clear();
    std::lock_guard lock(mutex_);
    chapter_keys_.clear();
    items_.clear();
    hits_ = misses_ = 0;
}

size_t Memo::size() const {
    std::lock_guard lock(mutex_);
    return items_.size();
}

} // namespace imprenta::render
