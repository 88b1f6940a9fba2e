// Images that already fit go into the EPUB as they are, less their metadata (a PNG's text and
// time chunks, a JPEG's Exif/XMP and comments), and into the PDF as they are (the JPEG's DCT
// stream, the PNG's own image data); a JPEG that Exif says to rotate is still turned upright,
// and a cut file is still refused by name.
#include "image/codec.h"
#include "support/image_bytes.h"
#include "support/support.h"

#include <gtest/gtest.h>

namespace ts = testing_support;
namespace img = imprenta::image::detail;

namespace {

// An Exif block (big-endian TIFF) with the orientation and a camera model, as phones write.
std::string exif(int orientation) {
    std::string tiff("MM\0\x2a\0\0\0\x08", 8);
    tiff += std::string("\0\x02", 2);                              // two entries
    tiff += std::string("\x01\x10\0\x02\0\0\0\x08\0\0\0\x26", 12); // Model, at 38
    tiff += std::string("\x01\x12\0\x03\0\0\0\x01\0", 9) + char(orientation) + std::string(2, '\0');
    tiff += std::string(4, '\0'); // no next IFD
    tiff += "Telefono";           // 8 bytes at 38
    return std::string("Exif\0\0", 6) + tiff;
}

const char kKeptPng[] = "gAMA";

struct Fixture {
    fs::path book;
    std::string png, png_plain; // the source, and the source without its tEXt/tIME chunks
    std::string jpeg, jpeg_plain, turned;
};

// "El grabado": three essays, a PNG plate with text, time and gamma chunks, a JPEG photograph
// with Exif (orientation 1), XMP and a comment, and a JPEG that Exif says to turn (6).
Fixture make_fixture(const std::string& name) {
    Fixture f;
    f.book = ts::fresh_dir(name);
    ts::write(f.book / "book.toml", "title = \"El grabado\"\nauthor = \"Lucía Prado\"\n"
                                    "language = \"es\"\n");
    std::string png = img::encode_png(ts::textured(420, 260, 7));
    size_t after_ihdr = 8 + 25;
    std::string text = ts::png_chunk("tEXt", std::string("Software\0Tablero 3.1", 20)) +
                       ts::png_chunk("tIME", std::string("\x07\xea\x03\x0e\x0a\x1e\x00", 7));
    std::string gamma = ts::png_chunk(kKeptPng, ts::be32(45455));
    f.png = png.substr(0, after_ihdr) + gamma + text + png.substr(after_ihdr);
    f.png_plain = png.substr(0, after_ihdr) + gamma + png.substr(after_ihdr);

    std::string jpeg = img::encode_jpeg(ts::textured(480, 300, 9), 86);
    size_t after_app0 = 2 + 2 + ((uint8_t(jpeg[4]) << 8) | uint8_t(jpeg[5]));
    EXPECT_EQ(uint8_t(jpeg[3]), 0xE0) << "encode_jpeg writes JFIF first";
    std::string meta =
        ts::jpeg_segment(0xE1, exif(1)) +
        ts::jpeg_segment(0xE1, std::string("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>", 41)) +
        ts::jpeg_segment(0xFE, "tomada en el taller");
    f.jpeg = jpeg.substr(0, after_app0) + meta + jpeg.substr(after_app0);
    f.jpeg_plain = jpeg;
    f.turned =
        jpeg.substr(0, after_app0) + ts::jpeg_segment(0xE1, exif(6)) + jpeg.substr(after_app0);

    ts::write(f.book / "assets/lamina.png", f.png);
    ts::write(f.book / "assets/taller.jpg", f.jpeg);
    ts::write(f.book / "assets/girada.jpg", f.turned);
    const char* essays[][3] = {
        {"La lámina", "lamina.png",
         "La lámina de cobre se entinta, se limpia y pasa bajo el tórculo."},
        {"El taller", "taller.jpg", "En el taller, las planchas esperan en sus cajones."},
        {"La prueba girada", "girada.jpg", "La prueba de estado se mira de lado, contra la luz."},
    };
    for (int i = 0; i < 3; ++i)
        ts::write(f.book / "content" / (std::to_string(i + 1) + ".md"),
                  std::string("---\ntitle: \"") + essays[i][0] + "\"\nweight: " +
                      std::to_string(i + 1) + "\n---\n\n" + essays[i][2] + "\n\n![" + essays[i][0] +
                      "](" + essays[i][1] + ")\n\n" + essays[i][2] + "\n");
    return f;
}

ts::RunResult build(const fs::path& book, const fs::path& out) {
    return ts::run("SOURCE_DATE_EPOCH=1700000000 " + ts::quote(IMPRENTA_BIN) + " build " +
                   ts::quote(book.string()) + " -o " + ts::quote(out.string()) + " -q --no-cache");
}

} // namespace

