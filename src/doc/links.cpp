#include "doc/links.h"

#include "book/site_paths.h"
#include "doc/markdown.h"
#include "doc/translated_anchors.h"
#include "doc/walk.h"
#include "util/parallel.h"
#include "util/utf8.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>

namespace imprenta::doc {

namespace fs = std::filesystem;

namespace {

bool is_punctuation(char32_t c) {
    return (c >= 0x80 && c <= 0xBF) || c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x206F) ||
           (c >= 0x2190 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
           (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
           (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65) || c == 0x060C ||
           c == 0x061B || c == 0x061F || (c >= 0x066A && c <= 0x066D) || c == 0x06D4 ||
           (c >= 0x1F000 && c <= 0x1FAFF);
}

} // namespace

std::string hugo_heading_id(std::string_view text) {
    // Hugo's default ("github") heading ids: letters and digits lower-cased, space and '-' as
    // '-', '_' kept, everything else dropped; no collapsing of hyphens.
    while (!text.empty() && std::isspace((unsigned char)text.front()))
        text.remove_prefix(1);
    while (!text.empty() && std::isspace((unsigned char)text.back()))
        text.remove_suffix(1);
    std::string out;
    for (size_t i = 0; i < text.size();) {
        char32_t c = util::next_code_point(text, i);
        if (c == ' ' || c == '-')
            out += '-';
        else if (c < 0x80 ? (std::isalnum(int(c)) || c == '_') : !is_punctuation(c))
            util::append_utf8(out, util::to_lower(c));
    }
    return out;
}

namespace {

// Every id of a chapter, and Hugo's id of each heading pointing at the id the book gave it.
void collect_ids(const std::vector<Block>& blocks, std::map<std::string, std::string>& ids) {
    for (const auto& b : blocks) {
        if (!b.id.empty()) {
            ids[b.id] = b.id;
            if (b.kind == BlockKind::Heading)
                ids.emplace(hugo_heading_id(plain_text(b.inlines)), b.id);
        }
        collect_ids(b.children, ids);
    }
}

bool has_scheme(std::string_view url) {
    auto colon = url.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    for (size_t i = 0; i < colon; ++i)
        if (!std::isalpha((unsigned char)url[i]) && url[i] != '+' && url[i] != '-' && url[i] != '.')
            return false;
    return true;
}

// Schemes a reading system can follow (IANA-registered ones that books use).
bool reader_scheme(std::string_view url) {
    std::string scheme = util::to_lower(url.substr(0, url.find(':')));
    static const std::set<std::string> ok{"http", "https", "mailto", "ftp", "tel", "urn",
                                          "data", "news",  "irc",    "geo", "sms", "xmpp"};
    return ok.count(scheme) > 0;
}

// "x.md", "../y.txt": a page file by its name (".md" alone, "..", "x.md/" are not).
bool names_page_file(std::string_view url) {
    std::string_view name = url.substr(url.rfind('/') + 1);
    auto dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || name == "..") return false;
    std::string_view ext = name.substr(dot);
    return ext == ".md" || ext == ".markdown" || ext == ".txt";
}

bool is_page_file(const fs::path& p) {
    return names_page_file(p.native());
}

// A page file as Hugo names it in ref/relref: no extension, no language suffix, and a bundle
// or section by its folder. "docs/x.pl.md" -> "docs/x"; "docs/y/_index.md" -> "docs/y".
fs::path page_key(fs::path p, const book::SiteConfig& site) {
    if (is_page_file(p)) p.replace_extension();
    if (p.has_extension()) {
        std::string suffix = p.extension().string().substr(1);
        for (const auto& l : site.languages)
            if (util::to_lower(l) == util::to_lower(suffix)) p.replace_extension();
    }
    if (p.filename() == "_index" || p.filename() == "index") p = p.parent_path();
    return p.lexically_normal();
}

// The pages of the book, found by URL, by file and by name.
struct PageIndex {
    std::map<std::string, int> by_url;
    // By page_key's text: a normalised path compares equal exactly when its text does.
    std::unordered_map<std::string, int> by_file;
    std::map<std::string, int> by_name; // -2 when two pages share the name
    const book::SiteConfig& site;

