"""Make an asset body safe to hand to Python-Markdown in time linear in its length.

Python-Markdown is quadratic (or worse) on some inputs an editor, a hand-placed file
or an attacker can write: every unmatched `[` makes it scan to the end of the
paragraph (8 KB of `[`: 9 s), so do unmatched `(` after a link and `<` that never
closes; deep blockquotes and lists recurse once per level (1,000 list levels:
over 20 s), long runs of `*` and `_` nest emphasis until Python's recursion limit,
and headings or rules in one long paragraph split it once per line.

`defuse` rewrites only those constructs, outside code, into forms that render to
the same text: an unmatched bracket or parenthesis is escaped (it was shown as
itself anyway), a `<` that starts no tag becomes `&lt;`, marker runs longer than
three are escaped, nesting deeper than any real document needs is cut, headings
and rules get blank lines of their own. Real documents come out unchanged.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

MAX_BRACKET_DEPTH = 2    # an image inside a link: [![alt](src)](href)
MAX_PAREN_DEPTH = 4
MAX_QUOTE_DEPTH = 8
MAX_INDENT = 32          # columns: eight levels of list
MAX_MARKER_RUN = 3       # ***bold italic***
MAX_LINE_CHARS = 2000
MAX_COST = 150_000       # about 0.2-0.5 s of formatting; a long real asset (60 KB) costs 130,000
_QUOTES = re.compile(r"(?: {0,3}> ?)+")
_MARKER_RUN = re.compile(rf"(?<!\\)(\*{{{MAX_MARKER_RUN + 1},}}|_{{{MAX_MARKER_RUN + 1},}})")
_RULE = re.compile(r" {0,3}([-*_])(?: *\1){2,} *$")
_ATX = re.compile(r" {0,3}#{1,6}(?: |$)")
_UNDERLINE = re.compile(r" {0,3}(?:=+|-+) *$")
_BACKTICKS = re.compile(r"`+")
_SPECIAL = re.compile(r"[\\`\[\]()<>]")  # what _escape_unmatched reads: escapes, code spans, brackets, angles


@dataclass(frozen=True)
class Defused:
    """The part of a body to format, defused, and the rest (over the budget), untouched."""

    text: str
    rest: str = ""


def defuse(body: str, budget: int = MAX_COST) -> Defused:
    """`body` with every construct Python-Markdown handles in super-linear time rewritten,
    cut at the first line break after `budget` cost units (see `cost`)."""
    out: list[str] = []
    block: list[str] = []
    spent = 0
    lines = _short_lines(body.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    fences = _fenced_code(lines)
    number = 0
    while number < len(lines):
        line = lines[number]
        if spent > budget:
            out.extend(_defuse_block(block))
            return Defused("\n".join(out), "\n".join(lines[number:]).strip("\n"))
        if number in fences:  # fenced code, verbatim (Python-Markdown never reads inside it)
            out.extend(_defuse_block(block))
            block = []
            code = lines[number:fences[number] + 1]
            out.extend(code)
            spent += FENCE_COST + sum(len(text) + 1 for text in code)
            number = fences[number] + 1
            continue
        if not line.strip():
            out.extend(_defuse_block(block))
            block = []
            out.append(line)
        else:
            block.append("\\" + line if _FENCE_OPENING.match(line) else line)  # never closed: not a fence
            spent += cost(line)
        number += 1
    out.extend(_defuse_block(block))
    return Defused("\n".join(out))


# Python-Markdown's fenced_code: an opening fence at the start of a line, the code, and the
# first later line that is the same fence again. It searches the whole text for a closing
# fence from every opening that has none, so an unclosed opening is escaped.
_FENCE_OPENING = re.compile(r"(`{3,}|~{3,}) *(?:\{[^\n]*\}|\.?[\w#.+-]*(?: *hl_lines=([\"']).*?\2)? *)$")
FENCE_COST = 100


def _fenced_code(lines: list[str]) -> dict[int, int]:
    """Index of each opening fence line → index of its closing line (pairs as Python-Markdown makes them)."""
    closings: dict[str, list[int]] = {}
    for number, line in enumerate(lines):
        if line[:1] and line[0] in "`~" and line.rstrip(" ").strip(line[0]) == "":
            closings.setdefault(line.rstrip(" "), []).append(number)
    pairs: dict[int, int] = {}
    number = 0
    while number < len(lines):
        opening = _FENCE_OPENING.match(lines[number])
        if opening:
            candidates = closings.get(opening.group(1), [])
            at = bisect_right(candidates, number)
            if at < len(candidates):
                pairs[number] = candidates[at]
                number = candidates[at] + 1
                continue
        number += 1
    return pairs


_MARKUP = re.compile(r"[\[\]()<>*_`&|!\\]")
_BLOCK_START = re.compile(r"[ \t]*(?:#|>|[-*+] |\d+\. )")


def cost(line: str) -> int:
    """Python-Markdown's work on a line, in units of about 1-5 µs: a character is 1, a
    character it may turn into markup 25, a line that opens a heading, quote or list 100
    (measured on generated shapes and on the sample assets, which cost 190,000 units). An
    underline of = or - costs as a heading too: under a line of text it makes one (setext), and
    25,000 of them (180 KB) took 2-6 s to format when they cost 4 units each."""
    opens = _BLOCK_START.match(line) or _UNDERLINE.match(line)
    return len(line) + 1 + 25 * len(_MARKUP.findall(line)) + (100 if opens else 0)


def _defuse_block(lines: list[str]) -> list[str]:
    if not lines:
        return []
    shaped: list[str] = []
    for line in lines:
        line = _cap_nesting(line)
        if _UNDERLINE.match(line) and shaped and shaped[-1].strip():
            shaped.extend([line, ""])  # a setext heading's underline stays with its text
        elif _RULE.match(line) or _ATX.match(line):
            shaped.extend(["", line, ""])  # on its own: no re-scan of the paragraph per line
        else:
            shaped.append(_MARKER_RUN.sub(_escape_run, line))
    return _escape_unmatched("\n".join(shaped)).split("\n")


def _short_lines(lines: list[str]) -> list[str]:
    """Lines longer than MAX_LINE_CHARS as paragraphs of at most that length.

    Python-Markdown rebuilds a paragraph's whole text after each link, emphasis or
    escape it finds in it, so one long line dense with markup costs time quadratic in
    its length; short paragraphs keep that cost linear. A long line is cut after a
    space where there is one. (Long lines of fenced code are cut too: they still show
    the same text, and no real document has them.)
    """
    out: list[str] = []
    for line in lines:
        while len(line) > MAX_LINE_CHARS:
            cut = line.rfind(" ", MAX_LINE_CHARS // 2, MAX_LINE_CHARS)
            cut = cut + 1 if cut != -1 else MAX_LINE_CHARS
            out.extend([line[:cut], ""])
            line = line[cut:]
        out.append(line)
    return out


def _cap_nesting(line: str) -> str:
    """At most MAX_QUOTE_DEPTH blockquote markers and MAX_INDENT columns of indentation."""
    quotes = _QUOTES.match(line)
    if quotes and quotes.group().count(">") > MAX_QUOTE_DEPTH:
        markers = quotes.group().split(">")
        kept = ">".join(markers[:MAX_QUOTE_DEPTH + 1])
        line = kept + "\\>".join(["", *markers[MAX_QUOTE_DEPTH + 1:]]) + line[quotes.end():]
    indent = len(line) - len(line.lstrip(" \t"))
    if indent and len(line[:indent].expandtabs(4)) > MAX_INDENT:
        line = " " * MAX_INDENT + line[indent:]
    return line


def _escape_run(match: re.Match) -> str:
    return "".join("\\" + ch for ch in match.group())


def _escape_unmatched(text: str) -> str:
    """Escape brackets and parentheses with no partner (or nested too deep) and `<` that opens
    no tag, outside code spans; one pass, no backtracking."""
    code = _code_spans(text)
    fixes: dict[int, str] = {}
    stacks: dict[str, list[int]] = {"[": [], "(": []}
    limits = {"[": MAX_BRACKET_DEPTH, "(": MAX_PAREN_DEPTH}
    last_angle: int | None = None
    i = 0
    while (special := _SPECIAL.search(text, i)) is not None:  # the characters between change nothing
        i = special.start()
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if i in code:
            i = code[i]
            continue
        if ch in "[(":
            stacks[ch].append(i)
        elif ch in "])":
            stack = stacks["[" if ch == "]" else "("]
            if not stack:
                fixes[i] = "\\" + ch
            else:
                opened = stack.pop()
                if len(stack) >= limits[text[opened]]:
                    fixes[opened], fixes[i] = "\\" + text[opened], "\\" + ch
        elif ch == "<":
            if last_angle is not None:
                fixes[last_angle] = "&lt;"  # another < came before any >
            last_angle = i
        elif ch == ">":
            last_angle = None
        i += 1
    for stack in stacks.values():
        fixes.update((position, "\\" + text[position]) for position in stack)
    if last_angle is not None:
        fixes[last_angle] = "&lt;"
    return _replaced(text, fixes)


def _replaced(text: str, fixes: dict[int, str]) -> str:
    """`text` with the character at each position of `fixes` replaced by its fix."""
    if not fixes:
        return text
    pieces, cursor = [], 0
    for position in sorted(fixes):
        pieces.append(text[cursor:position])
        pieces.append(fixes[position])
        cursor = position + 1
    pieces.append(text[cursor:])
    return "".join(pieces)


def _code_spans(text: str) -> dict[int, int]:
    """Start → end of every code span (a run of backticks closed by a run of the same length)."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    spans: dict[int, int] = {}
    following: dict[int, int] = {}  # run length → index in `runs` of the next run of that length
    next_same = [None] * len(runs)
    for k in range(len(runs) - 1, -1, -1):
        length = runs[k][1] - runs[k][0]
        next_same[k] = following.get(length)
        following[length] = k
    k = 0
    while k < len(runs):
        close = next_same[k]
        if close is None:
            k += 1
            continue
        spans[runs[k][0]] = runs[close][1]
        k = close + 1
    return spans
