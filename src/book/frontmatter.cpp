#include "book/frontmatter.h"

#include "util/diag.h"

#include <sstream>
#include <toml++/toml.h>
#include <yaml-cpp/yaml.h>

namespace imprenta::book {

using util::BuildError;

std::string normalize_newlines(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::string out;
    out.reserve(text.size());
    // From one CR to the next, copied whole (a byte at a time was 19 instructions a byte).
    for (size_t i = 0; i < text.size();) {
        size_t cr = text.find('\r', i);
        if (cr == std::string_view::npos) cr = text.size();
        out.append(text.data() + i, cr - i);
        if (cr == text.size()) break;
        out += '\n';
        i = cr + 1;
        if (i < text.size() && text[i] == '\n') ++i;
    }
    return out;
}

namespace {

struct Fence {
    size_t header_begin; // first byte of the header text
    size_t header_end;   // one past its last byte (start of the closing fence line)
    size_t body_begin;   // first byte after the closing fence line
    int header_line;     // 1-based line of the first header line
    int body_line;
    char kind; // '-' YAML, '+' TOML
};

bool is_fence_line(std::string_view line, std::string_view fence) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t'))
        line.remove_suffix(1);
    return line == fence;
}

// Finds a front matter block opening on the first non-blank line.
std::optional<Fence> find_fence(const std::string& text, const std::string& file) {
    size_t pos = 0;
    int line = 1;
    while (pos < text.size()) {
        size_t eol = text.find('\n', pos);
        std::string_view l(text.data() + pos, (eol == std::string::npos ? text.size() : eol) - pos);
        if (l.find_first_not_of(" \t") != std::string_view::npos) break;
        if (eol == std::string::npos) return std::nullopt;
        pos = eol + 1;
        ++line;
    }
    size_t eol = text.find('\n', pos);
    std::string_view first(text.data() + pos, (eol == std::string::npos ? text.size() : eol) - pos);
    char kind = is_fence_line(first, "---") ? '-' : is_fence_line(first, "+++") ? '+' : 0;
    if (!kind || eol == std::string::npos) return std::nullopt;
    std::string_view fence = kind == '-' ? "---" : "+++";
    Fence f{eol + 1, 0, 0, line + 1, 0, kind};
    size_t p = eol + 1;
    int l = line + 1;
    while (p <= text.size()) {
        size_t e = text.find('\n', p);
        size_t end = e == std::string::npos ? text.size() : e;
        std::string_view cur(text.data() + p, end - p);
        if (is_fence_line(cur, fence) || (kind == '-' && is_fence_line(cur, "..."))) {
            f.header_end = p;
            f.body_begin = e == std::string::npos ? text.size() : e + 1;
            f.body_line = l + 1;
            return f;
        }
        if (e == std::string::npos) break;
        p = e + 1;
        ++l;
    }
    throw BuildError({file, line, 1}, std::string("front matter opened with '") +
                                          std::string(fence) + "' is never closed");
}

bool truthy_yaml(const YAML::Node& n) {
    try {
        return n.as<bool>();
    } catch (const YAML::Exception&) {
        return false;
    }
}

std::string scalar_yaml(const YAML::Node& n) {
    return n.IsScalar() ? n.Scalar() : std::string();
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        c = char(std::tolower((unsigned char)c));
    return out;
}

// A TOML value as text; dates and times in their ISO 8601 form.
std::string toml_scalar(const toml::node& n) {
    if (auto s = n.value_exact<std::string>()) return *s;
    std::ostringstream o;
    if (auto d = n.as_date())
        o << d->get();
    else if (auto t = n.as_date_time())
        o << t->get();
    else if (auto b = n.as_boolean())
        o << (b->get() ? "true" : "false");
    else if (auto i = n.as_integer())
        o << i->get();
    return o.str();
}

// Hugo's `build` options: list = "never" (or false), render = "never" (or false).
void build_option(const std::string& key, const std::string& value, FrontMatter& fm) {
    bool never = value == "never" || value == "false";
    if (key == "list") fm.list_never = never;
    if (key == "render") fm.render_never = never;
}

// Hugo keys shared by both formats; true if `key` was one of them.
bool hugo_key(const std::string& key, const std::string& text, bool flag, FrontMatter& fm) {
    if (key == "slug")
        fm.slug = text;
    else if (key == "url")
        fm.url = text;
    else if (key == "date")
        fm.date = text;
    else if (key == "publishdate" || key == "pubdate" || key == "published")
        fm.publish_date = text;
    else if (key == "expirydate" || key == "unpublishdate")
        fm.expiry_date = text;
    else if (key == "headless")
        fm.headless = flag;
    else
        return false;
    return true;
}

int64_t parse_weight(const std::string& s, const std::string& file, int line) {
    size_t idx = 0;
    try {
        long long v = std::stoll(s, &idx, 10);
        if (idx == s.size()) return v;
    } catch (const std::exception&) {
    }
    throw BuildError({file, line, 1}, "weight must be an integer, not '" + s + "'");
}

// yaml-cpp takes a quoted scalar that is never closed as running to the end of the header (a
// made-up title); the text at the node's mark says whether its closing quote exists.
void check_quoted(const YAML::Node& n, std::string_view header, int first_line,
                  const std::string& file, int depth, int& budget) {
    if (depth > 16 || --budget < 0) return; // aliases can repeat a node without bound
    if (n.IsScalar()) {
        size_t at = size_t(std::max(0, n.Mark().pos));
        if (n.Tag() != "!" || at >= header.size() || (header[at] != '"' && header[at] != '\''))
            return;
        char q = header[at];
        for (size_t i = at + 1; i < header.size(); ++i) {
            if (q == '"' && header[i] == '\\') {
                ++i;
            } else if (header[i] == q) {
                if (q == '\'' && i + 1 < header.size() && header[i + 1] == '\'') {
                    ++i; // '' is an escaped quote
                    continue;
                }
                return;
            }
        }
        throw BuildError({file, first_line + n.Mark().line, n.Mark().column + 1},
                         std::string("malformed YAML front matter: the value opened with ") + q +
                             " is never closed");
    }
    if (n.IsMap()) {
        for (const auto& kv : n) {
            check_quoted(kv.first, header, first_line, file, depth + 1, budget);
            check_quoted(kv.second, header, first_line, file, depth + 1, budget);
        }
    } else if (n.IsSequence()) {
        for (const auto& item : n)
            check_quoted(item, header, first_line, file, depth + 1, budget);
    }
}

void read_yaml(std::string_view header, int first_line, const std::string& file, FrontMatter& fm) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(header));
    } catch (const YAML::Exception& e) {
        int line = e.mark.line >= 0 ? first_line + e.mark.line : first_line;
        int col = e.mark.column >= 0 ? e.mark.column + 1 : 0;
        throw BuildError({file, line, col}, "malformed YAML front matter: " + e.msg);
    }
    if (!root || root.IsNull()) return;
    int budget = 10000;
    check_quoted(root, header, first_line, file, 0, budget);
    if (!root.IsMap())
        throw BuildError({file, first_line, 1}, "front matter must be a mapping of keys to values");
    auto line_of = [&](const YAML::Node& n) { return first_line + std::max(0, n.Mark().line); };
    auto col_of = [](const YAML::Node& n) { return std::max(0, n.Mark().column) + 1; };
    for (const auto& kv : root) {
        std::string key = kv.first.IsScalar() ? lower(kv.first.Scalar()) : "";
        const YAML::Node& v = kv.second;
        if (hugo_key(key, scalar_yaml(v), truthy_yaml(v), fm)) continue;
        if ((key == "build" || key == "_build") && v.IsMap()) {
            for (const auto& b : v)
                if (b.first.IsScalar() && b.second.IsScalar())
                    build_option(lower(b.first.Scalar()), b.second.Scalar(), fm);
            continue;
        }
        if (key == "title") {
            fm.title = scalar_yaml(v);
        } else if (key == "weight") {
            fm.weight_line = line_of(v);
            if (!v.IsScalar())
                throw BuildError({file, fm.weight_line, 1}, "weight must be an integer");
            fm.weight = parse_weight(v.Scalar(), file, fm.weight_line);
        } else if (key == "image") {
            fm.image = scalar_yaml(v);
            fm.image_line = line_of(v);
            fm.image_col = col_of(v);
        } else if (key == "imagealt" || key == "image_alt") {
            fm.image_alt = scalar_yaml(v);
        } else if (key == "draft") {
            fm.draft = truthy_yaml(v);
        } else if (key == "description") {
            fm.description = scalar_yaml(v);
        } else if (key == "lang" || key == "language") {
            fm.lang = scalar_yaml(v);
            fm.lang_line = line_of(v);
            fm.lang_col = col_of(v);
        } else if (key == "bookhidden") {
            fm.book_hidden = truthy_yaml(v);
        } else if (key == "bookflatsection") {
            fm.book_flat_section = truthy_yaml(v);
        }
    }
}

