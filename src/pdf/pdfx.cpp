#include "pdf/pdfx.h"

#include "util/hash.h"
#include "util/time.h"
#include "util/utf8.h"

#include <hpdf.h>

namespace imprenta::pdf {

namespace {

std::string xml_text(std::string_view s) {
    std::string clean = util::xml_safe_text(s), out;
    for (char c : clean) {
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else
            out += c;
    }
    return out;
}

std::string hex_bytes(const std::string& hex) {
    std::string out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2)
        out += char(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
}

} // namespace

std::string xmp_packet(const XmpFields& f) {
    std::string date = util::iso8601_utc(f.modified);
    bool x1a = f.pdfx_version != "PDF/X-4";
    std::string s = "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                    " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                    "  <rdf:Description rdf:about=\"\"\n"
                    "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                    "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                    "    xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\"\n"
                    "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
                    "    xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\"\n"
                    "    xmlns:pdfx=\"http://ns.adobe.com/pdfx/1.3/\">\n"
                    "   <dc:format>application/pdf</dc:format>\n";
    s += "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xml_text(f.title) +
         "</rdf:li></rdf:Alt></dc:title>\n";
    if (!f.authors.empty()) {
        s += "   <dc:creator><rdf:Seq>";
        for (const auto& a : f.authors)
            s += "<rdf:li>" + xml_text(a) + "</rdf:li>";
        s += "</rdf:Seq></dc:creator>\n";
    }
    if (!f.description.empty())
        s += "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">" +
             xml_text(f.description) + "</rdf:li></rdf:Alt></dc:description>\n";
    s += "   <xmp:CreateDate>" + date + "</xmp:CreateDate>\n";
    s += "   <xmp:ModifyDate>" + date + "</xmp:ModifyDate>\n";
    s += "   <xmp:MetadataDate>" + date + "</xmp:MetadataDate>\n";
    s += "   <xmp:CreatorTool>" + xml_text(f.creator_tool) + "</xmp:CreatorTool>\n";
    s += "   <xmpMM:DocumentID>" + f.document_id + "</xmpMM:DocumentID>\n";
    s += "   <xmpMM:InstanceID>" + f.document_id + "</xmpMM:InstanceID>\n";
    s += "   <xmpMM:VersionID>1</xmpMM:VersionID>\n";
    s += "   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>\n";
    if (!f.producer.empty()) s += "   <pdf:Producer>" + xml_text(f.producer) + "</pdf:Producer>\n";
    s += "   <pdf:Trapped>False</pdf:Trapped>\n";
    if (x1a)
        s += "   <pdfx:GTS_PDFXVersion>PDF/X-1:2003</pdfx:GTS_PDFXVersion>\n"
             "   <pdfx:GTS_PDFXConformance>PDF/X-1a:2003</pdfx:GTS_PDFXConformance>\n"
             "   <pdfxid:GTS_PDFXVersion>PDF/X-1:2003</pdfxid:GTS_PDFXVersion>\n";
    else
        s += "   <pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>\n";
    s += "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n";
    s += std::string(20, ' ') + "\n"; // room to edit in place, as XMP writers leave
    s += "<?xpacket end=\"w\"?>";
    return s;
}

void mark_pdfx(HPDF_Doc pdf, haru::Objects& objects, const PrintColor& color,
               const doc::Book& book, const std::string& part) {
    bool x1a = color.all_cmyk();
    objects.pdf_version(x1a ? 4 : 6); // X-1a:2003 is PDF 1.4; X-4, PDF 1.6

    haru::Obj info = objects.info();
    objects.text(info, "GTS_PDFXVersion", x1a ? "PDF/X-1:2003" : "PDF/X-4");
    if (x1a) objects.text(info, "GTS_PDFXConformance", "PDF/X-1a:2003");

    // The printing condition: the profile itself, named by its description.
    haru::Obj icc = objects.stream(color.profile(), haru::Coding::Flate);
    objects.number(icc, "N", 4);
    haru::Obj intent = objects.direct_dict();
    objects.name(intent, "Type", "OutputIntent");
    objects.name(intent, "S", "GTS_PDFX");
    objects.text(intent, "OutputConditionIdentifier", "Custom");
    objects.text(intent, "OutputCondition", color.condition());
    objects.text(intent, "Info", color.condition());
    objects.text(intent, "RegistryName", "http://www.color.org");
    objects.put(intent, "DestOutputProfile", icc);
    haru::Obj intents = objects.array();
    objects.push(intents, intent);
    objects.put(objects.catalog(), "OutputIntents", intents);

    // Same inputs, same identifiers: derived from what identifies the book, never random.
    const auto& m = book.meta;
    std::string seed = m.identifier + "\n" + m.title + "\n" + std::to_string(m.modified) + "\n" +
                       color.version() + "\n" + part;
    std::string id = hex_bytes(util::sha256_hex(seed).substr(0, 32));
    haru::Obj ids = objects.array();
    objects.push_bytes(ids, id);
    objects.push_bytes(ids, id);
    objects.put(objects.trailer(), "ID", ids);

    XmpFields f;
    f.title = m.title;
    f.description = m.description;
    f.authors = m.authors;
    f.modified = m.modified;
    f.creator_tool = "imprenta " IMPRENTA_VERSION;
    if (const char* p = HPDF_GetInfoAttr(pdf, HPDF_INFO_PRODUCER)) f.producer = p;
    std::string urn = util::stable_urn_uuid(seed);
    f.document_id = "uuid:" + urn.substr(urn.rfind(':') + 1);
    f.pdfx_version = color.version();
    haru::Obj xmp = objects.stream(xmp_packet(f), haru::Coding::Plain);
    objects.name(xmp, "Type", "Metadata");
    objects.name(xmp, "Subtype", "XML");
    objects.put(objects.catalog(), "Metadata", xmp);
}

} // namespace imprenta::pdf
