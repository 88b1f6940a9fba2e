// Release files: versioned output names and the SHA256SUMS file beside them.
#pragma once
#include "util/fs.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace imprenta::cli {

inline constexpr const char* kChecksumsName = "SHA256SUMS";

// The file stem of a book's outputs: "slug", or "slug-1.2.0" for a release.
std::string output_stem(const std::string& slug, const std::string& version);

// SHA256SUMS in the format `sha256sum -c` reads ("HEX  name", two spaces, text mode), one line per
// file, sorted by name so two builds of the same book give the same bytes. The hashes are taken
// from the files' pending (temporary) copies.
std::string checksums(const std::vector<std::unique_ptr<util::PendingFile>>& outputs);

} // namespace imprenta::cli
