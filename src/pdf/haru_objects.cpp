#include "pdf/haru_objects.h"

#include "util/utf8.h"

#include <hpdf_doc.h>
#include <hpdf_list.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace imprenta::pdf::haru {

namespace {

// HPDF_Array_Add without libharu's limit of HPDF_LIMIT_MAX_ARRAY (32,767) elements, which a
// book's structure tree outgrows (10,000 notes: 20,000 links, each an entry of the parent tree;
// past the limit libharu fails the document silently). PDF sets no such limit; past it, this
// does HPDF_Array_Add's own bookkeeping.
void add_unlimited(HPDF_Array array, void* obj) {
    if (!obj) return;
    // libharu grows a list by a fixed step (HPDF_DEF_ITEMS_PER_BLOCK), copying it each time:
    // quadratic for the structure tree's long arrays. Grow long lists geometrically instead.
    HPDF_List list = array->list;
    if (list->count >= 64 && list->items_per_block < list->count)
        list->items_per_block = list->count;
    if (list->count < HPDF_LIMIT_MAX_ARRAY) {
        HPDF_Array_Add(array, obj);
        return;
    }
    auto* header = static_cast<HPDF_Obj_Header*>(obj);
    if (header->obj_id & HPDF_OTYPE_DIRECT) return; // already inside another container
    if (header->obj_id & HPDF_OTYPE_INDIRECT) {
        HPDF_Proxy proxy = HPDF_Proxy_New(array->mmgr, obj);
        if (!proxy) return;
        proxy->header.obj_id |= HPDF_OTYPE_DIRECT;
        obj = proxy;
    } else {
        header->obj_id |= HPDF_OTYPE_DIRECT;
    }
    if (HPDF_List_Add(list, obj) != HPDF_OK) HPDF_Obj_Free(array->mmgr, obj);
}

HPDF_Dict D(Obj o) {
    return static_cast<HPDF_Dict>(o.p);
}
HPDF_Array A(Obj o) {
    return static_cast<HPDF_Array>(o.p);
}

// libharu writes a stream's /Filter from the filter it applies itself; a stream already
// deflated goes in unfiltered, and this names its filter instead (replacing write_fn).
HPDF_STATUS name_flate_filter(HPDF_Dict, HPDF_Stream stream) {
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

const HPDF_BYTE* bytes(std::string_view s) {
    return reinterpret_cast<const HPDF_BYTE*>(s.data());
}

// Whole numbers as integers (widths, sizes), others as reals.
HPDF_Obj_Header* number_object(HPDF_MMgr mm, double v) {
    if (v == std::floor(v) && std::abs(v) < 2e9)
        return static_cast<HPDF_Obj_Header*>(
            static_cast<void*>(HPDF_Number_New(mm, HPDF_INT32(v))));
    return static_cast<HPDF_Obj_Header*>(static_cast<void*>(HPDF_Real_New(mm, HPDF_REAL(v))));
}

// A real as libharu prints it: up to five decimals, no trailing zeros, never an exponent.
void append_real(std::string& out, double v) {
    // Scaled to whole 1/100,000ths: exact enough to round as to_chars does, unless the value
    // lies near a tie (or is huge), where to_chars decides. to_chars cost ~600 instructions a
    // call, and a book's link annotations have five reals each.
    double scaled = v * 1e5;
    if (std::abs(scaled) < 1e12) {
        double whole = std::nearbyint(scaled);
        if (std::abs(scaled - whole) < 0.49) {
            auto units = (long long)whole;
            if (units == 0) {
                out += '0';
                return;
            }
            char buf[32];
            char* p = buf;
            if (units < 0) {
                *p++ = '-';
                units = -units;
            }
            p = std::to_chars(p, buf + 24, units / 100000).ptr;
            int frac = int(units % 100000);
            if (frac != 0) {
                *p++ = '.';
                for (int div = 10000; frac != 0; div /= 10) {
                    *p++ = char('0' + frac / div);
                    frac %= div;
                }
            }
            out.append(buf, size_t(p - buf));
            return;
        }
    }
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 5);
    std::string_view s(buf, size_t(res.ptr - buf));
    if (s.find('.') != std::string_view::npos) {
        while (s.back() == '0')
            s.remove_suffix(1);
        if (s.back() == '.') s.remove_suffix(1);
    }
    if (s == "-0") s = "0";
    out += s;
}

void append_number_ref(std::string& out, const void* indirect) {
    HPDF_UINT32 id = static_cast<const HPDF_Obj_Header*>(indirect)->obj_id & 0x00FFFFFF;
    char buf[16];
    auto end = std::to_chars(buf, buf + sizeof buf, id).ptr;
    out.append(buf, size_t(end - buf));
    out.append(" 0 R", 4);
}

// The body of a text-bodied dictionary, kept in attr: its size, then a copy in libharu's memory
// (written with its size: libharu's own strlen reads a byte at a time, and a book's /ParentTree
// is one long body).
HPDF_STATUS write_body(HPDF_Dict d, HPDF_Stream stream) {
    if (!d->attr) return HPDF_OK;
    uint32_t size = 0;
    std::memcpy(&size, d->attr, sizeof size);
    return HPDF_Stream_Write(stream, static_cast<const HPDF_BYTE*>(d->attr) + sizeof size, size);
}

void free_body(HPDF_Dict d) {
    if (d->attr) HPDF_FreeMem(d->mmgr, d->attr);
    d->attr = nullptr;
}

} // namespace

