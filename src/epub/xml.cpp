#include "epub/xml.h"

#include "util/diag.h"
#include "util/templates.h"
#include "util/utf8.h"

#include <array>
#include <cstring>
#include <tinyxml2.h>

namespace imprenta::epub {

namespace {

bool is_ascii_letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

constexpr std::array<const char*, 14> kVoidElements = {"area",  "base",   "br",    "col",  "embed",
                                                       "hr",    "img",    "input", "link", "meta",
                                                       "param", "source", "track", "wbr"};

bool is_void(const char* name) {
    for (const char* v : kVoidElements)
        if (std::strcmp(v, name) == 0) return true;
    return false;
}

} // namespace

std::string xml_id(std::string_view s) {
    bool ok = !s.empty() && (is_ascii_letter(s[0]) || s[0] == '_');
    for (size_t i = 0; ok && i < s.size(); ++i) {
        char c = s[i];
        ok = is_ascii_letter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    }
    if (ok) return std::string(s);
    std::string slug = util::slugify(util::xml_safe_text(s));
    if (slug.empty()) return "id";
    if (!is_ascii_letter(slug[0])) return "id-" + slug;
    return slug;
}

std::string class_tokens(std::string_view s) {
    std::string out;
    size_t start = 0;
    while (start < s.size()) {
        size_t end = s.find_first_of(" \t\n", start);
        if (end == std::string_view::npos) end = s.size();
        std::string token = util::slugify(util::xml_safe_text(s.substr(start, end - start)));
        if (!token.empty()) out += (out.empty() ? "" : " ") + token;
        start = end + 1;
    }
    return out;
}

std::string print_compact(const tinyxml2::XMLNode& node) {
    tinyxml2::XMLPrinter printer(nullptr, /*compact=*/true);
    node.Accept(&printer);
    return std::string(printer.CStr(), static_cast<size_t>(printer.CStrSize() - 1));
}

void XmlWriter::content() {
    if (stack_.empty()) return;
    if (tag_open_) {
        out_ += '>';
        tag_open_ = false;
    }
    stack_.back().content = true;
}

void XmlWriter::open(const char* name) {
    content();
    out_ += '<';
    out_ += name;
    stack_.push_back({name, false});
    tag_open_ = true;
}

void XmlWriter::attr(const char* name, std::string_view value) {
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    util::append_xml_escaped(out_, value, true);
    out_ += '"';
}

void XmlWriter::text(std::string_view s) {
    content();
    util::append_xml_escaped(out_, s, false);
}

void XmlWriter::raw(std::string_view xml) {
    if (xml.empty()) return;
    content();
    out_ += xml;
}

void XmlWriter::close() {
    Open e = stack_.back();
    stack_.pop_back();
    if (!e.content && is_void(e.name)) {
        out_ += "/>";
    } else {
        if (tag_open_) out_ += '>';
        out_ += "</";
        out_ += e.name;
        out_ += '>';
    }
    tag_open_ = false;
}

void XmlWriter::rollback(Mark m) {
    out_.resize(m.size);
    stack_.resize(m.depth);
    tag_open_ = m.tag_open;
    if (!stack_.empty()) stack_.back().content = m.parent_content;
}

void open_empty_elements(tinyxml2::XMLElement* root) {
    if (!root) return;
    if (root->NoChildren()) {
        if (!is_void(root->Name())) root->InsertEndChild(root->GetDocument()->NewText(""));
        return;
    }
    for (auto* child = root->FirstChildElement(); child; child = child->NextSiblingElement())
        open_empty_elements(child);
}

namespace {

// Calls out(literal) and placeholder(name) for the pieces of `text`, in order.
template <typename Literal, typename Placeholder>
void split_template(std::string_view text, Literal literal, Placeholder placeholder) {
    size_t pos = 0;
    while (pos < text.size()) {
        size_t open = text.find("{{", pos);
        size_t close = open == std::string_view::npos ? open : text.find("}}", open + 2);
        if (close == std::string_view::npos) {
            literal(text.substr(pos));
            return;
        }
        literal(text.substr(pos, open - pos));
        placeholder(text.substr(open + 2, close - open - 2));
        pos = close + 2;
    }
}

constexpr std::array<std::string_view, 4> kPlaceholders = {"lang", "title", "stylesheet", "body"};

} // namespace

PageTemplate::PageTemplate(std::string text, std::string origin)
    : text_(std::move(text)), origin_(std::move(origin)) {
    // The leading comment documents the placeholders; it cannot stay before the XML declaration.
    size_t start = text_.find_first_not_of(" \t\r\n");
    if (start != std::string::npos && text_.compare(start, 4, "<!--") == 0) {
        size_t end = text_.find("-->", start + 4);
        if (end == std::string::npos)
            throw util::BuildError({origin_}, "unterminated comment in the page template");
        end = text_.find_first_not_of(" \t\r\n", end + 3);
        text_.erase(0, end == std::string::npos ? text_.size() : end);
    }
    bool has_body = false;
    split_template(
        text_, [](std::string_view) {},
        [&](std::string_view name) {
            bool known = false;
            for (auto p : kPlaceholders)
                known = known || p == name;
            if (!known)
                throw util::BuildError({origin_}, "unknown placeholder {{" + std::string(name) +
                                                      "}} in the page template (known: {{lang}}, "
                                                      "{{title}}, {{stylesheet}}, {{body}})");
            has_body = has_body || name == "body";
        });
    if (!has_body)
        throw util::BuildError({origin_}, "the page template has no {{body}} placeholder");
    tinyxml2::XMLDocument probe;
    std::string sample = render("en", "T", "style.css", "<p>x</p>");
    if (probe.Parse(sample.data(), sample.size()) != tinyxml2::XML_SUCCESS)
        throw util::BuildError({origin_, probe.ErrorLineNum()},
                               std::string("the page template is not well-formed XML: ") +
                                   probe.ErrorStr());
}

PageTemplate PageTemplate::load(const std::filesystem::path& book_root, util::Diagnostics* diags) {
    constexpr std::string_view kName = "epub/page.xhtml";
    std::error_code ec;
    bool custom =
        !book_root.empty() && std::filesystem::is_regular_file(book_root / "templates" / kName, ec);
    return PageTemplate(util::load_template(book_root, kName, diags),
                        custom ? "templates/" + std::string(kName)
                               : "built-in template " + std::string(kName));
}

bool PageTemplate::split(std::string_view lang, std::string_view title, std::string_view stylesheet,
                         std::string& before, std::string& after) const {
    // A byte that escaped XML never holds marks where the body goes.
    constexpr std::string_view kMark = "\x01";
    std::string page = render(lang, title, stylesheet, kMark);
    size_t at = page.find(kMark);
    if (at == std::string::npos || page.find(kMark, at + 1) != std::string::npos) return false;
    before = page.substr(0, at);
    after = page.substr(at + 1);
    return true;
}

std::string PageTemplate::render(std::string_view lang, std::string_view title,
                                 std::string_view stylesheet, std::string_view body) const {
    std::string esc_lang = escape_xml(lang), esc_title = escape_xml(title),
                esc_css = escape_xml(stylesheet);
    std::string out;
    out.reserve(text_.size() + body.size() + 2 * title.size() + 64);
    split_template(
        text_, [&](std::string_view lit) { out += lit; },
        [&](std::string_view name) {
            if (name == "lang")
                out += esc_lang;
            else if (name == "title")
                out += esc_title;
            else if (name == "stylesheet")
                out += esc_css;
            else
                out += body;
        });
    return out;
}

} // namespace imprenta::epub
