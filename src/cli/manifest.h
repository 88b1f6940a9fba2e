// The record, kept in the output folder, of the files builds wrote there: `imprenta clean` removes
// exactly those, and a build removes the ones an earlier build wrote under an old slug.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace imprenta::cli {

inline constexpr const char* kManifestName = ".imprenta-manifest";

struct ManifestEntry {
    std::string kind; // what made it: "epub" or "pdf", with the edition's language: "epub:es"
    std::string file; // a plain file name inside the output folder
};

// The entries of OUT/.imprenta-manifest; none if there is no manifest. Lines that do not name a
// plain file inside the folder (no '/', no "..") are ignored, so a tampered manifest cannot make
// clean remove anything elsewhere.
std::vector<ManifestEntry> read_manifest(const std::filesystem::path& out_dir);

// After a build committed `written`: earlier entries of the same kinds under other names (the
// book's slug changed) are removed from disk; entries of other kinds (a --format pdf build after
// a full one, another --lang) stay. Writes the merged manifest atomically and returns the names
// of the stale files removed.
std::vector<std::string> update_manifest(const std::filesystem::path& out_dir,
                                         const std::vector<ManifestEntry>& written);

} // namespace imprenta::cli
