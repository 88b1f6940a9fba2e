#include "support/support.h"

#include <array>
#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <png.h>
#include <regex>
#include <sstream>
#include <sys/wait.h>
#include <zip.h>

namespace testing_support {

std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) {
        if (c == '\'')
            q += "'\\''";
        else
            q += c;
    }
    return q + "'";
}

RunResult run(const std::string& command) {
    static int counter = 0;
    fs::path dir = fs::path(IMPRENTA_TEST_TMP) / "run";
    fs::create_directories(dir);
    auto stem = dir / (std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::string out_file = stem.string() + ".out", err_file = stem.string() + ".err";
    std::string full =
        "(" + command + ") >" + quote(out_file) + " 2>" + quote(err_file) + " </dev/null";
    int status = std::system(full.c_str());
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(out_file);
    r.err = slurp(err_file);
    fs::remove(out_file);
    fs::remove(err_file);
    return r;
}

RunResult imprenta(const std::string& args) {
    return run(quote(IMPRENTA_BIN) + " " + args);
}

std::string source_dir() {
    return IMPRENTA_SOURCE_DIR;
}
std::string shared_dir() {
    return IMPRENTA_SHARED_DIR;
}
bool have_shared() {
    return fs::is_directory(shared_dir());
}

fs::path fresh_dir(const std::string& name) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string id = info ? std::string(info->test_suite_name()) + "." + info->name() : "none";
    fs::path dir = fs::path(IMPRENTA_TEST_TMP) / id / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

void write(const fs::path& path, const std::string& content) {
    if (path.has_parent_path()) fs::create_directories(path.parent_path());
    std::ofstream f(path, std::ios::binary);
    f << content;
}

std::string slurp(const fs::path& path) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

std::vector<ZipEntry> read_zip(const fs::path& path) {
    std::vector<ZipEntry> entries;
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err);
    if (!z) {
        ADD_FAILURE() << "cannot open zip " << path << " (libzip error " << err << ")";
        return entries;
    }
    zip_int64_t n = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; i < n; ++i) {
        zip_stat_t st;
        zip_stat_index(z, i, 0, &st);
        ZipEntry e;
        e.name = st.name;
        e.compression = st.comp_method;
        e.data.resize(st.size);
        zip_file_t* f = zip_fopen_index(z, i, 0);
        if (f) {
            zip_fread(f, e.data.data(), st.size);
            zip_fclose(f);
        }
        entries.push_back(std::move(e));
    }
    zip_discard(z);
    return entries;
}

const ZipEntry* find_entry(const std::vector<ZipEntry>& entries, const std::string& name) {
    for (const auto& e : entries)
        if (e.name == name) return &e;
    return nullptr;
}

bool have_tool(const std::string& name) {
    return run("command -v " + quote(name)).exit_code == 0;
}

EpubcheckResult epubcheck(const fs::path& epub) {
    EpubcheckResult r;
    auto res = run("java -jar /usr/bin/epubcheck " + quote(epub.string()));
    r.output = res.out + res.err;
    std::smatch m;
    // "Check finished with errors" / "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos"
    std::regex summary(R"(Messages: (\d+) fatals? / (\d+) errors? / (\d+) warnings?)");
    if (std::regex_search(r.output, m, summary)) {
        r.fatals = std::stoi(m[1]);
        r.errors = std::stoi(m[2]);
        r.warnings = std::stoi(m[3]);
    } else if (r.output.find("No errors or warnings detected") != std::string::npos) {
        r.fatals = r.errors = r.warnings = 0;
    }
    return r;
}

std::string pdftotext(const fs::path& pdf, const std::string& extra_args) {
    auto r = run("pdftotext -enc UTF-8 " + extra_args + " " + quote(pdf.string()) + " -");
    return r.out;
}

RunResult qpdf_check(const fs::path& pdf) {
    return run("qpdf --check " + quote(pdf.string()));
}

std::vector<std::pair<std::string, bool>> pdffonts(const fs::path& pdf) {
    std::vector<std::pair<std::string, bool>> fonts;
    auto r = run("pdffonts " + quote(pdf.string()));
    std::istringstream lines(r.out);
    std::string line;
    int n = 0;
    while (std::getline(lines, line)) {
        if (n++ < 2) continue; // header + dashes
        std::istringstream cols(line);
        std::vector<std::string> c;
        std::string w;
        while (cols >> w)
            c.push_back(w);
        // name type [encoding...] emb sub uni object ID: emb is the 5th field from the end
        if (c.size() >= 7) fonts.emplace_back(c[0], c[c.size() - 5] == "yes");
    }
    return fonts;
}

std::vector<PdfImageRow> pdfimages(const fs::path& pdf) {
    std::vector<PdfImageRow> rows;
    auto r = run("pdfimages -list " + quote(pdf.string()));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::istringstream lines(r.out);
    std::string line;
    // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
    for (int n = 0; std::getline(lines, line); ++n) {
        std::istringstream cols(line);
        std::vector<std::string> c;
        for (std::string w; cols >> w;)
            c.push_back(w);
        if (n < 2 || c.size() < 12) continue;
        rows.push_back({std::stoi(c[0]), c[2], std::stoi(c[3]), std::stoi(c[4]), c[8], c[10]});
    }
    return rows;
}

std::string make_png(int width, int height, unsigned rgb, bool alpha) {
    std::string out;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png_create_info_struct(png);
    png_set_write_fn(
        png, &out,
        [](png_structp p, png_bytep data, png_size_t len) {
            static_cast<std::string*>(png_get_io_ptr(p))
                ->append(reinterpret_cast<char*>(data), len);
        },
        nullptr);
    int channels = alpha ? 4 : 3;
    png_set_IHDR(png, info, width, height, 8, alpha ? PNG_COLOR_TYPE_RGBA : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    std::vector<unsigned char> row(width * channels);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            row[x * channels] = (rgb >> 16) & 0xff;
            row[x * channels + 1] = (rgb >> 8) & 0xff;
            row[x * channels + 2] = rgb & 0xff;
            if (alpha) row[x * channels + 3] = (x + y) % 2 ? 255 : 128;
        }
        png_write_row(png, row.data());
    }
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return out;
}

} // namespace testing_support
