// Raw HTML inside Markdown (HTML blocks, inline HTML) lowered into the IR and sanitised on the way:
// gumbo parses it as a <body> fragment and only what the IR can carry survives.
#pragma once
#include "doc/ir.h"
#include "util/diag.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace imprenta::doc {

struct HtmlContext {
    util::SourcePos pos; // file + line of the HTML in the source, for diagnostics
    util::Diagnostics* diags = nullptr;
    // Resolves an <img src> to an index in Book::assets, or -1 (the callback warns itself).
    std::function<int(const std::string& src, const util::SourcePos& pos)> resolve_image;
};

// A block-level HTML fragment (a Markdown "HTML block") -> blocks.
std::vector<Block> html_to_blocks(std::string_view html, const HtmlContext& ctx);
// Inline HTML (the joined raw-HTML + text of one paragraph) -> inlines. Block elements inside are
// flattened (a LineBreak between them); leading and trailing white space is trimmed.
std::vector<Inline> html_to_inlines(std::string_view html, const HtmlContext& ctx);

// Element nesting kept as structure; anything deeper becomes plain text.
// Deep enough for any real page; shallow enough that the XHTML stays within what XML tools parse.
inline constexpr int kHtmlMaxDepth = 40;

// True for URLs a book must never carry: javascript:, vbscript:, data: (the scheme read the way a
// browser reads it, ignoring white space and control characters).
bool unsafe_url(std::string_view url);

} // namespace imprenta::doc
