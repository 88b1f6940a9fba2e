#!/usr/bin/env python3
"""Converts a bench book (bench/gen_book.py) into one Typst document, for the Typst row of run.sh.

    md_to_typst.py BOOK_DIR OUT.typ [--pandoc PANDOC] [--jobs N]

Each essay's front matter (YAML `---` or TOML `+++`) is read here; its body goes through
`pandoc -f gfm -t json` (pandoc 2.17 has no Typst writer) and the AST is written as Typst markup.
The document is set as imprenta sets the same book by default, so that the two PDFs are
comparable: A5, imprenta's margins, 10.5 pt TeX Gyre Pagella with 1.3 leading, justified and
hyphenated in the book's language, a title page and a contents page numbered in roman, each
essay on a right-hand page under its banner, running heads and folios, footnotes at the page
foot, links between essays as internal links. Image paths are written relative to OUT's folder,
so Typst's project root must contain both (run.sh uses its work folder).

Not timed by run.sh: only Typst's compile of OUT is. Standard library and pandoc only.
"""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tomllib

sys.dont_write_bytecode = True  # no __pycache__ beside gen_book.py in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_book import slug  # noqa: E402  imprenta's heading ids, which the essays link to

# ---- escaping ----------------------------------------------------------------------------------

# Every character that means something somewhere in Typst markup: `\`, code (#), emphasis (* _),
# raw (`), math ($), labels and references (< > @), content blocks ([ ]), shorthands (~ - ... ),
# comments and URLs (/ :), smart quotes (' "), headings and lists at a line start (= + -), term
# lists (/ :). Escaped, each is itself.
_SPECIAL = re.compile(r"""[\\#*_`$<>@\[\]~/:'"=+\-]|(?<=\d)\.|\.(?=\.)""")


def esc(text):
    return _SPECIAL.sub(lambda m: "\\" + m.group(0), text)


def string(text):
    """A Typst string literal."""
    out = ['"']
    for ch in text:
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20:
            out.append("\\u{%x}" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def label_name(stem, anchor=None):
    name = re.sub(r"[^A-Za-z0-9_.-]", "-", stem)
    return name + (":" + anchor if anchor else "")


# ---- front matter and metadata -----------------------------------------------------------------


def split_front_matter(text, path):
    """(dict of scalar fields, body): YAML `---` or TOML `+++`, flat keys only (what
    gen_book.py writes); anything else is an error naming the file."""
    lines = text.split("\n")
    if not lines or lines[0].strip() not in ("---", "+++"):
        return {}, text
    fence = lines[0].strip()
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == fence)
    except StopIteration:
        sys.exit("%s:1:1: error: front matter opened with %s is never closed" % (path, fence))
    block = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1:])
    if fence == "+++":
        try:
            return tomllib.loads(block), body
        except tomllib.TOMLDecodeError as e:
            sys.exit("%s: error: TOML front matter: %s" % (path, e))
    fields = {}
    for n, line in enumerate(lines[1:end], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = re.match(r"^([A-Za-z_][\w-]*):\s*(.*?)\s*$", line)
        if not m:
            sys.exit("%s:%d:1: error: front matter line not understood: %s" % (path, n, line))
        key, value = m.groups()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1].replace('\\"', '"')
        elif re.fullmatch(r"-?\d+", value):
            value = int(value)
        fields[key] = value
    return fields, body


class Essay:
    def __init__(self, book, path):
        self.path = path
        self.stem = os.path.splitext(os.path.basename(path))[0]
        with open(path, encoding="utf-8") as f:
            self.meta, self.body = split_front_matter(f.read(), path)
        self.title = str(self.meta.get("title") or self.stem)
        self.weight = int(self.meta.get("weight") or 0)
        self.image = None
        if self.meta.get("image"):
            self.image = find_image(book, os.path.dirname(path), str(self.meta["image"]))
        self.ast = None
        self.ids = set()  # its headings' ids, collected before any is written (links go both ways)
        self.labelled = set()  # the ids given a Typst label so far (the first of a repeated id)


