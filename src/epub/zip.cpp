#include "epub/zip.h"

#include "util/diag.h"
#include "util/time.h"

#include <zip.h>

namespace imprenta::epub {

void ZipWriter::Discard::operator()(zip* z) const {
    zip_discard(z);
}

ZipWriter::ZipWriter(std::filesystem::path path, int64_t modified, std::string report_as)
    : path_(std::move(path)), report_as_(std::move(report_as)) {
    auto t = util::dos_time_utc(modified);
    dos_time_ = t.time;
    dos_date_ = t.date;
    int code = 0;
    zip_t* z = zip_open(path_.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
    if (!z) {
        zip_error_t err;
        zip_error_init_with_code(&err, code);
        std::string message = zip_error_strerror(&err);
        zip_error_fini(&err);
        throw util::BuildError({report_as_}, "cannot create the EPUB: " + message);
    }
    zip_.reset(z);
}

ZipWriter::~ZipWriter() = default;

void ZipWriter::add(const std::string& name, std::string data, Method method) {
    auto fail = [&](const char* what) {
        throw util::BuildError({report_as_}, std::string("cannot ") + what + " '" + name +
                                                 "' to the EPUB: " + zip_strerror(zip_.get()));
    };
    const std::string& buffer = buffers_.emplace_back(std::move(data));
    zip_source_t* source = zip_source_buffer(zip_.get(), buffer.data(), buffer.size(), 0);
    if (!source) fail("add");
    zip_int64_t index = zip_file_add(zip_.get(), name.c_str(), source, ZIP_FL_ENC_GUESS);
    if (index < 0) {
        zip_source_free(source);
        fail("add");
    }
    auto i = static_cast<zip_uint64_t>(index);
    if (zip_set_file_compression(zip_.get(), i,
                                 method == Method::Store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0) < 0 ||
        // The wall clock would go in otherwise; set_mtime would go through the local time zone.
        zip_file_set_dostime(zip_.get(), i, dos_time_, dos_date_, 0) < 0 ||
        // Buffer sources default to 0666; a plain readable file on any unpacker.
        zip_file_set_external_attributes(zip_.get(), i, 0, ZIP_OPSYS_UNIX, 0100644u << 16) < 0)
        fail("set attributes of");
}

void ZipWriter::close() {
    if (zip_close(zip_.get()) < 0)
        throw util::BuildError({report_as_},
                               std::string("cannot write the EPUB: ") + zip_strerror(zip_.get()));
    (void)zip_.release(); // zip_close freed it
    buffers_.clear();
}

} // namespace imprenta::epub
