#include "pdf/pdfx.h"

#include "util/hash.h"

namespace imprenta::pdf {

void add_pdfx(haru::Objects& objects, xmp::Packet& packet, const PrintColor& color,
              const std::string& seed) {
    bool x1a = color.all_cmyk();
    objects.pdf_version(x1a ? 4 : 6); // X-1a:2003 is based on PDF 1.4, X-4 on PDF 1.6

    const char* version = x1a ? "PDF/X-1:2003" : "PDF/X-4";
    haru::Obj info = objects.info();
    objects.text(info, "GTS_PDFXVersion", version);
    if (x1a) objects.text(info, "GTS_PDFXConformance", "PDF/X-1a:2003");

    // The printing condition is the embedded profile itself, named by its description.
    xmp::OutputIntent intent;
    intent.subtype = "GTS_PDFX";
    intent.condition_identifier = "Custom";
    intent.condition = color.condition();
    intent.info = color.condition();
    intent.registry = "http://www.color.org";
    intent.icc = color.profile();
    intent.components = 4;
    xmp::add_output_intent(objects, intent);

    std::string urn = util::stable_urn_uuid(seed);
    packet.document_id = "uuid:" + urn.substr(urn.rfind(':') + 1);
    const std::string mm = "http://ns.adobe.com/xap/1.0/mm/";
    packet.extra.push_back({"xmpMM", mm, "InstanceID", packet.document_id});
    packet.extra.push_back({"xmpMM", mm, "VersionID", "1"});
    packet.extra.push_back({"xmpMM", mm, "RenditionClass", "default"});
    packet.extra.push_back({"pdf", "http://ns.adobe.com/pdf/1.3/", "Trapped", "False"});
    packet.extra.push_back(
        {"pdfxid", "http://www.npes.org/pdfx/ns/id/", "GTS_PDFXVersion", version});
    if (x1a) {
        const std::string pdfx = "http://ns.adobe.com/pdfx/1.3/";
        packet.extra.push_back({"pdfx", pdfx, "GTS_PDFXVersion", version});
        packet.extra.push_back({"pdfx", pdfx, "GTS_PDFXConformance", "PDF/X-1a:2003"});
    }
}

} // namespace imprenta::pdf
