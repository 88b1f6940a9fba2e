#include "pdf/layout_memo.h"

#include "doc/fingerprint.h"

namespace imprenta::pdf {

std::vector<render::Key> layout_keys(const doc::Book& book, const ImageSizes& sizes,
                                     render::Memo& memo) {
    const std::vector<render::Key>& chapters = memo.chapter_keys(book);
    render::KeyBuilder shared;
    shared.add(std::string_view("pdf-layout-1"));
    // The modification time (the newest input's) changes with every save and reaches only the
    // document's dates, never a chapter's layout.
    doc::Metadata meta = book.meta;
    meta.modified = 0;
    std::string ir;
    doc::fingerprint(ir, meta);
    shared.add(ir);
    shared.add(int64_t(book.assets.size()));
    for (size_t a = 0; a < book.assets.size(); ++a) {
        ir.clear();
        doc::fingerprint(ir, book.assets[a]);
        shared.add(ir);
        shared.add(int64_t(a < sizes.width.size() ? sizes.width[a] : -1));
        shared.add(int64_t(a < sizes.height.size() ? sizes.height[a] : -1));
    }
    render::Key book_key = shared.finish();
    std::vector<render::Key> keys(book.chapters.size());
    for (size_t i = 0; i < keys.size(); ++i) {
        render::KeyBuilder k;
        k.add(book_key).add(int64_t(i));
        k.add(chapters[i]);
        keys[i] = k.finish();
    }
    return keys;
}

render::Key pages_key(const render::Key& layout_key, size_t first_page) {
    return render::KeyBuilder()
        .add(std::string_view("pdf-pages-1"))
        .add(layout_key)
        .add(int64_t(first_page))
        .finish();
}

OutPage without_drawing(OutPage& page) {
    Paint drawing;
    std::swap(drawing.rects, page.paint.rects);
    std::swap(drawing.rules, page.paint.rules);
    std::swap(drawing.texts, page.paint.texts);
    OutPage copy = page; // whatever else the page holds
    std::swap(drawing.rects, page.paint.rects);
    std::swap(drawing.rules, page.paint.rules);
    std::swap(drawing.texts, page.paint.texts);
    return copy;
}

} // namespace imprenta::pdf
