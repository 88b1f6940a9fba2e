#include "book/print_config.h"

#include "book/print_toml.h"
#include "util/diag.h"

#include <algorithm>
#include <cctype>

namespace imprenta::book {

using util::BuildError;

namespace {

struct Trim {
    const char* name;
    double w_mm, h_mm;
};
constexpr double kIn = 25.4;
// The trim sizes KDP, IngramSpark and Lulu all offer for paperbacks (inches unless named).
const Trim kTrims[] = {
    {"5x8", 5 * kIn, 8 * kIn},
    {"5.06x7.81", 5.06 * kIn, 7.81 * kIn},
    {"5.25x8", 5.25 * kIn, 8 * kIn},
    {"5.5x8.5", 5.5 * kIn, 8.5 * kIn},
    {"6x9", 6 * kIn, 9 * kIn},
    {"6.14x9.21", 6.14 * kIn, 9.21 * kIn},
    {"6.69x9.61", 6.69 * kIn, 9.61 * kIn},
    {"7x10", 7 * kIn, 10 * kIn},
    {"7.5x9.25", 7.5 * kIn, 9.25 * kIn},
    {"8x10", 8 * kIn, 10 * kIn},
    {"8.5x11", 8.5 * kIn, 11 * kIn},
    {"a5", 148, 210},
    {"a4", 210, 297},
};

std::string trim_names() {
    std::string s;
    for (const auto& t : kTrims)
        s += (s.empty() ? "" : ", ") + std::string(t.name);
    return s;
}

std::string lower(std::string s) {
    for (char& c : s)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

util::SourcePos pos_of(const std::string& file, const toml::node& n) {
    return {file, int(n.source().begin.line), int(n.source().begin.column)};
}

// A string from `allowed`, or "" when absent; anything else is an error at its line.
std::string choice(const toml::table& t, const std::string& file, std::string_view key,
                   std::initializer_list<const char*> allowed) {
    const toml::node* n = t.get(key);
    if (!n) return {};
    std::string list;
    for (const char* a : allowed)
        list += (list.empty() ? "" : ", ") + std::string(a);
    auto s = n->value_exact<std::string>();
    if (s)
        for (const char* a : allowed)
            if (lower(*s) == a) return a;
    throw BuildError(pos_of(file, *n), "[print] " + std::string(key) + " must be one of " + list +
                                           (s ? " (not '" + *s + "')" : ""));
}

bool flag(const toml::table& t, const std::string& file, std::string_view key, bool fallback) {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    auto b = n->value_exact<bool>();
    if (!b)
        throw BuildError(pos_of(file, *n),
                         "[print] " + std::string(key) + " must be true or false");
    return *b;
}

} // namespace

void read_print(const toml::table& t, const std::string& file, PrintConfig& print) {
    print.service = choice(t, file, "service", {"kdp", "ingramspark", "lulu", "none"});
    if (print.service.empty()) print.service = "none";
    print.paper = choice(t, file, "paper", {"white", "cream"});
    if (print.paper.empty()) print.paper = "white";
    if (const toml::node* n = t.get("bleed")) {
        auto b = n->value_exact<bool>();
        if (!b) throw BuildError(pos_of(file, *n), "[print] bleed must be true or false");
        print.bleed = *b;
    }
    print.trim = "6x9"; // the most common trade paperback, offered by every service
    if (const toml::node* n = t.get("trim")) {
        auto s = n->value_exact<std::string>();
        std::string name = s ? lower(*s) : "";
        // "6x9in" and "6 x 9" are the same size.
        if (name.ends_with("in")) name.resize(name.size() - 2);
        name.erase(std::remove(name.begin(), name.end(), ' '), name.end());
        auto it = std::find_if(std::begin(kTrims), std::end(kTrims),
                               [&](const Trim& tr) { return name == tr.name; });
        if (it == std::end(kTrims))
            throw BuildError(pos_of(file, *n), "[print] trim must be one of " + trim_names() +
                                                   (s ? " (not '" + *s + "')" : ""));
        print.trim = it->name;
    }
    for (const auto& tr : kTrims)
        if (print.trim == tr.name) print.trim_w = tr.w_mm, print.trim_h = tr.h_mm;
    print.marks = flag(t, file, "marks", false);
    print.barcode = flag(t, file, "barcode", true);
    print.pdfx = choice(t, file, "pdfx", {"none", "x4", "x1a"});
    if (print.pdfx.empty()) print.pdfx = print.service == "none" ? "none" : "x4";
    if (const toml::node* n = t.get("output_profile")) {
        auto s = n->value_exact<std::string>();
        if (!s || s->empty())
            throw BuildError(pos_of(file, *n), "[print] output_profile must be the path of a "
                                               "CMYK ICC profile");
        print.output_profile = *s;
    }
    if (const toml::node* n = t.get("price")) {
        auto s = n->value_exact<std::string>();
        if (!s || s->size() != 5 ||
            !std::all_of(s->begin(), s->end(), [](char c) { return c >= '0' && c <= '9'; }))
            throw BuildError(pos_of(file, *n),
                             "[print] price must be the 5 digits of the EAN-5 price add-on "
                             "(\"51995\" is USD 19.95, \"90000\" no suggested price)");
        print.price = *s;
    }
    static const char* const kKeys[] = {"service", "paper", "bleed",          "trim", "marks",
                                        "barcode", "pdfx",  "output_profile", "price"};
    for (const auto& [key, v] : t) {
        std::string k(key.str());
        if (std::find(std::begin(kKeys), std::end(kKeys), k) == std::end(kKeys))
            throw BuildError(pos_of(file, v),
                             "[print] has no setting '" + k +
                                 "' (use trim, bleed, paper, service, marks, barcode, price, "
                                 "pdfx, output_profile)");
    }
}

double min_inner_margin_in(const PrintConfig& print, int pages) {
    if (print.service == "kdp") {
        // KDP's gutter table (paperback, by page count).
        if (pages <= 150) return 0.375;
        if (pages <= 300) return 0.5;
        if (pages <= 500) return 0.625;
        if (pages <= 700) return 0.75;
        return 0.875;
    }
    if (print.service == "ingramspark" || print.service == "lulu") return 0.5;
    return 0;
}

double min_outer_margin_in(const PrintConfig& print) {
    if (print.service == "kdp") return print.bleed ? 0.375 : 0.25;
    if (print.service == "ingramspark" || print.service == "lulu") return 0.5;
    return 0;
}

double page_thickness_in(const PrintConfig& print) {
    return print.paper == "cream" ? 0.0025 : 0.002252;
}

int min_pages(const PrintConfig& print) {
    if (print.service == "kdp") return 24;
    if (print.service == "ingramspark") return 18;
    if (print.service == "lulu") return 32;
    return 0;
}

bool wants_even_pages(const PrintConfig& print) {
    return print.service != "none";
}

int min_pages_for_spine_text(const PrintConfig&) {
    return 80;
}

} // namespace imprenta::book
