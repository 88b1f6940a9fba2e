// Reading [print] from book.toml (only the config loader sees toml++).
#pragma once
#include "book/config.h"

#include <toml++/toml.h>

#include <string>

namespace imprenta::book {

// Reads the [print] table into `print`; `display` names book.toml in messages. Throws
// BuildError at the offending value's line.
void read_print(const toml::table& t, const std::string& display, PrintConfig& print);

} // namespace imprenta::book
