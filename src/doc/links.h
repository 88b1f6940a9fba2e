// Links between the pages of a book: Markdown file paths, Hugo page URLs (site paths, paths
// relative to the page's URL, with or without the language prefix) and ref/relref targets, all
// resolved to a chapter and an anchor.
#pragma once
#include "book/config.h"
#include "book/scan.h"
#include "doc/essay_cache.h"
#include "doc/ir.h"
#include "util/diag.h"

#include <string>
#include <vector>

namespace imprenta::doc {

// What the relref/ref shortcodes leave as a link's URL, for resolve_links to find as Hugo does.
inline constexpr std::string_view kRefScheme = "hugo-ref:";

// The id Hugo gives a heading ("Sender/Receiver Reports" -> "senderreceiver-reports"); links
// written for the site use it, so it finds the heading whatever id the book gave it.
std::string hugo_heading_id(std::string_view text);

// Every internal link of `book` (whose chapters come from `essays`, in the same order) set to its
// chapter and anchor; a link to a missing page or anchor is a warning with file:line and stays
// plain text. `content_root`: the folder a "/x.md" path starts from in a plain book. With a
// cache (watch), the pages that link paths find are kept for the next build of the same pages.
void resolve_links(Book& book, const std::vector<book::Essay>& essays,
                   const std::filesystem::path& content_root, const book::SiteConfig& site,
                   util::Diagnostics& diags, EssayCache* cache = nullptr);

} // namespace imprenta::doc