void read_toml(std::string_view header, int first_line, const std::string& file, FrontMatter& fm) {
    toml::table root;
    try {
        root = toml::parse(header);
    } catch (const toml::parse_error& e) {
        const auto& b = e.source().begin;
        throw BuildError({file, first_line + int(b.line) - 1, int(b.column)},
                         "malformed TOML front matter: " + std::string(e.description()));
    }
    auto line_of = [&](const toml::node& n) { return first_line + int(n.source().begin.line) - 1; };
    auto col_of = [](const toml::node& n) { return int(n.source().begin.column); };
    auto str = [](const toml::node& n) {
        if (auto s = n.value<std::string>()) return *s;
        return std::string();
    };
    for (const auto& [k, v] : root) {
        std::string key = lower(k.str());
        if (hugo_key(key, toml_scalar(v), v.value_or(false), fm)) continue;
        if (key == "build" || key == "_build") {
            if (const auto* t = v.as_table())
                for (const auto& [bk, bv] : *t)
                    build_option(lower(bk.str()), toml_scalar(bv), fm);
            continue;
        }
        if (key == "title") {
            fm.title = str(v);
        } else if (key == "weight") {
            fm.weight_line = line_of(v);
            if (auto i = v.value_exact<int64_t>())
                fm.weight = *i;
            else if (auto s = v.value_exact<std::string>())
                fm.weight = parse_weight(*s, file, fm.weight_line);
            else
                throw BuildError({file, fm.weight_line, 1}, "weight must be an integer");
        } else if (key == "image") {
            fm.image = str(v);
            fm.image_line = line_of(v);
            fm.image_col = col_of(v);
        } else if (key == "imagealt" || key == "image_alt") {
            fm.image_alt = str(v);
        } else if (key == "draft") {
            fm.draft = v.value_or(false);
        } else if (key == "description") {
            fm.description = str(v);
        } else if (key == "lang" || key == "language") {
            fm.lang = str(v);
            fm.lang_line = line_of(v);
            fm.lang_col = col_of(v);
        } else if (key == "bookhidden") {
            fm.book_hidden = v.value_or(false);
        } else if (key == "bookflatsection") {
            fm.book_flat_section = v.value_or(false);
        }
    }
}

} // namespace

