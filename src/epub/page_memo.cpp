#include "epub/page_memo.h"

#include "doc/fingerprint.h"

namespace imprenta::epub {

namespace {

// What every page of the book reads: the same for all of them.
render::Key book_key(const Plan& plan, const PageTemplate& page) {
    render::KeyBuilder k;
    k.add(std::string_view("epub-page-1")).add(plan.title).add(plan.lang).add(page.text());
    // The modification time (the newest input's) changes with every save and reaches only the
    // package's dates, never a page.
    doc::Metadata meta = plan.book->meta;
    meta.modified = 0;
    std::string ir;
    doc::fingerprint(ir, meta);
    k.add(ir);
    k.add(int64_t(plan.images.size()));
    for (const auto& r : plan.images)
        k.add(int64_t(r.ok)).add(r.path).add(r.id).add(r.media_type);
    return k.finish();
}

} // namespace

std::vector<render::Key> page_keys(const Plan& plan, const PageTemplate& page, render::Memo& memo) {
    const doc::Book& book = *plan.book;
    const std::vector<render::Key>& chapters = memo.chapter_keys(book);
    render::Key shared = book_key(plan, page);
    std::vector<render::Key> keys(book.chapters.size());
    for (size_t i = 0; i < keys.size(); ++i) {
        const doc::Chapter& ch = book.chapters[i];
        render::KeyBuilder k;
        k.add(shared).add(int64_t(i)).add(plan.files[i]).add(plan.langs[i]);
        k.add(chapters[i]);
        // The print edition's page breaks in it (they move when any chapter before it changes).
        const auto* breaks = i < plan.page_breaks.size() ? &plan.page_breaks[i] : nullptr;
        k.add(int64_t(breaks ? breaks->size() : 0));
        if (breaks)
            for (const auto& pb : *breaks) {
                k.add(int64_t(pb.key.size()));
                for (int x : pb.key)
                    k.add(int64_t(x));
                k.add(pb.label).add(pb.id);
            }
        for (int j : doc::linked_chapters(ch)) {
            k.add(int64_t(j));
            if (j < 0 || size_t(j) >= book.chapters.size()) continue;
            const doc::Chapter& to = book.chapters[j];
            k.add(plan.files[j]).add(to.source).add(to.title);
            const auto& anchors = plan.ids[j].anchors;
            k.add(int64_t(anchors.size()));
            for (const auto& [from, id] : anchors)
                k.add(from).add(id);
        }
        keys[i] = k.finish();
    }
    return keys;
}

} // namespace imprenta::epub
