#include "pdf/pdfx.h"

namespace imprenta::pdf {

void claim_pdfx(haru::Objects& objects, const PrintColor& color, xmp::Packet& packet) {
    bool x1a = color.all_cmyk();
    objects.pdf_version(x1a ? 4 : 6); // X-1a:2003 is PDF 1.4; X-4, PDF 1.6

    haru::Obj info = objects.info();
    objects.text(info, "GTS_PDFXVersion", x1a ? "PDF/X-1:2003" : "PDF/X-4");
    if (x1a) objects.text(info, "GTS_PDFXConformance", "PDF/X-1a:2003");

    // The printing condition: the profile itself, named by its description.
    xmp::OutputIntent intent;
    intent.subtype = "GTS_PDFX";
    intent.condition_identifier = "Custom";
    intent.condition = intent.info = color.condition();
    intent.registry = "http://www.color.org";
    intent.icc = color.profile();
    intent.components = 4;
    xmp::add_output_intent(objects, intent);

    packet.trapped = "False";
    // PDF/X-4 asks for the rendition and its version beside xmpMM:DocumentID.
    const std::string mm = "http://ns.adobe.com/xap/1.0/mm/";
    if (!packet.document_id.empty()) {
        packet.extra.push_back({"xmpMM", mm, "InstanceID", packet.document_id});
        packet.extra.push_back({"xmpMM", mm, "VersionID", "1"});
        packet.extra.push_back({"xmpMM", mm, "RenditionClass", "default"});
    }
    const std::string pdfxid = "http://www.npes.org/pdfx/ns/id/";
    if (x1a) {
        const std::string pdfx = "http://ns.adobe.com/pdfx/1.3/";
        packet.extra.push_back({"pdfx", pdfx, "GTS_PDFXVersion", "PDF/X-1:2003"});
        packet.extra.push_back({"pdfx", pdfx, "GTS_PDFXConformance", "PDF/X-1a:2003"});
        packet.extra.push_back({"pdfxid", pdfxid, "GTS_PDFXVersion", "PDF/X-1:2003"});
    } else {
        packet.extra.push_back({"pdfxid", pdfxid, "GTS_PDFXVersion", "PDF/X-4"});
    }
}

void flatten_for_x1a(const PrintColor& color, image::PdfImage& img) {
    if (img.components == 3) {
        color.to_cmyk(img.pixels, 3, img.alpha);
        img.components = 4;
    } else if (!img.alpha.empty()) {
        for (size_t i = 0; i < img.pixels.size() && i < img.alpha.size(); ++i)
            img.pixels[i] =
                uint8_t((img.pixels[i] * img.alpha[i] + 255u * (255u - img.alpha[i]) + 127) / 255);
    }
    std::vector<uint8_t>().swap(img.alpha);
}

} // namespace imprenta::pdf
