// Release files: versioned output names and the SHA256SUMS file beside them.
#pragma once
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace imprenta::cli {

inline constexpr const char* kChecksumsName = "SHA256SUMS";

// The file stem of a book's outputs: "slug", or "slug-1.2.0" for a release.
std::string output_stem(const std::string& slug, const std::string& version);

// SHA256SUMS in the format `sha256sum -c` reads ("HEX  name", two spaces, text mode), one line per
// file, sorted by name so two builds of the same book give the same bytes. `files` pairs each
// output's final name with the path its bytes are at now (its staged, temporary copy).
std::string checksums(const std::vector<std::pair<std::string, std::filesystem::path>>& files);

} // namespace imprenta::cli
