#include "doc/html.h"

#include "doc/html_detail.h"

namespace imprenta::doc {

using namespace html_detail;

namespace {

std::string prepare(std::string_view html, Lowerer& lowerer) {
    bool capped = false;
    std::string text = cap_nesting(strip_controls(html), capped);
    if (capped) lowerer.note_capped();
    return text;
}

} // namespace

bool unsafe_url(std::string_view url) {
    return unsafe_scheme(url_scheme(clean_url(url)));
}

std::vector<Block> html_to_blocks(std::string_view html, const HtmlContext& ctx) {
    Lowerer lowerer(ctx);
    Fragment fragment(prepare(html, lowerer));
    return lowerer.blocks(fragment.root());
}

std::vector<Inline> html_to_inlines(std::string_view html, const HtmlContext& ctx) {
    Lowerer lowerer(ctx);
    Fragment fragment(prepare(html, lowerer));
    return lowerer.inlines(fragment.root());
}

} // namespace imprenta::doc
