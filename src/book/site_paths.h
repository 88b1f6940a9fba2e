// URL paths of a Hugo site: how a browser resolves a link against the page's URL, and the form
// in which two URL paths are compared (links are written as URLs, pages are files).
#pragma once
#include "book/config.h"

#include <string>
#include <string_view>

namespace imprenta::book {

// "%C3%A9" -> "é"; malformed escapes are kept as written.
std::string percent_decode(std::string_view s);

// `ref` (a path, no scheme) resolved against the page URL `base` as a browser does:
// ("/docs/a/", "../b/") -> "/docs/b/"; ("/docs/a/", "/x") -> "/x". Never climbs above "/".
std::string resolve_url(std::string_view base, std::string_view ref);

// The comparable form of a site path: decoded, no language prefix of this edition, no trailing
// slash or index.html, lower-cased unless disablePathToLower. "/Docs/A/index.html" -> "/docs/a".
std::string url_key(std::string_view path, const SiteConfig& site);

} // namespace imprenta::book
