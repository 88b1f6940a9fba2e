// A map from strings to values for the hot caches (shaping, hyphenation): open addressing over a
// power-of-two table of (hash, index) slots, entries in insertion order. std::unordered_map spent
// 8 % of a PDF build's cycles in the shaping cache alone, in its prime-modulo divisions and the
// pointer chase from bucket to node; here a lookup is one probe into a flat array, then the key.
#pragma once
#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace imprenta::util {

template <class V> class StringTable {
public:
    size_t size() const { return entries_.size(); }
    void clear() {
        entries_.clear();
        slots_.clear();
    }
    // The value stored for `key`, or nullptr. The pointer is valid until the next add or clear.
    const V* find(std::string_view key) const {
        if (slots_.empty()) return nullptr;
        uint64_t h = hash(key);
        size_t mask = slots_.size() - 1;
        for (size_t i = h & mask;; i = (i + 1) & mask) {
            const Slot& s = slots_[i];
            if (s.index == kEmpty) return nullptr;
            if (s.hash == h && entries_[s.index].first == key) return &entries_[s.index].second;
        }
    }
    // The value stored for `key`, or a new value-initialised one. The reference is valid until
    // the next call or clear.
    V& find_or_add(std::string_view key) {
        if (entries_.size() * 2 >= slots_.size()) grow();
        uint64_t h = hash(key);
        size_t mask = slots_.size() - 1;
        for (size_t i = h & mask;; i = (i + 1) & mask) {
            Slot& s = slots_[i];
            if (s.index == kEmpty) {
                s = {h, uint32_t(entries_.size())};
                return entries_.emplace_back(std::string(key), V{}).second;
            }
            if (s.hash == h && entries_[s.index].first == key) return entries_[s.index].second;
        }
    }

private:
    static constexpr uint32_t kEmpty = UINT32_MAX;
    struct Slot {
        uint64_t hash = 0;
        uint32_t index = kEmpty; // into entries_
    };
    std::vector<Slot> slots_;
    std::vector<std::pair<std::string, V>> entries_;

    static uint64_t hash(std::string_view key) { return std::hash<std::string_view>()(key); }

    void grow() {
        std::vector<Slot> old(std::max<size_t>(1024, slots_.size() * 2));
        old.swap(slots_);
        size_t mask = slots_.size() - 1;
        for (const Slot& s : old) {
            if (s.index == kEmpty) continue;
            size_t i = s.hash & mask;
            while (slots_[i].index != kEmpty)
                i = (i + 1) & mask;
            slots_[i] = s;
        }
    }
};

} // namespace imprenta::util
