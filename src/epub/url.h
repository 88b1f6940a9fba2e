// URLs in chapter links (xhtml.cpp).
#pragma once
#include "epub/plan.h"

#include <string>
#include <string_view>

namespace imprenta::epub {

// javascript:, vbscript:, file: and data: links are not written.
bool is_blocked_scheme(std::string_view scheme);
// The scheme of an absolute URL ("https"), or empty for a relative reference.
std::string_view url_scheme(std::string_view url);
// Spaces and controls are not allowed in a URL; everything else the reader passes through.
std::string encode_url(std::string_view url);

// The href of link target `t` in chapter `from`'s file, or "" when it leads nowhere (then only
// its text is shown). `problem` says what is wrong with the link, if anything.
std::string link_href(const Plan& plan, size_t from, const doc::LinkTarget& t,
                      std::string& problem);

} // namespace imprenta::epub
