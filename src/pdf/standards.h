// What PDF/UA (and PDF/A or PDF/X when asked) require of the document beyond its pages.
#pragma once
#include "doc/ir.h"
#include "pdf/haru_objects.h"
#include "pdf/writer.h"

#include <string>

namespace imprenta::pdf {

constexpr const char* kCreator = "imprenta " IMPRENTA_VERSION;
constexpr const char* kProducer = "imprenta " IMPRENTA_VERSION " (libharu 2.3)";

// The XMP packet matching the Info dictionary (whose /Author is `authors`), the language, the
// title shown, a file /ID; PDF/A's or PDF/X's output intent when the document claims either.
void claim_standards(haru::Objects& objects, const doc::Book& book, const Document& d,
                     const std::string& authors);

} // namespace imprenta::pdf
