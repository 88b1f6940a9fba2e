// Objects::save: libharu's save through a buffer of ours (see haru_objects.h).
#include "pdf/haru_objects.h"

#include <hpdf_doc.h>
#include <hpdf_streams.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

namespace imprenta::pdf::haru {

namespace {

// Where save() sends the document: a file, in writes of a megabyte.
class FileSink {
public:
    explicit FileSink(int fd) : fd_(fd), buffer_(kSize) {}

    // libharu's writes: mostly a few bytes each (an object number, a key), ~130,000 of them
    // for 40 essays.
    bool append(const char* p, size_t n) {
        if (n > kSize - used_) {
            if (!flush()) return false;
            if (n > kSize) return write_all(p, n); // a long text body, as it is
        }
        std::memcpy(buffer_.data() + used_, p, n);
        used_ += n;
        return true;
    }

    bool flush() {
        bool ok = write_all(buffer_.data(), used_);
        used_ = 0;
        return ok;
    }

private:
    static constexpr size_t kSize = size_t(1) << 20;
    int fd_;
    std::vector<char> buffer_;
    size_t used_ = 0;
    off_t written_ = 0;

    bool write_all(const char* p, size_t n) {
        if (n == 0) return true;
        for (size_t done = 0; done < n;) {
            ssize_t k = ::write(fd_, p + done, n - done);
            if (k < 0 && errno == EINTR) continue;
            if (k <= 0) return false;
            done += size_t(k);
        }
        // The disk starts on each megabyte while the rest is made: the build's fsync before
        // the file is renamed into place then waits for little (a 3 MB file: 2.7 -> 0.4 ms).
        ::sync_file_range(fd_, written_, off_t(n), SYNC_FILE_RANGE_WRITE);
        written_ += off_t(n);
        return true;
    }
};

HPDF_STATUS write_to_sink(HPDF_Stream stream, const HPDF_BYTE* ptr, HPDF_UINT size) {
    auto* sink = static_cast<FileSink*>(stream->attr);
    if (!sink->append(reinterpret_cast<const char*>(ptr), size))
        return HPDF_SetError(stream->error, HPDF_FILE_IO_ERROR, HPDF_STATUS(errno));
    return HPDF_OK;
}

} // namespace

void Objects::save(const char* path) {
    int fd = ::open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        HPDF_RaiseError(&doc_->error, HPDF_FILE_OPEN_ERROR, HPDF_STATUS(errno));
        return;
    }
    FileSink sink(fd);
    HPDF_Stream stream = HPDF_CallbackWriter_New(doc_->mmgr, write_to_sink, &sink);
    if (stream) {
        HPDF_Stream kept = doc_->stream; // HPDF_SaveToStream writes to the document's stream
        doc_->stream = stream;
        HPDF_SaveToStream(doc_);
        doc_->stream = kept;
        HPDF_Stream_Free(stream);
    }
    bool written = stream && sink.flush();
    int err = errno;
    if (::close(fd) != 0 && written) {
        written = false;
        err = errno;
    }
    if (doc_->error.error_no != HPDF_OK)
        HPDF_CheckError(&doc_->error); // the handler hears of it, as from HPDF_SaveToFile
    else if (!written)
        HPDF_RaiseError(&doc_->error, HPDF_FILE_IO_ERROR, HPDF_STATUS(err));
}

} // namespace imprenta::pdf::haru
