// A cover for books that name none (book.toml `cover`): stores and readers want one.
#pragma once
#include "epub/plan.h"
#include "image/prepare.h"
#include "render/cover_art.h"
#include "render/memo.h"

#include <exception>
#include <optional>
#include <string>

namespace imprenta::epub {

// The drawn cover as an image of the EPUB (images/cover.png), on the first banner the chapters
// show if any. 4 million pixels rasterised and encoded take longer than any chapter and need
// nothing the chapters make: write_epub draws it as the first job beside them, so it has a core
// to itself from the start (on a thread of its own it shared one with a chapter's and finished
// last).
class CoverDrawing {
public:
    // `book`'s cover titled `title` (the EPUB's title) on the cover template `tmpl`; `policy`
    // and `cache` prepare the banner as the EPUB does (the same bytes).
    CoverDrawing(const doc::Book& book, std::string title, std::string tmpl,
                 const image::EpubPolicy& policy, const image::Cache* cache, render::Memo* memo);
    CoverDrawing(const CoverDrawing&) = delete;
    CoverDrawing& operator=(const CoverDrawing&) = delete;

    // Draws it; what goes wrong is kept for take().
    void draw() noexcept;

    // After draw(): the PNG, or nullopt with `error` set (why librsvg could not draw it);
    // rethrows anything else the drawing threw. Its name and id in the EPUB are the plan's
    // (images/cover.png, taken before it is drawn).
    std::optional<std::string> take(std::string& error);

private:
    const doc::Book& book_;
    std::string title_, tmpl_;
    image::EpubPolicy policy_;
    const image::Cache* cache_;
    render::Memo* memo_;
    std::optional<std::string> png_;
    std::string error_;
    std::exception_ptr failure_;
};

} // namespace imprenta::epub
