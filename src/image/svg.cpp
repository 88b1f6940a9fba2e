// SVG is never rasterised: we read its declared size and check that it is safe to ship in an
// EPUB (well-formed XML, an <svg> root, no scripts, no event handlers, nothing fetched from
// outside the document).
#include "image/codec.h"
#include "image/svg_attributes.h"
#include "util/sanitize.h"
#include "util/utf8.h"

#include <tinyxml2.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <set>

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
    tinyxml2::XMLElement* root = nullptr;
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

// url(), image-set() and @import in CSS text (style attributes, presentation attributes,
// <style>), looked for after CSS escapes are decoded: `u\72l(` is url( to a reader.
void check_css(std::string_view css) {
    if (css.find_first_of("(:@\\") == std::string_view::npos) return; // most values: "12", "red"
    if (auto why = util::css_outside_reference(css))
        throw ImageError("unsafe SVG: its CSS reaches outside the document: " + *why);
}

// SVG 1.1 element names, lowercased (script deliberately absent). Anything else unprefixed is
// refused: a reader's SVG schema (epubcheck's too) rejects it, and a look-alike such as
// <scriptimage> has no business in a book.
bool is_svg_element(const std::string& lowered) {
    static const std::set<std::string> names{"a",
                                             "altglyph",
                                             "altglyphdef",
                                             "altglyphitem",
                                             "animate",
                                             "animatecolor",
                                             "animatemotion",
                                             "animatetransform",
                                             "circle",
                                             "clippath",
                                             "color-profile",
                                             "cursor",
                                             "defs",
                                             "desc",
                                             "ellipse",
                                             "feblend",
                                             "fecolormatrix",
                                             "fecomponenttransfer",
                                             "fecomposite",
                                             "feconvolvematrix",
                                             "fediffuselighting",
                                             "fedisplacementmap",
                                             "fedistantlight",
                                             "feflood",
                                             "fefunca",
                                             "fefuncb",
                                             "fefuncg",
                                             "fefuncr",
                                             "fegaussianblur",
                                             "feimage",
                                             "femerge",
                                             "femergenode",
                                             "femorphology",
                                             "feoffset",
                                             "fepointlight",
                                             "fespecularlighting",
                                             "fespotlight",
                                             "fetile",
                                             "feturbulence",
                                             "filter",
                                             "font",
                                             "font-face",
                                             "font-face-format",
                                             "font-face-name",
                                             "font-face-src",
                                             "font-face-uri",
                                             "g",
                                             "glyph",
                                             "glyphref",
                                             "hkern",
                                             "image",
                                             "line",
                                             "lineargradient",
                                             "marker",
                                             "mask",
                                             "metadata",
                                             "missing-glyph",
                                             "mpath",
                                             "path",
                                             "pattern",
                                             "polygon",
                                             "polyline",
                                             "radialgradient",
                                             "rect",
                                             "set",
                                             "stop",
                                             "style",
                                             "svg",
                                             "switch",
                                             "symbol",
                                             "text",
                                             "textpath",
                                             "title",
                                             "tref",
                                             "tspan",
                                             "use",
                                             "view",
                                             "vkern"};
    return names.count(lowered) > 0;
}

// The prefix of a qualified name ("inkscape" of "inkscape:label"), empty if it has none.
std::string_view prefix_of(std::string_view qname) {
    size_t colon = qname.find(':');
    return colon == std::string_view::npos ? std::string_view() : qname.substr(0, colon);
}