// New objects need the document's memory manager and cross-reference table (pdf->mmgr,
// pdf->xref), which the public API only uses for objects of its own.
Obj Objects::dict() {
    HPDF_Dict d = HPDF_Dict_New(doc_->mmgr);
    if (d) HPDF_Xref_Add(doc_->xref, d);
    return Obj{d};
}

Obj Objects::direct_dict() {
    return Obj{HPDF_Dict_New(doc_->mmgr)};
}

Obj Objects::text_dict(const std::string& body, bool indirect) {
    HPDF_Dict d = HPDF_Dict_New(doc_->mmgr);
    if (!d) return {};
    auto size = uint32_t(body.size());
    auto* text = static_cast<char*>(HPDF_GetMem(doc_->mmgr, HPDF_UINT(sizeof size + size)));
    if (!text) {
        HPDF_Dict_Free(d);
        return {};
    }
    std::memcpy(text, &size, sizeof size);
    std::memcpy(text + sizeof size, body.data(), size);
    d->attr = text;
    d->write_fn = write_body;
    d->free_fn = free_body;
    if (indirect && HPDF_Xref_Add(doc_->xref, d) != HPDF_OK) return {}; // the xref freed it
    return Obj{d};
}

Objects::~Objects() {
    if (!writer_) return;
    // The deferred entries share one dictionary: libharu would free it once per entry.
    HPDF_List entries = doc_->xref->entries;
    for (HPDF_UINT i = 0; i < entries->count; ++i) {
        auto* e = static_cast<HPDF_XrefEntry>(entries->obj[i]);
        if (e->obj == writer_) e->obj = nullptr;
    }
    writer_->attr = nullptr;
    HPDF_Dict_Free(writer_);
}

