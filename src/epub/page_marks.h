// Writes a chapter's page-break markers (Plan::page_breaks) as the chapter renderer comes to
// their places: before a block, or inside a text before the word a printed page starts with.
#pragma once
#include "doc/position.h"
#include "epub/plan.h"

#include <string_view>
#include <vector>

namespace imprenta::epub {

class PageMarks {
public:
    PageMarks(const Plan& plan, size_t chapter);

    // The markers at the chapter's start, before its banner and title.
    void start(XmlWriter& w);
    // The block at `path` (doc::TextPos::path) is about to be written.
    void before(XmlWriter& w, const std::vector<int>& path);
    // The inlines (or code) of the block at `path` are about to be written; `part` is
    // doc::kInlines, or doc::kCaption for a figure's caption. Until the next call, text()
    // writes their text.
    void open_text(const std::vector<int>& path, int part = doc::kInlines);
    void close_text() { counting_ = false; }
    bool counting() const { return counting_; }
    // A Text or Code inline's text (or a code block's), escaped, with the markers inside it.
    void text(XmlWriter& w, std::string_view s);
    // What is left: pages left blank after the chapter.
    void end(XmlWriter& w);

private:
    const std::vector<PageBreak>* breaks_ = nullptr;
    size_t next_ = 0;
    bool counting_ = false;
    size_t count_ = 0;       // bytes of the open inline list's text written so far
    std::vector<int> point_; // the key of the place being written (kept to spare allocations)
    void upto(XmlWriter& w, const std::vector<int>& key);
    static void write(XmlWriter& w, const PageBreak& pb);
};

} // namespace imprenta::epub
