#include "util/output_folder.h"

#include "util/diag.h"

namespace imprenta::util {

namespace fs = std::filesystem;

OutputFolder::OutputFolder(fs::path dir) : dir_(std::move(dir)) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec || !fs::is_directory(dir_))
        throw BuildError({dir_.string()},
                         "cannot create output folder" + (ec ? ": " + ec.message() : ""));
}

PendingFile& OutputFolder::stage(const std::string& file_name) {
    files_.push_back(std::make_unique<PendingFile>(output_path(dir_, file_name)));
    return *files_.back();
}

void OutputFolder::commit() {
    std::error_code ec;
    for (const auto& f : files_)
        if (fs::is_directory(f->target(), ec))
            throw BuildError({f->target().string()},
                             "cannot write output file: a folder is in the way");
    for (auto& f : files_)
        f->commit(/*sync_folder=*/false);
    if (!files_.empty()) fsync_path(dir_);
}

std::vector<fs::path> OutputFolder::targets() const {
    std::vector<fs::path> out;
    for (const auto& f : files_)
        out.push_back(f->target());
    return out;
}

} // namespace imprenta::util
