// Link targets as the chapters write them: schemes a reader must never follow, and the bytes a
// URL may not carry.
#include "epub/url.h"

#include "util/utf8.h"

#include <cctype>
#include <string>

namespace imprenta::epub {

bool is_blocked_scheme(std::string_view scheme) {
    std::string s(scheme);
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s == "javascript" || s == "vbscript" || s == "file" || s == "data";
}

// The scheme of an absolute URL ("https"), or empty for a relative reference.
std::string_view url_scheme(std::string_view url) {
    if (url.empty() || !std::isalpha(static_cast<unsigned char>(url[0]))) return {};
    for (size_t i = 1; i < url.size(); ++i) {
        char c = url[i];
        if (c == ':') return url.substr(0, i);
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
            return {};
    }
    return {};
}

// Spaces and controls are not allowed in a URL; everything else the reader passes through.
std::string encode_url(std::string_view url) {
    std::string clean = util::xml_safe_text(url), out;
    out.reserve(clean.size());
    static const char* hex = "0123456789ABCDEF";
    for (char c : clean) {
        auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7F) {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 15];
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace imprenta::epub
