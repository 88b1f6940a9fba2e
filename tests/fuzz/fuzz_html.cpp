// The raw-HTML reader and sanitiser: any fragment, as a block or inline, becomes IR that carries no
// unsafe URL and renders to XHTML that is well-formed and has nothing active in it.
#include "doc/html.h"
#include "fuzz_common.h"

#include <cstdint>
#include <string>

namespace {

using namespace imprenta;

void check_inlines(const std::vector<doc::Inline>& v, int depth) {
    fuzz::check(depth < 1000, "IR inlines nested 1000 deep");
    for (const auto& in : v) {
        if (in.kind == doc::InlineKind::Link)
            fuzz::check(!doc::unsafe_url(in.target.url), "unsafe link kept: " + in.target.url);
        if (in.kind == doc::InlineKind::Image)
            fuzz::check(in.asset == 0, "image with an asset index nobody handed out");
        check_inlines(in.children, depth + 1);
    }
}

void check_blocks(const std::vector<doc::Block>& v, int depth) {
    fuzz::check(depth < 1000, "IR blocks nested 1000 deep");
    for (const auto& b : v) {
        check_inlines(b.inlines, depth);
        for (const auto& row : b.rows)
            for (const auto& cell : row.cells)
                check_inlines(cell.inlines, depth);
        check_blocks(b.children, depth + 1);
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::serial();
    fuzz::scratch_book();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 64 * 1024) return 0;
    std::string_view html(reinterpret_cast<const char*>(data), size);
    util::Diagnostics diags;
    doc::HtmlContext ctx;
    ctx.pos = {"content/fuzz.md", 3, 1};
    ctx.diags = &diags;
    ctx.resolve_image = [](const std::string& src, const util::SourcePos&) {
        return src == "a.png" ? 0 : -1;
    };

    doc::Book book;
    book.root = fuzz::scratch_book();
    book.meta.title = "Fuzz";
    book.meta.language = "en";
    doc::Asset asset;
    asset.source = book.root / "content" / "a.png";
    asset.source_display = "content/a.png";
    asset.name = "a";
    asset.width = 4;
    asset.height = 3;
    asset.format = "png";
    book.assets.push_back(asset);

    doc::Chapter ch;
    ch.source = "content/fuzz.md";
    ch.slug = "fuzz";
    ch.title = "Fuzz";
    ch.lang = "en";
    ch.blocks = doc::html_to_blocks(html, ctx);
    check_blocks(ch.blocks, 0);
    doc::Block para;
    para.kind = doc::BlockKind::Paragraph;
    para.line = 9;
    para.inlines = doc::html_to_inlines(html, ctx);
    check_inlines(para.inlines, 0);
    ch.blocks.push_back(std::move(para));
    for (const auto& d : diags.all())
        fuzz::check(d.pos.file == "content/fuzz.md" && d.pos.line >= 3,
                    "diagnostic with a bad position: " + util::format_diagnostic(d));
    book.chapters.push_back(std::move(ch));
    fuzz::render_and_check(book);
    return 0;
}
