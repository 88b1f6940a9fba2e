#include "doc/shortcodes.h"

#include "doc/links.h"
#include "doc/literals.h"

#include <algorithm>
#include <filesystem>
#include <set>

namespace imprenta::doc {

namespace {

// Block shortcodes of hugo-book (and this kind of site) that become IR containers.
const std::set<std::string>& container_names() {
    static const std::set<std::string> s{"details", "hint", "columns", "card",   "steps",
                                         "tabs",    "tab",  "figure",  "section"};
    return s;
}

struct Token {
    size_t begin = 0, end = 0; // byte range of "{{< ... >}}" in the body
    Shortcode sc;
    bool closing = false;
    bool self_closing = false;
    bool unterminated = false;
    bool escaped = false; // {{</* x */>}}: printed as `literal`
    std::string literal;
};

// Parses the inside of a shortcode tag: `name key="v" key=v "pos" pos`.
Shortcode parse_inside(std::string_view s, bool& closing, bool& self_closing) {
    Shortcode sc;
    size_t i = 0;
    auto skip_ws = [&] {
        while (i < s.size() && std::isspace((unsigned char)s[i]))
            ++i;
    };
    skip_ws();
    if (i < s.size() && s[i] == '/') {
        closing = true;
        ++i;
        skip_ws();
    }
    while (!s.empty() && std::isspace((unsigned char)s.back()))
        s.remove_suffix(1);
    if (!s.empty() && s.back() == '/') {
        self_closing = true;
        s.remove_suffix(1);
    }
    i = std::min(i, s.size());
    size_t n0 = i;
    while (i < s.size() && !std::isspace((unsigned char)s[i]))
        ++i;
    sc.name = std::string(s.substr(n0, i - n0));
    auto read_value = [&]() -> std::string {
        if (i < s.size() && (s[i] == '"' || s[i] == '`' || s[i] == '\'')) {
            char q = s[i++];
            std::string v;
            while (i < s.size() && s[i] != q) {
                if (s[i] == '\\' && q == '"' && i + 1 < s.size()) ++i;
                v += s[i++];
            }
            if (i < s.size()) ++i;
            return v;
        }
        size_t v0 = i;
        while (i < s.size() && !std::isspace((unsigned char)s[i]))
            ++i;
        return std::string(s.substr(v0, i - v0));
    };
    while (true) {
        skip_ws();
        if (i >= s.size()) break;
        size_t k0 = i;
        while (i < s.size() && (std::isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-'))
            ++i;
        if (i > k0 && i < s.size() && s[i] == '=') {
            std::string key(s.substr(k0, i - k0));
            ++i;
            sc.named[key] = read_value();
        } else {
            i = k0;
            std::string v = read_value();
            if (v.empty() && i == k0) ++i; // stray character: skip it
            sc.positional.push_back(v);
        }
    }
    return sc;
}

// Hugo's escaped form {{</* x */>}} (or {{%/* x */%}}), printed as {{< x >}}: it may span lines
// and hold ">}}" inside, so it ends only at "*/>}}". npos if `pos` does not open one.
size_t escaped_end(std::string_view body, size_t pos, char kind, size_t& comment) {
    comment = pos + 3;
    while (comment < body.size() && std::isspace((unsigned char)body[comment]))
        ++comment;
    if (body.substr(comment, 2) != "/*") return std::string_view::npos;
    size_t end = body.find(kind == '<' ? "*/>}}" : "*/%}}", comment + 2);
    return end == std::string_view::npos ? end : end + 5;
}

std::vector<Token> tokenize(std::string_view body, int first_line) {
    std::vector<Token> out;
    size_t pos = 0;
    int line = first_line;
    size_t line_pos = 0;
    auto advance_line = [&](size_t to) {
        for (; line_pos < to; ++line_pos)
            line += body[line_pos] == '\n';
    };
    while ((pos = body.find("{{", pos)) != std::string_view::npos) {
        if (pos + 2 >= body.size() || (body[pos + 2] != '<' && body[pos + 2] != '%')) {
            ++pos; // "{{{< x >}}": the stray brace is text, the shortcode starts one further
            continue;
        }
        char kind = body[pos + 2];
        advance_line(pos);
        size_t comment;
        if (size_t end = escaped_end(body, pos, kind, comment); end != std::string_view::npos) {
            Token t;
            t.begin = pos;
            t.end = end;
            t.escaped = true;
            t.sc.line = line;
            std::string_view inner = body.substr(comment + 2, end - 5 - (comment + 2));
            t.literal = std::string("{{") + kind +
                        std::string(body.substr(pos + 3, comment - pos - 3)) + std::string(inner) +
                        (kind == '<' ? ">}}" : "%}}");
            out.push_back(std::move(t));
            pos = end;
            continue;
        }
        std::string close = kind == '<' ? ">}}" : "%}}";
        size_t end = body.find(close, pos + 3);
        if (end == std::string_view::npos) {
            // Never terminated: the rest of the line goes, so no syntax reaches the book.
            Token t;
            t.begin = pos;
            t.end = std::min(body.size(), body.find('\n', pos));
            t.unterminated = true;
            t.sc.line = line;
            out.push_back(std::move(t));
            pos = t.end;
            continue;
        }
        std::string_view inside = body.substr(pos + 3, end - pos - 3);
        Token t;
        t.begin = pos;
        t.end = end + 3;
        t.sc = parse_inside(inside, t.closing, t.self_closing);
        t.sc.line = line;
        if (!t.sc.name.empty()) out.push_back(std::move(t));
        pos = end + 3;
    }
    return out;
}

// Shortcodes that show something only a browser can play or fetch: the address they lead to.
std::string browser_only_url(const Shortcode& sc) {
    const std::string& n = sc.name;
    std::string id = sc.arg("id", 0);
    if (n == "youtube") return "https://www.youtube.com/watch?v=" + id;
    if (n == "vimeo") return "https://vimeo.com/" + id;
    if (n == "gist") return "https://gist.github.com/" + sc.arg("user", 0) + "/" + sc.arg("id", 1);
    if (n == "x" || n == "twitter" || n == "tweet")
        return "https://x.com/" + sc.arg("user", 0) + "/status/" + sc.arg("id", 1);
    if (n == "instagram") return "https://www.instagram.com/p/" + id + "/";
    if (n == "asciinema")
        return id.find('/') != std::string::npos ? id : "https://asciinema.org/a/" + id;
    if (n == "openapi" || n == "video" || n == "audio") return sc.arg("src", 0);
    return {};
}

std::string browser_only_title(const Shortcode& sc) {
    std::string t = sc.arg("title");
    const std::string& n = sc.name;
    std::string kind = n == "youtube" || n == "vimeo" || n == "video" ? "Video"
                       : n == "gist"                                  ? "Code (gist)"
                       : n == "asciinema"                             ? "Terminal recording"
                       : n == "openapi"                               ? "API reference"
                       : n == "audio"                                 ? "Audio"
                                                                      : "Post";
    return t.empty() ? kind : kind + ": " + t;
}

bool is_browser_only(const std::string& n) {
    static const std::set<std::string> s{"youtube", "vimeo", "gist",      "x",
                                         "twitter", "tweet", "instagram", "asciinema",
                                         "openapi", "video", "audio"};
    return s.count(n) > 0;
}

// The size and alignment classes of an image/figure shortcode: its own img-* classes, and a
// width ("50%", "300") as the nearest of img-small, img-medium, img-large.
std::string image_classes(const Shortcode& sc) {
    std::string out;
    std::string cls = sc.arg("class");
    for (size_t i = 0; i < cls.size();) {
        size_t end = cls.find(' ', i);
        if (end == std::string::npos) end = cls.size();
        std::string c = cls.substr(i, end - i);
        if (c.starts_with("img-") &&
            c.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") == std::string::npos)
            out += (out.empty() ? "" : " ") + c;
        i = end + 1;
    }
    std::string width = sc.arg("width");
    if (!width.empty() && std::isdigit((unsigned char)width[0])) {
        double w = std::atof(width.c_str());
        double pct = width.back() == '%' ? w : w / 6; // ~600 px for a full page width
        out += std::string(out.empty() ? "" : " ") + (pct <= 35   ? "img-small"
                                                      : pct <= 65 ? "img-medium"
                                                                  : "img-large");
    }
    return out;
}

// A mapping's value: "param:name" takes the shortcode's argument, anything else is literal.
std::string mapped_value(const std::string& spec, const Shortcode& sc) {
    if (spec.starts_with("param:")) {
        std::string key = spec.substr(6);
        bool digits = !key.empty() && key.find_first_not_of("0123456789") == std::string::npos;
        return digits ? sc.arg("", std::stoul(key)) : sc.arg(key, 0);
    }
    return spec;
}

class Writer {
public:
    Writer(std::string_view body, int first_line) : body_(body), line_(first_line) {
        map_.push_back(first_line);
    }

    // Copies the source up to byte `to`.
    void copy_to(size_t to) {
        for (; pos_ < to; ++pos_) {
            out_ += body_[pos_];
            if (body_[pos_] == '\n') {
                ++line_;
                map_.push_back(line_);
            }
        }
    }
    void skip_to(size_t to) {
        for (; pos_ < to; ++pos_)
            line_ += body_[pos_] == '\n';
    }
    void emit(std::string_view s) {
        for (char c : s) {
            out_ += c;
            if (c == '\n') map_.push_back(line_);
        }
    }
    // The text of the current output line so far.
    std::string_view line_prefix() const {
        size_t nl = out_.rfind('\n');
        return std::string_view(out_).substr(nl == std::string::npos ? 0 : nl + 1);
    }
    // Inserts a blank line before the current (whitespace-only) line prefix.
    void blank_line_before_prefix() {
        std::string prefix(line_prefix());
        out_.resize(out_.size() - prefix.size());
        emit("\n");
        out_ += prefix;
    }
    // True if only white space follows `from` up to the end of its line; sets `eol`.
    bool rest_of_line_blank(size_t from, size_t& eol) const {
        eol = body_.find('\n', from);
        if (eol == std::string_view::npos) eol = body_.size();
        return body_.substr(from, eol - from).find_first_not_of(" \t") == std::string_view::npos;
    }
    size_t pos() const { return pos_; }
    ShortcodeExpansion finish(std::vector<Shortcode> containers) {
        copy_to(body_.size());
        return {std::move(out_), std::move(map_), std::move(containers)};
    }

private:
    std::string_view body_;
    size_t pos_ = 0;
    int line_;
    std::string out_;
    std::vector<int> map_;
};

bool is_list_marker_prefix(std::string_view p) {
    size_t i = p.find_first_not_of(" \t");
    if (i == std::string_view::npos) return true;
    if (p[i] == '-' || p[i] == '*' || p[i] == '+') {
        ++i;
    } else {
        size_t d = i;
        while (i < p.size() && std::isdigit((unsigned char)p[i]))
            ++i;
        if (i == d || i >= p.size() || (p[i] != '.' && p[i] != ')')) return false;
        ++i;
    }
    return p.substr(i).find_first_not_of(" \t") == std::string_view::npos;
}

std::string escape_md_url(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '<' || c == '>') continue;
        out += c;
    }
    return "<" + out + ">";
}

std::string escape_md_text(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '[' || c == ']' || c == '\\' || c == '"') out += '\\';
        out += c;
    }
    return out;
}

} // namespace

