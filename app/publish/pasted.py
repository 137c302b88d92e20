"""Text pasted into the editor from a word processor, turned into the Markdown an asset is written in.

Most of a municipality's knowledge already sits in Word documents, and pasting is how the KM team
brings it in. Pasted as plain text, Word's headings, bullets and tables become loose lines, tab
runs and "•" characters (outside review, onboarding). The editor sends what the clipboard holds
here: HTML (Word, LibreOffice, Google Docs) goes through markdownify; plain text has its tab
tables, bullet characters and Thai-numbered items put in Markdown form. Nothing here renders
anything: the result is text in the editor, which the preview and the save sanitise as always.
"""

from __future__ import annotations

import re

from markdownify import markdownify

from indexer import arabic_digits

MAX_PASTED_CHARS = 2_000_000  # of HTML; Word adds about ten characters of markup per character of text
MAX_TABLE_COLUMNS = 20

# Word's list paragraphs carry their bullet or number as text inside these conditional comments.
_WORD_CONDITIONALS = re.compile(r"<!\[(?:if [^\]]{0,40}|endif)\]>", re.IGNORECASE)
_WORD_NAMESPACED = re.compile(r"</?[a-z]{1,3}:[a-z]{1,20}[^>]{0,200}>", re.IGNORECASE)  # <o:p>, <w:sdt>…
_HIDDEN = ("style", "script", "head", "xml", "title")  # what a clipboard's HTML holds that no one reads
# Google Docs wraps the whole fragment in <b style="font-weight:normal" id="docs-internal-guid-…">
_DOCS_WRAPPER = re.compile(r"<b\b[^>]{0,200}font-weight:\s*normal[^>]{0,200}>", re.IGNORECASE)
_BULLET = re.compile(r"^([ \t]*)[·•▪◦○●■□◆◇❖➢➤✓✔§o\-–*][ \t\xa0]+(?=\S)")
_NUMBERED = re.compile(r"^([ \t]*)([0-9๐-๙]{1,3})[.)][ \t\xa0]+(?=\S)")
_SUBNUMBERED = re.compile(r"^([0-9๐-๙]{1,3}(?:\.[0-9๐-๙]{1,3})+)[ \t\xa0]+(?=\S)")  # 3.1 ผู้ขอยื่นคำร้อง
_LIST_ITEM = re.compile(r"^\s*(?:- |\d{1,3}\. )")
_SPACES = re.compile(r"[ \xa0]{2,}")
MAX_HEADING_CHARS = 80  # a numbered line longer than this is a step, not a section's title


# Word's list paragraphs say their level in their style ("mso-list:l0 level2 lfo1"); it becomes a mark
# at the paragraph's start, read back as the item's indent (markdownify keeps no style).
_WORD_LEVEL = re.compile(r"(<p\b[^>]{0,600}?mso-list:\s*l\d+\s+level(\d)[^>]{0,600}>)", re.IGNORECASE)
_LEVEL_MARK = re.compile(r"^\u2063L(\d)\u2063")
PIPE = "\u2063P\u2063"  # a "|" of the text, told apart from the table's own
_TAG = re.compile(r"(<[^<>]*>)")  # [^<>]: from each "<" the scan stops at the next one, so it is linear


def pasted_markdown(html: str, text: str) -> str:
    """The Markdown for what was pasted: from its HTML when there is some, else from its text
    (also when the HTML is nested too deeply to read)."""
    if html.strip() and not _too_deep(html[:MAX_PASTED_CHARS]):
        try:
            return _finish(_tight_lists(_tidy_lines(_from_html(html[:MAX_PASTED_CHARS]))))
        except RecursionError:
            pass
    text = text[:MAX_PASTED_CHARS].replace("\r\n", "\n").replace("\r", "\n")
    return _finish(_blocks(_tab_tables(_tidy_lines(text))))


MAX_DEPTH = 300  # of open tags: Word nests a few dozen; a parser's time grows with depth × length
MAX_STRAY = 1000  # of "<" opening nothing whole (a "<" in text is &lt; in a clipboard's HTML)
_OPEN_CLOSE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]{0,30})[^<>]*?(/?)>")
_VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "col", "wbr", "area", "base", "source", "o:p"})


def _too_deep(html: str) -> bool:
    """Whether the HTML is of a shape the parser reads in quadratic time, so the paste is read as its
    plain text: tags left open deeper than MAX_DEPTH ("<div><div>…"), or many a "<" that opens no
    whole tag or an unclosed comment ("<head<head…", "<!--<!--…": the parser looks to the end for
    each). One pass of a regex that never looks back."""
    tags = _OPEN_CLOSE.findall(html)
    comments = html.count("<!")
    stray = html.count("<") - len(tags) - comments
    if stray > MAX_STRAY or comments - html.count("-->") - html.count("]>") > MAX_STRAY:
        return True
    depth = 0
    for closing, name, self_closing in tags:
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name.lower() not in _VOID:
            depth += 1
            if depth > MAX_DEPTH:
                return True
    return False


def _from_html(html: str) -> str:
    html = _without_hidden(html)
    html = _WORD_CONDITIONALS.sub("", html)
    html = _WORD_NAMESPACED.sub("", html)
    html = _DOCS_WRAPPER.sub("<span>", html)
    html = _WORD_LEVEL.sub(lambda m: f"{m.group(1)}\u2063L{m.group(2)}\u2063", html)
    html = "".join(part if part.startswith("<") else part.replace("|", PIPE) for part in _TAG.split(html))
    # * and _ of the text stay text ("2*3*4"); numbers and # are left, so Word's "1." items stay lists
    markdown = markdownify(html, heading_style="ATX", bullets="-", strip=["img", "span", "font"],
                           table_infer_header=True, escape_misc=False)
    return "\n".join(line.replace(PIPE, "\\|" if line.startswith("|") else "|")
                     for line in markdown.split("\n"))


