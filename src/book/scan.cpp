#include "book/scan.h"

#include "util/fs.h"
#include "util/parallel.h"
#include "util/time.h"
#include "util/utf8.h"

#include <algorithm>
#include <ctime>
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

// "x.pl.md" -> {"x", "pl"} when pl is a declared language; else {"x.y", ""}.
std::pair<std::string, std::string> split_language(const fs::path& p,
                                                   const std::vector<std::string>& languages) {
    std::string stem = p.stem().string();
    auto dot = stem.rfind('.');
    if (dot != std::string::npos && dot > 0) {
        std::string suffix = stem.substr(dot + 1);
        for (const auto& l : languages)
            if (util::to_lower(l) == util::to_lower(suffix)) return {stem.substr(0, dot), l};
    }
    return {stem, ""};
}

std::string sort_title(const Essay& e) {
    if (e.text.front.title) return util::to_lower(*e.text.front.title);
    if (e.is_section) return util::to_lower(section_title(e.path.parent_path().filename()));
    return util::to_lower(e.path.stem().string());
}

// A bare folder of essays is often a repository too: its README, LICENSE and CHANGELOG are
// about the project, not chapters of the book.
bool is_project_file(const fs::path& p) {
    std::string stem = util::to_lower(p.stem().string());
    return stem == "readme" || stem.starts_with("license") || stem.starts_with("licence") ||
           stem.starts_with("changelog");
}

} // namespace

Essay read_essay(const fs::path& path, const fs::path& root, FrontMatterMemo* front_matter) {
    Essay e;
    e.path = path;
    e.display = util::display_path(path, root);
    std::string raw = util::read_file(path, size_t(64) << 20);
    if (auto bad = util::find_invalid_utf8(raw))
        throw BuildError({e.display, util::line_of_offset(raw, *bad), 0},
                         "invalid UTF-8 (byte offset " + std::to_string(*bad) + ")");
    e.text = split_front_matter(raw, e.display, front_matter);
    return e;
}

namespace {

// "2024-03-01" or "2024-03-01T10:00:00Z" in the form util::iso8601_utc gives, to compare as text.
std::string comparable_date(const std::string& d) {
    std::string s = d.substr(0, 19);
    if (s.size() == 10) s += "T00:00:00";
    if (s.size() > 10 && s[10] == ' ') s[10] = 'T';
    return s + "Z";
}

// What Hugo would leave unpublished: drafts, future pages and expired ones.
bool unpublished(const FrontMatter& fm, const SiteConfig& site, const std::string& now) {
    if (fm.draft && !site.drafts) return true;
    if (!site.hugo) return false;
    if (fm.list_never || fm.render_never || fm.headless) return true;
    const std::string& publish = fm.publish_date.empty() ? fm.date : fm.publish_date;
    if (!site.future && publish.size() >= 10 && comparable_date(publish) > now) return true;
    if (!site.expired && fm.expiry_date.size() >= 10 && comparable_date(fm.expiry_date) <= now)
        return true;
    return false;
}

// A URL path segment as Hugo writes it: spaces as hyphens, lower-cased unless told not to.
std::string url_segment(std::string s, const SiteConfig& site) {
    std::replace(s.begin(), s.end(), ' ', '-');
    return site.path_to_lower ? util::to_lower(s) : s;
}

// Every scan_dir call shares these.
struct Scan {
    const fs::path& root;
    const SiteConfig& site;
    util::Diagnostics& diags;
    std::string now;
    size_t count = 0;
    std::set<fs::path> seen;
    FrontMatterMemo* front_matter = nullptr;

