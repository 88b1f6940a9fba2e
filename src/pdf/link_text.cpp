#include "pdf/link_text.h"

#include "pdf/haru_objects.h"
#include "util/utf8.h"

namespace imprenta::pdf {

const std::string& LinkDescriptions::pdf_string(const LinkOp& l) {
    if (l.url.empty() && size_t(l.chapter) < book_.chapters.size() && !note_of(l)) {
        title_strings_.resize(book_.chapters.size());
        std::string& s = title_strings_[size_t(l.chapter)]; // never empty once made: "()"
        if (s.empty()) s = haru::Objects::pdf_string(book_.chapters[size_t(l.chapter)].title);
        return s;
    }
    return description_ = haru::Objects::pdf_string(text(l));
}

std::string LinkDescriptions::text(const LinkOp& l) {
    if (!l.url.empty()) return util::xml_safe_text(l.url);
    if (size_t(l.chapter) >= book_.chapters.size()) return "Link";
    const auto* note = note_of(l);
    if (!note) return book_.chapters[size_t(l.chapter)].title;
    return note->second ? "Back to the note's call" : "Note " + note->first->label;
}

// The note a link to chapter l.chapter (in range) points at, and whether it is the way back to
// the note's call; null if it points elsewhere.
const std::pair<const doc::Note*, bool>* LinkDescriptions::note_of(const LinkOp& l) {
    const doc::Chapter& ch = book_.chapters[size_t(l.chapter)];
    if (ch.notes.empty()) return nullptr;
    // The chapter's note anchors, indexed once (a chapter of 100,000 notes has 200,000 links: a
    // scan per link would be quadratic).
    auto& names = note_links_[l.chapter];
    if (names.empty())
        for (const auto& n : ch.notes) {
            names.emplace(n.id, std::pair(&n, false));
            names.emplace(n.ref_id, std::pair(&n, true));
        }
    auto it = names.find(l.anchor);
    return it == names.end() ? nullptr : &it->second;
}

} // namespace imprenta::pdf
