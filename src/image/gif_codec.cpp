// GIF through giflib 5: the first frame composited onto a transparent canvas the size of the
// logical screen, honouring the frame's transparent colour index.
#include "image/codec.h"

#include <gif_lib.h>

#include <cstring>

namespace imprenta::image::detail {
namespace {

struct MemSource {
    const unsigned char* data;
    size_t size;
    size_t pos = 0;
};

int read_mem(GifFileType* gif, GifByteType* out, int n) {
    auto* src = static_cast<MemSource*>(gif->UserData);
    size_t want = n < 0 ? 0 : size_t(n);
    size_t got = std::min(want, src->size - src->pos);
    std::memcpy(out, src->data + src->pos, got);
    src->pos += got;
    return int(got);
}

struct GifFile {
    GifFileType* gif = nullptr;
    ~GifFile() {
        int err = 0;
        if (gif) DGifCloseFile(gif, &err);
    }
};

[[noreturn]] void fail(int code) {
    const char* msg = GifErrorString(code);
    std::string m = msg ? msg : "unknown error";
    if (code == D_GIF_ERR_READ_FAILED || code == D_GIF_ERR_EOF_TOO_SOON)
        throw ImageError("truncated GIF");
    throw ImageError("corrupt GIF: " + m);
}

// Skips an extension's data sub-blocks; false on a read error.
bool skip_extension(GifFileType* gif, GifByteType* block) {
    while (block) {
        if (DGifGetExtensionNext(gif, &block) == GIF_ERROR) return false;
    }
    return true;
}

} // namespace

Bitmap decode_gif(std::string_view bytes, bool* animated) {
    MemSource src{reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()};
    GifFile f;
    int err = 0;
    f.gif = DGifOpen(&src, read_mem, &err);
    if (!f.gif) fail(err);
    GifFileType* gif = f.gif;

    int transparent = NO_TRANSPARENT_COLOR;
    Bitmap bm;
    bool have_frame = false;
    if (animated) *animated = false;
    while (true) {
        GifRecordType type;
        if (DGifGetRecordType(gif, &type) == GIF_ERROR) {
            if (have_frame) break; // damage after the first frame does not matter to us
            fail(gif->Error);
        }
        if (type == TERMINATE_RECORD_TYPE) break;
        if (type == EXTENSION_RECORD_TYPE) {
            int code = 0;
            GifByteType* block = nullptr;
            if (DGifGetExtension(gif, &code, &block) == GIF_ERROR) {
                if (have_frame) break;
                fail(gif->Error);
            }
            if (!have_frame && code == GRAPHICS_EXT_FUNC_CODE && block && block[0] >= 4) {
                GraphicsControlBlock gcb;
                if (DGifExtensionToGCB(block[0], block + 1, &gcb) == GIF_OK)
                    transparent = gcb.TransparentColor;
            }
            if (!skip_extension(gif, block)) {
                if (have_frame) break;
                fail(gif->Error);
            }
            continue;
        }
        if (type != IMAGE_DESC_RECORD_TYPE) continue;
        if (have_frame) {
            if (animated) *animated = true;
            break;
        }
        if (DGifGetImageDesc(gif) == GIF_ERROR) fail(gif->Error);
        const GifImageDesc& d = gif->Image;
        int sw = gif->SWidth, sh = gif->SHeight;
        if (sw == 0 || sh == 0) { // some encoders leave the screen size empty
            sw = d.Left + d.Width;
            sh = d.Top + d.Height;
        }
        check_budget(sw, sh);
        check_budget(d.Width, d.Height);
        const ColorMapObject* cmap = d.ColorMap ? d.ColorMap : gif->SColorMap;
        if (!cmap) throw ImageError("corrupt GIF: no colour table");
        bm.width = sw;
        bm.height = sh;
        bm.rgba.assign(size_t(sw) * sh * 4, 0);

        std::vector<GifPixelType> line(size_t(d.Width));
        auto put_row = [&](int row) {
            int y = d.Top + row;
            if (y < 0 || y >= sh) return;
            for (int x = 0; x < d.Width; ++x) {
                int cx = d.Left + x;
                if (cx < 0 || cx >= sw) continue;
                int idx = line[size_t(x)];
                if (idx == transparent) continue;
                uint8_t* px = &bm.rgba[(size_t(y) * sw + cx) * 4];
                if (idx < cmap->ColorCount) {
                    px[0] = cmap->Colors[idx].Red;
                    px[1] = cmap->Colors[idx].Green;
                    px[2] = cmap->Colors[idx].Blue;
                } else {
                    px[0] = px[1] = px[2] = 0; // out-of-palette index: black, as browsers do
                }
                px[3] = 255;
            }
        };
        if (d.Interlace) {
            static const int start[4] = {0, 4, 2, 1}, step[4] = {8, 8, 4, 2};
            for (int pass = 0; pass < 4; ++pass)
                for (int row = start[pass]; row < d.Height; row += step[pass]) {
                    if (DGifGetLine(gif, line.data(), d.Width) == GIF_ERROR) fail(gif->Error);
                    put_row(row);
                }
        } else {
            for (int row = 0; row < d.Height; ++row) {
                if (DGifGetLine(gif, line.data(), d.Width) == GIF_ERROR) fail(gif->Error);
                put_row(row);
            }
        }
        have_frame = true;
        if (!animated) break;
    }
    if (!have_frame) throw ImageError("corrupt GIF: no image");
    return bm;
}

} // namespace imprenta::image::detail