    // The file's language, or "" when the file belongs to another edition.
    bool ours(const fs::path& p, std::string& base) const {
        auto [b, lang] = split_language(p, site.languages);
        base = b;
        if (site.lang.empty()) return true;
        if (lang.empty()) lang = site.owns_content_dir ? site.lang : site.default_lang;
        return lang == site.lang;
    }
};

// One entry of a level: either a page or a part (an _index.md page followed by its contents).
struct Entry {
    Essay head;               // the page, or the part's _index.md
    std::vector<Essay> below; // a part's contents, in order
};

void set_url(Essay& e, const std::string& dir_url, const std::string& base, const SiteConfig& s) {
    const auto& fm = e.text.front;
    if (!fm.url.empty()) {
        e.url = (fm.url[0] == '/' ? "" : "/") + fm.url;
        if (e.url.back() != '/' && e.url.find('.', e.url.rfind('/')) == std::string::npos)
            e.url += '/';
        return;
    }
    if (e.is_section || e.is_bundle) {
        e.url = dir_url;
        if (!fm.slug.empty() && dir_url.size() > 1) {
            auto cut = dir_url.rfind('/', dir_url.size() - 2);
            e.url = dir_url.substr(0, cut + 1) + url_segment(fm.slug, s) + "/";
        }
        return;
    }
    e.url = dir_url + url_segment(fm.slug.empty() ? base : fm.slug, s) + "/";
}

std::vector<Essay> scan_dir(Scan& scan, const fs::path& dir, bool within,
                            const std::string& dir_url, int depth, std::optional<Essay>& index) {
    const fs::path& root = scan.root;
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
    std::vector<std::pair<fs::path, std::string>> files; // path, base name without language
    std::vector<fs::path> dirs;
    for (const auto& [child, link] : children) {
        std::error_code e2;
        auto status = fs::status(child, e2);
        if (e2) {
            scan.diags.warning({util::display_path(child, root)}, "skipped: " + e2.message());
            continue;
        }
        if (!(within && !link) && !util::is_within(root, child)) {
            scan.diags.warning({util::display_path(child, root)},
                               "skipped: it points outside the book folder");
            continue;
        }
        std::string base;
        if (fs::is_directory(status)) {
            dirs.push_back(child);
        } else if (fs::is_regular_file(status) && is_essay_file(child)) {
            if (depth == 0 && dir == root && is_project_file(child)) {
                scan.diags.note({util::display_path(child, root)},
                                "not a chapter: README, LICENSE* and CHANGELOG* beside the essays "
                                "of a bare folder are left out (rename the file to make it one)");
                continue;
            }
            if (scan.ours(child, base)) files.emplace_back(child, base);
        } else if (is_essay_file(child)) {
            // Reading a FIFO or a device would block or never end.
            std::string kind = fs::is_fifo(status)             ? "a named pipe (FIFO)"
                               : fs::is_character_file(status) ? "a character device"
                               : fs::is_block_file(status)     ? "a block device"
                               : fs::is_socket(status)         ? "a socket"
                                                               : "a special file";
            scan.diags.warning({util::display_path(child, root)},
                               "skipped: this essay is " + kind + ", not a regular file");
        }
    }
    // A leaf bundle (index.md): one page; the rest of the folder is its resources.
    if (scan.site.hugo) {
        for (const auto& f : files) {
            if (f.second != "index") continue;
            files = {f};
            dirs.clear();
            break;
        }
    }
    for (const auto& child : dirs) {
        std::error_code e2;
        // A folder reached twice (a symlink to a parent or a sibling) is read once.
        if (!scan.seen.insert(fs::canonical(child, e2)).second || e2) {
            scan.diags.warning({util::display_path(child, root)},
                               "skipped: this folder is already part of the book (symlink loop?)");
            continue;
        }
        std::optional<Essay> sub_index;
        std::string sub_url = dir_url + url_segment(child.filename().string(), scan.site) + "/";
        auto below = scan_dir(scan, child, true, sub_url, depth + 1, sub_index);
        if (sub_index && !unpublished(sub_index->text.front, scan.site, scan.now)) {
            entries.push_back({std::move(*sub_index), std::move(below)});
        } else {
            for (auto& e : below)
                loose.push_back(std::move(e));
        }
    }
    scan.count += files.size();
    if (scan.count > kMaxEssays)
        throw BuildError({util::display_path(dir, root)}, "more than 100000 essays");
    // Reading and front matter, in parallel; the order entries are found in does not matter,
    // since reading_order_less is a total order.
    std::vector<Essay> read(files.size());
    util::parallel_for(files.size(), [&](size_t i) {
        read[i] = read_essay(files[i].first, root, scan.front_matter);
    });
    for (size_t i = 0; i < read.size(); ++i) {
        Essay& e = read[i];
        const std::string& base = files[i].second;
        e.is_section = base == "_index";
        e.is_bundle = scan.site.hugo && base == "index";
        set_url(e, dir_url, base, scan.site);
        if (e.is_section) {
            index = std::move(e);
            continue;
        }
        if (unpublished(e.text.front, scan.site, scan.now)) continue;
        entries.push_back({std::move(e), {}});
    }
    for (auto& e : loose)
        entries.push_back({std::move(e), {}});
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return reading_order_less(a.head, b.head);
    });
    // Same weight and same title: only the file path orders them, which the author rarely meant.
    for (size_t i = 1; i < entries.size(); ++i) {
        const Essay &a = entries[i - 1].head, &b = entries[i].head;
        if (a.text.front.weight == b.text.front.weight && sort_title(a) == sort_title(b))
            scan.diags.warning({b.display}, "same weight (" + std::to_string(b.text.front.weight) +
                                                ") and title as " + a.display +
                                                ": ordered by file name; give one another weight");
    }
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