std::string Shortcode::arg(const std::string& key, size_t index) const {
    if (auto it = named.find(key); it != named.end()) return it->second;
    if (index < positional.size()) return positional[index];
    return {};
}

std::string container_open_marker(size_t index) {
    return "<div data-imprenta-open=\"" + std::to_string(index) + "\"></div>";
}
std::string container_close_marker(size_t index) {
    return "<div data-imprenta-close=\"" + std::to_string(index) + "\"></div>";
}

namespace {
int parse_marker(std::string_view html, std::string_view kind) {
    while (!html.empty() && std::isspace((unsigned char)html.back()))
        html.remove_suffix(1);
    while (!html.empty() && std::isspace((unsigned char)html.front()))
        html.remove_prefix(1);
    std::string head = "<div data-imprenta-" + std::string(kind) + "=\"";
    if (!html.starts_with(head) || !html.ends_with("\"></div>")) return -1;
    std::string_view num = html.substr(head.size(), html.size() - head.size() - 8);
    if (num.empty() || num.size() > 9 ||
        num.find_first_not_of("0123456789") != std::string_view::npos)
        return -1;
    return std::stoi(std::string(num));
}
} // namespace

int parse_open_marker(std::string_view html) {
    return parse_marker(html, "open");
}
int parse_close_marker(std::string_view html) {
    return parse_marker(html, "close");
}

