// The output folder as one transaction: every output is written to a temporary file beside its
// target, and commit() renames them all into place, or none if the build failed first. Replaces
// writing each file atomically on its own, which left a mix of old and new files on failure.
#pragma once
#include "util/fs.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace imprenta::util {

class OutputFolder {
public:
    // Creates the folder if needed; throws BuildError when it cannot.
    explicit OutputFolder(std::filesystem::path dir);

    const std::filesystem::path& dir() const { return dir_; }

    // A temporary file for `file_name` (a plain name: util::output_path) in the folder, renamed
    // over it at commit(); removed if the transaction is dropped uncommitted. Call its
    // written() once the file is complete.
    PendingFile& stage(const std::string& file_name);

    // Renames every staged file into place. Renames cannot be atomic as a group, so what would
    // make one fail (a folder in the way) is checked for all of them first; the folder is
    // fsynced once, after the last rename. Throws BuildError.
    void commit();

    // The final paths, in the order they were staged.
    std::vector<std::filesystem::path> targets() const;

private:
    std::filesystem::path dir_;
    std::vector<std::unique_ptr<PendingFile>> files_;
};

} // namespace imprenta::util