bool FrontMatterMemo::find(const std::string& key, FrontMatter& out) {
    std::lock_guard lock(mutex_);
    auto it = now_.find(key);
    if (it == now_.end()) {
        auto was = last_.find(key);
        if (was == last_.end()) return false;
        it = now_.insert(*was).first;
    }
    out = it->second;
    return true;
}

void FrontMatterMemo::put(const std::string& key, const FrontMatter& front) {
    std::lock_guard lock(mutex_);
    now_.emplace(key, front);
}

void FrontMatterMemo::begin_build() {
    std::lock_guard lock(mutex_);
    if (now_.empty()) return; // the last build read nothing: keep the one before
    last_ = std::move(now_);
    now_.clear();
}

void FrontMatterMemo::clear() {
    std::lock_guard lock(mutex_);
    last_.clear();
    now_.clear();
}

SplitEssay split_front_matter(std::string_view raw, const std::string& file,
                              FrontMatterMemo* memo) {
    std::string text = normalize_newlines(raw);
    SplitEssay out;
    auto fence = find_fence(text, file);
    if (!fence) {
        out.body = std::move(text);
        return out;
    }
    std::string_view header(text.data() + fence->header_begin,
                            fence->header_end - fence->header_begin);
    // Everything the parse reads, and the file and line its errors name.
    std::string key;
    if (memo) {
        key = file;
        key += '\0';
        key += std::to_string(fence->header_line);
        key += fence->kind;
        key += header;
    }
    if (!memo || !memo->find(key, out.front)) {
        if (fence->kind == '-')
            read_yaml(header, fence->header_line, file, out.front);
        else
            read_toml(header, fence->header_line, file, out.front);
        if (memo) memo->put(key, out.front);
    }
    out.body = text.substr(fence->body_begin);
    out.body_line = fence->body_line;
    return out;
}

} // namespace imprenta::book
