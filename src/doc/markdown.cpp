#include "doc/markdown.h"

#include "doc/markdown_detail.h"

#include "doc/html.h"
#include "doc/literals.h"
#include "doc/shortcodes.h"
#include "util/unique_names.h"
#include "util/utf8.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <cmark-gfm/node.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <set>

namespace imprenta::doc {

using namespace md_detail;

namespace {

struct NodeDeleter {
    void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct ParserDeleter {
    void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};

// cmark_parser_finish switches the extensions' special characters ('~' for strikethrough) on in a
// global table, parses the inlines, then switches them off: two at once would turn '~' off under
// each other (MarkdownThreads test). Block parsing (cmark_parser_feed) stays parallel.
std::mutex& finish_mutex() {
    static std::mutex mu;
    return mu;
}

void register_extensions() {
    static std::once_flag once;
    std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

} // namespace

namespace md_detail {

std::string type_string(cmark_node* n) {
    const char* s = cmark_node_get_type_string(n);
    return s ? s : "";
}

const char* literal(cmark_node* n) {
    const char* s = cmark_node_get_literal(n);
    return s ? s : "";
}

void append_text(std::vector<Inline>& out, std::string_view text) {
    if (text.empty()) return;
    if (!out.empty() && out.back().kind == InlineKind::Text)
        util::append_xml_safe_text(out.back().text, text);
    else
        out.push_back(
            Inline{InlineKind::Text, util::xml_safe_text(text), {}, {}, {}, -1, -1, 0, 0});
}

bool is_remote(std::string_view url) {
    return url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//") ||
           url.starts_with("ftp://");
}

} // namespace md_detail

std::string make_id(std::string_view text, std::string_view fallback) {
    std::string id = util::slugify(text);
    if (id.empty()) id = fallback;
    if (!id.empty() && !(id[0] >= 'a' && id[0] <= 'z')) id = "h-" + id;
    return id;
}

void assign_heading_ids(std::vector<Block>& blocks, std::vector<std::string>& used) {
    util::UniqueNames taken;
    for (const auto& u : used)
        taken.reserve(u);
    std::function<void(std::vector<Block>&)> walk = [&](std::vector<Block>& bs) {
        for (auto& b : bs) {
            if (b.kind == BlockKind::Heading || !b.id.empty()) {
                std::string base = b.id.empty() ? make_id(plain_text(b.inlines), "section") : b.id;
                b.id = taken.take(base);
                used.push_back(b.id);
            }
            walk(b.children);
        }
    };
    walk(blocks);
}

MarkdownResult read_markdown(const MarkdownInput& input) {
    register_extensions();
    std::optional<ShortcodeExpansion> sc;
    std::string_view body = input.body;
    Literals literals;
    std::string math;
    if (input.math_inline && input.math_block &&
        (body.find('$') != std::string_view::npos || body.find('\\') != std::string_view::npos)) {
        math = hold_math(body, *input.math_inline, *input.math_block, literals);
        body = math;
    }
    std::string alerts;
    if (body.find("[!") != std::string_view::npos) {
        alerts = rewrite_alerts(body);
        body = alerts;
    }
    if (body.find("{{<") != std::string_view::npos || body.find("{{%") != std::string_view::npos) {
        sc = expand_shortcodes(body, input.first_line, input.source, input.diags, input.shortcodes,
                               &literals);
        body = sc->markdown;
    }
    int options = CMARK_OPT_FOOTNOTES | (input.smart ? CMARK_OPT_SMART : 0);
    std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(options));
    for (const char* name : {"table", "strikethrough", "autolink", "tasklist"})
        if (auto* ext = cmark_find_syntax_extension(name))
            cmark_parser_attach_syntax_extension(parser.get(), ext);
    cmark_parser_feed(parser.get(), body.data(), body.size());
    std::unique_ptr<cmark_node, NodeDeleter> doc;
    {
        std::lock_guard lock(finish_mutex());
        doc.reset(cmark_parser_finish(parser.get()));
    }
    Lowering lowering(input, sc ? &*sc : nullptr);
    MarkdownResult r = lowering.run(doc.get());
    if (!literals.empty()) {
        literals.restore(r.blocks);
        for (auto& n : r.notes)
            literals.restore(n.blocks);
        literals.restore(r.leading_h1);
    }
    return r;
}

} // namespace imprenta::doc
