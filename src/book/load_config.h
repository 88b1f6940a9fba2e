// Reads a book folder's configuration: book.toml, with defaults for everything it leaves out.
#pragma once
#include "book/config.h"

namespace imprenta::book {

// `root` must be an existing directory. Throws util::BuildError (file:line) on a malformed
// book.toml or a value of the wrong type.
Config load_config(const std::filesystem::path& root);

// Applies the keys of one book.toml file on top of `cfg` (used for a Hugo site's book.toml too).
void apply_book_toml(const std::filesystem::path& file, Config& cfg);

} // namespace imprenta::book
