#include "render/memo.h"

#include <cstring>

namespace imprenta::render {

KeyBuilder& KeyBuilder::add(std::string_view s) {
    add(int64_t(s.size()));
    sha_.update(s);
    return *this;
}

KeyBuilder& KeyBuilder::add(int64_t v) {
    char b[8];
    for (int i = 0; i < 8; ++i)
        b[i] = char(uint64_t(v) >> (8 * i));
    sha_.update({b, 8});
    return *this;
}

KeyBuilder& KeyBuilder::add(double v) {
    int64_t bits;
    static_assert(sizeof bits == sizeof v);
    std::memcpy(&bits, &v, sizeof v);
    return add(bits);
}

KeyBuilder& KeyBuilder::add(const Key& k) {
    sha_.update({reinterpret_cast<const char*>(k.data()), k.size()});
    return *this;
}

void Memo::end_build() {
    std::lock_guard lock(mutex_);
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
    std::lock_guard lock(mutex_);
    items_.clear();
    hits_ = misses_ = 0;
}

size_t Memo::size() const {
    std::lock_guard lock(mutex_);
    return items_.size();
}

} // namespace imprenta::render
