// A cover for books that name none (book.toml `cover`): stores and readers want one.
#pragma once
#include "epub/plan.h"
#include "image/prepare.h"
#include "render/cover_art.h"
#include "render/memo.h"

#include <exception>
#include <optional>
#include <string>
#include <thread>

namespace imprenta::epub {

// The drawn cover as an image of the EPUB (images/cover.png), on the first banner the chapters
// show if any, drawn on a thread of its own from construction on: 4 million pixels rasterised
// and encoded take longer than any chapter and need nothing the chapters make, so they overlap
// the rest of the EPUB until the zip is written.
class CoverDrawing {
public:
    // Starts drawing `book`'s cover titled `title` (the EPUB's title) on the cover template
    // `tmpl`; `policy` and `cache` prepare the banner as the EPUB does (the same bytes).
    CoverDrawing(const doc::Book& book, std::string title, std::string tmpl,
                 const image::EpubPolicy& policy, const image::Cache* cache, render::Memo* memo);
    ~CoverDrawing(); // waits for the thread
    CoverDrawing(const CoverDrawing&) = delete;
    CoverDrawing& operator=(const CoverDrawing&) = delete;

    // Waits for the drawing. Returns the PNG, or sets `error` (why librsvg could not draw it)
    // and returns nullopt; rethrows anything else the drawing threw. Its name and id in the
    // EPUB are the plan's (images/cover.png, taken before it is drawn).
    std::optional<std::string> take(std::string& error);

private:
    void draw() noexcept;

    const doc::Book& book_;
    std::string title_, tmpl_;
    image::EpubPolicy policy_;
    const image::Cache* cache_;
    render::Memo* memo_;
    std::optional<std::string> png_;
    std::string error_;
    std::exception_ptr failure_;
    std::thread thread_; // last: starts once everything above is set
};

} // namespace imprenta::epub
