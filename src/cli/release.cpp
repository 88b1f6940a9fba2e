#include "cli/release.h"

#include "util/fs.h"
#include "util/hash.h"

#include <algorithm>
#include <utility>

namespace imprenta::cli {

std::string output_stem(const std::string& slug, const std::string& version) {
    return version.empty() ? slug : slug + "-" + version;
}

std::string checksums(const std::vector<std::pair<std::string, std::filesystem::path>>& files) {
    std::vector<std::pair<std::string, std::string>> rows; // name, hash
    for (const auto& [name, path] : files)
        rows.emplace_back(name, util::sha256_hex(util::read_file(path, size_t(4) << 30)));
    std::sort(rows.begin(), rows.end());
    std::string out;
    for (const auto& [name, hash] : rows)
        out += hash + "  " + name + "\n";
    return out;
}

} // namespace imprenta::cli
