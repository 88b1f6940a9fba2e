// The print edition's page numbers in the EPUB: where each PDF page starts, as page-break markers
// in the chapter files (xhtml.cpp draws them) and entries of the nav's page-list (package.cpp).
#include "epub/plan.h"
#include "util/utf8.h"

#include <algorithm>

namespace imprenta::epub {

void plan_page_breaks(Plan& plan, const render::PageMap& map) {
    const auto& chapters = plan.book->chapters;
    plan.page_breaks.assign(chapters.size(), {});
    std::vector<bool> opened(chapters.size(), false);
    size_t count = 0;
    for (const auto& page : map.pages) {
        // Front matter (title page, contents) has no place in the chapters: the EPUB makes its own.
        if (page.chapter < 0 || size_t(page.chapter) >= chapters.size()) continue;
        size_t ci = size_t(page.chapter);
        auto& breaks = plan.page_breaks[ci];
        PageBreak pb;
        pb.label = page.label;
        if (page.blank) {
            pb.block = int(chapters[ci].blocks.size()); // a page left blank after the chapter
        } else if (!opened[ci]) {
            pb.block = -1; // the chapter opens the page: before its banner and title
        } else {
            pb.block = page.block;
        }
        opened[ci] = opened[ci] || !page.blank;
        // A figure floated ahead may start a page with a later block than the next page's first
        // line: keep the markers in reading order.
        if (!breaks.empty()) pb.block = std::max(pb.block, breaks.back().block);
        pb.id = plan.ids[ci].alloc.take("page-" + util::slugify(page.label));
        breaks.push_back(std::move(pb));
        ++count;
    }
    if (count == 0) return; // a page-list may not be empty
    plan.page_source = map.edition.empty() ? plan.title : plan.title + " (" + map.edition + ")";
}

} // namespace imprenta::epub