// HPDF_Xref_Add's bookkeeping, for an entry that points at the shared writer dictionary.
Obj Objects::deferred() {
    if (!writer_) {
        writer_ = HPDF_Dict_New(doc_->mmgr);
        if (!writer_) return {};
        writer_->attr = this;
        writer_->write_fn = write_deferred;
    }
    HPDF_Xref xref = doc_->xref;
    HPDF_List entries = xref->entries;
    if (entries->count >= HPDF_LIMIT_MAX_XREF_ELEMENT) return {};
    // libharu grows the list 1,024 entries at a time, copying it each time: grow it
    // geometrically for a book of notes' 600,000 objects.
    if (entries->count >= 4096 && entries->items_per_block < entries->count)
        entries->items_per_block = entries->count;
    auto* entry = static_cast<HPDF_XrefEntry>(HPDF_GetMem(xref->mmgr, sizeof(HPDF_XrefEntry_Rec)));
    if (!entry) return {};
    if (HPDF_List_Add(entries, entry) != HPDF_OK) {
        HPDF_FreeMem(xref->mmgr, entry);
        return {};
    }
    entry->entry_typ = HPDF_IN_USE_ENTRY;
    entry->byte_offset = 0;
    entry->gen_no = 0;
    entry->obj = writer_;
    Deferred& d = deferred_.emplace_back();
    d.header.obj_id = (xref->start_offset + entries->count - 1) | HPDF_OTYPE_INDIRECT;
    d.header.gen_no = 0;
    d.header.obj_class = HPDF_OCLASS_DICT;
    return Obj{&d.header};
}

void Objects::set_body(Obj o, std::string_view body) {
    if (!o) return;
    auto* d = reinterpret_cast<Deferred*>(o.p); // the header is its first member
    constexpr size_t kChunk = size_t(1) << 20;  // appended in chunks: never copied as it grows
    if (chunks_.empty() || chunks_.back()->size() + body.size() > chunks_.back()->capacity()) {
        chunks_.push_back(std::make_unique<std::string>());
        chunks_.back()->reserve(std::max(kChunk, body.size()));
    }
    std::string& chunk = *chunks_.back();
    d->chunk = uint32_t(chunks_.size() - 1);
    d->offset = uint32_t(chunk.size());
    d->size = uint32_t(body.size());
    chunk.append(body);
}

// libharu writes the objects in number order, so the n-th call is for the n-th deferred object.
HPDF_STATUS Objects::write_deferred(HPDF_Dict writer, HPDF_Stream stream) {
    auto* self = static_cast<Objects*>(writer->attr);
    if (!self || self->next_written_ >= self->deferred_.size()) return HPDF_OK;
    const Deferred& d = self->deferred_[self->next_written_++];
    if (d.size == 0) return HPDF_OK;
    return HPDF_Stream_Write(stream, bytes({self->chunks_[d.chunk]->data() + d.offset, d.size}),
                             d.size);
}

std::string Objects::pdf_string(std::string_view utf8) {
    bool ascii = true;
    for (unsigned char c : utf8)
        ascii = ascii && c >= 0x20 && c < 0x7F;
    std::string out;
    if (ascii) {
        out += '(';
        for (char c : utf8) {
            if (c == '(' || c == ')' || c == '\\') out += '\\';
            out += c;
        }
        return out + ')';
    }
    static const char* hex = "0123456789ABCDEF";
    auto unit = [&](unsigned u) {
        for (int shift = 12; shift >= 0; shift -= 4)
            out += hex[(u >> shift) & 15];
    };
    out += "<FEFF";
    for (size_t i = 0; i < utf8.size();) {
        char32_t c = util::next_code_point(utf8, i);
        if (c >= 0x10000) {
            c -= 0x10000;
            unit(0xD800 + unsigned(c >> 10));
            unit(0xDC00 + unsigned(c & 0x3FF));
        } else {
            unit(unsigned(c));
        }
    }
    return out + '>';
}

void Objects::append_ref(std::string& out, Obj indirect) {
    append_number_ref(out, indirect.p);
}

Obj Objects::array() {
    return Obj{HPDF_Array_New(doc_->mmgr)};
}

Obj Objects::boolean(bool value) {
    return Obj{HPDF_Boolean_New(doc_->mmgr, value ? HPDF_TRUE : HPDF_FALSE)};
}

Obj Objects::stream(std::string_view data, Coding c) {
    Obj s = stream(c);
    set_bytes(s, data);
    return s;
}

Obj Objects::stream(Coding c) {
    HPDF_Dict s = HPDF_DictStream_New(doc_->mmgr, doc_->xref);
    if (!s) return {};
    if (c == Coding::Flate) {
        s->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    } else if (c == Coding::Plain) {
        s->filter = HPDF_STREAM_FILTER_NONE;
    } else {
        s->filter = HPDF_STREAM_FILTER_NONE;
        s->write_fn = name_flate_filter;
    }
    return Obj{s};
}

