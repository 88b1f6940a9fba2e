// SVG rasterisation with librsvg 2.54 and cairo. The handle is made from memory with no base
// URI, so librsvg refuses every reference but data: URLs (its rule 3); sanitize_svg has already
// refused those references anyway. Rendering is serialised: librsvg, pango and fontconfig are not
// all safe to drive from several threads at once, and SVGs in a book are few.
//
// librsvg is opened on first use (dlopen) rather than linked: it brings some 40 shared libraries
// (glib, pango, harfbuzz, ICU, X11, ...) whose loading took 4-5 ms of every start of imprenta,
// while only a book with SVG images going into a PDF needs them.
#include "image/svg_raster.h"

#include <cairo.h>
#include <dlfcn.h>
#include <librsvg/rsvg.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>

namespace imprenta::image::detail {
namespace {

// The functions used, looked up in librsvg and the libraries it depends on (cairo, GLib).
#define IMPRENTA_SVG_FUNCTIONS(X)                                                                  \
    X(g_error_free)                                                                                \
    X(g_object_unref)                                                                              \
    X(rsvg_handle_new_from_data)                                                                   \
    X(rsvg_handle_set_dpi)                                                                         \
    X(rsvg_handle_get_intrinsic_size_in_pixels)                                                    \
    X(rsvg_handle_get_intrinsic_dimensions)                                                        \
    X(rsvg_handle_get_geometry_for_element)                                                        \
    X(rsvg_handle_render_document)                                                                 \
    X(cairo_image_surface_create_for_data)                                                         \
    X(cairo_surface_status)                                                                        \
    X(cairo_create)                                                                                \
    X(cairo_scale)                                                                                 \
    X(cairo_status)                                                                                \
    X(cairo_status_to_string)                                                                      \
    X(cairo_surface_flush)                                                                         \
    X(cairo_surface_destroy)                                                                       \
    X(cairo_destroy)

struct Api {
#define IMPRENTA_SVG_POINTER(name) decltype(&::name) name = nullptr;
    IMPRENTA_SVG_FUNCTIONS(IMPRENTA_SVG_POINTER)
#undef IMPRENTA_SVG_POINTER
    std::string error; // why librsvg cannot be used, if it cannot
};

const Api& api() {
    static const Api a = [] {
        Api out;
        void* lib = dlopen("librsvg-2.so.2", RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
            const char* why = dlerror();
            out.error = std::string("SVG images need librsvg (package librsvg2-2): ") +
                        (why ? why : "cannot load librsvg-2.so.2");
            return out;
        }
#define IMPRENTA_SVG_LOOKUP(name)                                                                  \
    out.name = reinterpret_cast<decltype(out.name)>(dlsym(lib, #name));                            \
    if (!out.name && out.error.empty()) out.error = "librsvg lacks " #name;
        IMPRENTA_SVG_FUNCTIONS(IMPRENTA_SVG_LOOKUP)
#undef IMPRENTA_SVG_LOOKUP
        return out; // the library stays loaded for the life of the process
    }();
    return a;
}

struct GErrorFree {
    void operator()(GError* e) const { api().g_error_free(e); }
};
struct HandleUnref {
    void operator()(RsvgHandle* h) const { api().g_object_unref(h); }
};
struct SurfaceDestroy {
    void operator()(cairo_surface_t* s) const { api().cairo_surface_destroy(s); }
};
struct CairoDestroy {
    void operator()(cairo_t* c) const { api().cairo_destroy(c); }
};
using ErrorPtr = std::unique_ptr<GError, GErrorFree>;
using HandlePtr = std::unique_ptr<RsvgHandle, HandleUnref>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDestroy>;
using CairoPtr = std::unique_ptr<cairo_t, CairoDestroy>;

std::mutex& rsvg_mutex() {
    static std::mutex m;
    return m;
}

[[noreturn]] void fail(const char* what, GError* raw) {
    ErrorPtr err(raw);
    std::string msg = what;
    if (err && err->message && *err->message) {
        msg += ": ";
        msg += std::string(err->message).substr(0, 200);
    }
    throw ImageError(msg);
}

bool positive(double v) {
    return std::isfinite(v) && v > 0;
}

// The viewport the document is laid out in (its own px) and the size it should come out at when
// nothing bounds it.
struct Geometry {
    double view_w = 0, view_h = 0;
    double natural_w = 0, natural_h = 0;
};

Geometry measure(RsvgHandle* h, std::string_view bytes) {
    Geometry g;
    double w = 0, h_px = 0;
    if (api().rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &h_px) && positive(w) &&
        positive(h_px)) {
        g.view_w = g.natural_w = w;
        g.view_h = g.natural_h = h_px;
        return g;
    }
    gboolean has_vb = FALSE;
    RsvgRectangle vb{};
    api().rsvg_handle_get_intrinsic_dimensions(h, nullptr, nullptr, nullptr, nullptr, &has_vb, &vb);
    if (has_vb && positive(vb.width) && positive(vb.height)) {
        // probe_svg also covers one absolute side plus the viewBox's aspect.
        Info info = probe_svg(bytes);
        bool probed = info.width > 0 && info.height > 0;
        g.view_w = g.natural_w = probed ? info.width : vb.width;
        g.view_h = g.natural_h = probed ? info.height : vb.height;
        return g;
    }
    // Neither a size nor a viewBox: lay it out at one px per user unit, over what it draws.
    RsvgRectangle ink{}, logical{};
    GError* raw = nullptr;
    if (!api().rsvg_handle_get_geometry_for_element(h, nullptr, &ink, &logical, &raw))
        fail("SVG cannot be measured", raw);
    double ew = ink.x + ink.width, eh = ink.y + ink.height;
    if (!positive(ew) || !positive(eh) || !positive(ink.width) || !positive(ink.height))
        throw ImageError("SVG has no size (no width/height, no viewBox) and draws nothing");
    g.view_w = ew;
    g.view_h = eh;
    g.natural_w = kDefaultSvgWidth;
    g.natural_h = kDefaultSvgWidth * eh / ew;
    return g;
}

int to_dimension(double v) {
    if (!std::isfinite(v)) return kMaxDimension + 1;
    return int(std::lround(std::clamp(v, 1.0, double(kMaxDimension) + 1)));
}

// Has the kernel map a large buffer's pages in one call before they are first written: a
// cover's 16 MB took 4,096 page faults, 5-10 ms of CPU, and about half that so (Linux 5.14 and
// later; an older kernel refuses the advice and the pages fault in as before).
void populate(void* data, size_t size) {
#ifdef MADV_POPULATE_WRITE
    auto page = uintptr_t(sysconf(_SC_PAGESIZE));
    uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + page - 1) & ~(page - 1);
    uintptr_t end = (reinterpret_cast<uintptr_t>(data) + size) & ~(page - 1);
    if (size >= (size_t(1) << 20) && end > begin)
        madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
#else
    (void)data;
    (void)size;
#endif
}

Argb32 render(std::string_view bytes, int max_w, int max_h) {
    if (bytes.size() > kMaxSvgBytes)
        throw ImageError("SVG is over " + std::to_string(kMaxSvgBytes >> 20) +
                         " MB; too large to rasterise");
    if (bytes.empty()) throw ImageError("empty SVG");
    if (!api().error.empty()) throw ImageError(api().error);
    SurfacePtr surface;
    Argb32 bm;
    int width = 0, height = 0;
    {
        std::lock_guard<std::mutex> lock(rsvg_mutex());
        GError* raw = nullptr;
        // No base file or URI, no flags: libxml2's limits stay on and only data: URLs resolve.
        HandlePtr handle(api().rsvg_handle_new_from_data(
            reinterpret_cast<const guint8*>(bytes.data()), bytes.size(), &raw));
        if (!handle) fail("malformed SVG", raw);
        api().rsvg_handle_set_dpi(handle.get(),
                                  96.0); // CSS px; physical units convert at 96 per inch

        Geometry g = measure(handle.get(), bytes);
        double scale = 1;
        if (max_w > 0 || max_h > 0) {
            scale = HUGE_VAL;
            if (max_w > 0) scale = std::min(scale, max_w / g.natural_w);
            if (max_h > 0) scale = std::min(scale, max_h / g.natural_h);
        }
        width = to_dimension(g.natural_w * scale);
        height = to_dimension(g.natural_h * scale);
        if (max_w > 0) width = std::min(width, max_w);
        if (max_h > 0) height = std::min(height, max_h);
        check_budget(width, height);

        // Cairo draws straight into the bitmap's buffer (ARGB32's stride is width*4): no second
        // 16 MB copy of a cover, and its pages are touched once.
        bm.width = width;
        bm.height = height;
        size_t size = size_t(width) * size_t(height) * 4;
        bm.data.reserve(size);
        populate(bm.data.data(), size);
        bm.data.resize(size);
        surface.reset(api().cairo_image_surface_create_for_data(bm.data.data(), CAIRO_FORMAT_ARGB32,
                                                                width, height, width * 4));
        if (api().cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
            throw ImageError("cannot allocate a " + std::to_string(width) + "x" +
                             std::to_string(height) + " surface for the SVG");
        CairoPtr cr(api().cairo_create(surface.get()));
        api().cairo_scale(cr.get(), width / g.view_w, height / g.view_h);
        RsvgRectangle viewport{0, 0, g.view_w, g.view_h};
        if (!api().rsvg_handle_render_document(handle.get(), cr.get(), &viewport, &raw))
            fail("SVG cannot be rendered", raw);
        if (api().cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
            throw ImageError(std::string("SVG cannot be rendered: ") +
                             api().cairo_status_to_string(api().cairo_status(cr.get())));
    }
    api().cairo_surface_flush(surface.get());
    surface.reset();
    return bm;
}

} // namespace

Bitmap straight_rgba(Argb32 pixels) {
    Bitmap bm;
    bm.width = pixels.width;
    bm.height = pixels.height;
    bm.rgba = std::move(pixels.data);
    size_t width = size_t(bm.width), height = size_t(bm.height);
    // Cairo's ARGB32 is premultiplied, one native-endian uint32 per pixel: made straight RGBA in
    // place, a row at a time. Opaque pixels (most of a drawn cover) only swap bytes, in a loop
    // the compiler vectorises; a row with other pixels then has those divided.
    for (size_t y = 0; y < height; ++y) {
        uint8_t* row = bm.rgba.data() + y * width * 4;
        uint32_t all = 0xFFFFFFFFu;
        for (size_t x = 0; x < width; ++x) {
            uint32_t p;
            std::memcpy(&p, row + x * 4, 4);
            all &= p;
            uint32_t rgba; // the bytes R, G, B, A in memory order
            if constexpr (std::endian::native == std::endian::little)
                rgba = (p & 0xFF00FF00u) | ((p >> 16) & 0xFFu) | ((p & 0xFFu) << 16);
            else
                rgba = (p << 8) | (p >> 24);
            std::memcpy(row + x * 4, &rgba, 4);
        }
        if ((all >> 24) == 0xFF) continue;
        for (size_t x = 0; x < width; ++x) {
            uint8_t* px = row + x * 4;
            uint32_t a = px[3];
            if (a == 255) continue;
            for (int k = 0; k < 3; ++k)
                px[k] = a == 0 ? 0 : uint8_t(std::min<uint32_t>(255, (px[k] * 255 + a / 2) / a));
        }
    }
    return bm;
}

Bitmap rasterize_svg(std::string_view bytes, int max_w, int max_h) {
    if (bytes.size() > kMaxSvgBytes)
        throw ImageError("SVG is over " + std::to_string(kMaxSvgBytes >> 20) +
                         " MB; too large to rasterise");
    // Throws when unsafe. Its output only adds missing namespace declarations, which librsvg
    // needs as much as epubcheck does (without xmlns nothing is an SVG element).
    return straight_rgba(render(sanitize_svg(bytes), max_w, max_h));
}

Argb32 rasterize_svg_argb32(std::string_view bytes, int max_w, int max_h) {
    if (bytes.size() > kMaxSvgBytes)
        throw ImageError("SVG is over " + std::to_string(kMaxSvgBytes >> 20) +
                         " MB; too large to rasterise");
    return render(sanitize_svg(bytes), max_w, max_h);
}

Bitmap render_svg_unchecked(std::string_view bytes, int max_w, int max_h) {
    return straight_rgba(render(bytes, max_w, max_h));
}

} // namespace imprenta::image::detail
