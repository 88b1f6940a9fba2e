// The one door to libharu's internal object layer. libharu 2.3's public API draws text only
// through fonts it loads and encodes itself (no HarfBuzz glyph ids, no CFF, no ToUnicode for
// ligatures, no colour glyphs), compresses streams itself on the single saving thread, and gives
// no way to attach resources it did not create to a page. imprenta builds those objects itself;
// everything that reaches into libharu's private structures for that is in haru_objects.cpp,
// and the rest of pdf/ sees only the small typed interface below.
#pragma once
#include <hpdf.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace imprenta::pdf::haru {

// A PDF object in libharu's document (dictionary, stream, array or page).
struct Obj {
    void* p = nullptr;
    explicit operator bool() const { return p != nullptr; }
};

enum class Coding {
    Flate,    // libharu deflates the bytes when it saves (small streams)
    Deflated, // the bytes are a zlib stream already (deflated on worker threads)
    Plain,    // written as they are (XMP metadata, which other tools read unfiltered)
};

class Objects {
public:
    explicit Objects(HPDF_Doc doc) : doc_(doc) {}
    ~Objects(); // before HPDF_Free: detaches the deferred objects (below) from the xref
    Objects(const Objects&) = delete;
    Objects& operator=(const Objects&) = delete;

    Obj dict();        // an indirect dictionary
    Obj direct_dict(); // a dictionary to nest in another
    // A dictionary whose entries are written as `body` (keys and values in PDF syntax), at a
    // fraction of the memory of libharu's entries: for the structure tree's many small
    // dictionaries. Entries may still be added with the setters below.
    Obj text_dict(const std::string& body, bool indirect);
    // An indirect dictionary numbered now and written as `<<` body `>>`, its body given later
    // by set_body (once, in any order). A book of notes has hundreds of thousands of structure
    // elements and link annotations: each of these costs an xref entry and its text in a shared
    // arena, where a libharu dictionary costs ~0.4 KB in half a dozen allocations. It may be
    // referenced (append_ref, push, put) but takes no entries: set_body is its only content.
    Obj deferred();
    void set_body(Obj deferred, std::string_view body);
    static void append_ref(std::string& out, Obj indirect); // appends "12 0 R"
    static std::string pdf_string(std::string_view utf8);   // (ASCII) or <FEFF...> UTF-16BE
    Obj array();                                            // a direct array
    Obj boolean(bool value);                                // a direct true/false
    Obj stream(std::string_view bytes, Coding c);           // an indirect stream object
    Obj stream(Coding c);                                   // numbered now, its bytes set later
    void set_bytes(Obj stream, std::string_view bytes);     // once, for stream(c)
    // An image XObject around deflated samples; png_colors > 0: rows carry PNG filter bytes.
    Obj image(std::string_view deflated, int width, int height, const char* color_space,
              int png_colors);

    void put(Obj dict, const char* key, Obj value);
    void name(Obj dict, const char* key, const std::string& value);
    void number(Obj dict, const char* key, double value);
    void text(Obj dict, const char* key, const std::string& value); // a PDF text string
    void push(Obj array, Obj value);
    void push_number(Obj array, double value);
    void push_name(Obj array, const std::string& value);
    void push_null(Obj array);

    // The document catalog and information dictionary, the trailer's /ID (two equal 16-byte
    // strings) and the header's version, which libharu writes from private fields only.
    Obj catalog();
    Obj info();
    void file_id(const unsigned char (&id)[16]);
    void pdf_version(int minor); // %PDF-1.<minor>

    // HPDF_SaveToFile's bytes, written through a buffer of ours in large writes: libharu's own
    // file writer makes a locked fwrite call per token (an object number, a key, a bracket), some
    // 200,000 of them for a 40-essay book, on the build's serial end. Errors go to the document's
    // error handler, as HPDF_SaveToFile's do.
    void save(const char* path);

    // Room for `n` pages in the page tree's /Kids before HPDF_AddPage adds them: libharu grows
    // the list a few entries at a time, copying it each time.
    void reserve_pages(size_t n);

    // Page resources (/Font, /XObject) and content for pages made with HPDF_AddPage.
    void page_fonts(HPDF_Page page, const std::vector<std::pair<std::string, Obj>>& fonts);
    void page_xobjects(HPDF_Page page, const std::vector<std::pair<std::string, Obj>>& xobjects);
    // The content is copied once, into a stream that libharu reads as it saves (its own memory
    // streams copy byte by byte, in 4 KB blocks, twice: ~2 ms for a 40-essay book's 3 MB); so
    // are stream()'s bytes.
    void page_contents(HPDF_Page page, std::string_view deflated);
    // [page /XYZ null top null]: keeps the reader's zoom (HPDF_Destination_SetXYZ rejects 0).
    HPDF_Destination xyz(HPDF_Page page, double top);

    // Borderless link annotations on `page` over `rect` (x0 y0 x1 y1), to [dest /XYZ null top
    // null] or to a URI (percent-encoded to printable ASCII), followed by the
    // entries `tail` (PDF syntax). Each is a deferred dictionary: libharu's own annotation
    // objects cost ~2.7 KB each (a 100,000-note book has 200,000 links), these ~0.3 KB.
    // Returns the annotation.
    Obj link_annot(HPDF_Page page, const double (&rect)[4], HPDF_Page dest, double top,
                   std::string_view tail);
    Obj uri_annot(HPDF_Page page, const double (&rect)[4], const std::string& uri,
                  std::string_view tail);

    // Pages, annotations and images are all dictionaries to libharu (one typedef).
    static Obj of(HPDF_Image image) { return Obj{image}; }
    static HPDF_Image as_image(Obj o) { return static_cast<HPDF_Image>(o.p); }

private:
    HPDF_Doc doc_;
    // Deferred objects: what a proxy to them reads (their number), and where their body is.
    struct Deferred {
        HPDF_Obj_Header header; // first: an Obj points here
        uint32_t chunk = 0, offset = 0, size = 0;
    };
    std::deque<Deferred> deferred_;
    std::vector<std::unique_ptr<std::string>> chunks_; // the bodies, appended
    // The bytes of the streams made here, read by libharu when it saves (read_from_copy).
    struct Source {
        std::string bytes;
        size_t read = 0;
    };
    std::deque<Source> sources_;
    void read_from_copy(HPDF_Dict stream, std::string_view data);
    HPDF_Dict writer_ = nullptr; // the one dictionary every deferred xref entry points at
    size_t next_written_ = 0;    // libharu writes objects in number order: deferred_[this] next
    static HPDF_STATUS write_deferred(HPDF_Dict writer, HPDF_Stream stream);
    Obj annotation(HPDF_Page page, std::string_view body);
    HPDF_Page annots_of_ = nullptr; // the page annotation() added to last, and its /Annots
    void* annots_ = nullptr;
    std::string scratch_; // an annotation's body, made again for each
};

} // namespace imprenta::pdf::haru