ShortcodeExpansion expand_shortcodes(std::string_view body, int first_line,
                                     const std::string& source, util::Diagnostics* diags,
                                     const ShortcodeOptions* options, Literals* literals) {
    auto tokens = tokenize(body, first_line);
    Writer w(body, first_line);
    std::vector<Shortcode> containers;
    auto warn = [&](int line, const std::string& msg) {
        if (diags) diags->warning({source, line, 0}, msg);
    };
    // Once per book for what is the same everywhere (an unknown name, math shown as source).
    auto warn_once = [&](int line, const std::string& key, const std::string& msg) {
        if (options && options->once && !options->once->first(key)) return;
        warn(line, msg);
    };
    // A site's own shortcode mapped in book.toml to a built-in one.
    const book::ShortcodeMapping* no_mapping = nullptr;
    auto mapping_of = [&](const std::string& name) {
        if (!options || !options->mappings) return no_mapping;
        auto it = options->mappings->find(name);
        return it == options->mappings->end() ? no_mapping : &it->second;
    };
    for (auto& t : tokens)
        if (auto* m = mapping_of(t.sc.name); m && !m->as.empty()) t.sc.name = m->as;

    // Pair every opening tag with its closing tag (same name, properly nested).
    std::vector<int> partner(tokens.size(), -1);
    std::vector<size_t> stack;
    for (size_t i = 0; i < tokens.size(); ++i) {
        if (tokens[i].self_closing || tokens[i].escaped || tokens[i].unterminated) continue;
        if (!tokens[i].closing) {
            stack.push_back(i);
            continue;
        }
        for (size_t k = stack.size(); k-- > 0;) {
            if (tokens[stack[k]].sc.name == tokens[i].sc.name) {
                partner[stack[k]] = int(i);
                partner[i] = int(stack[k]);
                stack.resize(k);
                break;
            }
        }
    }

    // What each closing tag emits, decided when its opening tag is seen.
    std::vector<std::string> close_text(tokens.size());
    std::vector<bool> close_is_marker(tokens.size(), false);

    auto emit_block_marker = [&](const Token& t, const std::string& marker) {
        std::string prefix(w.line_prefix());
        if (prefix.find_first_not_of(" \t") == std::string::npos) {
            if (!prefix.empty() || (w.pos() > 0)) w.blank_line_before_prefix();
        } else if (!is_list_marker_prefix(prefix)) {
            w.emit("\n\n");
        }
        w.emit(marker);
        size_t eol;
        if (w.rest_of_line_blank(t.end, eol)) {
            w.skip_to(eol);
            w.emit("\n");
        } else {
            w.skip_to(t.end);
            w.emit("\n\n");
        }
    };

    for (size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        const std::string& name = t.sc.name;
        w.copy_to(t.begin);
        if (t.escaped) {
            // As Hugo prints it: no Markdown and no smart quotes inside.
            w.skip_to(t.end);
            w.emit(literals ? literals->hold({LiteralKind::Verbatim, t.literal, t.literal})
                            : t.literal);
            continue;
        }
        if (t.unterminated || name.empty()) {
            warn(t.sc.line, t.unterminated ? "shortcode tag never closed with >}} or %}}: left out"
                                           : "shortcode tag without a name left out");
            w.skip_to(t.end);
            continue;
        }
        if (t.closing) {
            if (partner[i] < 0) {
                warn(t.sc.line, "closing shortcode {{< /" + name + " >}} without an opening one");
                w.skip_to(t.end);
            } else if (close_is_marker[i]) {
                emit_block_marker(t, close_text[i]);
            } else {
                w.skip_to(t.end);
                w.emit(close_text[i]);
            }
            continue;
        }
        bool paired = partner[i] >= 0;
        const book::ShortcodeMapping* mapping = mapping_of(name);
        if (mapping && !mapping->include.empty()) {
            // The file a site shortcode includes, as a code block.
            std::string path = mapped_value(mapping->include, t.sc);
            std::string lang = mapped_value(mapping->lang, t.sc);
            if (lang.empty())
                lang = std::filesystem::path(path).extension().string().substr(
                    path.rfind('.') == std::string::npos ? 0 : 1);
            std::optional<std::string> text;
            if (options->read_file && !path.empty())
                text = options->read_file(path, {source, t.sc.line, 0});
            if (!text && path.empty())
                warn(t.sc.line, "{{< " + name + " >}} names no file to include: left out");
            w.skip_to(paired ? tokens[partner[i]].end : t.end);
            if (paired) i = size_t(partner[i]);
            if (text) {
                std::string fence = "```";
                while (text->find(fence) != std::string::npos)
                    fence += '`';
                if (!text->empty() && text->back() != '\n') *text += '\n';
                w.emit("\n\n" + fence + lang + "\n" + *text + fence + "\n\n");
            }
            continue;
        }
        if (t.self_closing && name != "relref" && name != "ref" && name != "image" &&
            name != "figure" && !is_browser_only(name)) {
            // {{< x />}}: a shortcode with no content, nothing to show in a book.
            if (!container_names().count(name) && name != "katex" && name != "mermaid" &&
                name != "button" && !mapping)
                warn_once(t.sc.line, "unknown:" + name,
                          "unknown shortcode {{< " + name +
                              " >}} left out (imprenta does not "
                              "know it; map it in book.toml [shortcodes." +
                              name + "])");
            w.skip_to(t.end);
            continue;
        }
        if (is_browser_only(name)) {
            // Needs a browser: a titled note that leads to the original.
            std::string url = browser_only_url(t.sc);
            Shortcode note;
            note.name = "hint";
            note.named["type"] = "info";
            note.named["title"] = browser_only_title(t.sc);
            if (!url.empty()) note.named["media"] = url; // the PDF adds a QR code of it
            note.line = t.sc.line;
            size_t index = containers.size();
            containers.push_back(note);
            emit_block_marker(t, container_open_marker(index));
            w.skip_to(paired ? tokens[partner[i]].end : t.end);
            if (paired) i = size_t(partner[i]);
            w.emit("\n" +
                   (url.empty() ? std::string("(not shown in the book)")
                                : "[" + escape_md_text(url) + "](" + escape_md_url(url) + ")") +
                   "\n\n" + container_close_marker(index) + "\n\n");
            continue;
        }
        if (name == "relref" || name == "ref") {
            w.skip_to(t.end);
            std::string target(kRefScheme);
            for (char c : t.sc.arg("path", 0))
                target += c == ' ' ? std::string("%20") : std::string(1, c);
            w.emit(target);
        } else if (name == "image" || (name == "figure" && !paired)) {
            std::string src = t.sc.arg("src", 0);
            std::string alt = t.sc.arg("alt");
            std::string title = t.sc.arg("title");
            std::string caption = t.sc.arg("caption");
            if (alt.empty()) alt = !caption.empty() ? caption : title;
            std::string img = "![" + escape_md_text(alt) + "](" + escape_md_url(src) +
                              (title.empty() ? "" : " \"" + escape_md_text(title) + "\"") + ")";
            if (src.empty()) {
                warn(t.sc.line, "{{< " + name + " >}} without src left out");
                w.skip_to(t.end);
            } else if (name == "figure" && !caption.empty()) {
                size_t index = containers.size();
                containers.push_back(t.sc);
                emit_block_marker(t, container_open_marker(index));
                w.emit("\n" + img + "\n\n" + container_close_marker(index) + "\n\n");
            } else if (std::string cls = image_classes(t.sc); !cls.empty()) {
                // Size and alignment (img-medium, img-center, width): a group the CSS sizes.
                Shortcode group;
                group.name = cls;
                group.line = t.sc.line;
                size_t index = containers.size();
                containers.push_back(group);
                emit_block_marker(t, container_open_marker(index));
                w.emit("\n" + img + "\n\n" + container_close_marker(index) + "\n\n");
            } else {
                w.skip_to(t.end);
                w.emit(img);
            }
        } else if (name == "button" && paired) {
            w.skip_to(t.end);
            w.emit("[");
            close_text[partner[i]] = "](" + escape_md_url(t.sc.arg("href", 0)) + ")";
        } else if ((name == "katex" || name == "mermaid") && paired) {
            warn_once(t.sc.line, "source:" + name,
                      "{{< " + name + " >}} is shown as its source: " + name +
                          " cannot be rendered in a book");
            size_t eol;
            bool own_line = w.rest_of_line_blank(t.end, eol) &&
                            w.line_prefix().find_first_not_of(" \t") == std::string_view::npos;
            if (name == "katex" && !own_line && t.sc.named.count("display") == 0 &&
                std::find(t.sc.positional.begin(), t.sc.positional.end(), "display") ==
                    t.sc.positional.end()) {
                // Inline math stays in its line (a table row, a sentence) as code.
                w.skip_to(t.end);
                w.emit("`");
                close_text[partner[i]] = "`";
                continue;
            }
            w.skip_to(own_line && eol < body.size() ? eol + 1 : t.end);
            w.emit("\n\n```" + std::string(name == "katex" ? "math" : name) + "\n");
            close_text[partner[i]] = "\n```\n";
        } else if (paired) {
            if (!container_names().count(name) && !mapping)
                warn_once(t.sc.line, "unknown:" + name,
                          "unknown shortcode {{< " + name +
                              " >}}: its content is kept (map it "
                              "in book.toml [shortcodes." +
                              name + "])");
            size_t index = containers.size();
            containers.push_back(t.sc);
            emit_block_marker(t, container_open_marker(index));
            close_text[partner[i]] = container_close_marker(index);
            close_is_marker[partner[i]] = true;
        } else if (container_names().count(name) || name == "button" || name == "katex" ||
                   name == "mermaid") {
            warn(t.sc.line, "{{< " + name + " >}} is never closed with {{< /" + name +
                                " >}}: the tag is left out, its content kept");
            w.skip_to(t.end);
        } else {
            if (!mapping)
                warn_once(t.sc.line, "unknown:" + name,
                          "unknown shortcode {{< " + name +
                              " >}} left out (imprenta does not "
                              "know it; map it in book.toml [shortcodes." +
                              name + "])");
            w.skip_to(t.end);
        }
    }
    return w.finish(std::move(containers));
}

} // namespace imprenta::doc
