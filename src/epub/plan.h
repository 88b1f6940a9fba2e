// Everything the EPUB writer decides before it renders a page: file names, the ids each chapter
// emits (so links can be checked across chapters), and the images that made it into the book.
#pragma once
#include "doc/ir.h"
#include "epub/xml.h"
#include "image/image.h"
#include "render/page_map.h"
#include "util/diag.h"

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace imprenta::epub {

// A diagnostic found while working in parallel; reported later, in book order.
struct Warning {
    util::SourcePos pos;
    std::string message;
};

// Built member by member: brace-initialising a SourcePos here trips GCC 12's
// -Wmaybe-uninitialized in Release builds.
inline void add_warning(std::vector<Warning>& warnings, std::string file, std::string message) {
    Warning w;
    w.pos.file = std::move(file);
    w.message = std::move(message);
    warnings.push_back(std::move(w));
}

// Hands out ids unique within one file: the base itself, else base-2, base-3, ...
class IdAllocator {
public:
    IdAllocator() = default;
    // Knows `base`'s ids, as a copy of it would, without copying them (a chapter of 100,000
    // notes has 200,000): `base` must outlive this one and not change meanwhile.
    explicit IdAllocator(const IdAllocator* base) : base_(base) {}
    std::string take(const std::string& base);
    bool contains(const std::string& id) const {
        return used_.count(id) > 0 || (base_ && base_->contains(id));
    }

private:
    const IdAllocator* base_ = nullptr;
    std::set<std::string> used_;
    std::map<std::string, int> next_; // next suffix to try per base, so repeats stay linear
    bool add(const std::string& id);
    int& next_suffix(const std::string& base);
};

// The ids one chapter file carries, decided up front in document order.
struct ChapterIds {
    std::unordered_map<const doc::Block*, std::string> blocks; // looked up only, never iterated
    std::map<std::string, std::string> anchors; // IR anchor -> output id (first occurrence wins)
    std::vector<std::string> notes;             // output id of each note
    std::vector<std::string> note_refs; // output id of each note's first reference ("" if none)
    IdAllocator alloc;                  // holds every id above; rendering adds repeat refs
};

struct ImageResource {
    bool ok = false;  // prepared; when false, pages show the alt text instead
    std::string path; // relative to EPUB/ ("images/fig-1.png")
    std::string id;   // manifest id
    std::string media_type;
    std::string bytes;
};

// Where a printed page starts in a chapter file (the EPUB page-list, from the PDF's page map).
struct PageBreak {
    // doc::reading_key of the place: the marker goes before the word (or block) there. {INT_MIN}:
    // the chapter's start; {INT_MAX}: its end (a page left blank after it).
    std::vector<int> key;
    std::string label; // the printed page number
    std::string id;    // the marker's id in the chapter file
};

struct Plan {
    const doc::Book* book = nullptr;
    std::string lang;                  // the book's language, checked
    std::string title;                 // never empty
    std::string identifier;            // never empty
    std::vector<std::string> files;    // per chapter: file name inside text/ ("c01-intro.xhtml")
    std::vector<std::string> langs;    // per chapter: checked language
    std::vector<ChapterIds> ids;       // per chapter
    std::vector<ImageResource> images; // per asset
    int cover = -1;                    // asset index of the cover image, if it could be used
    bool all_alt = true;               // every image the pages show has alt text
    // Per chapter, in page order; empty when no print edition was built alongside.
    std::vector<std::vector<PageBreak>> page_breaks;
    std::string page_source; // names the print edition the page numbers come from
    bool has_page_list() const { return !page_source.empty(); }
};

// True when `tag` looks like a BCP 47 language tag ("es", "en-US", "zh-Hant-TW").
bool valid_language_tag(std::string_view tag);

// The ids `chapter` will carry: block and note ids made valid and unique, and an id for the first
// reference of every note that is referenced (chapter_ids.cpp, following the renderer's rules).
ChapterIds collect_ids(const doc::Chapter& chapter);

// Marks the assets `chapter` shows (banner, images) in `used`, which has one slot per asset, and
// clears `all_alt` if one of them has no alt text.
void collect_images(const doc::Chapter& chapter, std::vector<bool>& used, bool& all_alt);

// A leading H1 that repeats the chapter title: it becomes the chapter heading, shown once.
const doc::Block* title_block(const doc::Chapter& chapter);
// The id a note and its first reference are derived from (made valid and unique later).
std::string note_id_base(const doc::Note& note, size_t i);
std::string note_ref_base(const doc::Note& note, size_t i);

// page_list.cpp: a page-break marker in the chapters for every body page of the print edition.
void plan_page_breaks(Plan& plan, const render::PageMap& map);

// A rendered XHTML page plus what went wrong on the way.
struct RenderedPage {
    std::string xhtml;
    std::vector<Warning> warnings;
};

// xhtml.cpp
RenderedPage render_chapter(const Plan& plan, const PageTemplate& page, size_t chapter);

// package.cpp: the files around the chapters.
std::string container_xml();
std::string package_opf(const Plan& plan, std::vector<Warning>& warnings);
std::string nav_xhtml(const Plan& plan, const PageTemplate& page);
std::string toc_ncx(const Plan& plan);
std::string title_page(const Plan& plan, const PageTemplate& page);
std::string cover_page(const Plan& plan, const PageTemplate& page);

} // namespace imprenta::epub
