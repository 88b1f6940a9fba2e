// What a book folder holds and what to build from it: a book folder (content/ + book.toml), a bare
// folder of essays, or a Hugo site (hugo.toml); one edition per language where there are several.
#pragma once
#include "book/config.h"
#include "util/diag.h"

#include <filesystem>
#include <string>
#include <vector>

namespace imprenta::book {

struct Edition {
    std::string lang;              // "" for a single-language book
    std::filesystem::path content; // the folder whose essays make the book
    std::string title;             // per-language title, if the configuration gives one
    std::string description;       // per-language params.description / BookDescription
    SiteConfig site;               // Hugo facts for this edition (site.hugo false otherwise)
};

struct Layout {
    Config config;                   // book.toml over hugo.toml
    std::vector<Edition> editions;   // in the configuration's language order
    bool per_language_names = false; // output files are <slug>-<lang>.epub
};

// Throws util::BuildError for malformed configuration files.
Layout detect_layout(const std::filesystem::path& root, util::Diagnostics& diags);

} // namespace imprenta::book
