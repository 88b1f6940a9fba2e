// A private scratch folder (mkdtemp under $TMPDIR), removed with everything in it on destruction.
#pragma once
#include "util/diag.h"

#include <cstdlib>
#include <filesystem>
#include <string>

namespace imprenta::cli {

class TempDir {
public:
    TempDir() {
        std::error_code ec;
        std::string pattern = (std::filesystem::temp_directory_path(ec) / "imprenta-XXXXXX");
        if (ec) pattern = "/tmp/imprenta-XXXXXX";
        if (!mkdtemp(pattern.data()))
            throw util::BuildError({pattern}, "cannot create a scratch folder");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

} // namespace imprenta::cli
