// PDF/X identification of a print interior or cover ([print] pdfx): the output intent with the
// CMYK profile, /GTS_PDFXVersion in the document information, the XMP entries that repeat it
// (pdfxid:GTS_PDFXVersion), and the header version the standard is based on. The XMP packet,
// output intent and file /ID themselves are written by pdf/xmp.h, shared with PDF/A and PDF/UA.
#pragma once
#include "image/image.h"
#include "pdf/haru_objects.h"
#include "pdf/print_color.h"
#include "pdf/xmp.h"

namespace imprenta::pdf {

// Claims PDF/X-4 (or X-1a:2003 when every colour is CMYK) for the document: version, Info keys
// and output intent now, XMP properties into `packet` (which the caller attaches).
void claim_pdfx(haru::Objects& objects, const PrintColor& color, xmp::Packet& packet);

// PDF/X-1a: no RGB and no transparency. Colour pixels become CMYK of the output profile, and any
// alpha is laid on white (gray pixels stay gray: the black plate).
void flatten_for_x1a(const PrintColor& color, image::PdfImage& img);

} // namespace imprenta::pdf
