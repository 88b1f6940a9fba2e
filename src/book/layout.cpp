#include "book/layout.h"

#include "book/load_config.h"
#include "util/fs.h"

#include <algorithm>
#include <map>
#include <toml++/toml.h>
#include <yaml-cpp/yaml.h>

namespace imprenta::book {

namespace fs = std::filesystem;
using util::BuildError;

namespace {

struct HugoLanguage {
    std::string code;
    std::string content_dir;
    util::SourcePos content_dir_pos;
    std::string title;
    std::string description;
    std::string direction;
    std::string book_section; // params.BookSection of this language, if set
    int64_t weight = 0;
};

struct HugoSite {
    std::string title;
    std::string description;
    std::string book_section = "docs";
    std::string content_dir = "content";
    util::SourcePos content_dir_pos;
    std::string language; // defaultContentLanguage
    bool in_subdir = false;
    bool path_to_lower = true;
    std::string base_url;
    MathDelimiters math_inline, math_block; // goldmark passthrough, when enabled
    std::vector<HugoLanguage> languages;
};

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        c = char(std::tolower((unsigned char)c));
    return out;
}

// Hugo's configuration keys are not case-sensitive ("DefaultContentLanguage").
const toml::node* toml_get(const toml::table* t, std::string_view key) {
    if (!t) return nullptr;
    for (const auto& [k, v] : *t)
        if (lower(k.str()) == lower(key)) return &v;
    return nullptr;
}
std::string toml_str(const toml::table* t, std::string_view key) {
    const auto* n = toml_get(t, key);
    return n ? n->value_or(std::string()) : std::string();
}
bool toml_bool(const toml::table* t, std::string_view key) {
    const auto* n = toml_get(t, key);
    return n && n->value_or(false);
}
const toml::table* toml_table(const toml::table* t, std::string_view key) {
    const auto* n = toml_get(t, key);
    return n ? n->as_table() : nullptr;
}

// markup.goldmark.extensions.passthrough: its delimiter pairs, as Hugo has them only when enabled.
void read_toml_passthrough(const toml::table* t, HugoSite& site) {
    const auto* ext = toml_table(toml_table(toml_table(t, "markup"), "goldmark"), "extensions");
    const auto* pass = toml_table(ext, "passthrough");
    if (!toml_bool(pass, "enable")) return;
    const auto* delims = toml_table(pass, "delimiters");
    for (auto [key, out] : {std::pair{"inline", &site.math_inline}, {"block", &site.math_block}}) {
        const auto* list = toml_get(delims, key);
        if (!list || !list->as_array()) continue;
        for (const auto& pair : *list->as_array()) {
            const auto* a = pair.as_array();
            if (!a || a->size() != 2) continue;
            std::string open = (*a)[0].value_or(std::string()),
                        close = (*a)[1].value_or(std::string());
            if (!open.empty() && !close.empty()) out->emplace_back(open, close);
        }
    }
}

HugoSite read_hugo_toml(const fs::path& file, const fs::path& root) {
    HugoSite site;
    std::string display = util::display_path(file, root);
    toml::table t;
    try {
        t = toml::parse(util::read_book_file(root, file, 4 << 20), file.string());
    } catch (const toml::parse_error& e) {
        throw BuildError({display, int(e.source().begin.line), int(e.source().begin.column)},
                         "malformed Hugo configuration: " + std::string(e.description()));
    }
    site.title = toml_str(&t, "title");
    auto toml_pos = [&](const toml::node* n) -> util::SourcePos {
        if (!n) return {display};
        return {display, int(n->source().begin.line), int(n->source().begin.column)};
    };
    if (auto c = toml_str(&t, "contentDir"); !c.empty()) site.content_dir = c;
    site.content_dir_pos = toml_pos(toml_get(&t, "contentDir"));
    site.language = toml_str(&t, "defaultContentLanguage");
    site.in_subdir = toml_bool(&t, "defaultContentLanguageInSubdir");
    site.path_to_lower = !toml_bool(&t, "disablePathToLower");
    site.base_url = toml_str(&t, "baseURL");
    read_toml_passthrough(&t, site);
    const auto* params = toml_table(&t, "params");
    if (const auto* s = toml_get(params, "BookSection"))
        site.book_section = s->value_or(site.book_section);
    site.description = toml_str(params, "description");
    if (const auto* langs = toml_table(&t, "languages")) {
        for (const auto& [code, v] : *langs) {
            const auto* l = v.as_table();
            if (!l) continue;
            HugoLanguage hl;
            hl.code = std::string(code.str());
            if (!util::is_plain_file_name(hl.code) || hl.code[0] == '.')
                throw BuildError(toml_pos(&v),
                                 "language code '" + hl.code + "' must be usable in a file name");
            hl.content_dir = toml_str(l, "contentDir");
            hl.content_dir_pos = toml_pos(toml_get(l, "contentDir"));
            hl.title = toml_str(l, "title");
            hl.direction = lower(toml_str(l, "languageDirection"));
            if (hl.direction.empty()) hl.direction = lower(toml_str(l, "direction"));
            const auto* lp = toml_table(l, "params");
            hl.book_section = toml_str(lp, "BookSection");
            hl.description = toml_str(lp, "description");
            if (const auto* w = toml_get(l, "weight")) hl.weight = w->value_or(int64_t(0));
            site.languages.push_back(hl);
        }
    }
    return site;
}

// A YAML map's value by key, without regard to case.
YAML::Node yaml_get(const YAML::Node& map, std::string_view key) {
    if (!map || !map.IsMap()) return YAML::Node();
    for (const auto& kv : map)
        if (kv.first.IsScalar() && lower(kv.first.Scalar()) == lower(key)) return kv.second;
    return YAML::Node();
}

HugoSite read_hugo_yaml(const fs::path& file, const fs::path& root) {
    HugoSite site;
    std::string display = util::display_path(file, root);
    site.content_dir_pos = {display};
    YAML::Node y;
    try {
        y = YAML::Load(util::read_book_file(root, file, 4 << 20));
    } catch (const YAML::Exception& e) {
        throw BuildError({display, e.mark.line + 1, e.mark.column + 1},
                         "malformed Hugo configuration: " + e.msg);
    }
    auto str = [](const YAML::Node& n) { return n && n.IsScalar() ? n.Scalar() : std::string(); };
    auto flag = [&](const YAML::Node& n) { return lower(str(n)) == "true"; };
    auto yaml_pos = [&](const YAML::Node& n) -> util::SourcePos {
        if (!n || n.Mark().line < 0) return {display};
        return {display, n.Mark().line + 1, n.Mark().column + 1};
    };
    site.title = str(yaml_get(y, "title"));
    if (auto c = str(yaml_get(y, "contentDir")); !c.empty()) {
        site.content_dir = c;
        site.content_dir_pos = yaml_pos(yaml_get(y, "contentDir"));
    }
    site.language = str(yaml_get(y, "defaultContentLanguage"));
    site.in_subdir = flag(yaml_get(y, "defaultContentLanguageInSubdir"));
    site.path_to_lower = !flag(yaml_get(y, "disablePathToLower"));
    site.base_url = str(yaml_get(y, "baseURL"));
    auto pass = yaml_get(yaml_get(yaml_get(yaml_get(y, "markup"), "goldmark"), "extensions"),
                         "passthrough");
    if (flag(yaml_get(pass, "enable"))) {
        auto delims = yaml_get(pass, "delimiters");
        for (auto [key, out] :
             {std::pair{"inline", &site.math_inline}, {"block", &site.math_block}}) {
            auto list = yaml_get(delims, key);
            if (!list || !list.IsSequence()) continue;
            for (const auto& pair : list)
                if (pair.IsSequence() && pair.size() == 2 && !str(pair[0]).empty() &&
                    !str(pair[1]).empty())
                    out->emplace_back(str(pair[0]), str(pair[1]));
        }
    }
    auto params = yaml_get(y, "params");
    if (auto s = str(yaml_get(params, "BookSection")); !s.empty()) site.book_section = s;
    site.description = str(yaml_get(params, "description"));
    auto langs = yaml_get(y, "languages");
    if (langs && langs.IsMap()) {
        for (const auto& kv : langs) {
            HugoLanguage hl;
            hl.code = kv.first.Scalar();
            if (!util::is_plain_file_name(hl.code) || hl.code[0] == '.')
                throw BuildError(yaml_pos(kv.first),
                                 "language code '" + hl.code + "' must be usable in a file name");
            hl.content_dir = str(yaml_get(kv.second, "contentDir"));
            hl.content_dir_pos = yaml_pos(yaml_get(kv.second, "contentDir"));
            hl.title = str(yaml_get(kv.second, "title"));
            hl.direction = lower(str(yaml_get(kv.second, "languageDirection")));
            if (hl.direction.empty()) hl.direction = lower(str(yaml_get(kv.second, "direction")));
            auto lp = yaml_get(kv.second, "params");
            hl.book_section = str(yaml_get(lp, "BookSection"));
            hl.description = str(yaml_get(lp, "description"));
            try {
                auto w = yaml_get(kv.second, "weight");
                hl.weight = w ? w.as<int64_t>() : 0;
            } catch (const YAML::Exception&) {
            }
            site.languages.push_back(hl);
        }
    }
    return site;
}

// A content folder named by the configuration: it must resolve inside the book folder.
fs::path content_folder(const fs::path& root, const std::string& dir, const util::SourcePos& pos) {
    return util::resolve_input(root, fs::path(dir), false, &pos);
}

// The book inside a content folder: hugo-book's BookSection ("*" or "/" = everything).
fs::path book_section(const fs::path& content, const std::string& section, const fs::path& root,
                      const std::string& display) {
    if (section.empty() || section == "*" || section == "/") return content;
    fs::path s = content / fs::path(section).relative_path();
    std::error_code ec;
    if (!fs::is_directory(s, ec)) return content;
    util::SourcePos pos{display};
    return util::resolve_input(root, s, false, &pos);
}

bool has_essays(const fs::path& dir) {
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        auto ext = it->path().extension();
        if (it->is_regular_file(ec) && (ext == ".md" || ext == ".markdown" || ext == ".txt") &&
            it->path().stem() != "_index")
            return true;
    }
    return false;
}

