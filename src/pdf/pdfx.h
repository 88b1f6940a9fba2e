// PDF/X identification of a print interior or cover ([print] pdfx), on top of the metadata every
// PDF carries (xmp.h): the output intent with the CMYK profile, /GTS_PDFXVersion in the
// document information, the same in the XMP packet (pdfxid:GTS_PDFXVersion) with pdf:Trapped
// and the xmpMM identifiers, and the header version the standard is based on.
#pragma once
#include "pdf/haru_objects.h"
#include "pdf/print_color.h"
#include "pdf/xmp.h"

#include <string>

namespace imprenta::pdf {

// Adds the output intent, the Info keys and the header version to the document, and the
// PDF/X properties to `packet` (attached afterwards by the caller). `seed` identifies the file
// (the same book's interior and cover differ): xmpMM:DocumentID is derived from it.
void add_pdfx(haru::Objects& objects, xmp::Packet& packet, const PrintColor& color,
              const std::string& seed);

} // namespace imprenta::pdf
