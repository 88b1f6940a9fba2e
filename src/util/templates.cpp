#include "util/templates.h"

#include "util/diag.h"
#include "util/fs.h"

namespace imprenta::util {

std::string_view builtin_template(std::string_view name) {
    for (const auto* t = detail::kTemplates; t->name; ++t)
        if (name == t->name) return t->data;
    throw BuildError({}, "no built-in template named '" + std::string(name) + "'");
}

std::string load_template(const std::filesystem::path& book_dir, std::string_view name) {
    auto custom = book_dir / "templates" / std::filesystem::path(name);
    std::error_code ec;
    if (!book_dir.empty() && std::filesystem::is_regular_file(custom, ec)) return read_file(custom);
    return std::string(builtin_template(name));
}

} // namespace imprenta::util
