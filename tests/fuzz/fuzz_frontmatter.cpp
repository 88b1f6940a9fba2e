// Front matter (YAML and TOML headers) and newline normalisation: any bytes either split into
// front matter + body or fail with a BuildError that names the file and a line inside it.
#include "book/frontmatter.h"
#include "fuzz_common.h"
#include "util/diag.h"

#include <algorithm>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 64 * 1024) return 0;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    using namespace imprenta;

    std::string norm = book::normalize_newlines(text);
    fuzz::check(norm.find('\r') == std::string::npos, "normalize_newlines left a CR");
    fuzz::check(norm.size() <= text.size(), "normalize_newlines grew the text");

    int lines = 1 + int(std::count(norm.begin(), norm.end(), '\n'));
    try {
        auto split = book::split_front_matter(text, "content/fuzz.md");
        fuzz::check(split.body_line >= 1 && split.body_line <= lines + 1,
                    "body_line " + std::to_string(split.body_line) + " outside the file");
        fuzz::check(split.body.find('\r') == std::string::npos, "body keeps a CR");
        fuzz::check(split.body.size() <= norm.size(), "body longer than the text");
        fuzz::check(norm.ends_with(split.body), "body is not the end of the text");
        const auto& fm = split.front;
        fuzz::check(fm.weight == 0 || fm.weight_line >= 1, "weight without its line");
        fuzz::check(fm.weight_line <= lines, "weight line outside the file");
        fuzz::check(fm.image_line <= lines, "image line outside the file");
    } catch (const util::BuildError& e) {
        fuzz::check(e.pos().file == "content/fuzz.md", "error names another file");
        fuzz::check(e.pos().line >= 1 && e.pos().line <= lines + 1,
                    "error line " + std::to_string(e.pos().line) + " outside the file (" +
                        std::to_string(lines) + " lines): " + e.what());
        fuzz::check(std::string_view(e.what()).size() > 0, "empty error message");
    }
    return 0;
}
