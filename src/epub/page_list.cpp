// The print edition's page numbers in the EPUB: where each PDF page starts, as page-break markers
// in the chapter files (PageMarks, written by xhtml.cpp) and entries of the nav's page-list
// (package.cpp).
#include "epub/page_marks.h"
#include "util/utf8.h"

#include <algorithm>
#include <climits>

namespace imprenta::epub {

namespace {

const std::vector<int> kChapterStart{INT_MIN}, kChapterEnd{INT_MAX};

// Pages that hold no text of their chapter (footnotes run on) take the place where the next
// page starts: nothing of the chapter lies between. Markers stay in reading order (a figure
// floated ahead may start a page with a later block than the next page's first line).
void settle(std::vector<PageBreak>& breaks) {
    for (size_t i = breaks.size(); i-- > 0;)
        if (breaks[i].key.empty())
            breaks[i].key = i + 1 < breaks.size() ? breaks[i + 1].key : kChapterEnd;
    for (size_t i = 1; i < breaks.size(); ++i)
        if (breaks[i].key < breaks[i - 1].key) breaks[i].key = breaks[i - 1].key;
}

} // namespace

void plan_page_breaks(Plan& plan, const render::PageMap& map) {
    const auto& chapters = plan.book->chapters;
    plan.page_breaks.assign(chapters.size(), {});
    std::vector<bool> opened(chapters.size(), false);
    size_t count = 0;
    for (const auto& page : map.pages) {
        // Front matter (title page, contents) has no place in the chapters: the EPUB makes its own.
        if (page.chapter < 0 || size_t(page.chapter) >= chapters.size()) continue;
        size_t ci = size_t(page.chapter);
        PageBreak pb;
        pb.label = page.label;
        if (page.blank)
            pb.key = kChapterEnd; // a page left blank after the chapter
        else if (!opened[ci])
            pb.key = kChapterStart; // the chapter opens the page: before its banner and title
        else if (!page.start.empty())
            pb.key = doc::reading_key(chapters[ci], page.start);
        opened[ci] = opened[ci] || !page.blank;
        pb.id = plan.ids[ci].alloc.take("page-" + util::slugify(page.label));
        plan.page_breaks[ci].push_back(std::move(pb));
        ++count;
    }
    for (auto& breaks : plan.page_breaks)
        settle(breaks);
    if (count == 0) return; // a page-list may not be empty
    plan.page_source = map.edition.empty() ? plan.title : plan.title + " (" + map.edition + ")";
}

PageMarks::PageMarks(const Plan& plan, size_t chapter) {
    if (chapter < plan.page_breaks.size()) breaks_ = &plan.page_breaks[chapter];
}

void PageMarks::write(XmlWriter& w, const PageBreak& pb) {
    w.open("span");
    w.attr("epub:type", "pagebreak");
    w.attr("role", "doc-pagebreak");
    w.attr("id", pb.id);
    w.attr("aria-label", util::xml_safe_text(pb.label));
    w.close();
}

void PageMarks::upto(XmlWriter& w, const std::vector<int>& key) {
    for (; breaks_ && next_ < breaks_->size() && (*breaks_)[next_].key <= key; ++next_)
        write(w, (*breaks_)[next_]);
}

void PageMarks::before(XmlWriter& w, const std::vector<int>& path) {
    if (!breaks_ || next_ >= breaks_->size()) return;
    point_.assign(path.begin(), path.end());
    point_.push_back(doc::kBeforeBlock);
    upto(w, point_);
}

void PageMarks::open_text(const std::vector<int>& path, int part) {
    counting_ = breaks_ && next_ < breaks_->size();
    if (!counting_) return;
    point_.assign(path.begin(), path.end());
    point_.push_back(part);
    point_.push_back(0);
    count_ = 0;
}

void PageMarks::text(XmlWriter& w, std::string_view s) {
    auto put = [&](std::string_view part) {
        if (!part.empty()) w.text(util::xml_safe_text(part));
    };
    size_t done = 0;
    while (next_ < breaks_->size()) {
        const std::vector<int>& key = (*breaks_)[next_].key;
        point_.back() = int(count_ + done); // where s[done] stands
        bool this_list = key.size() == point_.size() &&
                         std::equal(point_.begin(), point_.end() - 1, key.begin());
        size_t cut = done;
        if (this_list && key.back() >= point_.back()) {
            cut = size_t(key.back()) - count_;
            if (cut >= s.size()) break; // in a later text of this list
        } else if (!(key < point_)) {
            break; // further on in the chapter
        }
        put(s.substr(done, cut - done)); // a marker overdue (its word was lost) goes here
        done = cut;
        write(w, (*breaks_)[next_++]);
    }
    put(s.substr(done));
    count_ += s.size();
}

void PageMarks::start(XmlWriter& w) {
    upto(w, kChapterStart);
}

void PageMarks::end(XmlWriter& w) {
    upto(w, kChapterEnd);
}

} // namespace imprenta::epub
