// The sanitiser for style sheets and page templates a book supplies (templates/ overrides) and
// for the CSS inside SVG: nothing that runs (scripts, event handlers) and nothing fetched from
// outside the EPUB (remote, file: or javascript: URLs in @import, url(), image-set() ...), in
// whatever CSS escape form it is written. What is dropped is reported with its line.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imprenta::util {

struct Dropped {
    int line = 0; // 1-based line in the text given
    int col = 0;
    std::string what;
};

// CSS with every escape decoded (`\69` -> `i`, `\72 ` -> `r`, `\"` -> `"`), comments removed
// and ASCII lowercased: the form checks look at.
std::string css_for_checking(std::string_view css);

// Why `css` (a style sheet, a declaration list or one property value) would reach outside the
// document, or nullopt if it does not. Fragment (#id) and data: references are inside.
std::optional<std::string> css_outside_reference(std::string_view css);

// `css` without the @import rules and the declarations that reach outside or run code; one
// Dropped per removal, lines counted from `first_line`.
std::string sanitize_css(std::string_view css, std::vector<Dropped>& dropped, int first_line = 1);

// An XHTML page template without script/iframe/object/embed/form elements, event handler
// attributes and references out of the EPUB (href/src to file:, javascript:, or remote
// resources other than plain hyperlinks); its <style> and style="" go through sanitize_css.
// The text is returned unchanged when nothing is dropped. Throws nothing: a template that is not
// well-formed XML is returned as is (the template loader reports that with its line).
std::string sanitize_page_template(std::string_view xhtml, std::vector<Dropped>& dropped);

} // namespace imprenta::util
