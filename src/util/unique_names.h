// Unique names from repeated bases ("intro", "intro-2", "intro-3" ...) in linear time: the
// counter of each base remembers where the last search stopped, so 20,000 identical headings
// cost 20,000 lookups, not 200 million.
#pragma once
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace imprenta::util {

class UniqueNames {
public:
    // Marks `name` as used (taken as is, whatever it looks like).
    void reserve(const std::string& name) { used_.insert(name); }
    bool contains(const std::string& name) const { return used_.count(name) > 0; }

    // `base` if unused, else the first unused `base-N` with N >= 2.
    std::string take(const std::string& base) {
        if (used_.insert(base).second) return base;
        int& next = next_[base];
        if (next < 2) next = 2;
        for (;; ++next) {
            std::string candidate = base + "-" + std::to_string(next);
            if (used_.insert(candidate).second) return candidate;
        }
    }

private:
    std::unordered_set<std::string> used_;
    std::unordered_map<std::string, int> next_;
};

} // namespace imprenta::util