    PageIndex(const std::vector<book::Essay>& essays, const book::SiteConfig& s) : site(s) {
        for (size_t i = 0; i < essays.size(); ++i) {
            const auto& e = essays[i];
            if (!e.url.empty()) by_url.emplace(book::url_key(e.url, site), int(i));
            add_title_url(e, int(i));
            fs::path key = page_key(e.path, site);
            by_file.emplace(key.native(), int(i));
            auto name = key.filename().string();
            auto [it, fresh] = by_name.emplace(name, int(i));
            if (!fresh) it->second = -2;
        }
    }
    int url(const std::string& u) const {
        std::string key = book::url_key(u, site);
        auto it = by_url.find(key);
        if (it != by_url.end()) return it->second;
        it = by_title.find(key);
        return it == by_title.end() || it->second < 0 ? -1 : it->second;
    }

    // Translations often link a page by its translated title ("../05-شبکه-بی-درنگ/" for
    // 05-real-time-networking.md titled "شبکه بی درنگ"), with or without the file's number.
    std::map<std::string, int> by_title;
    void add_title_url(const book::Essay& e, int i) {
        if (e.url.size() < 2 || !e.text.front.title || e.text.front.title->empty()) return;
        std::string dir = e.url.substr(0, e.url.rfind('/', e.url.size() - 2) + 1);
        std::string title = *e.text.front.title;
        std::replace(title.begin(), title.end(), ' ', '-');
        std::string stem = e.path.stem().string();
        size_t digits = stem.find_first_not_of("0123456789");
        std::vector<std::string> names{title};
        if (digits > 0 && digits != std::string::npos && stem[digits] == '-')
            names.push_back(stem.substr(0, digits + 1) + title);
        for (const auto& n : names) {
            auto [it, fresh] = by_title.emplace(book::url_key(dir + n, site), i);
            if (!fresh && it->second != i) it->second = -1; // two pages share it: neither
        }
    }
    int file(const fs::path& p) const {
        auto it = by_file.find(page_key(p, site).native());
        return it == by_file.end() ? -1 : it->second;
    }
};

// A ref/relref target as Hugo looks it up: from the content folder when it starts with "/",
// else beside the page, else from the content folder, else by a unique name.
int find_ref(const PageIndex& pages, const fs::path& content, const fs::path& dir,
             std::string path) {
    path = book::percent_decode(path);
    while (path.size() > 1 && path.back() == '/')
        path.pop_back();
    if (path.starts_with("/")) return pages.file(content / path.substr(1));
    if (int t = pages.file(dir / path); t >= 0) return t;
    if (int t = pages.file(content / path); t >= 0) return t;
    if (path.find('/') == std::string::npos) {
        auto it = pages.by_name.find(page_key(path, pages.site).string());
        if (it != pages.by_name.end() && it->second >= 0) return it->second;
    }
    return -1;
}

// A link's path as a file beside the page (or under the content folder when it starts with
// "/"). It reads only the page's folder, so chapters of one folder share its answers.
int find_file(const PageIndex& pages, const fs::path& dir, const fs::path& content_root,
              const std::string& decoded) {
    std::vector<fs::path> bases;
    if (decoded.starts_with("/")) {
        bases.push_back(content_root / decoded.substr(1));
        if (!pages.site.content_dir.empty())
            bases.push_back(pages.site.content_dir / decoded.substr(1));
    } else {
        bases.push_back(dir / decoded);
        // Hugo page URLs are one level deeper than their file.
        bases.push_back(dir.parent_path() / decoded);
    }
    for (const auto& b : bases) {
        fs::path n = b.lexically_normal();
        while (!n.empty() && n.filename().empty())
            n = n.parent_path();
        if (int t = pages.file(n); t >= 0) return t;
        if (!is_page_file(n))
            if (int t = pages.file(fs::path(n.string() + ".md")); t >= 0) return t;
    }
    return -1;
}

// find_file's answers by folder and path, for one build (most links of a book name the same
// few pages from the same folder, and each answer costs a dozen normalised paths).
class FileAnswers {
public:
    FileAnswers(const PageIndex& pages, const fs::path& content_root)
        : pages_(pages), content_root_(content_root) {}
    int find(const fs::path& dir, const std::string& decoded) {
        std::string key = dir.native();
        key += '\0';
        key += decoded;
        {
            std::lock_guard lock(mutex_);
            if (auto it = found_.find(key); it != found_.end()) return it->second;
        }
        int target = find_file(pages_, dir, content_root_, decoded);
        std::lock_guard lock(mutex_);
        found_.emplace(std::move(key), target);
        return target;
    }

private:
    const PageIndex& pages_;
    const fs::path& content_root_;
    std::mutex mutex_;
    std::unordered_map<std::string, int> found_;
};

// A Markdown link's path: a page URL (site path or relative to the page's URL, as a browser
// resolves it), else a file path (beside the page, as hugo-book's BookPortableLinks has it).
int find_link(const PageIndex& pages, const book::Essay& from, FileAnswers& files,
              const std::string& path) {
    std::string page_url = from.url.empty() ? "/" : from.url;
    std::string url = book::resolve_url(page_url, path);
    if (int t = pages.url(url); t >= 0) return t;
    // "../x.md" written against the page's URL.
    if (names_page_file(url)) {
        auto stem = url.substr(0, url.rfind('.'));
        if (int t = pages.url(stem); t >= 0) return t;
    }
    return files.find(from.path.parent_path(), book::percent_decode(path));
}

// A link to another language's page ("/fr/docs/x/", "../../fr/docs/x/"): that edition's web
// address on the site, so a reader can follow it from the book. Empty `web` when the page is not
// in that language's content (or the site has no absolute baseURL: `lang` still names it).
struct OtherEdition {
    std::string lang;
    std::string web;
    bool found = false;
};

bool page_file_exists(const book::SiteLanguage& l, const std::string& rest) {
    fs::path base = l.content_dir / fs::path(book::percent_decode(rest)).relative_path();
    std::string b = base.lexically_normal().string();
    while (!b.empty() && b.back() == '/')
        b.pop_back();
    std::error_code ec;
    for (const std::string& suffix : {std::string(), "." + l.code})
        for (const std::string& tail : {suffix + ".md", "/index" + suffix + ".md",
                                        "/_index" + suffix + ".md", suffix + ".markdown"})
            if (fs::is_regular_file(b + tail, ec)) return true;
    return false;
}

std::optional<OtherEdition> other_edition(const book::SiteConfig& site, const book::Essay& from,
                                          const std::string& path, const std::string& frag) {
    if (site.all_languages.size() < 2) return std::nullopt;
    std::string page_url = site.url_prefix + (from.url.empty() ? "/" : from.url);
    std::string abs = book::resolve_url(page_url, path);
    for (const auto& l : site.all_languages) {
        if (l.code == site.lang || l.url_prefix.empty()) continue;
        if (abs != l.url_prefix && !abs.starts_with(l.url_prefix + "/")) continue;
        OtherEdition o;
        o.lang = l.code;
        o.found = page_file_exists(l, abs.substr(l.url_prefix.size()));
        std::string base = site.base_url;
        while (!base.empty() && base.back() == '/')
            base.pop_back();
        if (o.found && (base.starts_with("https://") || base.starts_with("http://")))
            o.web = base + abs + (frag.empty() ? "" : "#" + frag);
        return o;
    }
    return std::nullopt;
}

// A link to a missing anchor, reported once the whole edition is resolved.
struct MissingAnchor {
    util::SourcePos pos;
    std::string url, frag, target;
};

// Hugo says nothing of a dead fragment: the page opens at its top, and so does the chapter in the
// book. A few are reported one by one; a translation that kept dozens of the source language's
// anchors gets one warning with the count and the first places, not a screenful.
void report_missing_anchors(const std::vector<std::vector<MissingAnchor>>& per_chapter,
                            util::Diagnostics& diags) {
    std::vector<const MissingAnchor*> all;
    for (const auto& list : per_chapter)
        for (const auto& m : list)
            all.push_back(&m);
    constexpr size_t kOneByOne = 3;
    if (all.size() <= kOneByOne) {
        for (const auto* m : all)
            diags.warning(m->pos, "link to a missing anchor: " + m->url + " (no heading '" +
                                      m->frag + "' in " + m->target + ")");
        return;
    }
    std::string first;
    for (size_t k = 0; k < kOneByOne; ++k)
        first += (k ? "; " : "") + util::format_pos(all[k]->pos) + " " + all[k]->url;
    diags.warning(all.front()->pos,
                  std::to_string(all.size()) +
                      " links to missing anchors in this edition (no such heading in the page; "
                      "each opens its chapter at the start, as the site does): " +
                      first + "; ...");
}

} // namespace

void resolve_links(Book& book, const std::vector<book::Essay>& essays, const fs::path& content_root,
                   const book::SiteConfig& site, util::Diagnostics& diags, EssayCache* cache) {
    PageIndex pages(essays, site);
    fs::path content = site.content_dir.empty() ? content_root : site.content_dir;
    std::vector<std::map<std::string, std::string>> ids(book.chapters.size());
    util::parallel_for(book.chapters.size(), [&](size_t i) {
        collect_ids(book.chapters[i].blocks, ids[i]);
        for (const auto& n : book.chapters[i].notes)
            ids[i][n.id] = n.id;
    });
    TranslatedAnchors translated(book, essays, site);
    auto find_anchor = [&](int chapter, const std::string& frag) -> std::string {
        const auto& map = ids[chapter];
        // The fragment as written, then decoded, lower-cased, made an id: each form made only
        // if the one before is not an id (most fragments are).
        if (auto it = map.find(frag); it != map.end()) return it->second;
        std::string decoded = book::percent_decode(frag);
        if (auto it = map.find(decoded); it != map.end()) return it->second;
        if (auto it = map.find(util::to_lower(decoded)); it != map.end()) return it->second;
        if (auto it = map.find(make_id(decoded, "")); it != map.end()) return it->second;
        return site.hugo ? translated.find(chapter, frag) : std::string();
    };
    // Chapters in parallel; their warnings are reported afterwards, in reading order.
    std::vector<std::vector<std::pair<util::SourcePos, std::string>>> warnings(
        book.chapters.size());
    std::vector<std::vector<MissingAnchor>> missing_anchors(book.chapters.size());
    // The costly part of find_link, the file lookup, is kept per folder and path (FileAnswers).
    // Under watch whole answers are kept for the next build of the same pages, by what find_link
    // reads of the page (its URL and folder) and the link's path.
    FileAnswers files(pages, content_root);
    EssayCache::Key pages_key{};
    if (cache) pages_key = EssayCache::pages_key(essays, site, content_root);
    auto find_page = [&](size_t i, const std::string& from, const std::string& path) {
        if (!cache) return find_link(pages, essays[i], files, path);
        std::string key = from + path;
        if (auto kept = cache->find_link(pages_key, key)) return *kept;
        int target = find_link(pages, essays[i], files, path);
        cache->put_link(pages_key, std::move(key), target);
        return target;
    };
    util::parallel_for(book.chapters.size(), [&](size_t i) {
        Chapter& ch = book.chapters[i];
        // What find_link reads of the linking page, once per chapter.
        std::string from = essays[i].url + '\0' + essays[i].path.parent_path().native() + '\0';
        auto visit = [&](Inline& in, int line) {
            if (in.kind != InlineKind::Link || in.target.internal()) return;
            std::string url = in.target.url;
            bool ref = url.starts_with(kRefScheme);
            if (ref) url = url.substr(kRefScheme.size());
            if (!ref && has_scheme(url) && !reader_scheme(url)) {
                // chrome://, about: and the like open nothing in a reading system (and epubcheck
                // warns about them): the link text stays, as text.
                in.target.url.clear();
                return;
            }
            if (url.empty() || (!ref && (has_scheme(url) || url.starts_with("//")))) return;
            util::SourcePos pos{ch.source, in.line > 0 ? in.line : line, in.line > 0 ? in.col : 0};
            auto hash = url.find('#');
            std::string path = url.substr(0, hash);
            std::string frag = hash == std::string::npos ? "" : url.substr(hash + 1);
            path = path.substr(0, path.find('?'));
            int target = path.empty() ? int(i)
                         : ref        ? find_ref(pages, content, essays[i].path.parent_path(), path)
                                      : find_page(i, from, path);
            if (target < 0 && !ref) {
                if (auto other = other_edition(site, essays[i], path, frag)) {
                    if (!other->web.empty()) {
                        in.target.url = other->web; // the other edition, on the web
                        return;
                    }
                    warnings[i].emplace_back(
                        pos, other->found ? "link to the '" + other->lang + "' edition: " + url +
                                                " kept as text (the site's baseURL is not an "
                                                "absolute http(s) address)"
                                          : "link to a missing page of the '" + other->lang +
                                                "' edition: " + url);
                    in.target.url.clear();
                    return;
                }
            }
            if (target < 0) {
                warnings[i].emplace_back(pos, "link to a missing essay: " + url);
                in.target.url.clear(); // rendered as plain text
                return;
            }
            in.target.url.clear();
            in.target.chapter = target;
            if (!frag.empty()) {
                in.target.anchor = find_anchor(target, frag);
                if (in.target.anchor.empty())
                    missing_anchors[i].push_back({pos, url, frag, book.chapters[target].source});
            }
        };
        for_each_inline(ch, visit);
    });
    for (const auto& list : warnings)
        for (const auto& [pos, message] : list)
            diags.warning(pos, message);
    report_missing_anchors(missing_anchors, diags);
}

} // namespace imprenta::doc
