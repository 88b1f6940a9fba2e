// XML text hygiene for the EPUB writer: safe text and ids, compact printing, and the page skeleton
// (templates/epub/page.xhtml) every XHTML file of the book is poured into.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>

namespace tinyxml2 {
class XMLNode;
class XMLElement;
} // namespace tinyxml2

namespace imprenta::util {
class Diagnostics;
}

namespace imprenta::epub {

// `s` as an XML name without colons (what epubcheck wants for id="..."): kept when it already
// is one made of [A-Za-z0-9_.-]; otherwise slugified, prefixed with "id-" when it does not
// start with a letter. Never empty.
std::string xml_id(std::string_view s);

// `s` (space-separated words) as class tokens of lowercase [a-z0-9-]; may be empty.
std::string class_tokens(std::string_view s);

// Escapes & < > " ' for text and attribute values (after util::xml_safe_text).
std::string escape_xml(std::string_view s);

// The node printed compactly (pretty printing adds visible spaces in mixed content).
std::string print_compact(const tinyxml2::XMLNode& node);

// Gives every empty element that is not an HTML void element an empty text node, so it prints as
// <a id="x"></a> rather than the self-closed <a id="x"/> that HTML parsers misread.
void open_empty_elements(tinyxml2::XMLElement* root);

// The XHTML page skeleton with its placeholders {{lang}}, {{title}}, {{stylesheet}}, {{body}}.
class PageTemplate {
public:
    // Loads epub/page.xhtml (the book's own copy under templates/ wins), drops its leading
    // comment and checks it renders to well-formed XML. Throws util::BuildError.
    static PageTemplate load(const std::filesystem::path& book_root,
                             util::Diagnostics* diags = nullptr);
    explicit PageTemplate(std::string text, std::string origin);

    // `body` is inserted verbatim (it is already XHTML); the other values are escaped.
    std::string render(std::string_view lang, std::string_view title, std::string_view stylesheet,
                       std::string_view body) const;
    const std::string& text() const { return text_; }

private:
    std::string text_;
    std::string origin_; // for error messages
};

} // namespace imprenta::epub
