// Templates (XHTML skeletons, CSS, PDF style) compiled into the binary from templates/, and
// overridable by a file of the same relative path under the book's own templates/ folder.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>

namespace imprenta::util {

namespace detail {
struct EmbeddedTemplate {
    const char* name;
    std::string_view data;
};
extern const EmbeddedTemplate kTemplates[];
} // namespace detail

// The built-in template `name` (e.g. "epub/style.css"); throws BuildError if there is none.
std::string_view builtin_template(std::string_view name);

// `book_dir/templates/name` if that file exists, else the built-in one.
std::string load_template(const std::filesystem::path& book_dir, std::string_view name);

} // namespace imprenta::util
