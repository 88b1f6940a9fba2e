// What a link annotation says it leads to (/Contents, PDF/UA): the URL, the chapter's title, or
// the note it opens or returns from, as a PDF string.
#pragma once
#include "doc/ir.h"
#include "pdf/page.h"

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace imprenta::pdf {

class LinkDescriptions {
public:
    explicit LinkDescriptions(const doc::Book& book) : book_(book) {}
    // Valid until the next call; a chapter's title is converted once for all its links.
    const std::string& pdf_string(const LinkOp& l);
    // Forgets the note indexes (a book of notes has 200,000 anchors).
    void clear() { note_links_.clear(); }

private:
    const doc::Book& book_;
    // By chapter, each note anchor's note and whether it is the way back to the note's call.
    std::map<int, std::unordered_map<std::string_view, std::pair<const doc::Note*, bool>>>
        note_links_;
    std::vector<std::string> title_strings_; // by chapter
    std::string description_;                // the last other one

    std::string text(const LinkOp& l);
    const std::pair<const doc::Note*, bool>* note_of(const LinkOp& l);
};

} // namespace imprenta::pdf
