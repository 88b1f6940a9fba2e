// WebP through libwebp: still images (lossy, lossless, alpha) decoded straight into our buffer
// (with libwebp's second thread for the filtering);
// animations through WebPAnimDecoder, first frame only (WebPDecodeRGBA refuses animations).
#include "image/codec.h"

#include <webp/decode.h>
#include <webp/demux.h>

#include <cstring>

namespace imprenta::image::detail {
namespace {

struct AnimDecoder {
    WebPAnimDecoder* dec = nullptr;
    ~AnimDecoder() {
        if (dec) WebPAnimDecoderDelete(dec);
    }
};

Bitmap first_frame(std::string_view bytes) {
    WebPData data{reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()};
    WebPAnimDecoderOptions opts;
    if (!WebPAnimDecoderOptionsInit(&opts)) throw ImageError("WebP decoder version mismatch");
    opts.color_mode = MODE_RGBA;
    opts.use_threads = 0;
    AnimDecoder d;
    d.dec = WebPAnimDecoderNew(&data, &opts);
    if (!d.dec) throw ImageError("corrupt WebP animation");
    WebPAnimInfo info;
    if (!WebPAnimDecoderGetInfo(d.dec, &info)) throw ImageError("corrupt WebP animation");
    check_budget(info.canvas_width, info.canvas_height);
    uint8_t* pixels = nullptr;
    int timestamp = 0;
    if (!WebPAnimDecoderGetNext(d.dec, &pixels, &timestamp) || !pixels)
        throw ImageError("corrupt WebP animation (first frame)");
    Bitmap bm;
    bm.width = int(info.canvas_width);
    bm.height = int(info.canvas_height);
    bm.rgba.assign(pixels, pixels + size_t(bm.width) * bm.height * 4);
    return bm;
}

} // namespace

Bitmap decode_webp(std::string_view bytes) {
    const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
    WebPBitstreamFeatures f;
    VP8StatusCode st = WebPGetFeatures(data, bytes.size(), &f);
    if (st == VP8_STATUS_NOT_ENOUGH_DATA) throw ImageError("truncated WebP");
    if (st != VP8_STATUS_OK) throw ImageError("corrupt WebP (bad header)");
    check_budget(f.width, f.height);
    if (f.has_animation) return first_frame(bytes);

    Bitmap bm;
    bm.width = f.width;
    bm.height = f.height;
    bm.rgba.resize(size_t(bm.width) * bm.height * 4);
    WebPDecoderConfig config;
    if (!WebPInitDecoderConfig(&config)) throw ImageError("WebP decoder version mismatch");
    // A second thread filters rows while the first decodes the next ones; same pixels.
    config.options.use_threads = 1;
    config.output.colorspace = MODE_RGBA;
    config.output.is_external_memory = 1;
    config.output.u.RGBA.rgba = bm.rgba.data();
    config.output.u.RGBA.stride = bm.width * 4;
    config.output.u.RGBA.size = bm.rgba.size();
    st = WebPDecode(data, bytes.size(), &config);
    WebPFreeDecBuffer(&config.output);
    if (st != VP8_STATUS_OK) {
        // Tell a cut-off file from a damaged one: the RIFF header states the full length.
        if (bytes.size() >= 8) {
            uint32_t riff = uint32_t(data[4]) | uint32_t(data[5]) << 8 | uint32_t(data[6]) << 16 |
                            uint32_t(data[7]) << 24;
            if (size_t(riff) + 8 > bytes.size()) throw ImageError("truncated WebP");
        }
        throw ImageError("corrupt WebP (image data)");
    }
    return bm;
}

} // namespace imprenta::image::detail
