// PDF/X identification of a print interior or cover ([print] pdfx): the output intent with the
// CMYK profile, /GTS_PDFXVersion in the document information, XMP metadata that repeats it
// (pdfxid:GTS_PDFXVersion) and the information dictionary, a file identifier, and the header
// version the standard is based on.
#pragma once
#include "doc/ir.h"
#include "pdf/haru_objects.h"
#include "pdf/print_color.h"

#include <string>

namespace imprenta::pdf {

// What the XMP packet says; `info_*` repeat the information dictionary (they must agree).
struct XmpFields {
    std::string title, description, creator_tool, producer;
    std::vector<std::string> authors;
    int64_t modified = 0;     // seconds since the epoch: CreateDate = ModifyDate = MetadataDate
    std::string document_id;  // "uuid:..."
    std::string pdfx_version; // "PDF/X-4" or "PDF/X-1a:2003"
};

// The XMP packet (UTF-8, unfiltered in the file).
std::string xmp_packet(const XmpFields& f);

// Adds everything above to the document. `pdf` is the libharu document `objects` writes into;
// its information dictionary must already hold Title, Author, Creator and the dates. `part`
// ("interior", "cover") keeps the two files' identifiers apart.
void mark_pdfx(HPDF_Doc pdf, haru::Objects& objects, const PrintColor& color,
               const doc::Book& book, const std::string& part);

} // namespace imprenta::pdf
