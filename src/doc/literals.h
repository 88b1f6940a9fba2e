// Text that must reach the book exactly as written, which cmark would otherwise read as Markdown or
// give curly quotes: Hugo's escaped shortcodes ({{</* x "a" */>}} prints {{< x "a" >}}) and
// passthrough math ($…$, $$…$$). Each is held behind a private-use placeholder while cmark parses
// the body, and put back afterwards: as text, as a math span or block, or as written inside code.
#pragma once
#include "book/config.h"
#include "doc/ir.h"

#include <string>
#include <string_view>
#include <vector>

namespace imprenta::doc {

enum class LiteralKind {
    Verbatim,    // printed as `shown` wherever it stands
    InlineMath,  // a code span of `shown` (the TeX) in text; `source` inside code
    DisplayMath, // a ```math block when alone in its paragraph, else like InlineMath
};

struct Literal {
    LiteralKind kind = LiteralKind::Verbatim;
    std::string shown;  // what the book shows
    std::string source; // what a code span or block shows (as written in the page)
};

class Literals {
public:
    // The placeholder to write into the Markdown in place of `l`.
    std::string hold(Literal l);
    bool empty() const { return items_.empty(); }
    // Every placeholder in `blocks` (and notes, the leading H1) replaced by its literal.
    void restore(std::vector<Block>& blocks) const;
    void restore(std::vector<Inline>& inlines) const;

private:
    std::string replace_in(std::string_view s, bool in_code) const;
    void restore_text(std::vector<Inline>& inlines, size_t i, std::vector<Inline>& out) const;
    std::vector<Literal> items_;
};

// Goldmark's passthrough extension: math between the site's delimiters (outside code) held as
// literals. A block delimiter alone on its line opens a ```math block (closed by its partner alone
// on a line); a delimited pair within a line becomes a math span (display math alone in its
// paragraph: a math block). Lines are kept one for one.
std::string hold_math(std::string_view body, const book::MathDelimiters& inline_delims,
                      const book::MathDelimiters& block_delims, Literals& literals);

} // namespace imprenta::doc
