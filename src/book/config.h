// Book configuration: book.toml (or a Hugo site's hugo.toml + book.toml), with defaults.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace imprenta::book {

// [pdf] in book.toml. Zero / empty means "use the default" (documented in the README).
struct PdfConfig {
    std::string paper;    // "a5" (default) | "a4" | "letter" | "6x9in"
    double font_size = 0; // points, default 10.5
    double leading = 0;   // baseline-to-baseline distance as a multiple of font_size, default 1.3
    double margin_inner = 0; // millimetres; inner/outer mirror on facing pages
    double margin_outer = 0;
    double margin_top = 0;
    double margin_bottom = 0;
    // TrueType font files (absolute, or relative to the book folder); defaults are Debian fonts.
    std::string font_regular, font_bold, font_italic, font_bold_italic, font_mono, font_fallback;
    int image_dpi = 0; // resolution images are embedded at, default 300
};

struct Config {
    std::filesystem::path root;        // the book folder, absolute
    std::filesystem::path config_file; // book.toml if one was read, else empty
    std::string title;
    std::string subtitle;
    std::vector<std::string> authors;
    std::string language; // BCP 47; empty = "en" unless the content says otherwise
    std::string identifier;
    std::string publisher;
    std::string description;
    std::string rights;
    std::string date;
    std::string slug;
    std::string cover; // path as written in book.toml
    bool smart_punctuation = true;
    // Path prefixes rewritten before images are resolved ("_din_style" -> "style_1").
    std::map<std::string, std::string> path_aliases;
    PdfConfig pdf;
};

} // namespace imprenta::book
