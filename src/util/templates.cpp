#include "util/templates.h"

#include "util/diag.h"
#include "util/fs.h"
#include "util/sanitize.h"

namespace imprenta::util {

std::string_view builtin_template(std::string_view name) {
    for (const auto* t = detail::kTemplates; t->name; ++t)
        if (name == t->name) return t->data;
    throw BuildError({}, "no built-in template named '" + std::string(name) + "'");
}

std::string load_template(const std::filesystem::path& book_dir, std::string_view name,
                          Diagnostics* diags) {
    auto custom = book_dir / "templates" / std::filesystem::path(name);
    std::error_code ec;
    if (book_dir.empty() || !std::filesystem::is_regular_file(custom, ec))
        return std::string(builtin_template(name));
    std::string text = read_book_file(book_dir, custom, size_t(4) << 20);
    std::vector<Dropped> dropped;
    if (name.ends_with(".css"))
        text = sanitize_css(text, dropped);
    else if (name.ends_with(".xhtml"))
        text = sanitize_page_template(text, dropped);
    if (diags) {
        std::string shown = "templates/" + std::string(name);
        for (const auto& d : dropped)
            diags->warning({shown, d.line, d.col}, "dropped from the template override: " + d.what);
    }
    return text;
}

} // namespace imprenta::util
