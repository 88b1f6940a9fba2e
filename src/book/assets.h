// Resolving image references to files inside the book folder: the essay's folder, then assets/,
// then the book folder, then Hugo's static/ — never outside the book folder, never the network.
#pragma once
#include "book/asset.h"
#include "book/config.h"
#include "util/diag.h"

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace imprenta::book {

class AssetResolver {
public:
    explicit AssetResolver(const Config& config);

    // Index of the asset `ref` names, as written in an essay in `essay_dir`; -1 (with a warning
    // at `pos` in `diags`) if it cannot be found, is outside the book or is not a readable image.
    // Thread-safe; the same file always gives the same index.
    // `page_url`: the page's URL in a Hugo site ("/docs/intro/"), which relative references
    // are resolved against as a browser would.
    int resolve(const std::string& ref, const std::filesystem::path& essay_dir,
                const util::SourcePos& pos, util::Diagnostics& diags,
                const std::string& page_url = {});

    // Newest modification time among the files resolved so far (seconds since the epoch).
    int64_t newest_mtime() const;

    std::vector<Asset> take();

private:
    // A further reference to asset `index`: kept as used_at when it is the earliest. Under mu_.
    int seen_again(int index, const util::SourcePos& pos);
    const Config& config_;
    std::filesystem::path root_resolved_; // the book folder, symlinks resolved
    mutable std::mutex mu_;
    std::map<std::filesystem::path, int> by_path_;
    std::vector<Asset> assets_;
    int64_t newest_ = 0;
};

} // namespace imprenta::book
