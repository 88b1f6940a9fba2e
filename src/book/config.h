// Book configuration: book.toml (or a Hugo site's hugo.toml + book.toml), with defaults.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace imprenta::book {

// [print] in book.toml: a print-on-demand interior and cover (README "Printing your book").
struct PrintConfig {
    std::string service; // "" (no print settings) | "none" | "kdp" | "ingramspark" | "lulu"
    std::string trim;    // a name from print_trims() ("6x9", "a5", ...); "" = not for print
    double trim_w = 0, trim_h = 0; // millimetres, from `trim`
    bool bleed = false;            // pages carry 3.175 mm (0.125 in) of bleed on outer edges
    std::string paper = "white";   // "white" | "cream": the spine's thickness per page
    bool marks = false;            // crop marks outside the bleed, on a larger MediaBox
    std::string pdfx = "none";     // "none" | "x4" (RGB kept, tagged sRGB) | "x1a" (all CMYK)
    std::string output_profile;    // CMYK ICC profile of the output intent ("" = the default)
    std::string price;             // EAN-5 add-on under the cover's ISBN barcode ("" = none)
    bool barcode = true;           // an ISBN identifier is drawn as a barcode on the back cover
    bool enabled() const { return !trim.empty(); }
};

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
    int image_dpi = 0;    // resolution images are embedded at, default 300
    std::string standard; // "" (tagged PDF, PDF/UA-1 structure) | "pdf/a-2u" (and archival)
    // The spine's side: "" (auto: right for a right-to-left book, as Typst's binding) | "left" |
    // "right".
    std::string binding;
    // The book's cover (book.toml `cover`, else the one drawn for the EPUB) as the first page,
    // before the title page; not in a [print] interior (its cover is a file of its own).
    bool cover_page = false;
    // Paragraph and page breaking (README, "Typesetting rules"); TeX's own value in brackets.
    bool final_hyphen_if_nothing_else_fits = true; // [false]
    double final_hyphen_demerits = 5000;           // [5000] \finalhyphendemerits
    double double_hyphen_demerits = 10000;         // [10000] \doublehyphendemerits
    int max_hyphenated_lines = 2; // [no limit] consecutive lines ending in a hyphen
    int left_hyphen_min = 0, right_hyphen_min = 0; // [2, 3] 0: the language's (en, es: 2, 3)
    bool hyphenate_capitalized = false;            // [\uchyph=1: true]
    double emergency_stretch = 1.5;                // [0pt] \emergencystretch, in ems
    bool protrusion = true; // [pdfTeX \pdfprotrudechars=0: false] punctuation hangs in the margin
    double broken_penalty = 500;       // [100] \brokenpenalty: a page ends in a hyphen
    double broken_turn_penalty = 3000; // [none] ... a recto's last line, the word goes overleaf
    int chapter_end_min_lines = 3;     // [none] lines on a chapter's last page, at least
    bool flush_bottom = true;          // [\flushbottom] pages end on the same line (glue stretched)
    std::vector<std::string> hyphenation; // [\hyphenation{}] "ta-ble": a word's break points
    PrintConfig print;                    // [print]: the interior is set for a printer
};

// What a Hugo site's configuration says about one edition: where its pages live, how their URLs
// are formed (links between pages are written as those URLs) and which pages Hugo would publish.
// One language of a Hugo site, as a link from another edition sees it.
struct SiteLanguage {
    std::string code;
    std::filesystem::path content_dir;
    std::string url_prefix;       // "/fr", or "" for the default language at the site root
    bool owns_content_dir = true; // files without a language suffix are this language's
};

// Delimiter pairs of goldmark's passthrough extension ({"$", "$"}, {"\\[", "\\]"}).
using MathDelimiters = std::vector<std::pair<std::string, std::string>>;

struct SiteConfig {
    bool hugo = false;
    std::filesystem::path content_dir;  // the edition's content folder: URLs are paths below it
    std::string lang;                   // this edition's language code ("" for one language)
    std::string default_lang;           // defaultContentLanguage
    std::vector<std::string> languages; // every declared code: the x.pl.md suffixes
    bool owns_content_dir = true;       // files without a language suffix are this edition's
    std::string url_prefix;             // "/fr" when the language is served under its code
    bool path_to_lower = true;          // !disablePathToLower
    std::string direction;              // "rtl" or ""
    // hugo -D / -F / -E: drafts, future publishDate and past expiryDate are left out by default.
    bool drafts = false, future = false, expired = false;
    int64_t now = 0;      // seconds since the epoch, for publishDate and expiryDate
    std::string base_url; // baseURL: where the other editions are on the web
    std::vector<SiteLanguage> all_languages; // every edition of the site, this one too
    // markup.goldmark.extensions.passthrough: math kept as written (none unless enabled).
    MathDelimiters math_inline, math_block;
};

// `[shortcodes.NAME]` in book.toml: a site's own shortcode mapped to a built-in behaviour.
struct ShortcodeMapping {
    std::string as;      // a built-in name: "details", "hint", "tab", ... ("" = keep content)
    std::string include; // "param:path" or "file:x": include a file of the site as a code block
    std::string lang;    // the code block's language ("param:lang" or a literal)
};

struct Config {
    std::filesystem::path root;        // the book folder, absolute
    std::filesystem::path config_file; // book.toml if one was read, else empty
    std::string title;
    std::string subtitle;
    std::vector<std::string> authors;
    std::string language; // BCP 47; empty = "en" unless the content says otherwise
    int language_line = 0, language_col = 0; // where book.toml sets it (0: not there)
    std::string identifier;
    std::string publisher;
    std::string description;
    std::string rights;
    std::string date;
    std::string slug;
    std::string cover;   // path as written in book.toml
    std::string version; // release version ("1.2.0"): output names, OPF and PDF metadata
    int toc_depth = 2;   // heading levels in the contents: 1 = chapters only, 2 = and their h2
    bool smart_punctuation = true;
    // Path prefixes rewritten before images are resolved ("_din_style" -> "style_1").
    std::map<std::string, std::string> path_aliases;
    PdfConfig pdf;
    SiteConfig site;
    std::map<std::string, ShortcodeMapping> shortcodes;
};

} // namespace imprenta::book
