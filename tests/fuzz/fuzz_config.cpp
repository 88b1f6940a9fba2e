// Configuration files (book.toml, hugo.toml, hugo.yaml): any bytes either give a layout that obeys
// the path rule (content folders inside the book, output names that are plain file names) or fail
// with a BuildError naming the file and a line inside it.
#include "book/layout.h"
#include "fuzz_common.h"
#include "util/diag.h"
#include "util/fs.h"

#include <algorithm>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1 || size > 64 * 1024) return 0;
    using namespace imprenta;
    namespace fs = std::filesystem;
    fuzz::serial();
    // The first byte picks the file; the rest is its text.
    static const char* names[] = {"book.toml", "hugo.toml", "hugo.yaml"};
    const char* name = names[data[0] % 3];
    std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    static const fs::path root = [] {
        fs::path dir = fuzz::scratch_book() / "config-book";
        fs::create_directories(dir / "content" / "docs");
        std::ofstream(dir / "content" / "a.md") << "# A\n\nText.\n";
        return fs::canonical(dir);
    }();
    for (const char* n : names)
        fs::remove(root / n);
    std::ofstream(root / name, std::ios::binary) << text;

    int lines = 1 + int(std::count(text.begin(), text.end(), '\n'));
    util::Diagnostics diags;
    try {
        book::Layout layout = book::detect_layout(root, diags);
        for (const auto& e : layout.editions) {
            fuzz::check(util::is_within(root, e.content) || e.content == root,
                        "content folder outside the book: " + e.content.string(), text);
            fuzz::check(e.lang.empty() || util::is_plain_file_name(e.lang),
                        "language code is no file name: " + e.lang, text);
        }
        const auto& slug = layout.config.slug;
        fuzz::check(slug.empty() || (util::is_plain_file_name(slug) && slug[0] != '.'),
                    "slug is no file name: " + slug, text);
        for (const std::string* font :
             {&layout.config.pdf.font_regular, &layout.config.pdf.font_mono})
            fuzz::check(font->empty() || !util::looks_like_font_file(*font) ||
                            fs::path(*font).is_absolute(),
                        "font file left unresolved"); // a family name goes to fontconfig
    } catch (const util::BuildError& e) {
        fuzz::check(std::string_view(e.what()).size() > 0, "empty error message");
        if (e.pos().file == name)
            fuzz::check(e.pos().line <= lines + 1,
                        "error line " + std::to_string(e.pos().line) +
                            " outside the file: " + e.what(),
                        text);
    }
    return 0;
}
