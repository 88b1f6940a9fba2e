#include "pdf/standards.h"

#include "pdf/pdfx.h"
#include "pdf/print_color.h"
#include "pdf/xmp.h"
#include "util/hash.h"
#include "util/time.h"

namespace imprenta::pdf {

void claim_standards(haru::Objects& o, const doc::Book& book, const Document& d,
                     const std::string& authors) {
    const auto& m = book.meta;
    o.pdf_version(7);
    xmp::Packet x;
    x.title = m.title;
    if (!authors.empty()) x.authors = {authors}; // one entry, equal to Info /Author
    x.description = m.description;
    x.language = m.language;
    x.created = x.modified = m.modified;
    x.producer = kProducer;
    x.creator_tool = kCreator;
    x.pdfua_part = 1;
    std::string seed = m.identifier; // (appended: GCC 12 warns falsely on a + chain)
    for (const std::string* s : {&m.title, &m.version}) {
        seed += '\n';
        seed += *s;
    }
    seed += util::pdf_date_utc(m.modified);
    if (d.geo.cover) seed += "\ncover"; // the same book's other file
    if (d.color) {
        seed += '\n' + d.color->version();
        std::string urn = util::stable_urn_uuid(seed);
        x.document_id = "uuid:" + urn.substr(urn.rfind(':') + 1);
        claim_pdfx(o, *d.color, x); // PDF/X's output intent, not PDF/A's
    } else if (d.pdfa) {
        x.pdfa_part = 2;
        x.pdfa_conformance = 'U';
        xmp::add_output_intent(o, xmp::srgb_intent());
    }
    xmp::attach(o, xmp::packet(x));
    haru::Obj catalog = o.catalog();
    if (!m.language.empty()) o.text(catalog, "Lang", m.language);
    haru::Obj prefs = o.direct_dict();
    o.put(prefs, "DisplayDocTitle", o.boolean(true));
    if (d.geo.spine_right) o.name(prefs, "Direction", "R2L"); // spreads read right to left
    o.put(catalog, "ViewerPreferences", prefs);
    xmp::set_file_id(o, seed);
}

} // namespace imprenta::pdf