def find_image(book, here, target):
    """An image path as imprenta resolves it: beside the essay, else under the book's assets/."""
    for base in (here, os.path.join(book, "assets"), book):
        p = os.path.normpath(os.path.join(base, target))
        if os.path.isfile(p):
            return p
    sys.exit("%s: error: image not found: %s" % (here, target))


def pandoc_ast(pandoc, body):
    r = subprocess.run([pandoc, "-f", "gfm", "-t", "json"], input=body.encode("utf-8"),
                       capture_output=True, check=False)
    if r.returncode != 0:
        raise RuntimeError(r.stderr.decode("utf-8", "replace"))
    return json.loads(r.stdout)["blocks"]


# ---- AST -> Typst ------------------------------------------------------------------------------


def stringify(inlines):
    out = []
    for x in inlines:
        t, c = x["t"], x.get("c")
        if t == "Str":
            out.append(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif t == "Code":
            out.append(c[1])
        elif t in ("Emph", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps",
                   "Underline"):
            out.append(stringify(c))
        elif t in ("Link", "Image", "Span"):
            out.append(stringify(c[1]))
        elif t == "Quoted":
            out.append(stringify(c[1]))
    return "".join(out)


class Converter:
    def __init__(self, book, out_dir, essays):
        self.book = book
        self.out_dir = out_dir
        self.essays = essays
        self.by_file = {os.path.basename(e.path): e for e in essays}
        self.essay = None
        self.unresolved = 0

    def rel(self, path):
        return os.path.relpath(path, self.out_dir)

    # -- inlines
    def inlines(self, xs):
        return "".join(self.inline(x) for x in xs)

    def inline(self, x):
        t, c = x["t"], x.get("c")
        if t == "Str":
            return esc(c)
        if t in ("Space", "SoftBreak"):
            return " "
        if t == "LineBreak":
            return "#linebreak();"
        wrap = {"Emph": "emph", "Strong": "strong", "Strikeout": "strike", "Underline":
                "underline", "Superscript": "super", "Subscript": "sub", "SmallCaps": "smallcaps"}
        if t in wrap:
            return "#%s[%s];" % (wrap[t], self.inlines(c))
        if t == "Code":
            return "#raw(%s);" % string(c[1])
        if t == "Link":
            return self.link(c[1], c[2][0])
        if t == "Image":
            path = find_image(self.book, os.path.dirname(self.essay.path), c[2][0])
            return "#box(image(%s, alt: %s));" % (string(self.rel(path)), string(stringify(c[1])))
        if t == "Note":
            return "#footnote[%s];" % self.blocks(c, tight=len(c) == 1)
        if t == "Quoted":
            q = "“%s”" if c[0]["t"] == "DoubleQuote" else "‘%s’"
            return q % self.inlines(c[1])
        if t == "Span":
            return self.inlines(c[1])
        if t == "Math":
            return "#raw(%s);" % string(c[1])  # gfm has no math: never reached on the bench book
        if t == "RawInline":
            return "#linebreak();" if re.fullmatch(r"<br\s*/?>", c[1], re.I) else ""
        if t == "Cite":
            return ""
        raise ValueError("unhandled inline %s" % t)

    def link(self, text, url):
        m = re.fullmatch(r"([^/:#?]+\.md)?(?:#(.+))?", url)
        if m and (m.group(1) or m.group(2)):
            target = self.by_file.get(m.group(1)) if m.group(1) else self.essay
            anchor = m.group(2)
            if target and (anchor is None or anchor in target.ids):
                lbl = label_name(target.stem, anchor)
                return "#link(<%s>)[%s];" % (lbl, self.inlines(text))
            self.unresolved += 1
            return self.inlines(text)
        return "#link(%s)[%s];" % (string(url), self.inlines(text))

    # -- blocks
    def blocks(self, bs, tight=False):
        parts = [self.block(b) for b in bs]
        return ("\n" if tight else "\n\n").join(p for p in parts if p)

    def block(self, b):
        t, c = b["t"], b.get("c")
        if t in ("Para", "Plain"):
            return self.inlines(c)
        if t == "Header":
            level, inl = c[0], c[2]
            anchor = slug(stringify(inl))
            lbl = ""
            if anchor not in self.essay.labelled:
                self.essay.labelled.add(anchor)
                lbl = " <%s>" % label_name(self.essay.stem, anchor)
            # The essay's title is level 1; its `##` and `###` come below it.
            return "%s %s%s" % ("=" * min(level, 5), self.inlines(inl), lbl)
        if t == "CodeBlock":
            lang = c[0][1][0] if c[0][1] else None
            args = ", lang: %s" % string(lang) if lang else ""
            return "#raw(block: true%s, %s)" % (args, string(c[1].rstrip("\n")))
        if t == "BlockQuote":
            return "#quote(block: true)[\n%s\n]" % self.blocks(c)
        if t == "BulletList":
            return self.items("list", "", c)
        if t == "OrderedList":
            start, style, delim = c[0][0], c[0][1]["t"], c[0][2]["t"]
            num = {"LowerAlpha": "a", "UpperAlpha": "A", "LowerRoman": "i",
                   "UpperRoman": "I"}.get(style, "1")
            num += {"OneParen": ")", "TwoParens": ")"}.get(delim, ".")
            if delim == "TwoParens":
                num = "(" + num
            return self.items("enum", "start: %d, numbering: %s, " % (start, string(num)), c[1])
        if t == "Table":
            return self.table(c)
        if t == "HorizontalRule":
            return "#align(center, line(length: 30%, stroke: 0.4pt))"
        if t == "Div":
            return self.blocks(c[1])
        if t == "LineBlock":
            return " #linebreak();".join(self.inlines(line) for line in c)
        if t == "DefinitionList":
            items = ["terms.item[%s][%s]" % (self.inlines(term), self.blocks(
                [b for d in defs for b in d])) for term, defs in c]
            return "#terms(%s)" % ", ".join(items)
        if t in ("RawBlock", "Null"):
            return ""
        raise ValueError("unhandled block %s" % t)

    def items(self, fn, args, items):
        tight = all(not b or b[0]["t"] == "Plain" for b in items)
        body = ",\n".join("  [%s]" % self.blocks(i, tight=tight) for i in items)
        return "#%s(%stight: %s,\n%s)" % (fn, args, "true" if tight else "false", body)

    def table(self, c):
        colspecs, head, bodies = c[2], c[3], c[4]
        align = {"AlignLeft": "left", "AlignRight": "right", "AlignCenter": "center"}
        aligns = [align.get(spec[0]["t"], "left") for spec in colspecs]

        def cells(row):
            return ", ".join("[%s]" % self.blocks(cell[4], tight=True) for cell in row[1])

        out = ["#table(columns: %d, align: (%s,), stroke: none," % (len(colspecs),
                                                                    ", ".join(aligns))]
        head_rows = head[1]
        if head_rows:
            out.append("  table.hline(stroke: 0.6pt),")
            out.append("  table.header(%s)," % ", ".join(
                "[%s]" % self.blocks(cell[4], tight=True) for row in head_rows for cell in row[1]))
            out.append("  table.hline(stroke: 0.4pt),")
        for body in bodies:
            for row in body[2] + body[3]:
                out.append("  %s," % cells(row))
        out.append("  table.hline(stroke: 0.6pt),")
        out.append(")")
        return "\n".join(out)

    # -- the essay
    def essay_markup(self, e):
        self.essay = e
        out = ["#chapter-start()"]
        if e.image:
            out.append("#banner(%s, %s)" % (string(self.rel(e.image)),
                                           string(str(e.meta.get("imageAlt") or ""))))
        out.append("= %s <%s>" % (esc(e.title), label_name(e.stem)))
        out.append(self.blocks(e.ast))
        return "\n\n".join(out)


def preamble(meta, lang):
    title = str(meta.get("title", "Libro"))
    author = str(meta.get("author", ""))
    date = str(meta.get("date", ""))
    contents = {"es": "Índice", "fr": "Table des matières", "de": "Inhalt"}.get(lang, "Contents")
    return """// Generated by bench/md_to_typst.py: the bench book, set as imprenta sets it by default.
#let book-title = %(title)s
#set document(title: book-title, author: %(author)s)
#set page(paper: "a5", binding: left,
  margin: (inside: 20mm, outside: 15mm, top: 18mm, bottom: 22mm), numbering: "i")
#set text(font: "TeX Gyre Pagella", size: 10.5pt, lang: %(lang)s, hyphenate: true,
  top-edge: 0.8em, bottom-edge: -0.2em)
#set par(justify: true, leading: 0.3em, spacing: 0.65em, first-line-indent: 1.2em)
#show raw: set text(font: "DejaVu Sans Mono", size: 8.5pt)
#show raw.where(block: true): it => block(inset: (left: 1em), it)
#show quote.where(block: true): it => pad(left: 1.5em, right: 1em, text(size: 9.5pt, it.body))
#show heading: set text(weight: "bold")
#show heading.where(level: 1): it => block(above: 1.5em, below: 1.5em, text(size: 18pt, it))
#show heading.where(level: 2): set text(size: 13pt)
#show heading.where(level: 3): set text(size: 11pt)
#set table(inset: (x: 0.4em, y: 0.3em))
#show table: set text(size: 9pt)
#show footnote.entry: set text(size: 8.5pt)

// Running heads as imprenta prints them: folio and book title on the left-hand page, chapter
// title and folio on the right; a chapter's opening page only has its folio, at the foot.
#let opens-chapter() = query(heading.where(level: 1)).any(h => h.location().page() == here().page())
#let running-head() = context {
  if opens-chapter() { return }
  let n = counter(page).display()
  if calc.even(here().page()) {
    text(size: 9pt)[#n #h(1fr) #emph(book-title)]
  } else {
    let before = query(heading.where(level: 1).before(here()))
    if before.len() > 0 { text(size: 9pt)[#emph(before.last().body) #h(1fr) #n] }
  }
}
#let running-foot() = context {
  if opens-chapter() { align(center, text(size: 9pt, counter(page).display())) }
}
#let chapter-start() = pagebreak(weak: true, to: "odd")
#let banner(path, alt) = block(width: 100%%, below: 1.2em,
  image(path, width: 100%%, height: 7cm, fit: "contain", alt: alt))

#page(numbering: none, align(center + horizon)[
  #text(size: 22pt, weight: "bold", book-title)
  #v(2em)
  #text(size: 13pt, %(author)s)
  #v(1fr)
  %(date)s
])
#pagebreak(to: "odd")
#outline(title: %(contents)s, depth: 1)

#pagebreak(to: "odd")
#set page(header: running-head(), footer: running-foot(), numbering: "1")
#counter(page).update(1)
""" % {"title": string(title), "author": string(author), "lang": string(lang),
       "date": esc(date), "contents": string(contents)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("book")
    ap.add_argument("out")
    ap.add_argument("--pandoc", default="pandoc")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    a = ap.parse_args()
    with open(os.path.join(a.book, "book.toml"), "rb") as f:
        meta = tomllib.load(f)
    content = os.path.join(a.book, "content")
    essays = [Essay(a.book, os.path.join(content, n)) for n in sorted(os.listdir(content))
              if n.endswith(".md")]
    essays = [e for e in essays if not e.meta.get("draft")]
    essays.sort(key=lambda e: (e.weight, os.path.basename(e.path)))
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        for e, ast in zip(essays, pool.map(lambda e: pandoc_ast(a.pandoc, e.body), essays)):
            e.ast = ast
    out_dir = os.path.dirname(os.path.abspath(a.out))
    conv = Converter(a.book, out_dir, essays)
    # Headings first, so that a link knows whether its target exists (Typst stops at a link
    # to a missing label).
    for e in essays:
        e.ids = {slug(stringify(b["c"][2])) for b in e.ast if b["t"] == "Header"}
    parts = [preamble(meta, str(meta.get("language", "en")))]
    parts += [conv.essay_markup(e) for e in essays]
    tmp = a.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n\n".join(parts) + "\n")
    os.replace(tmp, a.out)
    if conv.unresolved:
        print("md_to_typst.py: %d links to missing headings written as plain text"
              % conv.unresolved, file=sys.stderr)
    print("%s: %d essays" % (a.out, len(essays)), file=sys.stderr)


if __name__ == "__main__":
    main()