void Objects::set_bytes(Obj stream, std::string_view bytes) {
    if (stream) read_from_copy(D(stream), bytes);
}

Obj Objects::image(std::string_view deflated, int width, int height, const char* color_space,
                   int png_colors) {
    Obj o = stream(deflated, Coding::Deflated);
    HPDF_Dict img = D(o);
    if (!img) return {};
    // Marked as an XObject so libharu accepts it where HPDF_Image is expected.
    img->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
    HPDF_Dict_AddName(img, "Type", "XObject");
    HPDF_Dict_AddName(img, "Subtype", "Image");
    HPDF_Dict_AddNumber(img, "Width", width);
    HPDF_Dict_AddNumber(img, "Height", height);
    HPDF_Dict_AddName(img, "ColorSpace", color_space);
    HPDF_Dict_AddNumber(img, "BitsPerComponent", 8);
    if (png_colors > 0) {
        HPDF_Dict parms = HPDF_Dict_New(doc_->mmgr);
        HPDF_Dict_Add(img, "DecodeParms", parms);
        HPDF_Dict_AddNumber(parms, "Predictor", 15);
        HPDF_Dict_AddNumber(parms, "Colors", png_colors);
        HPDF_Dict_AddNumber(parms, "BitsPerComponent", 8);
        HPDF_Dict_AddNumber(parms, "Columns", width);
    }
    return o;
}

void Objects::put(Obj dict, const char* key, Obj value) {
    HPDF_Dict_Add(D(dict), key, value.p);
}

void Objects::name(Obj dict, const char* key, const std::string& value) {
    HPDF_Dict_AddName(D(dict), key, value.c_str());
}

void Objects::number(Obj dict, const char* key, double value) {
    HPDF_Dict_Add(D(dict), key, number_object(doc_->mmgr, value));
}

// ASCII as it is (font /Registry must stay bytes); anything else as UTF-16BE with its byte
// order mark, through libharu's UTF-8 encoder (a PDF text string is not UTF-8).
void Objects::text(Obj dict, const char* key, const std::string& value) {
    bool ascii = true;
    for (unsigned char c : value)
        ascii = ascii && c < 0x80;
    HPDF_Encoder utf8 = ascii ? nullptr : HPDF_GetEncoder(doc_, "UTF-8");
    HPDF_Dict_Add(D(dict), key, HPDF_String_New(doc_->mmgr, value.c_str(), utf8));
}

void Objects::push(Obj array, Obj value) {
    add_unlimited(A(array), value.p);
}

void Objects::push_number(Obj array, double value) {
    add_unlimited(A(array), number_object(doc_->mmgr, value));
}

void Objects::push_name(Obj array, const std::string& value) {
    HPDF_Array_AddName(A(array), value.c_str());
}

void Objects::push_null(Obj array) {
    HPDF_Array_Add(A(array), HPDF_Null_New(doc_->mmgr));
}

Obj Objects::catalog() {
    return Obj{doc_->catalog};
}

void Objects::file_id(const unsigned char (&id)[16]) {
    HPDF_Array ids = HPDF_Array_New(doc_->mmgr);
    if (!ids) return;
    HPDF_Dict_Add(doc_->trailer, "ID", ids);
    HPDF_Array_Add(ids, HPDF_Binary_New(doc_->mmgr, const_cast<HPDF_BYTE*>(id), 16));
    HPDF_Array_Add(ids, HPDF_Binary_New(doc_->mmgr, const_cast<HPDF_BYTE*>(id), 16));
}

Obj Objects::info() {
    if (!doc_->info) HPDF_SetInfoAttr(doc_, HPDF_INFO_PRODUCER, "imprenta"); // creates it
    return Obj{doc_->info};
}

