#include "util/sanitize.h"

#include <tinyxml2.h>

#include <algorithm>
#include <set>

namespace imprenta::util {

namespace {

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

// Elements that run code, embed other documents or submit data: none belongs in a book.
bool is_forbidden_element(const std::string& name) {
    static const std::set<std::string> names{"script", "iframe",   "frame", "frameset", "object",
                                             "embed",  "applet",   "form",  "input",    "button",
                                             "select", "textarea", "base",  "portal",   "noscript"};
    return names.count(name) > 0;
}

bool is_url_attribute(std::string_view name) {
    static const std::set<std::string, std::less<>> names{
        "href",    "src",      "action",  "formaction", "poster", "background",
        "data",    "srcset",   "cite",    "longdesc",   "usemap", "manifest",
        "profile", "codebase", "archive", "ping",       "lowsrc", "dynsrc"};
    return names.count(name) > 0;
}

// `value` of a URL attribute, lowercased and trimmed: does it stay inside the EPUB?
// A template's own placeholders ({{stylesheet}}) and fragments are inside; a hyperlink (<a href>)
// to the web is allowed, as in content; anything else names a file the EPUB does not have.
bool url_allowed(const std::string& element, std::string_view attr, std::string v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t' || v.front() == '\n'))
        v.erase(v.begin());
    if (v.empty() || v[0] == '#' || v.find("{{") != std::string::npos) return true;
    if (v.starts_with("data:")) return attr != "href";
    if (element == "a" && attr == "href")
        return v.starts_with("http://") || v.starts_with("https://") || v.starts_with("mailto:");
    return false;
}

struct Walker {
    std::vector<Dropped>& dropped;
    bool changed = false;

    void drop(int line, std::string what) {
        dropped.push_back({line, 0, std::move(what)});
        changed = true;
    }

    // Returns false when `e` itself must go: an image whose only source was dropped would be
    // invalid without it.
    bool element(tinyxml2::XMLElement* e, int depth) {
        if (depth > 256) return true;
        bool keep = true;
        std::string name = lower(local_name(e->Name()));
        std::vector<std::string> remove;
        for (const tinyxml2::XMLAttribute* a = e->FirstAttribute(); a; a = a->Next()) {
            std::string an = lower(a->Name());
            std::string_view local = local_name(an);
            std::string value = a->Value() ? a->Value() : "";
            if (local.substr(0, 2) == "on") {
                drop(e->GetLineNum(),
                     "event handler " + std::string(a->Name()) + " on <" + e->Name() + ">");
                remove.push_back(a->Name());
            } else if (is_url_attribute(local) && !url_allowed(name, local, lower(value))) {
                drop(e->GetLineNum(), std::string(a->Name()) + "=\"" + value.substr(0, 80) +
                                          "\" on <" + e->Name() +
                                          "> (a reference outside the EPUB)");
                remove.push_back(a->Name());
                if (local == "src" && (name == "img" || name == "source" || name == "track"))
                    keep = false;
            } else if (local == "style") {
                std::vector<Dropped> css;
                std::string clean = sanitize_css(value, css, e->GetLineNum());
                for (auto& d : css)
                    drop(d.line, "from style=\"\": " + d.what);
                if (!css.empty()) {
                    if (clean.find_first_not_of(" \t\n;") == std::string::npos)
                        remove.push_back(a->Name());
                    else
                        e->SetAttribute(a->Name(), clean.c_str());
                }
            }
        }
        for (const auto& n : remove)
            e->DeleteAttribute(n.c_str());
        if (name == "style")
            for (tinyxml2::XMLNode* n = e->FirstChild(); n; n = n->NextSibling())
                if (tinyxml2::XMLText* t = n->ToText()) {
                    std::vector<Dropped> css;
                    std::string clean = sanitize_css(t->Value(), css, e->GetLineNum());
                    for (auto& d : css)
                        drop(d.line, "from <style>: " + d.what);
                    if (!css.empty()) t->SetValue(clean.c_str());
                }
        for (tinyxml2::XMLElement* c = e->FirstChildElement(); c;) {
            tinyxml2::XMLElement* next = c->NextSiblingElement();
            std::string cn = lower(local_name(c->Name()));
            bool stylesheet_link =
                cn == "link" && c->Attribute("href") &&
                std::string_view(c->Attribute("href")).find("{{") != std::string_view::npos;
            bool refresh = cn == "meta" && c->Attribute("http-equiv");
            if (is_forbidden_element(cn) || (cn == "link" && !stylesheet_link) || refresh) {
                std::string what = "<";
                what += c->Name();
                what += "> element";
                drop(c->GetLineNum(), what);
                e->DeleteChild(c);
            } else if (!element(c, depth + 1)) {
                e->DeleteChild(c);
            }
            c = next;
        }
        return keep;
    }
};

} // namespace

std::string sanitize_page_template(std::string_view xhtml, std::vector<Dropped>& dropped) {
    // The leading comment (placeholder documentation) may precede the XML declaration, which an
    // XML parser refuses: it is kept as is, and lines are counted from the file's start.
    size_t start = xhtml.find_first_not_of(" \t\r\n");
    std::string_view prefix;
    if (start != std::string_view::npos && xhtml.substr(start, 4) == "<!--") {
        size_t end = xhtml.find("-->", start + 4);
        if (end == std::string_view::npos) return std::string(xhtml);
        prefix = xhtml.substr(0, end + 3);
    }
    std::string_view rest = xhtml.substr(prefix.size());
    int offset = int(std::count(prefix.begin(), prefix.end(), '\n'));
    tinyxml2::XMLDocument doc(true, tinyxml2::PRESERVE_WHITESPACE);
    if (doc.Parse(rest.data(), rest.size()) != tinyxml2::XML_SUCCESS || !doc.RootElement())
        return std::string(xhtml);
    std::vector<Dropped> found;
    Walker w{found};
    w.element(doc.RootElement(), 0);
    for (auto& d : found) {
        d.line += offset;
        dropped.push_back(std::move(d));
    }
    if (!w.changed) return std::string(xhtml);
    tinyxml2::XMLPrinter printer(nullptr, /*compact=*/true);
    doc.Print(&printer);
    return std::string(prefix) + printer.CStr();
}

} // namespace imprenta::util
