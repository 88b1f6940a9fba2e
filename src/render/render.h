// The contract between the build and an output format (mdBook's Renderer, pandoc's writers): the
// book's IR goes in, one file comes out. The CLI iterates over a Registry of them; EPUB and PDF are
// two entries (epub::make_renderer, pdf::make_renderer), and a new format is one more.
#pragma once
#include "book/config.h"
#include "doc/ir.h"
#include "image/prepare.h"
#include "render/memo.h"
#include "util/diag.h"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <typeindex>
#include <vector>

namespace imprenta::render {

// What renderers leave for later renderers of the same book, one value per type: the PDF
// renderer puts a PageMap, a renderer registered after it can read it. Explicit and typed, so
// nothing travels through globals.
class Handoff {
public:
    template <class T> void put(T value) {
        items_[std::type_index(typeid(T))] = std::make_shared<const T>(std::move(value));
    }
    // Null when no earlier renderer produced a T for this book (e.g. the PDF was not asked for).
    template <class T> const T* get() const {
        auto it = items_.find(std::type_index(typeid(T)));
        return it == items_.end() ? nullptr : static_cast<const T*>(it->second.get());
    }

private:
    std::map<std::type_index, std::shared_ptr<const void>> items_;
};

// What a renderer gets to produce its file for one book.
struct Output {
    // Where to write: a temporary file in the output folder. The build renames it into place
    // together with every other output when all of them succeeded (util::OutputFolder).
    std::filesystem::path path;
    std::filesystem::path target; // the file the user will see, for messages
    util::Diagnostics& diags;
    const image::Cache* cache = nullptr; // transcoded images, shared by all renderers
    Handoff& handoff;                    // what earlier renderers made of this book
    // What earlier builds of this book made (watch), for per-chapter reuse; null for one build.
    Memo* memo = nullptr;
    // Set by the build when it may start the next renderer early: the renderer calls it (on its
    // own thread, at most once) when it has put in the handoff everything it will put and will
    // report no more diagnostics, so that only writing its own file is left.
    std::function<void()> handed_off;
    // Set when nothing after this renderer reads the book's blocks (it is the last, in a one-time
    // build of a large book): a renderer calls it with a chapter (note -1) or one of its notes
    // once it has read those blocks for the last time, and they are freed (doc::release_blocks).
    // Titles, notes' labels and ids, metadata and assets stay. Calls for different chapters may
    // come from different threads at once.
    std::function<void(size_t chapter, int note)> done_with_blocks;
};

class Renderer {
public:
    virtual ~Renderer() = default;
    // The word --format takes ("epub").
    virtual std::string name() const = 0;
    // The output file's extension, without the dot: <slug>.<extension>.
    virtual std::string extension() const = 0;
    // The output file's name for a book of this slug.
    virtual std::string file_name(const std::string& slug) const {
        return slug + "." + extension();
    }
    // What the progress line says while it runs ("typesetting the PDF").
    virtual std::string activity() const { return "writing the " + name(); }
    // Work that needs only book.toml, started as soon as it is read so that it overlaps reading
    // the essays (the PDF loads its fonts). Called once per build, before configure.
    virtual void prepare(const book::Config& config) { (void)config; }
    // Its options from book.toml (the [pdf] table for the PDF); called once, before any render.
    // Throws util::BuildError for options it cannot use.
    virtual void configure(const book::Config& config) { (void)config; }
    // Writes `book` to out.path. Throws util::BuildError; a failure leaves no output in place.
    virtual void render(const doc::Book& book, Output& out) = 0;
};

// The renderers a build can run, in the order they run: one that reads another's hand-off must be
// added after it.
class Registry {
public:
    // `by_default`: built when --format is not given.
    void add(std::unique_ptr<Renderer> renderer, bool by_default = true);
    Renderer* find(std::string_view name) const;
    // In registration order.
    const std::vector<std::unique_ptr<Renderer>>& renderers() const { return renderers_; }
    bool by_default(const Renderer& r) const;
    // "pdf, epub, cover", for messages.
    std::string names() const;

private:
    std::vector<std::unique_ptr<Renderer>> renderers_;
    std::vector<bool> by_default_;
};

} // namespace imprenta::render
