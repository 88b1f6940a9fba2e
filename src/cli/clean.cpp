// `imprenta clean`: removes the files builds recorded in the output folder's manifest, and
// nothing else.
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/find_book.h"
#include "cli/manifest.h"
#include "util/diag.h"

#include <cstdio>

namespace imprenta::cli {

namespace fs = std::filesystem;

int run_clean(const std::vector<std::string>& args) {
    BuildArgs b = parse_build_args(args);
    try {
        BookTarget target = find_book(b.book, b.book_given);
        fs::path out_dir = b.out ? *b.out : target.root / "dist";
        std::error_code ec;
        if (!fs::exists(out_dir / kManifestName, ec)) {
            if (!b.quiet)
                std::printf("nothing to clean: %s has no %s (imprenta removes only files it "
                            "recorded writing)\n",
                            out_dir.string().c_str(), kManifestName);
            return 0;
        }
        int removed = 0;
        for (const auto& e : read_manifest(out_dir)) {
            fs::path p = out_dir / e.file;
            // A folder or a link someone put under that name is not what the build wrote.
            if (!fs::is_regular_file(fs::symlink_status(p, ec))) continue;
            if (!fs::remove(p, ec))
                throw util::BuildError({p.string()}, "cannot remove: " + ec.message());
            ++removed;
            if (b.verbose) std::printf("removed %s\n", p.string().c_str());
        }
        fs::remove(out_dir / kManifestName, ec);
        // The output folder goes too when the build's files were all it held.
        bool folder_gone = fs::is_empty(out_dir, ec) && !ec && fs::remove(out_dir, ec);
        if (!b.quiet)
            std::printf("removed %d file%s from %s%s\n", removed, removed == 1 ? "" : "s",
                        out_dir.string().c_str(), folder_gone ? " (and the empty folder)" : "");
        return 0;
    } catch (const util::BuildError& e) {
        std::fprintf(stderr, "%s\n", e.formatted().c_str());
        return 1;
    }
}

} // namespace imprenta::cli
