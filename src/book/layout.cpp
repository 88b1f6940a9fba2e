#include "book/layout.h"

#include "book/load_config.h"
#include "util/fs.h"

#include <algorithm>
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
    int64_t weight = 0;
};

struct HugoSite {
    std::string title;
    std::string book_section = "docs";
    std::string content_dir = "content";
    util::SourcePos content_dir_pos;
    std::string language; // defaultContentLanguage
    std::vector<HugoLanguage> languages;
};

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
    site.title = t["title"].value_or(std::string());
    auto toml_pos = [&](const toml::node* n) -> util::SourcePos {
        if (!n) return {display};
        return {display, int(n->source().begin.line), int(n->source().begin.column)};
    };
    site.content_dir = t["contentDir"].value_or(site.content_dir);
    site.content_dir_pos = toml_pos(t.get("contentDir"));
    site.language = t["defaultContentLanguage"].value_or(std::string());
    if (auto s = t["params"]["BookSection"].value<std::string>()) site.book_section = *s;
    if (auto* langs = t["languages"].as_table()) {
        for (const auto& [code, v] : *langs) {
            const auto* l = v.as_table();
            if (!l) continue;
            HugoLanguage hl;
            hl.code = std::string(code.str());
            if (!util::is_plain_file_name(hl.code) || hl.code[0] == '.')
                throw BuildError(toml_pos(&v),
                                 "language code '" + hl.code + "' must be usable in a file name");
            hl.content_dir = (*l)["contentDir"].value_or(std::string());
            hl.content_dir_pos = toml_pos(l->get("contentDir"));
            hl.title = (*l)["title"].value_or(std::string());
            hl.weight = (*l)["weight"].value_or(int64_t(0));
            site.languages.push_back(hl);
        }
    }
    return site;
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
    site.title = str(y["title"]);
    auto yaml_pos = [&](const YAML::Node& n) -> util::SourcePos {
        if (!n || n.Mark().line < 0) return {display};
        return {display, n.Mark().line + 1, n.Mark().column + 1};
    };
    if (auto c = str(y["contentDir"]); !c.empty()) {
        site.content_dir = c;
        site.content_dir_pos = yaml_pos(y["contentDir"]);
    }
    site.language = str(y["defaultContentLanguage"]);
    if (y["params"] && y["params"]["BookSection"])
        site.book_section = str(y["params"]["BookSection"]);
    if (y["languages"] && y["languages"].IsMap()) {
        for (const auto& kv : y["languages"]) {
            HugoLanguage hl;
            hl.code = kv.first.Scalar();
            if (!util::is_plain_file_name(hl.code) || hl.code[0] == '.')
                throw BuildError(yaml_pos(kv.first),
                                 "language code '" + hl.code + "' must be usable in a file name");
            hl.content_dir = str(kv.second["contentDir"]);
            hl.content_dir_pos = yaml_pos(kv.second["contentDir"]);
            hl.title = str(kv.second["title"]);
            try {
                hl.weight = kv.second["weight"] ? kv.second["weight"].as<int64_t>() : 0;
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
        if (fs::is_regular_file(root / "book.toml", ec))
            apply_book_toml(root / "book.toml", layout.config);
        std::string display = util::display_path(hugo_file, root);
        if (site.languages.empty()) {
            fs::path content =
                book_section(content_folder(root, site.content_dir, site.content_dir_pos),
                             site.book_section, root, display);
            if (!site.language.empty() && layout.config.language.empty())
                layout.config.language = site.language;
            layout.editions.push_back({"", content, ""});
        } else {
            std::stable_sort(site.languages.begin(), site.languages.end(),
                             [](const HugoLanguage& a, const HugoLanguage& b) {
                                 return a.weight != b.weight ? a.weight < b.weight
                                                             : a.code < b.code;
                             });
            layout.per_language_names = true;
            for (const auto& l : site.languages) {
                fs::path dir = l.content_dir.empty()
                                   ? content_folder(root, site.content_dir, site.content_dir_pos)
                                   : content_folder(root, l.content_dir, l.content_dir_pos);
                if (!fs::is_directory(dir, ec)) {
                    diags.warning({display},
                                  "language '" + l.code + "' is declared but its content folder " +
                                      util::display_path(dir, root) + " does not exist: skipped");
                    continue;
                }
                layout.editions.push_back(
                    {l.code, book_section(dir, site.book_section, root, display), l.title});
            }
        }
        return layout;
    }

    layout.config = load_config(root);
    fs::path content = root / "content";
    if (!fs::is_directory(content, ec)) {
        layout.editions.push_back({"", root, ""}); // a bare folder of essays
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
            layout.editions.push_back({l.filename().string(), l, ""});
        // The book's own language first.
        std::stable_partition(layout.editions.begin(), layout.editions.end(),
                              [&](const Edition& e) { return e.lang == layout.config.language; });
        return layout;
    }
    layout.editions.push_back({"", content, ""});
    return layout;
}

} // namespace imprenta::book
