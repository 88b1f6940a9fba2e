#include "book/site_paths.h"

#include "util/utf8.h"

#include <algorithm>
#include <vector>

namespace imprenta::book {

std::string percent_decode(std::string_view s) {
    auto hex = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && std::isxdigit((unsigned char)s[i + 1]) &&
            std::isxdigit((unsigned char)s[i + 2])) {
            out += char(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string resolve_url(std::string_view base, std::string_view ref) {
    std::string joined;
    if (!ref.empty() && ref[0] == '/') {
        joined = std::string(ref);
    } else {
        std::string_view dir = base.substr(0, base.rfind('/') + 1);
        joined = std::string(dir.empty() ? "/" : dir) + std::string(ref);
    }
    // Dot segments, as RFC 3986 removes them.
    std::vector<std::string> parts;
    size_t i = 0;
    bool trailing = false;
    while (i <= joined.size()) {
        size_t slash = joined.find('/', i);
        if (slash == std::string::npos) slash = joined.size();
        std::string seg = joined.substr(i, slash - i);
        trailing = seg.empty() || seg == "." || seg == "..";
        if (seg == "..") {
            if (!parts.empty()) parts.pop_back();
        } else if (!seg.empty() && seg != ".") {
            parts.push_back(seg);
        }
        i = slash + 1;
    }
    std::string out = "/";
    for (size_t k = 0; k < parts.size(); ++k)
        out += parts[k] + (k + 1 < parts.size() || trailing ? "/" : "");
    return out;
}

std::string url_key(std::string_view path, const SiteConfig& site) {
    std::string s = percent_decode(path);
    if (s.empty() || s[0] != '/') s = "/" + s;
    std::replace(s.begin(), s.end(), ' ', '-');
    if (site.path_to_lower) s = util::to_lower(s);
    for (std::string_view tail : {"/index.html", "/index.htm", "/index.xml"})
        if (s.ends_with(tail)) s.resize(s.size() - tail.size() + 1);
    if (s.ends_with(".html")) s.resize(s.size() - 5);
    while (s.size() > 1 && s.back() == '/')
        s.pop_back();
    // The edition's own language prefix, and a site's default language put in a subfolder.
    for (const std::string& code :
         {site.url_prefix.empty() ? "" : site.url_prefix.substr(1), site.lang}) {
        if (code.empty()) continue;
        std::string p = site.path_to_lower ? util::to_lower(code) : code;
        std::string_view rest(s);
        rest.remove_prefix(1);
        if (rest.starts_with(p) && (rest.size() == p.size() || rest[p.size()] == '/'))
            return rest.size() == p.size() ? std::string("/") : std::string(rest.substr(p.size()));
    }
    return s;
}

} // namespace imprenta::book
