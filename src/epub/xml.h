// XML text hygiene for the EPUB writer: safe text and ids, compact printing, and the page skeleton
// (templates/epub/page.xhtml) every XHTML file of the book is poured into.
#pragma once
#include "util/utf8.h"
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

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
using util::escape_xml;

// The node printed compactly (pretty printing adds visible spaces in mixed content).
std::string print_compact(const tinyxml2::XMLNode& node);

// Gives every empty element that is not an HTML void element an empty text node, so it prints as
// <a id="x"></a> rather than the self-closed <a id="x"/> that HTML parsers misread.
void open_empty_elements(tinyxml2::XMLElement* root);

// Writes XML text element by element, as tinyxml2's compact printer prints the same tree (text
// escapes & < >, attribute values also " and '), so a chapter never exists as a DOM: an empty
// element prints as <a id="x"></a>, an empty HTML void element as <br/>.
class XmlWriter {
public:
    explicit XmlWriter(std::string& out) : out_(out) {}
    void open(const char* name);
    // Only between open() and the element's first content.
    void attr(const char* name, std::string_view value);
    // Marks the element as having content even when `s` is empty.
    void text(std::string_view s);
    // `xml` (well-formed, already escaped) as content of the open element; nothing if empty.
    void raw(std::string_view xml);
    void close();
    // The element just opened (attributes included) and everything after it is taken back.
    struct Mark {
        size_t size;
        size_t depth;
        bool tag_open;
        bool parent_content;
    };
    Mark mark() const {
        return {out_.size(), stack_.size(), tag_open_, !stack_.empty() && stack_.back().content};
    }
    void rollback(Mark m);
    // True when the innermost open element has content yet.
    bool has_content() const { return !stack_.empty() && stack_.back().content; }

private:
    struct Open {
        const char* name;
        bool content;
    };
    std::string& out_;
    std::vector<Open> stack_;
    bool tag_open_ = false; // "<name attrs" written, not yet ">"
    void content();
};

// The XHTML page skeleton with its placeholders {{lang}}, {{title}}, {{stylesheet}}, {{body}}.
class PageTemplate {
public:
    // Loads epub/page.xhtml (the book's own copy under templates/ wins), drops its leading
    // comment and checks it renders to well-formed XML. Throws util::BuildError.
    static PageTemplate load(const std::filesystem::path& book_root,
                             util::Diagnostics* diags = nullptr);
    explicit PageTemplate(std::string text, std::string origin);

    // The page before and after its {{body}}, or false when the template has {{body}} more than
    // once (then render() must be used).
    bool split(std::string_view lang, std::string_view title, std::string_view stylesheet,
               std::string& before, std::string& after) const;
    // `body` is inserted verbatim (it is already XHTML); the other values are escaped.
    std::string render(std::string_view lang, std::string_view title, std::string_view stylesheet,
                       std::string_view body) const;
    const std::string& text() const { return text_; }

private:
    std::string text_;
    std::string origin_; // for error messages
};

} // namespace imprenta::epub
