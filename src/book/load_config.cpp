#include "book/load_config.h"

#include "book/isbn.h"
#include "book/print_toml.h"

#include "util/diag.h"
#include "util/fs.h"

#include <toml++/toml.h>

#include <cctype>
#include <cstdio>

namespace imprenta::book {

using util::BuildError;

namespace {

struct TomlReader {
    const std::string& file;

    util::SourcePos pos(const toml::node& n) const {
        return {file, int(n.source().begin.line), int(n.source().begin.column)};
    }
    std::string str(const toml::table& t, std::string_view key) const {
        const toml::node* n = t.get(key);
        if (!n) return {};
        if (auto s = n->value_exact<std::string>()) return *s;
        throw BuildError(pos(*n), "'" + std::string(key) + "' must be a string");
    }
    double num(const toml::table& t, std::string_view key) const {
        const toml::node* n = t.get(key);
        if (!n) return 0;
        if (auto d = n->value<double>()) {
            if (*d <= 0) throw BuildError(pos(*n), "'" + std::string(key) + "' must be positive");
            return *d;
        }
        throw BuildError(pos(*n), "'" + std::string(key) + "' must be a number");
    }
    bool boolean(const toml::table& t, std::string_view key, bool fallback) const {
        const toml::node* n = t.get(key);
        if (!n) return fallback;
        if (auto b = n->value_exact<bool>()) return *b;
        throw BuildError(pos(*n), "'" + std::string(key) + "' must be true or false");
    }
    std::vector<std::string> strings(const toml::table& t, std::string_view key) const {
        const toml::node* n = t.get(key);
        if (!n) return {};
        if (auto s = n->value_exact<std::string>()) return {*s};
        std::vector<std::string> out;
        if (const auto* arr = n->as_array()) {
            for (const auto& item : *arr) {
                if (auto s = item.value_exact<std::string>())
                    out.push_back(*s);
                else
                    throw BuildError(pos(item), "'" + std::string(key) + "' must list strings");
            }
            return out;
        }
        throw BuildError(pos(*n),
                         "'" + std::string(key) + "' must be a string or a list of strings");
    }
};

std::string shortest(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

// A number in [lo, hi], or `fallback` when absent.
double ranged(const TomlReader& r, const toml::table& t, std::string_view key, double fallback,
              double lo, double hi) {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    auto d = n->value<double>();
    if (!d || !(*d >= lo && *d <= hi))
        throw BuildError(r.pos(*n), "'" + std::string(key) + "' must be a number from " +
                                        shortest(lo) + " to " + shortest(hi));
    return *d;
}

// The typesetting rules of paragraphs and pages (TeX's parameters, README "Typesetting rules").
void read_breaking(const TomlReader& r, const toml::table& t, PdfConfig& pdf) {
    constexpr double kMaxDemerits = 1e7;
    pdf.final_hyphen_if_nothing_else_fits =
        r.boolean(t, "final_hyphen_if_nothing_else_fits", pdf.final_hyphen_if_nothing_else_fits);
    pdf.final_hyphen_demerits =
        ranged(r, t, "final_hyphen_demerits", pdf.final_hyphen_demerits, 0, kMaxDemerits);
    pdf.double_hyphen_demerits =
        ranged(r, t, "double_hyphen_demerits", pdf.double_hyphen_demerits, 0, kMaxDemerits);
    pdf.max_hyphenated_lines =
        int(ranged(r, t, "max_hyphenated_lines", pdf.max_hyphenated_lines, 0, 20));
    pdf.left_hyphen_min = int(ranged(r, t, "left_hyphen_min", pdf.left_hyphen_min, 0, 10));
    pdf.right_hyphen_min = int(ranged(r, t, "right_hyphen_min", pdf.right_hyphen_min, 0, 10));
    pdf.hyphenate_capitalized = r.boolean(t, "hyphenate_capitalized", pdf.hyphenate_capitalized);
    pdf.emergency_stretch = ranged(r, t, "emergency_stretch", pdf.emergency_stretch, 0, 10);
    pdf.protrusion = r.boolean(t, "protrusion", pdf.protrusion);
    pdf.broken_penalty = ranged(r, t, "broken_penalty", pdf.broken_penalty, 0, 10000);
    pdf.broken_turn_penalty =
        ranged(r, t, "broken_turn_penalty", pdf.broken_turn_penalty, 0, 10000);
    pdf.chapter_end_min_lines =
        int(ranged(r, t, "chapter_end_min_lines", pdf.chapter_end_min_lines, 0, 10));
    pdf.flush_bottom = r.boolean(t, "flush_bottom", pdf.flush_bottom);
    pdf.hyphenation = r.strings(t, "hyphenation");
    const toml::node* list = t.get("hyphenation");
    for (const std::string& word : pdf.hyphenation) {
        bool ok = !word.empty() && word.front() != '-' && word.back() != '-' &&
                  word.find("--") == std::string::npos;
        for (char c : word)
            ok = ok && (static_cast<unsigned char>(c) >= 0x80 || c == '-' || c == '\'' ||
                        std::isalpha(static_cast<unsigned char>(c)));
        if (!ok)
            throw BuildError(r.pos(*list), "'hyphenation' lists words with their break points "
                                           "as '-' (\"ta-ble\"), not '" +
                                               word + "'");
    }
}

// A font file (a path, or a name ending .ttf/.otf/.ttc/.otc; anything else is a family name
// fontconfig looks up): relative to the book folder, and resolving inside it or inside the system
// font folders (util::resolve_input), checked here to name its book.toml line; kept resolved.
std::string font_path(const TomlReader& r, const toml::table& fonts, std::string_view key,
                      const std::filesystem::path& root) {
    std::string written = r.str(fonts, key);
    std::string ext = std::filesystem::path(written).extension().string();
    for (char& c : ext)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    bool file = written.find('/') != std::string::npos || ext == ".ttf" || ext == ".otf" ||
                ext == ".ttc" || ext == ".otc";
    if (!file) return written;
    util::SourcePos pos = r.pos(*fonts.get(key));
    return util::resolve_input(root, written, /*allow_system_fonts=*/true, &pos).string();
}

void read_pdf(const TomlReader& r, const toml::table& t, PdfConfig& pdf,
              const std::filesystem::path& root) {
    pdf.paper = r.str(t, "paper");
    if (!pdf.paper.empty() && pdf.paper != "a5" && pdf.paper != "a4" && pdf.paper != "letter" &&
        pdf.paper != "6x9in")
        throw BuildError(r.pos(*t.get("paper")),
                         "paper must be one of a5, a4, letter, 6x9in (not '" + pdf.paper + "')");
    pdf.font_size = r.num(t, "font_size");
    if (pdf.font_size != 0 && (pdf.font_size < 4 || pdf.font_size > 40))
        throw BuildError(r.pos(*t.get("font_size")), "font_size must be between 4 and 40 points");
    pdf.leading = r.num(t, "leading");
    if (pdf.leading != 0 && (pdf.leading < 0.8 || pdf.leading > 4))
        throw BuildError(r.pos(*t.get("leading")), "leading must be between 0.8 and 4");
    pdf.margin_inner = r.num(t, "margin_inner");
    pdf.margin_outer = r.num(t, "margin_outer");
    pdf.margin_top = r.num(t, "margin_top");
    pdf.margin_bottom = r.num(t, "margin_bottom");
    pdf.image_dpi = int(r.num(t, "image_dpi"));
    pdf.standard = r.str(t, "standard");
    if (!pdf.standard.empty() && pdf.standard != "pdf/a-2u")
        throw BuildError(r.pos(*t.get("standard")),
                         "standard must be \"pdf/a-2u\" (not '" + pdf.standard + "')");
    pdf.binding = r.str(t, "binding");
    if (!pdf.binding.empty() && pdf.binding != "auto" && pdf.binding != "left" &&
        pdf.binding != "right")
        throw BuildError(r.pos(*t.get("binding")),
                         "binding must be \"auto\", \"left\" or \"right\" (not '" + pdf.binding +
                             "')");
    if (pdf.binding == "auto") pdf.binding.clear();
    pdf.cover_page = r.boolean(t, "cover_page", pdf.cover_page);
    read_breaking(r, t, pdf);
    if (const auto* fonts = t.get_as<toml::table>("fonts")) {
        pdf.font_regular = font_path(r, *fonts, "regular", root);
        pdf.font_bold = font_path(r, *fonts, "bold", root);
        pdf.font_italic = font_path(r, *fonts, "italic", root);
        pdf.font_bold_italic = font_path(r, *fonts, "bold_italic", root);
        pdf.font_mono = font_path(r, *fonts, "mono", root);
        pdf.font_fallback = font_path(r, *fonts, "fallback", root);
    }
}

// `date` as written: a string, a bare year (date = 2024) or a TOML date (date = 2024-05-01);
// a year stays a year.
std::string read_date(const TomlReader& r, const toml::table& t) {
    const toml::node* n = t.get("date");
    if (!n) return {};
    if (auto s = n->value_exact<std::string>()) return *s;
    if (auto y = n->value_exact<int64_t>(); y && *y >= 0 && *y <= 9999) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "%04d", static_cast<int>(*y));
        return buf;
    }
    if (auto d = n->value_exact<toml::date>()) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", int(d->year), int(d->month), int(d->day));
        return buf;
    }
    throw BuildError(r.pos(*n), "'date' must be a year (2024) or a date (\"2024-05-01\")");
}

