// One entry of the book's asset table: an image (or the cover) found by the AssetResolver.
#pragma once
#include "util/diag.h"

#include <filesystem>
#include <string>
#include <tuple>

namespace imprenta::book {

// An image (or the cover) the book uses, resolved to a file inside the book folder.
struct Asset {
    std::filesystem::path source; // absolute path of the file as found
    std::string source_display;   // path relative to the book folder, for diagnostics
    std::string name;             // unique stem for output files ("img/02_cgpt"), no extension
    int width = 0;                // pixel size as probed (0 for SVG without one)
    int height = 0;
    std::string format; // "png" | "jpeg" | "webp" | "gif" | "svg"
    // Where the book first refers to it (the earliest by file, line, column, so the same
    // whatever order chapters were read in), for diagnostics about the image itself.
    util::SourcePos used_at;
};

// The earlier of the two references.
inline bool refers_earlier(const util::SourcePos& a, const util::SourcePos& b) {
    return std::tie(a.file, a.line, a.col) < std::tie(b.file, b.line, b.col);
}

} // namespace imprenta::book
