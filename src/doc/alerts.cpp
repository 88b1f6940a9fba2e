// GitHub alerts (> [!NOTE] ...), which hugo-book renders as hint boxes, rewritten as hint
// shortcodes before the Markdown is parsed.
#include "doc/shortcodes.h"

#include <optional>
#include <set>
#include <string>

namespace imprenta::doc {

namespace {

// "[!NOTE]", "[!tip]-", "[!WARNING]+ Title" at the start of a blockquote line: the kind, and the
// rest of the line as a title.
bool parse_alert(std::string_view quoted, std::string& kind, std::string& title) {
    if (!quoted.starts_with("[!")) return false;
    size_t close = quoted.find(']');
    if (close == std::string_view::npos) return false;
    std::string k(quoted.substr(2, close - 2));
    for (auto& c : k)
        c = char(std::tolower((unsigned char)c));
    static const std::set<std::string> kinds{"note", "tip", "important", "warning", "caution"};
    if (!kinds.count(k)) return false;
    kind = k;
    std::string_view rest = quoted.substr(close + 1);
    if (!rest.empty() && (rest[0] == '-' || rest[0] == '+')) rest.remove_prefix(1);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t'))
        rest.remove_prefix(1);
    while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t'))
        rest.remove_suffix(1);
    title = std::string(rest);
    if (title.empty()) {
        title = kind;
        title[0] = char(std::toupper((unsigned char)title[0]));
    }
    return true;
}

// The text after a blockquote's "> " marker, if `line` is a blockquote line.
std::optional<std::string_view> quoted(std::string_view line) {
    size_t i = 0;
    while (i < line.size() && i < 3 && line[i] == ' ')
        ++i;
    if (i >= line.size() || line[i] != '>') return std::nullopt;
    ++i;
    if (i < line.size() && line[i] == ' ') ++i;
    return line.substr(i);
}

} // namespace

std::string rewrite_alerts(std::string_view body) {
    std::string out;
    out.reserve(body.size() + 64);
    std::string fence; // the open code fence, if any
    bool in_alert = false;
    auto close_alert = [&] {
        // On the alert's last line, so that every line keeps its number.
        if (!out.empty() && out.back() == '\n') out.pop_back();
        out += " {{< /hint >}}\n";
        in_alert = false;
    };
    size_t pos = 0;
    while (pos < body.size()) {
        size_t eol = body.find('\n', pos);
        if (eol == std::string_view::npos) eol = body.size();
        std::string_view line = body.substr(pos, eol - pos);
        pos = eol + 1;
        auto q = quoted(line);
        if (in_alert && !q) close_alert();
        std::string_view bare = q ? *q : line;
        size_t lead = bare.find_first_not_of(' ');
        std::string_view t = lead == std::string_view::npos ? "" : bare.substr(lead);
        if (!fence.empty()) {
            if (t.starts_with(fence)) fence.clear();
        } else if (t.starts_with("```") || t.starts_with("~~~")) {
            fence = std::string(t.substr(0, 3));
        }
        std::string kind, title;
        if (fence.empty() && !in_alert && q && parse_alert(*q, kind, title)) {
            std::string escaped;
            for (char c : title)
                escaped += c == '"' ? std::string("\\\"") : std::string(1, c);
            out += "{{< hint type=\"" + kind + "\" title=\"" + escaped + "\" >}}\n";
            in_alert = true;
            continue;
        }
        out += in_alert ? std::string(*q) : std::string(line);
        out += '\n';
    }
    if (in_alert) close_alert();
    if (!body.empty() && body.back() != '\n' && !out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

} // namespace imprenta::doc
