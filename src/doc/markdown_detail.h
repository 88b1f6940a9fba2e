// Internals of the Markdown reader (doc/markdown.h), shared by its files: cmark helpers
// (markdown.cpp), block lowering (markdown_blocks.cpp), inline lowering (markdown_inlines.cpp)
// and the inline HTML tags cmark hands over one by one (markdown_html_tags.cpp).
// Not for use outside doc/markdown*.
#pragma once
#include "doc/html.h"
#include "doc/markdown.h"
#include "doc/shortcodes.h"

#include <cmark-gfm.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace imprenta::doc::md_detail {

// Containers nested deeper than this are flattened: hostile input must not exhaust the stack.
// 32 levels of lists make about 70 nested XHTML elements: below the depth XML tools accept.
constexpr int kMaxNesting = 32;

std::string type_string(cmark_node* n);
const char* literal(cmark_node* n);
void append_text(std::vector<Inline>& out, std::string_view text);
bool is_remote(std::string_view url);

// ---- Inline HTML inside a paragraph -------------------------------------------------------------
// cmark hands inline HTML over tag by tag ("<sup>", text, "</sup>"), so tags are matched here with
// a stack; anything beyond simple phrasing markup goes to the HTML reader (gumbo).

struct Tag {
    std::string name; // lowercase
    bool closing = false;
    bool self_closing = false;
    std::map<std::string, std::string> attrs;
    bool comment = false;
};

// Character references in an attribute value, decoded once as an HTML parser does.
std::string decode_entities(std::string_view v);
std::optional<Tag> parse_tag(std::string_view s);
// Elements whose content goes with them (scripts, forms, embedded media...).
const std::set<std::string>& dropped_with_content();
// The IR inline for a phrasing element; `known` false for any other name.
InlineKind phrasing_kind(const std::string& name, bool& known);

// One essay's cmark AST lowered into IR blocks and notes.
class Lowering {
public:
    Lowering(const MarkdownInput& in, const ShortcodeExpansion* sc) : in_(in), sc_(sc) {}

    MarkdownResult run(cmark_node* doc);

private:
    int line_of(cmark_node* n) const;
    util::SourcePos pos_of(cmark_node* n) const;
    void warn(const util::SourcePos& pos, const std::string& msg) const;
    HtmlContext html_context(const util::SourcePos& pos) const;
    Block make(BlockKind kind, cmark_node* n) const;
    void lower_children(cmark_node* n, std::vector<Block>& out, int depth);
    Block container_block(const Shortcode& sc, cmark_node* n) const;
    static void finish_container(Block& b);
    void flatten(cmark_node* n, std::vector<Block>& out);
    void lower_block(cmark_node* n, std::vector<Block>& out, int depth);
    void take_custom_id(Block& h);

    // ---- inlines --------------------------------------------------------------------------------

    std::vector<Inline> lower_inlines(cmark_node* parent);
    void lower_inline_children(cmark_node* parent, std::vector<Inline>*& sink, int depth);
    std::vector<Inline>& current(std::vector<Inline>& base);
    void lower_inline(cmark_node* n, std::vector<Inline>*& sink, int depth);
    void image(std::vector<Inline>& out, std::string src, const std::string& alt,
               const std::string& title, const util::SourcePos& pos);
    std::string plain_of(cmark_node* n);
    void close_html(std::vector<Inline>& base);
    void inline_html(cmark_node* n, std::vector<Inline>& base);

    const MarkdownInput& in_;
    const ShortcodeExpansion* sc_;
    std::vector<Note> notes_;
    std::map<cmark_node*, int> note_index_;
    struct OpenElement {
        Inline element;
        std::string name;
        bool unwrap = false;
    };
    std::vector<OpenElement> html_stack_;
    std::string skip_until_;
};

} // namespace imprenta::doc::md_detail
