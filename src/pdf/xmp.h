// Document-level metadata for the standards a PDF may claim: the XMP packet (the catalog's
// /Metadata), the output intent with its ICC profile, and the trailer /ID they require.
// Shared by the tagged/PDF-A writer and the print (PDF/X) writer: both pass what they claim.
#pragma once
#include "pdf/haru_objects.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace imprenta::pdf::xmp {

// One more property for the packet, in a schema of its own (pdfxid:GTS_PDFXVersion, ...).
struct Property {
    std::string prefix; // "pdfxid"
    std::string uri;    // "http://www.npes.org/pdfx/ns/id/"
    std::string name;   // "GTS_PDFXVersion"
    std::string value;  // plain text (escaped here)
};

struct Packet {
    std::string title;
    std::vector<std::string> authors;  // dc:creator, in order
    std::string description;           // dc:description
    std::string language;              // dc:language (BCP 47); empty: left out
    int64_t created = 0, modified = 0; // seconds since the epoch (SOURCE_DATE_EPOCH)
    std::string producer;              // pdf:Producer (equal to the Info dictionary's)
    std::string creator_tool;          // xmp:CreatorTool (equal to Info /Creator)
    std::string document_id;           // "uuid:..." for xmpMM:DocumentID; empty: left out
    int pdfa_part = 0;                 // 2: PDF/A-2 (pdfaid:part); 0: not claimed
    char pdfa_conformance = 0;         // 'U', 'B', 'A'
    int pdfua_part = 0;                // 1: PDF/UA-1 (pdfuaid:part); 0: not claimed
    std::string trapped;               // pdf:Trapped ("False" for print); empty: left out
    std::vector<Property> extra;
};

// The XMP packet as UTF-8 XML, with its xpacket wrapper (no padding: the bytes are stable).
std::string packet(const Packet& p);

// The packet as the catalog's /Metadata stream (unfiltered, /Type /Metadata /Subtype /XML).
void attach(haru::Objects& objects, const std::string& xml);

struct OutputIntent {
    std::string subtype = "GTS_PDFA1"; // "GTS_PDFX" for PDF/X
    std::string condition_identifier;  // "sRGB IEC61966-2.1", "FOGRA39", ...
    std::string condition;             // /OutputCondition (optional)
    std::string registry;              // /RegistryName (optional), e.g. "http://www.color.org"
    std::string info;                  // /Info
    std::string icc;                   // the profile's bytes (empty: no /DestOutputProfile)
    int components = 3;                // /N of the profile: 1, 3 or 4
};

// Adds `intent` to the catalog's /OutputIntents (its profile as a deflated ICC stream).
void add_output_intent(haru::Objects& objects, const OutputIntent& intent);

// Debian's sRGB profile (icc-profiles-free), as an output intent for PDF/A. Throws
// util::BuildError naming the package when it is not installed.
OutputIntent srgb_intent();
extern const char* const kSrgbProfile; // /usr/share/color/icc/sRGB.icc

// A stable 16-byte file identifier for the trailer's /ID, from what identifies the book.
void set_file_id(haru::Objects& objects, const std::string& seed);

} // namespace imprenta::pdf::xmp