bool looks_like_language(const std::string& name) {
    // "es", "en", "pt-BR", "es_AR"
    if (name.size() == 2) return std::all_of(name.begin(), name.end(), ::islower);
    if (name.size() == 5 && (name[2] == '-' || name[2] == '_'))
        return std::islower((unsigned char)name[0]) && std::islower((unsigned char)name[1]) &&
               std::isalpha((unsigned char)name[3]) && std::isalpha((unsigned char)name[4]);
    return false;
}

} // namespace

Layout detect_layout(const fs::path& root, util::Diagnostics& diags) {
    Layout layout;
    layout.config = Config{};
    layout.config.root = root;
    std::error_code ec;

    fs::path hugo_file;
    for (const char* name : {"hugo.toml", "config.toml", "hugo.yaml", "hugo.yml", "config.yaml"})
        if (fs::is_regular_file(root / name, ec)) {
            hugo_file = root / name;
            break;
        }

    if (!hugo_file.empty()) {
        HugoSite site = hugo_file.extension() == ".toml" ? read_hugo_toml(hugo_file, root)
                                                         : read_hugo_yaml(hugo_file, root);
        layout.config.title = site.title;
        layout.config.description = site.description;
        if (fs::is_regular_file(root / "book.toml", ec))
            apply_book_toml(root / "book.toml", layout.config);
        std::string display = util::display_path(hugo_file, root);
        SiteConfig base;
        base.hugo = true;
        base.default_lang = site.language.empty() ? "en" : site.language;
        base.path_to_lower = site.path_to_lower;
        base.base_url = site.base_url;
        base.math_inline = site.math_inline;
        base.math_block = site.math_block;
        if (site.languages.empty()) {
            base.content_dir = content_folder(root, site.content_dir, site.content_dir_pos);
            fs::path content = book_section(base.content_dir, site.book_section, root, display);
            if (!site.language.empty() && layout.config.language.empty())
                layout.config.language = site.language;
            layout.editions.push_back({"", content, "", "", base});
            return layout;
        }
        std::stable_sort(site.languages.begin(), site.languages.end(),
                         [](const HugoLanguage& a, const HugoLanguage& b) {
                             return a.weight != b.weight ? a.weight < b.weight : a.code < b.code;
                         });
        for (const auto& l : site.languages)
            base.languages.push_back(l.code);
        // Languages sharing a content folder keep their pages apart by file name (x.pl.md).
        std::map<std::string, int> dir_users;
        for (const auto& l : site.languages)
            ++dir_users[l.content_dir.empty() ? site.content_dir : l.content_dir];
        layout.per_language_names = site.languages.size() > 1;
        for (const auto& l : site.languages) {
            std::string dir_name = l.content_dir.empty() ? site.content_dir : l.content_dir;
            fs::path dir = l.content_dir.empty()
                               ? content_folder(root, site.content_dir, site.content_dir_pos)
                               : content_folder(root, l.content_dir, l.content_dir_pos);
            if (!fs::is_directory(dir, ec)) {
                diags.warning({display},
                              "language '" + l.code + "' is declared but its content folder " +
                                  util::display_path(dir, root) + " does not exist: skipped");
                continue;
            }
            SiteConfig sc = base;
            sc.content_dir = dir;
            sc.lang = l.code;
            sc.owns_content_dir = dir_users[dir_name] == 1 || l.code == base.default_lang;
            sc.direction = l.direction;
            if (l.code != base.default_lang || site.in_subdir) sc.url_prefix = "/" + l.code;
            std::string section = l.book_section.empty() ? site.book_section : l.book_section;
            layout.editions.push_back(
                {l.code, book_section(dir, section, root, display), l.title, l.description, sc});
        }
        std::vector<SiteLanguage> all;
        for (const auto& e : layout.editions)
            all.push_back({e.lang, e.site.content_dir, e.site.url_prefix, e.site.owns_content_dir});
        for (auto& e : layout.editions)
            e.site.all_languages = all;
        return layout;
    }

    layout.config = load_config(root);
    fs::path content = root / "content";
    if (!fs::is_directory(content, ec)) {
        layout.editions.push_back({"", root, "", "", {}}); // a bare folder of essays
        return layout;
    }
    // content/<lang>/ folders and no essays of their own: one edition per language.
    std::vector<fs::path> langs;
    for (fs::directory_iterator it(content, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_directory(ec) && looks_like_language(it->path().filename().string()))
            langs.push_back(it->path());
    std::sort(langs.begin(), langs.end());
    if (langs.size() >= 1 && !has_essays(content)) {
        layout.per_language_names = langs.size() > 1;
        for (const auto& l : langs)
            layout.editions.push_back({l.filename().string(), l, "", "", {}});
        // The book's own language first.
        std::stable_partition(layout.editions.begin(), layout.editions.end(),
                              [&](const Edition& e) { return e.lang == layout.config.language; });
        return layout;
    }
    layout.editions.push_back({"", content, "", "", {}});
    return layout;
}

} // namespace imprenta::book