void Objects::pdf_version(int minor) {
    doc_->pdf_version = HPDF_PDFVer(std::clamp(minor, 2, 7) - 2); // HPDF_VER_12 is 0
}

void Objects::reserve_pages(size_t n) {
    HPDF_Pages pages = doc_->cur_pages ? doc_->cur_pages : doc_->root_pages;
    if (!pages) return;
    auto* kids = static_cast<HPDF_Array>(HPDF_Dict_GetItem(pages, "Kids", HPDF_OCLASS_ARRAY));
    if (kids && kids->list->items_per_block < n) kids->list->items_per_block = HPDF_UINT(n);
}

// A page's /Font and /XObject dictionaries live in its private attributes (attr->fonts,
// attr->xobjects), which libharu fills only with fonts and images made through its own API.
void Objects::page_fonts(HPDF_Page page, const std::vector<std::pair<std::string, Obj>>& fonts) {
    if (fonts.empty()) return;
    auto* attr = static_cast<HPDF_PageAttr>(page->attr);
    auto* resources =
        static_cast<HPDF_Dict>(HPDF_Page_GetInheritableItem(page, "Resources", HPDF_OCLASS_DICT));
    if (!resources) return;
    attr->fonts = HPDF_Dict_New(doc_->mmgr);
    HPDF_Dict_Add(resources, "Font", attr->fonts);
    for (const auto& [name, font] : fonts)
        HPDF_Dict_Add(attr->fonts, name.c_str(), font.p);
}

void Objects::page_xobjects(HPDF_Page page,
                            const std::vector<std::pair<std::string, Obj>>& xobjects) {
    if (xobjects.empty()) return;
    auto* attr = static_cast<HPDF_PageAttr>(page->attr);
    auto* resources =
        static_cast<HPDF_Dict>(HPDF_Page_GetInheritableItem(page, "Resources", HPDF_OCLASS_DICT));
    if (!resources) return;
    attr->xobjects = HPDF_Dict_New(doc_->mmgr);
    HPDF_Dict_Add(resources, "XObject", attr->xobjects);
    for (const auto& [name, x] : xobjects)
        HPDF_Dict_Add(attr->xobjects, name.c_str(), x.p);
}

namespace {

// A callback stream over an Objects::Source: what libharu reads a page's content from.
template <class Source> struct SourceStream {
    static HPDF_STATUS read(HPDF_Stream s, HPDF_BYTE* out, HPDF_UINT* size) {
        auto* src = static_cast<Source*>(s->attr);
        size_t n = std::min<size_t>(*size, src->bytes.size() - src->read);
        std::memcpy(out, src->bytes.data() + src->read, n);
        src->read += n;
        *size = HPDF_UINT(n);
        return src->read < src->bytes.size() ? HPDF_OK : HPDF_STREAM_EOF;
    }
    static HPDF_STATUS seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode) {
        auto* src = static_cast<Source*>(s->attr);
        long long at = mode == HPDF_SEEK_CUR   ? (long long)src->read + pos
                       : mode == HPDF_SEEK_END ? (long long)src->bytes.size() - pos
                                               : pos;
        if (at < 0 || size_t(at) > src->bytes.size())
            return HPDF_SetError(s->error, HPDF_STREAM_EOF, 0);
        src->read = size_t(at);
        return HPDF_OK;
    }
    static HPDF_INT32 tell(HPDF_Stream s) {
        return HPDF_INT32(static_cast<Source*>(s->attr)->read);
    }
    static HPDF_UINT32 size(HPDF_Stream s) {
        return HPDF_UINT32(static_cast<Source*>(s->attr)->bytes.size());
    }
};

} // namespace

// `stream`'s bytes become a copy of `data`, read by libharu when it saves (in place of the memory
// stream HPDF_DictStream_New made, which is still empty).
void Objects::read_from_copy(HPDF_Dict stream, std::string_view data) {
    Source& src = sources_.emplace_back();
    src.bytes.assign(data);
    using S = SourceStream<Source>;
    HPDF_Stream reader =
        HPDF_CallbackReader_New(doc_->mmgr, S::read, S::seek, S::tell, S::size, &src);
    if (!reader) return; // libharu's allocator has raised the error
    HPDF_Stream_Free(stream->stream);
    stream->stream = reader;
}

