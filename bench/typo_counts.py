#!/usr/bin/env python3
"""Counts a reader's typographic faults in a PDF from `pdftotext -layout`, page by page.

    bench/typo_counts.py [--json] [--list] [--label TEXT] BOOK.pdf...

bench/run.sh prints these counts for its PDF beside the timings.

Counts (what issue #17 asks of the page and paragraph builders):
  pages              pages of the PDF
  final_fragments    paragraphs whose last line is the tail of a word hyphenated on the line before
  per_100_pages      final_fragments per 100 pages
  hyphen_runs3       runs of three or more consecutive hyphenated lines
  hyphen_page_ends   pages whose last body line ends in a hyphen (the word goes on overleaf)
  short_chapter_ends pages holding only one or two body lines (a chapter's end)
  lone_foot          pages whose last body line is an ornament or a heading, the chapter going on
  short_tails        lines starting with a two-letter (or shorter) tail of a hyphenated word

How the text is read: a page's first line is a running head when it ends or starts with a folio;
a last line that is only a folio is dropped; footnotes are the lines from a numbered line after
a blank one in the lower part of the page. A paragraph ends where a blank line, a deeper first-line indent or a chapter
opening (a page without a running head) follows. A tail is a hyphen break only when the joined
word with its hyphen appears nowhere else in the book (else it is an explicit compound: "Wi-Fi").
"""
import json
import re
import subprocess
import sys

HEAD = re.compile(r"^\s*(\d+|[ivxlc]+)\s{3,}\S|\S\s{3,}(\d+|[ivxlc]+)\s*$")
FOLIO = re.compile(r"^\s*(\d+|[ivxlcdm]+)\s*$")
NOTE = re.compile(r"^\s{0,3}\d+\s")
HYPHEN_END = re.compile(r"\w-$")
ORNAMENT = {"⁂", "* * *", "***", "❧", "⁂ ⁂"}


def pages_of(pdf):
    out = subprocess.run(["pdftotext", "-layout", pdf, "-"], check=True,
                         capture_output=True, text=True).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def body(page):
    """(has_running_head, body lines with None for blank lines) of one page."""
    lines = [l.rstrip() for l in page.split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and FOLIO.match(lines[-1]):
        lines.pop()
    head = bool(lines) and bool(HEAD.search(lines[0]))
    if head:
        lines = lines[1:]
    while lines and not lines[0].strip():
        lines.pop(0)
    # Footnotes: after a gap, a numbered line in the lower part of the page. (One blank line
    # is enough: on a page set flush to the foot the text ends just above the note rule.)
    blanks = 0
    for i, l in enumerate(lines):
        if not l.strip():
            blanks += 1
            continue
        if blanks >= 1 and NOTE.match(l) and i >= len(lines) * 0.4:
            lines = lines[:i]
            break
        blanks = 0
    while lines and not lines[-1].strip():
        lines.pop()
    return head, [l if l.strip() else None for l in lines]


def indent(l):
    return len(l) - len(l.lstrip())


def count(pdf):
    pages = pages_of(pdf)
    parsed = [body(p) for p in pages]
    text = "\n".join(pages)
    c = dict(pages=len(pages), final_fragments=0, hyphen_runs3=0, hyphen_page_ends=0,
             short_chapter_ends=0, lone_foot=0, short_tails=0)
    where = {k: [] for k in c if k != "pages"}

    # One stream of lines; None marks a blank line or a chapter opening.
    stream = []  # (page number, line or None)
    for n, (head, lines) in enumerate(parsed, 1):
        if not head:
            stream.append((n, None))
        stream.extend((n, l) for l in lines)
        nonblank = [l for l in lines if l is not None]
        if head and 1 <= len(nonblank) <= 2:
            c["short_chapter_ends"] += 1
            where["short_chapter_ends"].append(n)
        if nonblank:
            last = nonblank[-1].strip()
            if HYPHEN_END.search(last) and n < len(parsed):
                c["hyphen_page_ends"] += 1
                where["hyphen_page_ends"].append(n)
            gap = len(lines) >= 3 and lines[-2] is None and lines[-3] is None
            continues = n < len(parsed) and parsed[n][0]  # the next page has a running head
            if continues and (last in ORNAMENT or (gap and len(nonblank) > 1)):
                c["lone_foot"] += 1
                where["lone_foot"].append(n)
    stream.append((len(parsed), None))

    run = 0
    for i, (n, l) in enumerate(stream):
        hyph = l is not None and HYPHEN_END.search(l.strip()) is not None
        run = run + 1 if hyph else 0
        if run == 3:
            c["hyphen_runs3"] += 1
            where["hyphen_runs3"].append(n)
        if not hyph or i + 1 >= len(stream) or stream[i + 1][1] is None:
            continue
        nxt = stream[i + 1][1]
        head = re.search(r"(\w+)$", l.strip()[:-1])
        tail = re.match(r"\s*(\w+)", nxt)
        if not head or not tail:
            continue
        joined = head.group(1) + "-" + tail.group(1)
        if joined in text:  # an explicit compound, not the typesetter's hyphen
            continue
        if len(tail.group(1)) <= 2 and not nxt.strip()[len(tail.group(1)):][:1].isalpha():
            c["short_tails"] += 1
            where["short_tails"].append(f"{n}: {head.group(1)}-{tail.group(1)}")
        after = stream[i + 2][1] if i + 2 < len(stream) else None
        if after is None or indent(after) > indent(nxt):
            c["final_fragments"] += 1
            where["final_fragments"].append(f"{n}: {head.group(1)}-{tail.group(1)}")
    c["per_100_pages"] = round(100.0 * c["final_fragments"] / max(1, len(pages)), 2)
    return c, where


def main():
    argv = sys.argv[1:]
    label = None
    if "--label" in argv:
        at = argv.index("--label")
        label = argv[at + 1] if at + 1 < len(argv) else ""
        del argv[at:at + 2]
    pdfs = [a for a in argv if not a.startswith("--")]
    if not pdfs:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    for pdf in pdfs:
        c, where = count(pdf)
        if "--json" in argv:
            print(json.dumps(c, sort_keys=True))
        else:
            print(label or pdf, " ".join(f"{k}={v}" for k, v in c.items()))
        if "--list" in argv:
            for k, v in where.items():
                if v:
                    print(f"  {k}: {', '.join(map(str, v))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
