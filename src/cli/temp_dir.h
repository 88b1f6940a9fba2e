// A private scratch folder (mkdtemp under $TMPDIR), removed with everything in it on destruction,
// or by the signal thread (util::remove_pending_temp_files) when SIGINT/SIGTERM stop the build.
#pragma once
#include "util/diag.h"
#include "util/fs.h"

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
        util::register_scratch_dir(path_);
    }
    ~TempDir() {
        util::unregister_scratch_dir(path_);
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