TEST(ImagePassThrough, FittingImagesShipAsTheyAreLessTheirMetadata) {
    Fixture f = make_fixture("img-passthrough");
    fs::path out = f.book / "out";
    auto r = build(f.book, out);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto entries = ts::read_zip(out / "el-grabado.epub");

    // The PNG: the source less tEXt and tIME, gamma kept, same pixels.
    const ts::ZipEntry* png = ts::find_entry(entries, "EPUB/images/lamina.png");
    ASSERT_NE(png, nullptr);
    EXPECT_TRUE(png->data == f.png_plain) << "the PNG differs from its source by more than chunks";
    EXPECT_EQ(png->data.find("tEXt"), std::string::npos);
    EXPECT_EQ(png->data.find("Tablero"), std::string::npos);
    EXPECT_EQ(png->data.find("tIME"), std::string::npos);
    EXPECT_NE(png->data.find(kKeptPng), std::string::npos);
    EXPECT_EQ(img::decode_png(png->data).rgba, img::decode_png(f.png).rgba);

    // The JPEG: JFIF and scans as they were, no Exif, XMP or comment.
    const ts::ZipEntry* jpeg = ts::find_entry(entries, "EPUB/images/taller.jpg");
    ASSERT_NE(jpeg, nullptr);
    EXPECT_TRUE(jpeg->data == f.jpeg_plain) << "the JPEG differs from its source by more than APPn";
    for (const char* gone : {"Exif", "Telefono", "xmpmeta", "tomada"})
        EXPECT_EQ(jpeg->data.find(gone), std::string::npos) << gone;
    EXPECT_EQ(img::decode_jpeg(jpeg->data).rgba, img::decode_jpeg(f.jpeg).rgba);

    // The turned JPEG is decoded and baked upright: 300 wide, 480 high.
    const ts::ZipEntry* turned = ts::find_entry(entries, "EPUB/images/girada.jpg");
    ASSERT_NE(turned, nullptr);
    img::Bitmap upright = img::decode_jpeg(turned->data);
    EXPECT_EQ(upright.width, 300);
    EXPECT_EQ(upright.height, 480);

    if (ts::have_tool("java")) {
        auto check = ts::epubcheck(out / "el-grabado.epub");
        EXPECT_EQ(check.errors, 0) << check.output;
        EXPECT_EQ(check.warnings, 0) << check.output;
    }

    // The PDF draws all three; the fitting JPEG's stream is the source file itself.
    std::string pdf = ts::slurp(out / "el-grabado.pdf");
    size_t at = pdf.find(f.jpeg);
    ASSERT_NE(at, std::string::npos) << "the JPEG is not in the PDF as is";
    EXPECT_NE(pdf.rfind("/DCTDecode", at), std::string::npos);
    // The PNG's image data (its IDAT chunks joined) is the stream, read with PNG predictors.
    std::string idat;
    for (size_t pos = 8; pos + 12 <= f.png.size();) {
        size_t len = size_t(uint8_t(f.png[pos])) << 24 | size_t(uint8_t(f.png[pos + 1])) << 16 |
                     size_t(uint8_t(f.png[pos + 2])) << 8 | uint8_t(f.png[pos + 3]);
        if (f.png.compare(pos + 4, 4, "IDAT") == 0) idat += f.png.substr(pos + 8, len);
        pos += len + 12;
    }
    ASSERT_FALSE(idat.empty());
    EXPECT_NE(pdf.find(idat), std::string::npos) << "the PNG's image data is not in the PDF as is";
    auto rows = ts::pdfimages(out / "el-grabado.pdf");
    int png_rows = 0, jpeg_rows = 0;
    for (const auto& row : rows) {
        if (row.width == 420 && row.height == 260 && row.encoding == "image") ++png_rows;
        if (row.width == 480 && row.height == 300 && row.encoding == "jpeg") ++jpeg_rows;
    }
    EXPECT_EQ(png_rows, 1);
    EXPECT_EQ(jpeg_rows, 1);
    EXPECT_EQ(rows.size(), 3u);

    // Same bytes on a second run.
    fs::path again = f.book / "again";
    ASSERT_EQ(build(f.book, again).exit_code, 0);
    EXPECT_TRUE(ts::slurp(out / "el-grabado.epub") == ts::slurp(again / "el-grabado.epub"));
    EXPECT_TRUE(ts::slurp(out / "el-grabado.pdf") == ts::slurp(again / "el-grabado.pdf"));
}

TEST(ImagePassThrough, CutPngWithMetadataIsStillRefusedByName) {
    Fixture f = make_fixture("img-passthrough-cut");
    ts::write(f.book / "assets/lamina.png", f.png.substr(0, f.png.size() * 2 / 3));
    fs::path out = f.book / "out";
    auto r = build(f.book, out);
    ASSERT_EQ(r.exit_code, 0) << r.err; // a bad image is left out with a warning
    EXPECT_NE(r.err.find("lamina.png"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("truncated"), std::string::npos) << r.err;
    for (const auto& e : ts::read_zip(out / "el-grabado.epub"))
        EXPECT_EQ(e.name.find("lamina"), std::string::npos) << e.name;
}
