// The Markdown reader: cmark-gfm (tables, strikethrough, autolinks, task lists, footnotes) parses
// an essay's body and its AST is lowered into one IR chapter. cmark's own HTML is never used.
#pragma once
#include "doc/ir.h"
#include "doc/shortcodes.h"
#include "util/diag.h"

#include <functional>
#include <string>
#include <string_view>

namespace imprenta::doc {

struct MarkdownInput {
    std::string_view body; // LF line endings
    int first_line = 1;    // line of the source file where `body` starts
    std::string source;    // path for diagnostics
    bool smart = true;     // curly quotes, dashes, ellipses
    // Resolves an image reference to an index in Book::assets, or -1 (the callback warns).
    std::function<int(const std::string& src, const util::SourcePos& pos)> resolve_image;
    util::Diagnostics* diags = nullptr;
    const ShortcodeOptions* shortcodes = nullptr;      // the book's own shortcodes, warn-once state
    const book::MathDelimiters* math_inline = nullptr; // Hugo's passthrough math, if enabled
    const book::MathDelimiters* math_block = nullptr;
};

struct MarkdownResult {
    std::vector<Block> blocks;
    std::vector<Note> notes;
    // The H1 that opened the body (removed from `blocks`, since the chapter heading renders it).
    std::vector<Inline> leading_h1;
    bool has_leading_h1 = false;
};

MarkdownResult read_markdown(const MarkdownInput& input);

// Gives every heading an id unique within `blocks` (slug of its text; a custom id is kept) and
// returns the ids in use.
void assign_heading_ids(std::vector<Block>& blocks, std::vector<std::string>& used);

// An XML-name-safe id from any text ("02 Intro" -> "h-02-intro"); empty text -> `fallback`.
std::string make_id(std::string_view text, std::string_view fallback);

} // namespace imprenta::doc
