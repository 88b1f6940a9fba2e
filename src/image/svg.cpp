// SVG is never rasterised: we read its declared size and check that it is safe to ship in an
// EPUB (well-formed XML, an <svg> root, no scripts, no event handlers, nothing fetched from
// outside the document).
#include "image/codec.h"

#include <tinyxml2.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace imprenta::image::detail {
namespace {

constexpr const char* kSvgNs = "http://www.w3.org/2000/svg";
constexpr const char* kXlinkNs = "http://www.w3.org/1999/xlink";

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return out;
}

std::string_view local_name(std::string_view qname) {
    size_t colon = qname.rfind(':');
    return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

std::string_view skip_prolog_space(std::string_view s) {
    if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
    while (!s.empty() && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n'))
        s.remove_prefix(1);
    return s;
}

struct Parsed {
    tinyxml2::XMLDocument doc{true, tinyxml2::PRESERVE_WHITESPACE};
    const tinyxml2::XMLElement* root = nullptr;
};

void parse(std::string_view bytes, Parsed& p) {
    if (bytes.find('\0') != std::string_view::npos) throw ImageError("corrupt SVG: binary data");
    if (p.doc.Parse(bytes.data(), bytes.size()) != tinyxml2::XML_SUCCESS)
        throw ImageError(std::string("malformed SVG: ") +
                         (p.doc.ErrorStr() ? p.doc.ErrorStr() : "XML error"));
    p.root = p.doc.RootElement();
    if (!p.root || local_name(p.root->Name()) != "svg")
        throw ImageError("not an SVG document (the root element is not <svg>)");
}

// A CSS/SVG length in CSS pixels; negative when absent or relative (%, em).
double parse_length(const char* value) {
    if (!value) return -1;
    char* end = nullptr;
    double v = std::strtod(value, &end);
    if (end == value || !std::isfinite(v) || v <= 0) return -1;
    std::string unit = lower(std::string_view(end));
    while (!unit.empty() && unit.back() == ' ')
        unit.pop_back();
    if (unit.empty() || unit == "px") return v;
    if (unit == "pt") return v * 96.0 / 72.0;
    if (unit == "pc") return v * 16.0;
    if (unit == "in") return v * 96.0;
    if (unit == "cm") return v * 96.0 / 2.54;
    if (unit == "mm") return v * 96.0 / 25.4;
    return -1;
}

int to_pixels(double v) {
    if (v <= 0) return 0;
    return int(std::clamp(std::lround(v), 1L, 1000000L));
}

bool is_external_ref(std::string_view v) {
    while (!v.empty() && (v[0] == ' ' || v[0] == '\t' || v[0] == '\n' || v[0] == '\r'))
        v.remove_prefix(1);
    if (v.empty() || v[0] == '#') return false;
    return lower(v.substr(0, 5)) != "data:";
}

// url(...) references in CSS text (style attributes, presentation attributes, <style>).
void check_css(std::string_view css) {
    std::string l = lower(css);
    if (l.find("@import") != std::string::npos) throw ImageError("unsafe SVG: CSS @import");
    if (l.find("javascript:") != std::string::npos) throw ImageError("unsafe SVG: javascript: URL");
    for (size_t at = l.find("url("); at != std::string::npos; at = l.find("url(", at + 4)) {
        std::string_view rest = std::string_view(l).substr(at + 4);
        while (!rest.empty() && (rest[0] == ' ' || rest[0] == '"' || rest[0] == '\''))
            rest.remove_prefix(1);
        if (is_external_ref(rest))
            throw ImageError("unsafe SVG: it refers to an external resource through url()");
    }
}

void check_element(const tinyxml2::XMLElement* e, int depth) {
    if (depth > 256) throw ImageError("SVG nested too deeply");
    std::string name = lower(local_name(e->Name()));
    if (name == "script") throw ImageError("unsafe SVG: it contains a <script>");
    if (name == "iframe" || name == "object" || name == "embed")
        throw ImageError("unsafe SVG: it contains an <" + name + ">");
    for (const tinyxml2::XMLAttribute* a = e->FirstAttribute(); a; a = a->Next()) {
        std::string an = lower(a->Name());
        std::string_view local = local_name(an);
        const char* v = a->Value() ? a->Value() : "";
        if (local.substr(0, 2) == "on")
            throw ImageError("unsafe SVG: event handler attribute " + std::string(a->Name()));
        // A hyperlink out of a diagram fetches nothing; any other outside reference would.
        bool web_link = name == "a" && (lower(std::string_view(v).substr(0, 8)) == "https://" ||
                                        lower(std::string_view(v).substr(0, 7)) == "http://" ||
                                        lower(std::string_view(v).substr(0, 7)) == "mailto:");
        if (local == "href" && is_external_ref(v) && !web_link)
            throw ImageError("unsafe SVG: it refers to an external resource (" +
                             std::string(v).substr(0, 80) + ")");
        if (an.rfind("xmlns", 0) != 0) check_css(v);
    }
    if (name == "style") {
        for (const tinyxml2::XMLNode* n = e->FirstChild(); n; n = n->NextSibling())
            if (const tinyxml2::XMLText* t = n->ToText()) check_css(t->Value());
    }
    for (const tinyxml2::XMLElement* c = e->FirstChildElement(); c; c = c->NextSiblingElement())
        check_element(c, depth + 1);
}

bool uses_prefix(const tinyxml2::XMLElement* e, std::string_view prefix) {
    for (const tinyxml2::XMLAttribute* a = e->FirstAttribute(); a; a = a->Next())
        if (std::string_view(a->Name()).substr(0, prefix.size()) == prefix) return true;
    for (const tinyxml2::XMLElement* c = e->FirstChildElement(); c; c = c->NextSiblingElement())
        if (uses_prefix(c, prefix)) return true;
    return false;
}

} // namespace

bool looks_like_svg(std::string_view bytes) {
    std::string_view s = skip_prolog_space(bytes);
    if (s.empty() || s[0] != '<') return false;
    std::string_view head = s.substr(0, 4096);
    return head.find("<svg") != std::string_view::npos ||
           head.find(":svg") != std::string_view::npos;
}

Info probe_svg(std::string_view bytes) {
    Parsed p;
    parse(bytes, p);
    Info info;
    info.format = Format::Svg;
    info.has_alpha = true;
    double w = parse_length(p.root->Attribute("width"));
    double h = parse_length(p.root->Attribute("height"));
    double vw = -1, vh = -1;
    if (const char* vb = p.root->Attribute("viewBox")) {
        double n[4];
        int count = 0;
        const char* s = vb;
        while (count < 4) {
            while (*s == ' ' || *s == ',' || *s == '\t' || *s == '\n' || *s == '\r')
                ++s;
            char* end = nullptr;
            double v = std::strtod(s, &end);
            if (end == s || !std::isfinite(v)) break;
            n[count++] = v;
            s = end;
        }
        if (count == 4 && n[2] > 0 && n[3] > 0) {
            vw = n[2];
            vh = n[3];
        }
    }
    // Missing sides come from the viewBox's aspect ratio.
    if (w > 0 && h <= 0 && vw > 0) h = w * vh / vw;
    if (h > 0 && w <= 0 && vh > 0) w = h * vw / vh;
    if (w <= 0 || h <= 0) {
        w = vw;
        h = vh;
    }
    info.width = to_pixels(w);
    info.height = to_pixels(h);
    if (info.width == 0 || info.height == 0) info.width = info.height = 0;
    return info;
}

std::string sanitize_svg(std::string_view bytes) {
    Parsed p;
    parse(bytes, p);
    // Internal DTD subsets can declare entities (billion laughs) that other XML readers expand.
    size_t doctype = bytes.find("<!DOCTYPE");
    if (doctype != std::string_view::npos) {
        size_t end = bytes.find('>', doctype);
        size_t bracket = bytes.find('[', doctype);
        if (bracket != std::string_view::npos && (end == std::string_view::npos || bracket < end))
            throw ImageError("unsafe SVG: it declares entities in a DOCTYPE");
    }
    check_element(p.root, 0);

    // epubcheck insists on the SVG namespace (and on xlink being declared when used). Add what is
    // missing right after the root's tag name.
    std::string add;
    std::string_view root_name = p.root->Name();
    if (root_name != "svg")
        throw ImageError("SVG root element uses a prefix (" + std::string(root_name) + ")");
    const char* ns = p.root->Attribute("xmlns");
    if (!ns)
        add += std::string(" xmlns=\"") + kSvgNs + "\"";
    else if (std::strcmp(ns, kSvgNs) != 0)
        throw ImageError("not an SVG document (wrong namespace)");
    if (!p.root->Attribute("xmlns:xlink") && uses_prefix(p.root, "xlink:"))
        add += std::string(" xmlns:xlink=\"") + kXlinkNs + "\"";
    std::string out(bytes);
    if (!add.empty()) {
        // Skip the prolog (declaration, comments, processing instructions, DOCTYPE).
        size_t at = 0;
        while (true) {
            at = out.find('<', at);
            if (at == std::string::npos) break;
            std::string_view rest = std::string_view(out).substr(at);
            const char* close = rest.substr(0, 4) == "<!--" ? "-->"
                                : rest.substr(0, 2) == "<?" ? "?>"
                                : rest.substr(0, 2) == "<!" ? ">"
                                                            : nullptr;
            if (!close) break;
            at = out.find(close, at);
            if (at == std::string::npos) break;
        }
        if (at == std::string::npos || out.compare(at, 4, "<svg") != 0)
            throw ImageError("malformed SVG: no <svg> start tag");
        out.insert(at + 4, add);
    }
    return out;
}

} // namespace imprenta::image::detail
