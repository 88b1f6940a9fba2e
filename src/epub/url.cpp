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

namespace {

std::string internal_href(const Plan& plan, size_t from, size_t chapter, const std::string& anchor,
                          std::string& problem) {
    const std::string& file = plan.files[chapter];
    if (anchor.empty()) return file;
    const auto& anchors = plan.ids[chapter].anchors;
    auto it = anchors.find(anchor);
    if (it == anchors.end()) {
        problem = "link to '#" + anchor + "' in " + plan.book->chapters[chapter].source +
                  ": no element has that id; the link goes to the start of the chapter";
        return file;
    }
    return chapter == from ? "#" + it->second : file + "#" + it->second;
}

} // namespace

std::string link_href(const Plan& plan, size_t from, const doc::LinkTarget& t,
                      std::string& problem) {
    if (!t.internal()) {
        if (t.url.empty()) return {};
        if (t.url[0] == '#') return internal_href(plan, from, from, t.url.substr(1), problem);
        std::string_view scheme = url_scheme(t.url);
        if (scheme.empty()) {
            problem = "link to '" + t.url +
                      "' does not lead to a chapter of the book; only its text is kept";
            return {};
        }
        if (is_blocked_scheme(scheme)) {
            problem = "link with a " + std::string(scheme) + ": URL dropped; only its text is kept";
            return {};
        }
        return encode_url(t.url);
    }
    if (size_t(t.chapter) >= plan.files.size()) {
        problem = "internal link to a chapter that does not exist; only its text is kept";
        return {};
    }
    return internal_href(plan, from, size_t(t.chapter), t.anchor, problem);
}

} // namespace imprenta::epub