// Pages of this edition's language under `dir` but not under `section` (landing page, posts/).
size_t count_outside(const fs::path& dir, const fs::path& section, const Scan& scan) {
    size_t n = 0;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        if (it->path() == section) {
            it.disable_recursion_pending();
            continue;
        }
        std::string base;
        if (it->is_regular_file(ec) && is_essay_file(it->path()) && scan.ours(it->path(), base))
            ++n;
    }
    return n;
}

} // namespace

std::string section_title(const std::string& folder) {
    static const std::set<std::string> minor{"a",  "an", "and", "as", "at",  "but", "by", "for",
                                             "in", "of", "on",  "or", "the", "to",  "via"};
    std::string out;
    size_t word = 0;
    for (size_t i = 0; i <= folder.size(); ++i) {
        if (i < folder.size() && folder[i] != ' ') continue;
        std::string w = folder.substr(word, i - word);
        if (!w.empty() && (out.empty() || !minor.count(w)) && w[0] >= 'a' && w[0] <= 'z')
            w[0] = char(w[0] - 'a' + 'A');
        out += w;
        if (i < folder.size()) out += ' ';
        word = i + 1;
    }
    return out;
}

bool reading_order_less(const Essay& a, const Essay& b) {
    const auto& fa = a.text.front;
    const auto& fb = b.text.front;
    bool wa = fa.weight != 0, wb = fb.weight != 0;
    if (wa != wb) return wa;
    if (fa.weight != fb.weight) return fa.weight < fb.weight;
    // Hugo's default order next: newest date first, then title, then path.
    if (fa.date != fb.date && !fa.date.empty() && !fb.date.empty())
        return comparable_date(fa.date) > comparable_date(fb.date);
    auto ta = sort_title(a), tb = sort_title(b);
    if (ta != tb) return ta < tb;
    return a.path < b.path;
}

std::vector<Essay> scan_content(const fs::path& content_dir, const fs::path& root,
                                util::Diagnostics& diags, const ScanOptions& options) {
    std::optional<Essay> top_index;
    std::error_code ec;
    util::resolve_input(root, content_dir); // a content folder outside the book is refused whole
    int64_t now = options.site.now;
    if (now == 0) now = util::source_date_epoch().value_or(int64_t(std::time(nullptr)));
    Scan scan{root, options.site, diags, util::iso8601_utc(now), 0, {}, options.front_matter};
    scan.seen.insert(fs::canonical(content_dir, ec));
    // The section's own URL: its path below the site's content folder.
    std::string url = "/";
    if (options.site.hugo && !options.site.content_dir.empty()) {
        auto rel = content_dir.lexically_relative(options.site.content_dir);
        for (const auto& part : rel)
            if (part != "." && !part.empty()) url += url_segment(part.string(), options.site) + "/";
    }
    auto essays =
        scan_dir(scan, content_dir, util::is_within(root, content_dir), url, 0, top_index);
    // The content folder's own _index.md is the book's landing page, not a chapter.
    if (options.outside && options.site.hugo && !options.site.content_dir.empty() &&
        content_dir != options.site.content_dir)
        *options.outside = count_outside(options.site.content_dir, content_dir, scan);
    return essays;
}

} // namespace imprenta::book
