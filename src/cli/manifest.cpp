#include "cli/manifest.h"

#include "util/fs.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace imprenta::cli {

namespace fs = std::filesystem;

namespace {

bool plain_file_name(const std::string& name) {
    return util::is_plain_file_name(name) && name != kManifestName;
}

} // namespace

std::vector<ManifestEntry> read_manifest(const fs::path& out_dir) {
    std::vector<ManifestEntry> entries;
    std::error_code ec;
    fs::path file = out_dir / kManifestName;
    if (!fs::is_regular_file(file, ec)) return entries;
    std::istringstream in(util::read_file(file, 1 << 20));
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        size_t tab = line.find('\t');
        if (tab == std::string::npos) continue;
        ManifestEntry e{line.substr(0, tab), line.substr(tab + 1)};
        if (plain_file_name(e.file)) entries.push_back(std::move(e));
    }
    return entries;
}

std::vector<std::string> update_manifest(const fs::path& out_dir,
                                         const std::vector<ManifestEntry>& written) {
    std::set<std::string> kinds, names;
    for (const auto& w : written) {
        kinds.insert(w.kind);
        names.insert(w.file);
    }
    std::vector<ManifestEntry> merged = written;
    std::vector<std::string> removed;
    std::error_code ec;
    for (const auto& old : read_manifest(out_dir)) {
        if (names.count(old.file)) continue;
        fs::path p = out_dir / old.file;
        if (kinds.count(old.kind)) {
            // Only a regular file is removed: something else under that name is not ours.
            if (fs::is_regular_file(fs::symlink_status(p, ec)) && fs::remove(p, ec))
                removed.push_back(old.file);
            continue;
        }
        if (fs::exists(fs::symlink_status(p, ec))) {
            names.insert(old.file);
            merged.push_back(old);
        }
    }
    std::sort(merged.begin(), merged.end(),
              [](const ManifestEntry& a, const ManifestEntry& b) { return a.file < b.file; });
    std::string text = "# Files imprenta wrote here; `imprenta clean` removes them.\n";
    for (const auto& e : merged)
        text += e.kind + "\t" + e.file + "\n";
    // Unchanged (every rebuild under watch): not written again, which spares two fsyncs.
    fs::path file = out_dir / kManifestName;
    if (fs::is_regular_file(fs::symlink_status(file, ec))) {
        try {
            if (util::read_file(file, 1 << 20) == text) return removed;
        } catch (const util::BuildError&) {
        }
    }
    util::write_file_atomic(file, text);
    return removed;
}

} // namespace imprenta::cli
