#include "doc/assemble.h"

#include "doc/essay_cache.h"
#include "doc/links.h"
#include "doc/markdown.h"
#include "doc/walk.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/parallel.h"
#include "util/time.h"
#include "util/utf8.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sys/stat.h>

namespace imprenta::doc {

namespace fs = std::filesystem;

namespace {

Inline text_inline(std::string s) {
    return Inline{InlineKind::Text, std::move(s), {}, {}, {}, -1, -1, 0, 0};
}

bool single_line(const std::vector<Inline>& inlines) {
    for (const auto& in : inlines) {
        if (in.kind == InlineKind::SoftBreak || in.kind == InlineKind::LineBreak) return false;
        if (!single_line(in.children)) return false;
    }
    return true;
}

// A file name as a title: "03_la_ballena" -> "03 la ballena"; a section's folder as Hugo
// titles it ("experimental" -> "Experimental").
std::string title_from_file(const fs::path& p) {
    std::string s = p.stem().string();
    if (s.starts_with("_index.") || s.starts_with("index.")) s = s.substr(0, s.find('.'));
    if (s == "_index") return book::section_title(p.parent_path().filename().string());
    if (s == "index") s = p.parent_path().filename().string();
    std::replace(s.begin(), s.end(), '_', ' ');
    return s;
}

// A front-matter title with the body's smart punctuation: curly quotes, dashes, ellipsis.
std::string smart_title(const std::string& t) {
    std::string out;
    auto word = [](char c) { return std::isalnum((unsigned char)c) || (c & 0x80); };
    for (size_t i = 0; i < t.size(); ++i) {
        char c = t[i];
        char prev = i > 0 ? t[i - 1] : ' ';
        char next = i + 1 < t.size() ? t[i + 1] : ' ';
        if (c == '\'') {
            out += word(prev) || !word(next) ? "’" : "‘";
        } else if (c == '"') {
            out += word(prev) || std::ispunct((unsigned char)prev) ? "”" : "“";
        } else if (t.compare(i, 3, "---") == 0) {
            out += "—";
            i += 2;
        } else if (t.compare(i, 2, "--") == 0) {
            out += "–";
            ++i;
        } else if (t.compare(i, 3, "...") == 0) {
            out += "…";
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

bool rtl_language(const std::string& lang) {
    std::string l = util::to_lower(lang.substr(0, lang.find_first_of("-_")));
    static const std::set<std::string> rtl{"ar", "he", "iw",  "fa", "ur", "yi",
                                           "ps", "sd", "ckb", "dv", "ug", "syr"};
    return rtl.count(l) > 0;
}

// The direction of the first letter that has one (Unicode's "first strong character").
std::optional<bool> first_strong_rtl(std::string_view text) {
    for (size_t i = 0; i < text.size();) {
        char32_t c = util::next_code_point(text, i);
        if (c == '<' || c == '{') { // an HTML tag or a shortcode is not text
            size_t end = text.find(c == '<' ? '>' : '}', i);
            if (end == std::string_view::npos) break;
            i = end + 1;
            continue;
        }
        if ((c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) ||
            (c >= 0xFE70 && c <= 0xFEFF))
            return true;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0x24F) ||
            (c >= 0x370 && c <= 0x52F) || (c >= 0x0900 && c <= 0x0DFF) ||
            (c >= 0x3040 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF))
            return false;
    }
    return std::nullopt;
}

// The body's own H1 after a hint, banner or figure at its top: the chapter heading all the
// same, so that the page does not show the title twice.
void take_early_h1(MarkdownResult& md) {
    if (md.has_leading_h1) return;
    for (size_t i = 0; i < md.blocks.size() && i < 4; ++i) {
        const Block& b = md.blocks[i];
        if (b.kind == BlockKind::Heading && b.level == 1) {
            md.leading_h1 = b.inlines;
            md.has_leading_h1 = true;
            md.blocks.erase(md.blocks.begin() + long(i));
            return;
        }
        if (b.kind != BlockKind::Aside && b.kind != BlockKind::Figure &&
            b.kind != BlockKind::Division && b.kind != BlockKind::Details &&
            b.kind != BlockKind::ThematicBreak)
            return;
    }
}

// The title rules: front matter, else an H1 opening the body, else a short single-line first
// paragraph (which then is the heading, not body text), else the file name.
void infer_title(Chapter& ch, const book::Essay& essay, MarkdownResult& md, bool smart) {
    const auto& fm = essay.text.front;
    take_early_h1(md);
    if (md.has_leading_h1) ch.title_inlines = std::move(md.leading_h1);
    if (fm.title && !fm.title->empty()) {
        ch.title = smart ? smart_title(*fm.title) : *fm.title;
        if (ch.title_inlines.empty()) ch.title_inlines = {text_inline(ch.title)};
        return;
    }
    if (!ch.title_inlines.empty()) {
        ch.title = plain_text(ch.title_inlines);
        return;
    }
    if (md.blocks.size() > 1 && md.blocks.front().kind == BlockKind::Paragraph &&
        single_line(md.blocks.front().inlines)) {
        std::string t = plain_text(md.blocks.front().inlines);
        size_t chars = 0;
        for (size_t i = 0; i < t.size();)
            util::next_code_point(t, i), ++chars;
        if (chars > 0 && chars <= 150) {
            ch.title_inlines = std::move(md.blocks.front().inlines);
            md.blocks.erase(md.blocks.begin());
            auto strip_period = [](std::string& s) {
                if (s.size() > 1 && s.back() == '.' && s[s.size() - 2] != '.') s.pop_back();
            };
            strip_period(t);
            if (!ch.title_inlines.empty() && ch.title_inlines.back().kind == InlineKind::Text)
                strip_period(ch.title_inlines.back().text);
            ch.title = t;
            return;
        }
    }
    ch.title = title_from_file(essay.path);
    ch.title_inlines = {text_inline(ch.title)};
}

// Renumbers assets in order of first use (cover, then reading order) so that the asset table,
// and everything named from it, never depends on which thread resolved an image first.
void canonicalize_assets(Book& book) {
    std::vector<int> order;
    std::map<int, int> remap;
    auto use = [&](int& index) {
        if (index < 0) return;
        auto [it, fresh] = remap.emplace(index, int(order.size()));
        if (fresh) order.push_back(index);
        index = it->second;
    };
    use(book.meta.cover);
    // The chapters' image references are found in parallel (the walk visits every inline of the
    // book), then numbered in book order.
    std::vector<std::vector<int*>> refs(book.chapters.size());
    util::parallel_for(book.chapters.size(), [&](size_t i) {
        refs[i].push_back(&book.chapters[i].banner);
        auto visit = [&](Inline& in, int) {
            if (in.kind == InlineKind::Image) refs[i].push_back(&in.asset);
        };
        for_each_inline(book.chapters[i], visit);
    });
    for (const auto& chapter : refs)
        for (int* index : chapter)
            use(*index);
    std::vector<Asset> assets;
    std::set<std::string> names;
    for (int old : order) {
        Asset a = std::move(book.assets[old]);
        std::string stem = util::slugify(a.source.stem().string());
        if (stem.empty()) stem = "image";
        std::string name = stem;
        for (int k = 2; names.count(name); ++k)
            name = stem + "-" + std::to_string(k);
        names.insert(name);
        a.name = name;
        assets.push_back(std::move(a));
    }
    book.assets = std::move(assets);
}

int64_t mtime_of(const fs::path& p) {
    struct stat st;
    return ::stat(p.c_str(), &st) == 0 ? int64_t(st.st_mtime) : 0;
}

// True if a part's page only lists chapters (as a Hugo section index does): what the table of
// contents already says, so the book does not repeat it.
bool only_lists_chapters(const Chapter& part) {
    int links = 0;
    size_t other_text = 0;
    std::function<bool(const std::vector<Inline>&)> has_internal =
        [&](const std::vector<Inline>& v) {
            for (const auto& in : v)
                if ((in.kind == InlineKind::Link && in.target.internal() &&
                     in.target.anchor.empty()) ||
                    has_internal(in.children))
                    return true;
            return false;
        };
    std::function<void(const std::vector<Block>&)> walk = [&](const std::vector<Block>& blocks) {
        for (const auto& b : blocks) {
            if (b.kind == BlockKind::ListItem) {
                bool linked = false;
                std::function<void(const std::vector<Block>&)> any =
                    [&](const std::vector<Block>& bs) {
                        for (const auto& k : bs) {
                            linked = linked || has_internal(k.inlines);
                            any(k.children);
                        }
                    };
                any(b.children);
                if (linked) {
                    ++links;
                    continue;
                }
            }
            if (has_internal(b.inlines)) {
                ++links;
                continue;
            }
            other_text += plain_text(b.inlines).size();
            walk(b.children);
        }
    };
    walk(part.blocks);
    return links >= 2 && other_text < 200;
}

void drop_listing_pages(Book& book) {
    for (auto& ch : book.chapters)
        if (ch.kind == ChapterKind::Part && only_lists_chapters(ch)) ch.blocks.clear();
    // One part holding the whole book (a Hugo section) adds a level and nothing else.
    auto& chs = book.chapters;
    if (!chs.empty() && chs[0].kind == ChapterKind::Part && chs[0].blocks.empty() &&
        std::all_of(chs.begin() + 1, chs.end(), [](const Chapter& c) { return c.depth >= 1; })) {
        // Links that pointed at the dropped page now point at the first chapter.
        auto retarget = [](Inline& in, int) {
            if (in.kind == InlineKind::Link && in.target.chapter >= 0)
                in.target.chapter = std::max(0, in.target.chapter - 1);
        };
        chs.erase(chs.begin());
        for (auto& c : chs) {
            --c.depth;
            for_each_inline(c, retarget);
        }
    }
}

// What every essay's parse in one build shares.
struct EssayParse {
    const book::Config& config;
    const std::string& language; // the book's
    const ShortcodeOptions& shortcodes;
    WarnOnce& once;
    book::AssetResolver& resolver;
    EssayCache* cache;
};

void report(util::Diagnostics& diags, const std::vector<util::Diagnostic>& items) {
    for (const auto& d : items) {
        if (d.severity == util::Severity::Error)
            diags.error(d.pos, d.message);
        else if (d.severity == util::Severity::Note)
            diags.note(d.pos, d.message);
        else
            diags.warning(d.pos, d.message, d.group);
    }
}

// A file a shortcode includes: beside the page, in the site, in static/ or the content folder;
// never outside the book (util::read_book_file).
std::optional<std::string> read_include(const book::Config& config, const std::string& path,
                                        const util::SourcePos& pos, util::Diagnostics& diags) {
    fs::path page_dir = config.root / fs::path(pos.file).parent_path();
    fs::path rel = fs::path(path).relative_path();
    std::vector<fs::path> candidates{page_dir / rel, config.root / rel,
                                     config.root / "static" / rel};
    if (!config.site.content_dir.empty()) candidates.push_back(config.site.content_dir / rel);
    for (const fs::path& c : candidates) {
        std::error_code ec;
        if (!fs::is_regular_file(c, ec)) continue;
        try {
            return util::read_book_file(config.root, c, size_t(4) << 20);
        } catch (const util::BuildError& e) {
            diags.warning(pos, "file to include left out: " + std::string(e.what()));
            return std::nullopt;
        }
    }
    diags.warning(pos, "file to include not found: " + path);
    return std::nullopt;
}

// Every asset index of `ch` through `to` (-1 stays -1).
template <class F> void remap_assets(Chapter& ch, F to) {
    if (ch.banner >= 0) ch.banner = to(ch.banner);
    auto visit = [&](Inline& in, int) {
        if (in.asset >= 0) in.asset = to(in.asset);
    };
    for_each_inline(ch, visit);
}

// One essay's chapter as the Markdown gives it (before ids across the book and links);
// `resolve` gives an image reference its asset index.
template <class Resolve>
void parse_chapter(const EssayParse& bp, const book::Essay& essay, Chapter& ch,
                   util::Diagnostics& diags, const ShortcodeOptions& shortcodes, Resolve resolve) {
    const auto& fm = essay.text.front;
    ch.kind = essay.is_section ? ChapterKind::Part : ChapterKind::Chapter;
    ch.source = essay.display;
    ch.lang = fm.lang.empty() ? bp.language : fm.lang;
    if (!fm.lang.empty()) ch.lang_pos = {essay.display, fm.lang_line, fm.lang_col};
    // Right to left: the chapter's own language says so, else the site's language
    // direction, else its first letter.
    if (!fm.lang.empty())
        ch.rtl = rtl_language(fm.lang);
    else if (bp.config.site.direction == "rtl" || rtl_language(bp.language))
        ch.rtl = true;
    else
        ch.rtl = first_strong_rtl(essay.text.body.substr(0, 4000)).value_or(false);
    ch.description = fm.description;
    ch.depth = essay.depth;
    ch.in_toc = !fm.book_hidden;
    MarkdownInput in;
    in.body = essay.text.body;
    in.first_line = essay.text.body_line;
    in.source = essay.display;
    in.smart = bp.config.smart_punctuation;
    in.diags = &diags;
    in.shortcodes = &shortcodes;
    in.math_inline = &bp.config.site.math_inline;
    in.math_block = &bp.config.site.math_block;
    in.resolve_image = [&](const std::string& src, const util::SourcePos& pos) {
        return resolve(src, pos, true);
    };
    MarkdownResult md = read_markdown(in);
    infer_title(ch, essay, md, bp.config.smart_punctuation);
    ch.blocks = std::move(md.blocks);
    ch.notes = std::move(md.notes);
    std::vector<std::string> used;
    for (const auto& n : ch.notes) {
        used.push_back(n.id);
        used.push_back(n.ref_id);
    }
    assign_heading_ids(ch.blocks, used);
    if (!fm.image.empty()) {
        ch.banner = resolve(fm.image, {essay.display, fm.image_line, fm.image_col}, false);
        ch.banner_alt = fm.image_alt.empty() ? ch.title : fm.image_alt;
    }
}

// A kept parse for this build: its images resolved again, its warnings reported again to `out`.
Chapter replay(const EssayParse& bp, const book::Essay& essay, const ParsedEssay& kept,
               util::Diagnostics& out) {
    std::vector<int> assets;
    fs::path dir = essay.path.parent_path();
    for (const auto& im : kept.images)
        assets.push_back(
            bp.resolver.resolve(im.ref, dir, im.pos, out, im.page_url ? essay.url : std::string()));
    Chapter ch = kept.chapter;
    remap_assets(ch, [&](int i) { return assets[size_t(i)]; });
    report(out, kept.diagnostics);
    return ch;
}

// Reads one essay on a worker thread; its warnings go to `out`, reported in book order later.
Chapter read_chapter(const EssayParse& bp, const book::Essay& essay, util::Diagnostics& out) {
    EssayCache::Key key{};
    if (bp.cache) {
        key = EssayCache::key(bp.config, bp.language, essay);
        if (auto kept = bp.cache->find(key)) return replay(bp, essay, *kept, out);
    }
    // The parse's warnings are collected apart, to be kept with it; an essay that includes a
    // file or shares a warn-once state with the others is parsed again on every build.
    ParsedEssay parsed;
    util::Diagnostics local;
    WarnOnce once(&bp.once);
    bool included = false;
    ShortcodeOptions shortcodes = bp.shortcodes;
    shortcodes.once = &once;
    shortcodes.read_file = [&](const std::string& path, const util::SourcePos& pos) {
        included = true;
        return read_include(bp.config, path, pos, out);
    };
    fs::path dir = essay.path.parent_path();
    std::map<int, int> ordinal; // asset index -> first reference that gave it
    auto resolve = [&](const std::string& src, const util::SourcePos& pos, bool page_url) {
        int asset = bp.resolver.resolve(src, dir, pos, out, page_url ? essay.url : std::string());
        if (asset >= 0) ordinal.emplace(asset, int(parsed.images.size()));
        parsed.images.push_back({src, pos, page_url});
        return asset;
    };
    parse_chapter(bp, essay, parsed.chapter, local, shortcodes, resolve);
    parsed.diagnostics = local.all();
    report(out, parsed.diagnostics);
    if (!bp.cache || included || once.asked()) return std::move(parsed.chapter);
    Chapter ch = parsed.chapter;
    remap_assets(parsed.chapter, [&](int i) { return ordinal.at(i); });
    bp.cache->put(key, std::move(parsed));
    return ch;
}
} // namespace

std::string guess_language(std::string_view text) {
    static const std::set<std::string> es{"de",  "la",  "que",  "el", "en",  "los", "las", "por",
                                          "con", "una", "para", "es", "del", "se",  "lo",  "como"};
    static const std::set<std::string> en{"the", "of",   "and", "to",  "in", "is",  "that", "for",
                                          "it",  "with", "as",  "was", "on", "are", "this", "by"};
    int score_es = 0, score_en = 0;
    std::string word;
    auto flush = [&] {
        if (word.empty()) return;
        auto w = util::to_lower(word);
        score_es += es.count(w);
        score_en += en.count(w);
        word.clear();
    };
    for (char c : text.substr(0, 200000)) {
        if (std::isalpha((unsigned char)c))
            word += c;
        else
            flush();
    }
    flush();
    return score_es > score_en ? "es" : "en";
}

Book assemble_book(const book::Config& config, std::vector<book::Essay> essays,
                   util::Diagnostics& diags, EssayCache* cache) {
    if (essays.empty())
        throw util::BuildError({util::display_path(config.root, config.root)},
                               "the book has no essays (no *.md, *.markdown or *.txt files "
                               "that are not drafts)");
    Book book;
    book.root = config.root;
    book::AssetResolver resolver(config);

    // The book's language: book.toml, else guessed from the text.
    std::string language = config.language;
    if (language.empty()) {
        std::string sample;
        for (const auto& e : essays) {
            sample += e.text.body.substr(0, 20000);
            if (sample.size() > 100000) break;
        }
        language = guess_language(sample);
    }

    // Site shortcodes mapped in book.toml; an include reads a file of the site, never outside.
    WarnOnce once;
    ShortcodeOptions shortcodes;
    shortcodes.mappings = &config.shortcodes;
    shortcodes.once = &once;
    shortcodes.read_file = [&](const std::string& path, const util::SourcePos& pos) {
        return read_include(config, path, pos, diags);
    };

    std::vector<Chapter> chapters(essays.size());
    EssayParse parse{config, language, shortcodes, once, resolver, cache};
    // Each essay's warnings apart, then in book order: the same report whatever the threads.
    std::vector<util::Diagnostics> reported(essays.size());
    auto report_in_order = [&] {
        for (const auto& r : reported)
            report(diags, r.all());
    };
    try {
        util::parallel_for(essays.size(), [&](size_t i) {
            chapters[i] = read_chapter(parse, essays[i], reported[i]);
        });
    } catch (...) {
        report_in_order();
        throw;
    }
    report_in_order();

    // Output names: unique, ASCII, stable.
    std::set<std::string> slugs;
    for (size_t i = 0; i < chapters.size(); ++i) {
        std::string stem = essays[i].path.stem().string();
        if (stem.starts_with("_index.") || stem.starts_with("index."))
            stem = stem.substr(0, stem.find('.'));
        std::string base =
            util::slugify(stem == "_index" || (essays[i].is_bundle && stem.starts_with("index"))
                              ? essays[i].path.parent_path().filename().string()
                              : essays[i].path.stem().string());
        if (base.empty()) base = "chapter";
        if (!(base[0] >= 'a' && base[0] <= 'z')) base = "c" + base;
        std::string slug = base;
        for (int k = 2; slugs.count(slug); ++k)
            slug = base + "-" + std::to_string(k);
        slugs.insert(slug);
        chapters[i].slug = slug;
    }
    book.chapters = std::move(chapters);

    fs::path content_root = essays.front().path.parent_path();
    for (const auto& e : essays)
        if (e.depth == 0 && !e.is_section) content_root = e.path.parent_path();
    resolve_links(book, essays, content_root, config.site, diags, cache);
    drop_listing_pages(book);

    Metadata& m = book.meta;
    m.title = config.title;
    if (m.title.empty()) m.title = title_from_file(config.root / "_index.md");
    m.subtitle = config.subtitle;
    m.authors = config.authors;
    m.language = language;
    if (language == config.language && config.language_line > 0)
        m.language_pos = {util::display_path(config.config_file, config.root), config.language_line,
                          config.language_col};
    m.rtl = config.site.direction == "rtl" || rtl_language(language);
    m.publisher = config.publisher;
    m.description = config.description;
    m.rights = config.rights;
    m.date = config.date;
    m.version = config.version;
    m.toc_depth = config.toc_depth;
    std::string authors_key;
    for (const auto& a : m.authors)
        authors_key += a + "\n";
    m.identifier = config.identifier.empty() ? util::stable_urn_uuid(m.title + "\n" + authors_key)
                                             : config.identifier;
    m.slug = config.slug.empty() ? util::slugify(m.title) : config.slug;
    if (m.slug.empty()) m.slug = "book";
    if (!config.cover.empty()) {
        m.cover =
            resolver.resolve(config.cover, config.root,
                             {util::display_path(config.config_file, config.root), 0, 0}, diags);
    }

    if (auto epoch = util::source_date_epoch()) {
        m.modified = *epoch;
    } else {
        int64_t newest = resolver.newest_mtime();
        for (const auto& e : essays)
            newest = std::max(newest, mtime_of(e.path));
        if (!config.config_file.empty()) newest = std::max(newest, mtime_of(config.config_file));
        m.modified = newest;
    }

    book.assets = resolver.take();
    canonicalize_assets(book);
    return book;
}

} // namespace imprenta::doc