def _without_hidden(html: str) -> str:
    """`html` without its style sheets, scripts and head, in one pass per kind (a regex with .*?
    would scan to the end again for each opening tag left unclosed)."""
    for tag in _HIDDEN:
        kept, at, lower = [], 0, html.lower()
        while (start := lower.find(f"<{tag}", at)) != -1:
            if lower[start + len(tag) + 1:start + len(tag) + 2] not in ("", ">", "/", " ", "\t", "\n", "\r"):
                kept.append(html[at:start + 1])  # <header> is no <head>: keep it, look further
                at = start + 1
                continue
            kept.append(html[at:start])
            end = lower.find(f"</{tag}", start)
            if end == -1:  # never closed: nothing after it is shown either
                at = len(html)
                break
            close = lower.find(">", end)
            at = len(html) if close == -1 else close + 1
        kept.append(html[at:])
        html = "".join(kept)
    return html


def _tidy_lines(text: str) -> list[str]:
    """Each line with its bullet character or Thai-numbered marker in Markdown form ("•⇥" → "- ",
    "๑)⇥" → "1. "), and Word's padding spaces gone; tabs stay for the table pass."""
    lines = []
    for line in text.replace("\xa0", " ").split("\n"):
        level = _LEVEL_MARK.match(line)
        if level:  # a Word list item of a level below the first: indented under the item above
            line = "    " * (int(level.group(1)) - 1) + line[level.end():].lstrip()
        if line.startswith("|"):
            line = _SPACES.sub(" ", line)
        else:
            line = _BULLET.sub(lambda m: m.group(1) + "- ", line)
            line = _NUMBERED.sub(lambda m: f"{m.group(1)}{arabic_digits(m.group(2))}. ", line)
            line = _SUBNUMBERED.sub(lambda m: arabic_digits(m.group(1)) + " ", line)
            lead = len(line) - len(line.lstrip(" "))  # a nested list's indent stays
            line = line[:lead] + _SPACES.sub(" ", line[lead:])
        lines.append(line.rstrip(" "))  # a tab ends a row whose last cell is empty
    return lines


def _tab_tables(lines: list[str]) -> list[str]:
    """Runs of two or more lines with the same number of tab-separated cells become a table, its
    first line the header: what a Word or Excel table is as plain text."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        cells = lines[i].count("\t") + 1
        j = i
        while j < len(lines) and "\t" in lines[j] and lines[j].count("\t") + 1 == cells:
            j += 1
        if j - i >= 2 and 2 <= cells <= MAX_TABLE_COLUMNS:
            rows = [[c.strip().replace("|", "\\|") for c in line.split("\t")] for line in lines[i:j]]
            out += ["", "| " + " | ".join(rows[0]) + " |", "|" + " --- |" * cells]
            out += ["| " + " | ".join(row) + " |" for row in rows[1:]]
            out.append("")
            i = j
        else:
            out.append(lines[i].replace("\t", " "))
            i += 1
    return out


def _kind(line: str) -> str:
    if not line.strip():
        return "blank"
    if line.startswith("|"):
        return "table"
    if _NUMBERED_MD.match(line):
        return "numbered"
    return "list" if _LIST_ITEM.match(line) else "text"


_NUMBERED_MD = re.compile(r"^\d{1,3}\. ")


def _blocks(lines: list[str]) -> list[str]:
    """Plain text has one paragraph per line: a blank line goes between blocks of different kinds
    (else Markdown folds a paragraph into the list item before it), and a numbered line that
    stands alone above text is a section's title, as "1. วัตถุประสงค์" is in a Word document."""
    kinds = [_kind(line) for line in lines]
    filled = [i for i, k in enumerate(kinds) if k != "blank"]
    out: list[str] = []
    for n, i in enumerate(filled):
        line, kind = lines[i], kinds[i]
        before = kinds[filled[n - 1]] if n else None
        after = kinds[filled[n + 1]] if n + 1 < len(filled) else None
        if kind == "numbered" and before != "numbered" and after not in ("numbered", None) \
                and len(line) <= MAX_HEADING_CHARS:
            kind, line = "heading", "## " + line
        if out and (kind != before or kind == "heading" or i - filled[n - 1] > 1):
            out.append("")
        out.append(line)
        kinds[i] = kind
    return out


def _tight_lists(lines: list[str]) -> list[str]:
    """Word gives each list item a paragraph of its own: the blank lines between items of one list
    go. A bullet list right after a numbered one (or the other way) at the same indent is another
    list, so a blank line stays between them (Markdown would fold it into the last item)."""
    out: list[str] = []
    for i, line in enumerate(lines):
        if (not line.strip() and out and _LIST_ITEM.match(out[-1]) and i + 1 < len(lines)
                and _LIST_ITEM.match(lines[i + 1]) and not _other_list(out[-1], lines[i + 1])):
            continue
        if line.strip() and out and out[-1].strip() and _other_list(out[-1], line):
            out.append("")
        out.append(line)
    return out


def _other_list(before: str, after: str) -> bool:
    """Whether two list items at the same indent belong to lists of different kinds (- and 1.)."""
    if not (_LIST_ITEM.match(before) and _LIST_ITEM.match(after)):
        return False
    indent = len(before) - len(before.lstrip())
    if indent != len(after) - len(after.lstrip()):
        return False
    return before.lstrip().startswith("- ") != after.lstrip().startswith("- ")


def _finish(lines: list[str]) -> str:
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"
