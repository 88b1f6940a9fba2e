#include "book/scan.h"

#include "util/fs.h"
#include "util/parallel.h"
#include "util/utf8.h"

#include <algorithm>
#include <set>

namespace imprenta::book {

namespace fs = std::filesystem;
using util::BuildError;

namespace {

constexpr int kMaxDepth = 32;
constexpr size_t kMaxEssays = 100000;

bool is_essay_file(const fs::path& p) {
    auto ext = p.extension().string();
    return ext == ".md" || ext == ".markdown" || ext == ".txt";
}

std::string sort_title(const Essay& e) {
    return e.text.front.title ? util::to_lower(*e.text.front.title)
                              : util::to_lower(e.path.stem().string());
}

// A bare folder of essays is often a repository too: its README, LICENSE and CHANGELOG are
// about the project, not chapters of the book.
bool is_project_file(const fs::path& p) {
    std::string stem = util::to_lower(p.stem().string());
    return stem == "readme" || stem.starts_with("license") || stem.starts_with("licence") ||
           stem.starts_with("changelog");
}

} // namespace

Essay read_essay(const fs::path& path, const fs::path& root) {
    Essay e;
    e.path = path;
    e.display = util::display_path(path, root);
    std::string raw = util::read_file(path, size_t(64) << 20);
    if (auto bad = util::find_invalid_utf8(raw))
        throw BuildError({e.display, util::line_of_offset(raw, *bad), 0},
                         "invalid UTF-8 (byte offset " + std::to_string(*bad) + ")");
    e.text = split_front_matter(raw, e.display);
    return e;
}

namespace {

// One entry of a level: either a page or a part (an _index.md page followed by its contents).
struct Entry {
    Essay head;               // the page, or the part's _index.md
    std::vector<Essay> below; // a part's contents, in order
};

// `within`: `dir` is known to lie inside the book folder, so its entries that are not symlinks do
// too (resolving every path costs a readlink per component, thousands for a big book).
std::vector<Essay> scan_dir(const fs::path& dir, bool within, const fs::path& root, int depth,
                            util::Diagnostics& diags, size_t& count, std::optional<Essay>& index,
                            std::set<fs::path>& seen) {
    if (depth > kMaxDepth)
        throw BuildError({util::display_path(dir, root)},
                         "folders nested more than " + std::to_string(kMaxDepth) + " levels deep");
    std::vector<std::pair<fs::path, bool>> children; // path, is a symlink
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        auto name = it->path().filename().string();
        if (name.empty() || name[0] == '.') continue;
        std::error_code e2;
        bool link = it->is_symlink(e2) || e2;
        children.emplace_back(it->path(), link);
    }
    if (ec)
        throw BuildError({util::display_path(dir, root)}, "cannot read folder: " + ec.message());
    std::sort(children.begin(), children.end());

    std::vector<Entry> entries;
    std::vector<Essay> loose; // pages of sub-folders without an _index.md
    std::vector<fs::path> files;
    for (const auto& [child, link] : children) {
        std::error_code e2;
        auto status = fs::status(child, e2);
        if (e2) {
            diags.warning({util::display_path(child, root)}, "skipped: " + e2.message());
            continue;
        }
        if (!(within && !link) && !util::is_within(root, child)) {
            diags.warning({util::display_path(child, root)},
                          "skipped: it points outside the book folder");
            continue;
        }
        if (fs::is_directory(status)) {
            // A folder reached twice (a symlink to a parent or a sibling) is read once.
            if (!seen.insert(fs::canonical(child, e2)).second || e2) {
                diags.warning({util::display_path(child, root)},
                              "skipped: this folder is already part of the book (symlink loop?)");
                continue;
            }
            std::optional<Essay> sub_index;
            auto below = scan_dir(child, true, root, depth + 1, diags, count, sub_index, seen);
            if (sub_index && !sub_index->text.front.draft) {
                entries.push_back({std::move(*sub_index), std::move(below)});
            } else {
                for (auto& e : below)
                    loose.push_back(std::move(e));
            }
        } else if (fs::is_regular_file(status) && is_essay_file(child)) {
            if (depth == 0 && dir == root && is_project_file(child)) {
                diags.note({util::display_path(child, root)},
                           "not a chapter: README, LICENSE* and CHANGELOG* beside the essays of a "
                           "bare folder are left out (rename the file to make it one)");
                continue;
            }
            if (++count > kMaxEssays)
                throw BuildError({util::display_path(dir, root)}, "more than 100000 essays");
            files.push_back(child);
        } else if (is_essay_file(child)) {
            // Reading a FIFO or a device would block or never end.
            std::string kind = fs::is_fifo(status)             ? "a named pipe (FIFO)"
                               : fs::is_character_file(status) ? "a character device"
                               : fs::is_block_file(status)     ? "a block device"
                               : fs::is_socket(status)         ? "a socket"
                                                               : "a special file";
            diags.warning({util::display_path(child, root)},
                          "skipped: this essay is " + kind + ", not a regular file");
        }
    }
    // Reading and front matter, in parallel; the order entries are found in does not matter,
    // since reading_order_less is a total order.
    std::vector<Essay> read(files.size());
    util::parallel_for(files.size(), [&](size_t i) { read[i] = read_essay(files[i], root); });
    for (auto& e : read) {
        if (e.path.stem() == "_index") {
            e.is_section = true;
            index = std::move(e);
            continue;
        }
        if (e.text.front.draft) continue;
        entries.push_back({std::move(e), {}});
    }
    for (auto& e : loose)
        entries.push_back({std::move(e), {}});
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return reading_order_less(a.head, b.head);
    });
    std::vector<Essay> out;
    for (auto& entry : entries) {
        bool part = entry.head.is_section;
        out.push_back(std::move(entry.head));
        for (auto& e : entry.below) {
            if (part) ++e.depth;
            out.push_back(std::move(e));
        }
    }
    return out;
}

} // namespace

bool reading_order_less(const Essay& a, const Essay& b) {
    const auto& fa = a.text.front;
    const auto& fb = b.text.front;
    bool wa = fa.weight != 0, wb = fb.weight != 0;
    if (wa != wb) return wa;
    if (fa.weight != fb.weight) return fa.weight < fb.weight;
    auto ta = sort_title(a), tb = sort_title(b);
    if (ta != tb) return ta < tb;
    return a.path < b.path;
}

std::vector<Essay> scan_content(const fs::path& content_dir, const fs::path& root,
                                util::Diagnostics& diags) {
    size_t count = 0;
    std::optional<Essay> top_index;
    std::error_code ec;
    util::resolve_input(root, content_dir); // a content folder outside the book is refused whole
    std::set<fs::path> seen{fs::canonical(content_dir, ec)};
    auto essays = scan_dir(content_dir, util::is_within(root, content_dir), root, 0, diags, count,
                           top_index, seen);
    // The content folder's own _index.md is the book's landing page, not a chapter.
    return essays;
}

} // namespace imprenta::book