// The page's own content stream (attr->contents), filled with operators deflated beforehand.
void Objects::page_contents(HPDF_Page page, std::string_view deflated) {
    auto* attr = static_cast<HPDF_PageAttr>(page->attr);
    HPDF_Dict contents = attr->contents;
    contents->filter = HPDF_STREAM_FILTER_NONE;
    contents->write_fn = name_flate_filter;
    read_from_copy(contents, deflated);
}

// A destination array rewritten in place; its null entries need the array's memory manager.
HPDF_Destination Objects::xyz(HPDF_Page page, double top) {
    HPDF_Destination dst = HPDF_Page_CreateDestination(page);
    if (!dst) return nullptr;
    HPDF_Array arr = dst;
    HPDF_Array_Clear(arr);
    HPDF_Array_Add(arr, page);
    HPDF_Array_AddName(arr, "XYZ");
    HPDF_Array_Add(arr, HPDF_Null_New(arr->mmgr));
    HPDF_Array_AddReal(arr, HPDF_REAL(top));
    HPDF_Array_Add(arr, HPDF_Null_New(arr->mmgr));
    return dst;
}

namespace {

// Percent-encodes what is not printable ASCII: /URI strings are ASCII by definition (and
// parentheses and backslashes, which a PDF string would have to escape).
std::string ascii_uri(const std::string& url) {
    std::string out;
    for (unsigned char c : url) {
        if (c <= 0x20 || c >= 0x7F || c == '(' || c == ')' || c == '\\') {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        } else {
            out += char(c);
        }
    }
    return out;
}

void annot_head(std::string& s, HPDF_Page page, const double (&rect)[4]) {
    s = "/Type /Annot\012/Subtype /Link\012/Rect [";
    for (double v : rect) {
        s += ' ';
        append_real(s, v);
    }
    s += " ]\012/P ";
    append_number_ref(s, page);
    s += "\012/Border [ 0 0 0 ]\012";
}

} // namespace

// A deferred annotation dictionary printed as `body`, listed in the page's /Annots (which
// libharu's AddAnnotation keeps in the page dictionary itself).
Obj Objects::annotation(HPDF_Page page, std::string_view body) {
    // A page's links come one after the other: its /Annots is looked up once for all of them.
    auto* annots =
        page == annots_of_
            ? static_cast<HPDF_Array>(annots_)
            : static_cast<HPDF_Array>(HPDF_Dict_GetItem(page, "Annots", HPDF_OCLASS_ARRAY));
    if (!annots) {
        annots = HPDF_Array_New(page->mmgr);
        if (!annots || HPDF_Dict_Add(page, "Annots", annots) != HPDF_OK) return {};
    }
    annots_of_ = page;
    annots_ = annots;
    Obj d = deferred();
    if (!d) return {};
    add_unlimited(annots, d.p);
    set_body(d, body);
    return d;
}

Obj Objects::link_annot(HPDF_Page page, const double (&rect)[4], HPDF_Page dest, double top,
                        std::string_view tail) {
    std::string& body = scratch_;
    annot_head(body, page, rect);
    body += "/Dest [ ";
    append_number_ref(body, dest);
    body += " /XYZ null ";
    append_real(body, top);
    body += " null ]\012";
    body += tail;
    return annotation(page, body);
}

Obj Objects::uri_annot(HPDF_Page page, const double (&rect)[4], const std::string& uri,
                       std::string_view tail) {
    std::string& body = scratch_;
    annot_head(body, page, rect);
    body += "/A << /Type /Action /S /URI /URI (";
    body += ascii_uri(uri);
    body += ") >>\012";
    body += tail;
    return annotation(page, body);
}

} // namespace imprenta::pdf::haru
