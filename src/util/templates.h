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

class Diagnostics;

// `book_dir/templates/name` if that file exists, else the built-in one. An override must resolve
// inside the book folder (else BuildError) and goes through the sanitiser (util/sanitize.h): what
// it drops is a warning in `diags` at templates/name:line.
std::string load_template(const std::filesystem::path& book_dir, std::string_view name,
                          Diagnostics* diags = nullptr);

} // namespace imprenta::util
