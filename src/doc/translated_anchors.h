// Translations of a Hugo site often keep the source language's anchors in their links
// (`../06-media-communication/#rtp`) though their own headings are translated and have other ids.
// On the site such a link opens the page at its top. hugo-book translations keep the structure of
// the page they translate, so the heading that stands where the source's heading stands is the one
// the link means: the two heading sequences are aligned (same level, same id where a heading was
// left untranslated) and the link goes there.
#pragma once
#include "book/config.h"
#include "book/scan.h"
#include "doc/ir.h"

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace imprenta::doc {

// A heading of a page: its level and the id a link to it uses (Hugo's, or a custom {#id}).
struct HeadingRef {
    int level = 0;
    std::string id;
};

// The ATX headings of a Markdown page outside front matter and code fences, in order.
std::vector<HeadingRef> markdown_headings(std::string_view text);

// For each heading of `source`, the index of the heading of `translated` standing in its place,
// or -1. Headings pair only at the same level; an equal id weighs more than a level alone.
std::vector<int> align_headings(const std::vector<HeadingRef>& source,
                                const std::vector<HeadingRef>& translated);

class TranslatedAnchors {
public:
    TranslatedAnchors(const Book& book, const std::vector<book::Essay>& essays,
                      const book::SiteConfig& site)
        : book_(book), essays_(essays), site_(site) {}

    // The id (as the book gave it) of `chapter`'s heading that stands where the heading with id
    // `frag` stands in the same page of the site's default language; "" if none. Thread-safe.
    std::string find(int chapter, const std::string& frag);

private:
    struct Page {
        std::vector<HeadingRef> source;      // the default language's page
        std::vector<std::string> translated; // book ids of this chapter's headings, in order
        std::vector<int> map;                // source heading -> translated heading
    };
    const Page& page(int chapter);
    std::filesystem::path source_file(const std::filesystem::path& translated) const;

    const Book& book_;
    const std::vector<book::Essay>& essays_;
    const book::SiteConfig& site_;
    std::mutex mu_;
    std::map<int, Page> pages_;
};

} // namespace imprenta::doc