// `declared`: the prefixes bound by xmlns:... on this element's ancestors. XML readers (EPUB
// reading systems among them) refuse a document with an unbound prefix: namespace
// well-formedness, which tinyxml2 does not check. xlink is bound at the root when missing.
void check_element(const tinyxml2::XMLElement* e, int depth, std::set<std::string> declared) {
    if (depth > 256) throw ImageError("SVG nested too deeply");
    std::string name = lower(local_name(e->Name()));
    std::string_view qualified = e->Name();
    for (const tinyxml2::XMLAttribute* a = e->FirstAttribute(); a; a = a->Next())
        if (prefix_of(a->Name()) == "xmlns") declared.insert(std::string(local_name(a->Name())));
    auto bound = [&](std::string_view qname) {
        // A QName is NCName or NCName:NCName: no empty part, no second colon.
        size_t colon = qname.find(':');
        if (colon != std::string_view::npos &&
            (colon == 0 || colon + 1 == qname.size() ||
             qname.find(':', colon + 1) != std::string_view::npos))
            return false;
        std::string_view prefix = prefix_of(qname);
        return prefix.empty() || prefix == "xml" || prefix == "xmlns" || prefix == "xlink" ||
               declared.count(std::string(prefix)) > 0;
    };
    if (!bound(qualified))
        throw ImageError("malformed SVG: <" + std::string(qualified.substr(0, 40)) +
                         "> has a prefix that is not declared, or is not a qualified name");
    bool foreign = qualified.find(':') != std::string_view::npos && !qualified.starts_with("svg:");
    if (name == "script") throw ImageError("unsafe SVG: it contains a <script>");
    if (name == "iframe" || name == "object" || name == "embed")
        throw ImageError("unsafe SVG: it contains an <" + name + ">");
    if (!foreign && !is_svg_element(name))
        throw ImageError("SVG has an element that is not SVG: <" +
                         std::string(qualified.substr(0, 40)) + ">");
    for (const tinyxml2::XMLAttribute* a = e->FirstAttribute(); a; a = a->Next()) {
        if (!bound(a->Name()))
            throw ImageError("malformed SVG: the attribute " +
                             std::string(a->Name()).substr(0, 40) +
                             " has a prefix that is not declared, or is not a qualified name");
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
        check_element(c, depth + 1, declared);
}

bool is_xml_char(char32_t c) {
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// `<?xml version="1.x" encoding="UTF-8" standalone="yes"?>`: only these, in this order.
void check_xml_declaration(std::string_view body) {
    static const char* names[] = {"version", "encoding", "standalone"};
    size_t next = 0;
    bool first = true;
    while (true) {
        size_t before = body.size();
        while (!body.empty() && is_space(body[0]))
            body.remove_prefix(1);
        if (body.empty()) break;
        if (body.size() == before) throw ImageError("malformed SVG: bad XML declaration");
        size_t eq = body.find('=');
        std::string_view name = body.substr(0, eq);
        while (!name.empty() && is_space(name.back()))
            name.remove_suffix(1);
        size_t which = next;
        while (which < 3 && name != names[which])
            ++which;
        if (eq == std::string_view::npos || which == 3 || (first && which != 0))
            throw ImageError("malformed SVG: bad XML declaration");
        body.remove_prefix(eq + 1);
        while (!body.empty() && is_space(body[0]))
            body.remove_prefix(1);
        if (body.empty() || (body[0] != '"' && body[0] != '\''))
            throw ImageError("malformed SVG: bad XML declaration");
        size_t close = body.find(body[0], 1);
        if (close == std::string_view::npos) throw ImageError("malformed SVG: bad XML declaration");
        std::string value = lower(body.substr(1, close - 1));
        bool ok = which == 0   ? value.size() >= 3 && value.substr(0, 2) == "1."
                  : which == 1 ? value == "utf-8"
                               : value == "yes" || value == "no";
        if (!ok)
            throw ImageError(which == 1 ? "SVG is not in UTF-8 (" + value + ")"
                                        : "malformed SVG: bad XML declaration");
        body.remove_prefix(close + 1);
        next = which + 1;
        first = false;
    }
    if (first) throw ImageError("malformed SVG: bad XML declaration");
}

// tinyxml2 is no validator: it takes bad declarations, `--` in comments, undeclared entities
// and control characters, all fatal to epubcheck and to librsvg's libxml2.
void check_well_formed(std::string_view bytes) {
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
    if (util::find_invalid_utf8(bytes)) throw ImageError("SVG is not valid UTF-8");
    for (size_t i = 0; i < bytes.size();)
        if (!is_xml_char(util::next_code_point(bytes, i)))
            throw ImageError("malformed SVG: a character XML does not allow");
    size_t i = 0;
    while (i < bytes.size()) {
        std::string_view rest = bytes.substr(i);
        if (rest.substr(0, 4) == "<!--") {
            size_t end = rest.find("-->", 4);
            if (end == std::string_view::npos) throw ImageError("malformed SVG: open comment");
            std::string_view body = rest.substr(4, end - 4);
            if (body.find("--") != std::string_view::npos || (!body.empty() && body.back() == '-'))
                throw ImageError("malformed SVG: \"--\" inside a comment");
            i += end + 3;
        } else if (rest.substr(0, 9) == "<![CDATA[") {
            size_t end = rest.find("]]>");
            if (end == std::string_view::npos) throw ImageError("malformed SVG: open CDATA");
            i += end + 3;
        } else if (rest.substr(0, 2) == "<?") {
            size_t end = rest.find("?>");
            if (end == std::string_view::npos) throw ImageError("malformed SVG: open instruction");
            std::string_view body = rest.substr(2, end - 2);
            size_t t = 0;
            while (t < body.size() && !is_space(body[t]))
                ++t;
            std::string target = lower(body.substr(0, t));
            if (target.empty()) throw ImageError("malformed SVG: instruction without a target");
            if (target == "xml") {
                if (i != 0) throw ImageError("malformed SVG: XML declaration not at the start");
                check_xml_declaration(body.substr(t));
            }
            i += end + 2;
        } else if (rest[0] == '&') {
            size_t semi = rest.find(';');
            std::string_view ref =
                semi == std::string_view::npos ? std::string_view() : rest.substr(1, semi - 1);
            bool ok = ref == "lt" || ref == "gt" || ref == "amp" || ref == "quot" || ref == "apos";
            if (!ok && ref.size() > 1 && ref[0] == '#') {
                bool hex = ref[1] == 'x';
                std::string_view digits = ref.substr(hex ? 2 : 1);
                const char* allowed = hex ? "0123456789abcdefABCDEF" : "0123456789";
                if (!digits.empty() && digits.size() <= 8 &&
                    digits.find_first_not_of(allowed) == std::string_view::npos) {
                    unsigned long cp =
                        std::strtoul(std::string(digits).c_str(), nullptr, hex ? 16 : 10);
                    ok = is_xml_char(char32_t(cp));
                }
            }
            if (!ok)
                throw ImageError("malformed SVG: undeclared entity or stray '&' (" +
                                 std::string(rest.substr(0, std::min<size_t>(semi, 12))) + ")");
            i += semi + 1;
        } else {
            ++i;
        }
    }
}

// librsvg (and browsers) load the style sheet an <?xml-stylesheet?> instruction names.
void check_instructions(const tinyxml2::XMLNode* node, int depth) {
    if (depth > 256) throw ImageError("SVG nested too deeply");
    for (const tinyxml2::XMLNode* n = node->FirstChild(); n; n = n->NextSibling()) {
        if (const tinyxml2::XMLDeclaration* d = n->ToDeclaration()) {
            std::string_view v = d->Value() ? d->Value() : "";
            if (lower(v.substr(0, 14)) == "xml-stylesheet")
                throw ImageError("unsafe SVG: it loads a style sheet (xml-stylesheet)");
        }
        check_instructions(n, depth + 1);
    }
}

bool uses_prefix(const tinyxml2::XMLElement* e, std::string_view prefix) {
    for (const tinyxml2::XMLAttribute* a = e->FirstAttribute(); a; a = a->Next())
        if (std::string_view(a->Name()).substr(0, prefix.size()) == prefix) return true;
    for (const tinyxml2::XMLElement* c = e->FirstChildElement(); c; c = c->NextSiblingElement())
        if (uses_prefix(c, prefix)) return true;
    return false;
}

// A raw '<' inside a quoted attribute value is not well-formed XML, though tinyxml2 accepts it.
void check_attribute_quotes(std::string_view s) {
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '<') continue;
        if (s.substr(i, 4) == "<!--") {
            i = std::min(s.size(), s.find("-->", i));
            continue;
        }
        if (s.substr(i, 9) == "<![CDATA[") {
            i = std::min(s.size(), s.find("]]>", i));
            continue;
        }
        // Inside a tag: skip quoted values, refusing a '<' in them.
        for (++i; i < s.size() && s[i] != '>'; ++i) {
            if (s[i] != '"' && s[i] != '\'') continue;
            char q = s[i];
            for (++i; i < s.size() && s[i] != q; ++i)
                if (s[i] == '<') throw ImageError("malformed SVG: '<' inside an attribute value");
        }
    }
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
    check_well_formed(bytes);
    check_attribute_quotes(bytes);
    check_instructions(&p.doc, 0);
    check_element(p.root, 0, {});

    // epubcheck insists on the SVG namespace (and on xlink being declared when used). Add what is
    // missing right after the root's tag name.
    std::string_view root_name = p.root->Name();
    if (root_name != "svg")
        throw ImageError("SVG root element uses a prefix (" + std::string(root_name) + ")");
    const char* ns = p.root->Attribute("xmlns");
    if (ns && std::strcmp(ns, kSvgNs) != 0)
        throw ImageError("not an SVG document (wrong namespace)");
    // Ship the document that was checked, serialised again, not the original bytes: whatever
    // tinyxml2 tolerated (a stray '<' in an attribute, an XML version other than 1.0, content
    // after the root element) cannot reach a reader that is stricter.
    int elements = 0;
    for (const tinyxml2::XMLNode* n = p.doc.FirstChild(); n; n = n->NextSibling())
        elements += n->ToElement() != nullptr;
    if (elements != 1) throw ImageError("malformed SVG: content after the root element");
    if (!ns) p.root->SetAttribute("xmlns", kSvgNs);
    rewrite_to_svg11(p.root);
    if (!p.root->Attribute("xmlns:xlink") && uses_prefix(p.root, "xlink:"))
        p.root->SetAttribute("xmlns:xlink", kXlinkNs);
    tinyxml2::XMLPrinter printer(nullptr, /*compact=*/true);
    p.root->Accept(&printer);
    return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") + printer.CStr();
}

} // namespace imprenta::image::detail
