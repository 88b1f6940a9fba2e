// Parsed essays kept between builds of one book (`imprenta watch`): an essay whose text, place in
// the book and the settings its parse reads are unchanged is copied, not read again by the
// Markdown parser. Its images are resolved again on every build (the files may have changed, and
// the book's asset table is made anew) and its warnings are reported again.
#pragma once
#include "book/config.h"
#include "book/scan.h"
#include "doc/ir.h"
#include "util/diag.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace imprenta::doc {

// An image reference as the parse resolved it, replayed in the same order on a later build.
struct ImageRef {
    std::string ref;       // as written
    util::SourcePos pos;   // where
    bool page_url = false; // resolved against the page's URL (body images; not the banner)
};

// One essay's parse: the chapter before the book-wide steps (ids, links), with every asset index
// replaced by an index into `images`.
struct ParsedEssay {
    Chapter chapter;
    std::vector<ImageRef> images;
    std::vector<util::Diagnostic> diagnostics; // the parse's own (image warnings come again)
};

class EssayCache {
public:
    using Key = std::array<uint8_t, 16>;

    // XXH3-128 of everything one essay's parse reads: its text and front matter, its place,
    // the book's language and the settings the parser takes from book.toml.
    static Key key(const book::Config& config, const std::string& language,
                   const book::Essay& essay);

    std::shared_ptr<const ParsedEssay> find(const Key& key);
    void put(const Key& key, ParsedEssay parsed);

    // The page a link path finds (resolve_links), kept like the parses: the answer depends only
    // on the book's pages, keyed by pages_key, and on what the lookup reads of the link (`link`:
    // the linking page's URL and folder and the path). -1: no page.
    static Key pages_key(const std::vector<book::Essay>& essays, const book::SiteConfig& site,
                         const std::filesystem::path& content_root);
    std::optional<int> find_link(const Key& pages, const std::string& link);
    void put_link(const Key& pages, std::string link, int target);

    void begin_build();
    // Drops the essays this build did not use (renamed, deleted or edited).
    void end_build();
    void clear();

    size_t last_hits() const { return last_hits_; }
    size_t last_misses() const { return last_misses_; }

private:
    struct Item {
        std::shared_ptr<const ParsedEssay> value;
        bool used = true;
    };
    std::mutex mutex_;
    std::map<Key, Item> items_;
    struct Links {
        std::unordered_map<std::string, int> targets;
        bool used = true;
    };
    std::map<Key, Links> links_; // by pages_key: one set of pages per edition
    size_t hits_ = 0, misses_ = 0, last_hits_ = 0, last_misses_ = 0;
};

} // namespace imprenta::doc
