#include "pdf/xmp.h"

#include "util/diag.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/time.h"
#include "util/utf8.h"

namespace imprenta::pdf::xmp {

const char* const kSrgbProfile = "/usr/share/color/icc/sRGB.icc";

namespace {

// Element content: & < > escaped (XMP is read by XML parsers; quotes need no entity here).
std::string esc(const std::string& s) {
    return util::escape_xml(s, false);
}

// rdf:Alt with one x-default entry: how dc:title and dc:description are written.
void alt(std::string& out, const char* name, const std::string& value) {
    out += "   <" + std::string(name) + "><rdf:Alt><rdf:li xml:lang=\"x-default\">" + esc(value) +
           "</rdf:li></rdf:Alt></" + name + ">\n";
}

void simple(std::string& out, const std::string& name, const std::string& value) {
    out += "   <" + name + ">" + esc(value) + "</" + name + ">\n";
}

} // namespace

std::string packet(const Packet& p) {
    std::string out;
    out += "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n";
    out += "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n";
    out += " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n";
    out += "  <rdf:Description rdf:about=\"\"\n";
    out += "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n";
    out += "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n";
    out += "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n";
    if (!p.document_id.empty()) out += "    xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\"\n";
    if (p.pdfa_part > 0) out += "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n";
    if (p.pdfua_part > 0) out += "    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"\n";
    // Extra properties of a schema declared above (pdf:Trapped, xmpMM:VersionID) reuse it.
    std::vector<std::string> prefixes = {"x", "rdf", "dc", "xmp", "pdf"};
    if (!p.document_id.empty()) prefixes.push_back("xmpMM");
    if (p.pdfa_part > 0) prefixes.push_back("pdfaid");
    if (p.pdfua_part > 0) prefixes.push_back("pdfuaid");
    for (const auto& e : p.extra) {
        bool seen = false;
        for (const auto& q : prefixes)
            seen = seen || q == e.prefix;
        if (seen) continue;
        prefixes.push_back(e.prefix);
        out += "    xmlns:" + e.prefix + "=\"" + esc(e.uri) + "\"\n";
    }
    out += "  >\n";
    out += "   <dc:format>application/pdf</dc:format>\n";
    if (!p.title.empty()) alt(out, "dc:title", p.title);
    if (!p.authors.empty()) {
        out += "   <dc:creator><rdf:Seq>";
        for (const auto& a : p.authors)
            out += "<rdf:li>" + esc(a) + "</rdf:li>";
        out += "</rdf:Seq></dc:creator>\n";
    }
    if (!p.description.empty()) alt(out, "dc:description", p.description);
    if (!p.language.empty())
        out += "   <dc:language><rdf:Bag><rdf:li>" + esc(p.language) +
               "</rdf:li></rdf:Bag></dc:language>\n";
    // Dates as in the Info dictionary: the book's time, never the wall clock.
    simple(out, "xmp:CreateDate", util::iso8601_utc(p.created));
    simple(out, "xmp:ModifyDate", util::iso8601_utc(p.modified));
    simple(out, "xmp:MetadataDate", util::iso8601_utc(p.modified));
    if (!p.creator_tool.empty()) simple(out, "xmp:CreatorTool", p.creator_tool);
    if (!p.producer.empty()) simple(out, "pdf:Producer", p.producer);
    if (!p.trapped.empty()) simple(out, "pdf:Trapped", p.trapped);
    if (!p.document_id.empty()) simple(out, "xmpMM:DocumentID", p.document_id);
    if (p.pdfa_part > 0) {
        simple(out, "pdfaid:part", std::to_string(p.pdfa_part));
        simple(out, "pdfaid:conformance", std::string(1, p.pdfa_conformance));
    }
    if (p.pdfua_part > 0) simple(out, "pdfuaid:part", std::to_string(p.pdfua_part));
    for (const auto& e : p.extra)
        simple(out, e.prefix + ":" + e.name, e.value);
    out += "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>";
    return out;
}

void attach(haru::Objects& objects, const std::string& xml) {
    haru::Obj s = objects.stream(xml, haru::Coding::Plain);
    if (!s) return;
    objects.name(s, "Type", "Metadata");
    objects.name(s, "Subtype", "XML");
    objects.put(objects.catalog(), "Metadata", s);
}

void add_output_intent(haru::Objects& objects, const OutputIntent& intent) {
    haru::Obj d = objects.dict();
    objects.name(d, "Type", "OutputIntent");
    objects.name(d, "S", intent.subtype);
    objects.text(d, "OutputConditionIdentifier", intent.condition_identifier);
    if (!intent.condition.empty()) objects.text(d, "OutputCondition", intent.condition);
    if (!intent.registry.empty()) objects.text(d, "RegistryName", intent.registry);
    if (!intent.info.empty()) objects.text(d, "Info", intent.info);
    if (!intent.icc.empty()) {
        haru::Obj profile = objects.stream(intent.icc, haru::Coding::Flate);
        objects.number(profile, "N", intent.components);
        objects.put(d, "DestOutputProfile", profile);
    }
    haru::Obj list = objects.array();
    objects.push(list, d);
    objects.put(objects.catalog(), "OutputIntents", list);
}

OutputIntent srgb_intent() {
    OutputIntent o;
    o.condition_identifier = "sRGB IEC61966-2.1";
    o.registry = "http://www.color.org";
    o.info = "sRGB IEC61966-2.1";
    std::error_code ec;
    if (!std::filesystem::is_regular_file(kSrgbProfile, ec))
        throw util::BuildError({kSrgbProfile},
                               "the sRGB profile a PDF/A output intent needs is missing "
                               "(install the Debian package icc-profiles-free)");
    o.icc = util::read_file(kSrgbProfile, size_t(4) << 20);
    return o;
}

void set_file_id(haru::Objects& objects, const std::string& seed) {
    util::Sha256 h;
    h.update(seed);
    auto d = h.digest();
    unsigned char id[16];
    for (size_t i = 0; i < 16; ++i)
        id[i] = d[i];
    objects.file_id(id);
}

} // namespace imprenta::pdf::xmp