// An ISBN identifier must have a right check digit; it is written as urn:isbn:DIGITS.
std::string read_identifier(const TomlReader& r, const toml::table& t) {
    std::string id = r.str(t, "identifier");
    auto isbn = parse_isbn(id);
    if (!isbn) return id;
    if (!isbn->valid)
        throw BuildError(r.pos(*t.get("identifier")),
                         "identifier '" + id +
                             "' looks like an ISBN but its check digit is wrong (or it has "
                             "neither 10 nor 13 digits)");
    return "urn:isbn:" + isbn->digits;
}

} // namespace

void apply_book_toml(const std::filesystem::path& file, Config& cfg) {
    std::string display = util::display_path(file, cfg.root);
    std::string text = util::read_book_file(cfg.root, file, 1 << 20);
    toml::table t;
    try {
        t = toml::parse(text, file.string());
    } catch (const toml::parse_error& e) {
        throw BuildError({display, int(e.source().begin.line), int(e.source().begin.column)},
                         "malformed book.toml: " + std::string(e.description()));
    }
    TomlReader r{display};
    cfg.config_file = file;
    auto set = [&](std::string& field, std::string_view key) {
        if (auto v = r.str(t, key); !v.empty()) field = v;
    };
    set(cfg.title, "title");
    set(cfg.subtitle, "subtitle");
    auto authors = r.strings(t, "authors");
    auto author = r.strings(t, "author");
    authors.insert(authors.end(), author.begin(), author.end());
    if (!authors.empty()) cfg.authors = authors;
    set(cfg.language, "language");
    set(cfg.language, "lang");
    for (const char* key : {"language", "lang"}) // the one set last wins, as above
        if (!r.str(t, key).empty()) {
            util::SourcePos at = r.pos(*t.get(key));
            cfg.language_line = at.line;
            cfg.language_col = at.col;
        }
    if (auto id = read_identifier(r, t); !id.empty()) cfg.identifier = id;
    set(cfg.publisher, "publisher");
    set(cfg.description, "description");
    set(cfg.rights, "rights");
    if (auto date = read_date(r, t); !date.empty()) cfg.date = date;
    set(cfg.version, "version");
    if (auto v = r.str(t, "version");
        !v.empty() && (!util::is_plain_file_name(v) || v[0] == '.' || v[0] == '-'))
        throw BuildError(r.pos(*t.get("version")),
                         "version goes into file names: no '/', '\\', no leading '.' or '-'");
    cfg.toc_depth = int(ranged(r, t, "toc_depth", cfg.toc_depth, 1, 6));
    set(cfg.slug, "slug");
    // The slug names the output files: a path in it would write outside the output folder.
    if (auto slug = r.str(t, "slug");
        !slug.empty() && (!util::is_plain_file_name(slug) || slug[0] == '.'))
        throw BuildError(r.pos(*t.get("slug")),
                         "slug must be a file name, not a path (no '/', '\\', "
                         "no leading '.'): '" +
                             slug + "'");
    set(cfg.cover, "cover");
    cfg.smart_punctuation = r.boolean(t, "smart_punctuation", cfg.smart_punctuation);
    if (const auto* aliases = t.get_as<toml::table>("aliases")) {
        for (const auto& [k, v] : *aliases) {
            auto s = v.value_exact<std::string>();
            if (!s) throw BuildError(r.pos(v), "aliases must map a path prefix to a string");
            cfg.path_aliases[std::string(k.str())] = *s;
        }
    }
    if (const auto* pdf = t.get_as<toml::table>("pdf")) read_pdf(r, *pdf, cfg.pdf, cfg.root);
    if (const toml::node* n = t.get("print"); n && !n->is_table())
        throw BuildError(r.pos(*n), "print must be a table: [print] with service, trim, ...");
    if (const auto* print = t.get_as<toml::table>("print"))
        read_print(*print, display, cfg.pdf.print);
    if (const auto* sc = t.get_as<toml::table>("shortcodes")) {
        for (const auto& [name, v] : *sc) {
            const auto* m = v.as_table();
            if (!m)
                throw BuildError(r.pos(v), "[shortcodes." + std::string(name.str()) +
                                               "] must be a table (as = \"details\", ...)");
            ShortcodeMapping map{r.str(*m, "as"), r.str(*m, "include"), r.str(*m, "lang")};
            cfg.shortcodes[std::string(name.str())] = map;
        }
    }
}

Config load_config(const std::filesystem::path& root) {
    Config cfg;
    cfg.root = root;
    auto file = root / "book.toml";
    std::error_code ec;
    if (std::filesystem::is_regular_file(file, ec)) apply_book_toml(file, cfg);
    return cfg;
}

} // namespace imprenta::book
