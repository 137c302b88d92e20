"""Snippets with <mark> highlights placed on the characters the reader sees.

Matching happens on the normalised text (so ๙๕๑ matches 951 and เเ matches แ),
then an offset map points every match back at the original characters. Thai
matches must start and end on character-cluster boundaries, which also
highlights a compound's part (ความเป็นธรรม inside ให้ความเป็นธรรม). Which window of the text
an excerpt shows is chosen in windows.py, where it starts and ends in edges.py, and the
passage a result link opens at in fragments.py.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from html import escape

from ..thai.clusters import cluster_boundaries
from ..thai.ends import StoredEnds
from ..thai.text import is_thai, normalize_cached, normalize_with_offsets
from .answers import AnswerFinder
from .edges import WINDOW, WordBounds, soft_end, soft_start, trimmed, window_bounds
from .fragments import passage
from .requests import AttachmentMatch
from .windows import ANSWER, ANSWER_NEAR, ANSWERS, SOFT_START_CHARS, best_window

# Checklist boxes of Markdown task lists and their Unicode forms: noise in an excerpt.
_CHECKBOX = re.compile(r"\[[ xX]\]\s?|[\u2610\u2611\u2612]\s?")

SNIPPET_CHARS = 220
SCAN_LIMIT = 30000  # characters of body searched for a snippet
MAX_OCCURRENCES = 8  # of one term; enough to choose a dense window
MAX_TRIES = 64  # places a term is checked at: inside other words (a letter of a cluster) it may occur everywhere
PLAUSIBLE_OCCURRENCES = MAX_OCCURRENCES  # of one term, before word boundaries are checked
VERIFY_ROUNDS = 3  # windows a snippet tries before showing what is left of its matches
MAX_ANSWERS = 32  # places an answer pattern is taken at, in the text scanned
CLUSTER_WINDOW = 8  # and cluster boundaries (a cluster is at most 7 characters; splitting one costs most of a snippet)


def find_matches(text: str, terms: Iterable[str], word_bounds: WordBounds = cluster_boundaries,
                 max_occurrences: int = MAX_OCCURRENCES) -> list[tuple[int, int, str]]:
    """Return (start, end, term) spans in the original `text`, sorted, not overlapping; where
    two start together the longer wins (ลาป่วย, not ลา + ป่วย).

    A Thai term must start and end where words do (per `word_bounds`): ลา is found in
    ลาป่วย but not inside ศาลา or ปลา."""
    norm, offsets = normal_form(text)
    aligned = functools.partial(_aligned, norm, word_bounds=word_bounds)
    return _merged([_original(span, offsets) for span in _occurrences(norm, terms, aligned, max_occurrences)])


def _occurrences(norm: str, terms: Iterable[str], accept: Callable[[int, int, str], bool],
                 max_occurrences: int, low: int = 0, high: int | None = None) -> list[tuple[int, int, str]]:
    """Up to `max_occurrences` places in norm[low:high] per term that `accept` takes (longest terms first)."""
    spans: list[tuple[int, int, str]] = []
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        start, seen, tried = norm.find(term, low, high), 0, 0
        while start != -1 and seen < max_occurrences and tried < max(MAX_TRIES, 2 * max_occurrences):
            end = start + len(term)
            tried += 1
            if accept(start, end, term):
                spans.append((start, end, term))
                seen += 1
            start = norm.find(term, start + 1, high)
    return spans


def _original(span: tuple[int, int, str], offsets: Sequence[int] | None) -> tuple[int, int, str]:
    start, end, term = span
    return (offsets[start], offsets[end - 1] + 1, term) if offsets else span


def _merged(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Sorted and without overlaps; where two start together the longer wins."""
    merged: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda span: (span[0], -span[1])):
        if merged and span[0] < merged[-1][1]:
            continue
        merged.append(span)
    return merged


def snippet_matches(text: str, terms: Iterable[str], length: int = SNIPPET_CHARS,
                    word_bounds: WordBounds = cluster_boundaries, ends: StoredEnds | None = None,
                    answer: AnswerFinder | None = None,
                    concept_of: Mapping[str, str] | None = None) -> tuple[int, list[tuple[int, int, str]]]:
    """Where the densest window of matches starts and the matches a snippet around it can
    show (a fifth of `length` before it, and the rest after), in the original text.
    With `answer` (what the question's answer looks like: answers.py), a window that holds
    an answer beside the words is preferred, and the answer is one of its matches.

    find_matches checks word boundaries at every candidate place (a segmentation of 50
    characters each, about 20 per result: two thirds of a search that nobody asked
    before). Here the candidates are only checked for character clusters, the densest
    window of them is chosen, and that window is segmented once to drop the candidates
    inside other words (ลา in ศาลา); when it loses some, the window is chosen again
    without them (VERIFY_ROUNDS times at most). With the token ends the index stored for
    the text (`ends`), the window's boundaries are read from them instead."""
    norm, offsets = normal_form(text)
    bounds_at = window_bounds(norm, word_bounds, ends, lazy=True)  # asked only at the matches' ends
    plausible = list(_candidates(norm, frozenset(t for t in terms if t), answer, length))
    rejected: set[tuple[int, int, str]] = set()
    best, inside = 0, []
    for _ in range(VERIFY_ROUNDS):
        spans = _merged([span for span in plausible if span not in rejected])
        if not any(term not in ANSWERS for _, _, term in spans):
            return 0, []
        best = best_window(spans, length, concept_of or {})
        start = max(0, best - length // 5 - SOFT_START_CHARS)  # the start may move back to a space
        low = max(0, start - WINDOW)
        bounds = bounds_at(low, start + length + SOFT_START_CHARS + WINDOW)
        inside = [span for span in plausible
                  if span not in rejected and start <= span[0] and span[1] <= start + length + SOFT_START_CHARS]
        wrong = {span for span in inside
                 if is_thai(span[2]) and not (span[0] - low in bounds and span[1] - low in bounds)}
        rejected |= wrong
        if not wrong:
            break
    found = [_original(span, offsets) for span in _merged([span for span in inside if span not in rejected])]
    return (offsets[best] if offsets and best < len(offsets) else best), found


@lru_cache(maxsize=64)
def _candidates(norm: str, terms: frozenset[str], answer: AnswerFinder | None,
                length: int) -> tuple[tuple[int, int, str], ...]:
    """The places of `terms` a snippet of `norm` chooses among (checked for clusters only), and
    the answers with the terms near them. Kept for the last searches: the ranking looks at the
    excerpts of its first candidates (holds_answer), and the page then shows most of them."""
    plausible = _occurrences(norm, terms, functools.partial(_plausible, norm), PLAUSIBLE_OCCURRENCES)
    if plausible and answer is not None:
        plausible += _answers_and_their_words(norm, terms, answer, length, set(plausible))
    return tuple(plausible)


def holds_answer(text: str, terms: Iterable[str], answer: AnswerFinder, words: int,
                 concept_of: Mapping[str, str] | None = None) -> bool:
    """Whether the excerpt shown for `text` holds an answer in the unit asked beside at least
    `words` words of the question (a synonym counts as its word): the ranking's sign that a
    text answers a question that asks a number. The excerpt is worked out for the ten first
    candidates, and the page shows most of them (_candidates keeps what both need). That a
    window elsewhere in the text holds an answer and the words was a weaker sign on the dev
    splits (0.877 / 0.896 MRR@10 against 0.881 / 0.900); looking there first to spare the
    excerpt cost more at 10,000 assets, where most candidates have one (31 against 28 ms a
    question that asks a number, 24 without)."""
    same = concept_of or {}
    _, spans = snippet_matches(text[:SCAN_LIMIT], terms, answer=answer, concept_of=same)
    return (any(term == ANSWER for _, _, term in spans)
            and len({same.get(term, term) for _, _, term in spans if term not in ANSWERS}) >= words)


def _terms_in(norm: str, terms: set[str], ranges: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Every place in the (low, high) `ranges` of `norm` where a term may be a word; the ranges
    are merged first, so answers close together (a table of figures) cost one look."""
    plausible = functools.partial(_plausible, norm)
    return [span for low, high in _stretches(ranges)
            for span in _occurrences(norm, terms, plausible, len(norm), low, high)]


def _answers_and_their_words(norm: str, terms: set[str], answer: AnswerFinder, length: int,
                             known: set[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The answers in `norm` and the terms within half a snippet of each: a term met more than
    PLAUSIBLE_OCCURRENCES times may be seen only far from them (ลาป่วย nine times before
    "ปีละไม่เกิน ๖๐ วันทำการ"). Answers in digits are looked for everywhere (MAX_ANSWERS at
    most), answers in words around the terms found (`known`)."""
    reach = length // 2
    answers = list(answer.find(norm, MAX_ANSWERS))
    for low, high in _stretches([(max(0, s - reach), e + reach) for s, e, _ in known]):
        answers += answer.find_in_words(norm, low, high)
    found = [(start, end, ANSWER if exact else ANSWER_NEAR) for start, end, exact in answers]
    near = _terms_in(norm, terms, [(max(0, start - reach), end + reach) for start, end, _ in answers])
    return found + [span for span in near if span not in known]


def _stretches(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping (low, high) ranges merged, in order."""
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


@lru_cache(maxsize=128)
def normal_form(text: str) -> tuple[str, Sequence[int] | None]:
    """The normalised text of a document and, when normalising changed its length, the
    source index of each character: worked out once per document text, not per search
    (a hit's body is the key, so an edited asset gets a new entry)."""
    norm = normalize_cached(text)
    if len(norm) == len(text):
        return norm, None
    return normalize_with_offsets(text)  # characters were removed or merged: map them back


def _plausible(norm: str, start: int, end: int, term: str) -> bool:
    """Whether a match may be a word: a Latin one is (whole words), a Thai one does not
    split a character cluster (a word boundary is always a cluster boundary)."""
    if not is_thai(term):
        return _word_edge(norm, start - 1) and _word_edge(norm, end)
    near = max(0, start - CLUSTER_WINDOW)
    clusters = cluster_boundaries(norm[near:end + CLUSTER_WINDOW])
    # the dot of an abbreviation (สปสช.) is clustered with what follows it, "(สปสช.)" no less: the
    # word's end is checked against the word boundaries alone
    return (start - near) in clusters and ((end - near) in clusters or term.endswith("."))


def _aligned(norm: str, start: int, end: int, term: str, word_bounds: WordBounds) -> bool:
    """Thai matches must start and end on word boundaries (checked in a small window)."""
    if not _plausible(norm, start, end, term):  # cheap first
        return False
    if not is_thai(term):
        return True
    window_start = max(0, start - WINDOW)
    window = norm[window_start:end + WINDOW]
    bounds = word_bounds(window)
    return (start - window_start) in bounds and (end - window_start) in bounds


def _word_edge(text: str, index: int) -> bool:
    return index < 0 or index >= len(text) or not text[index].isalnum()


def make_snippet(text: str, terms: Iterable[str], fallback: str = "", length: int = SNIPPET_CHARS,
                 word_bounds: WordBounds = cluster_boundaries, ends: StoredEnds | None = None,
                 answer: AnswerFinder | None = None, concept_of: Mapping[str, str] | None = None,
                 edge_bounds: WordBounds | None = None) -> str:
    """Return an HTML-escaped excerpt around the densest matches, terms wrapped in <mark>;
    it starts and ends on word boundaries (read from `ends`, the token ends the index stored
    for this text, when given; else found by segmenting small windows). With `answer`, the
    excerpt shows an answer to the question beside its words where the text has one, marked.
    It starts and stops between whole words (`edge_bounds`, else `word_bounds`; with `ends`, the
    stored ends without the parts of compounds)."""
    return _excerpt(text[:SCAN_LIMIT], terms, fallback, length, word_bounds, ends, answer, concept_of,
                    edge_bounds)[0]


def make_excerpt(text: str, terms: Iterable[str], fallback: str = "", length: int = SNIPPET_CHARS,
                 word_bounds: WordBounds = cluster_boundaries, ends: StoredEnds | None = None,
                 answer: AnswerFinder | None = None, concept_of: Mapping[str, str] | None = None,
                 edge_bounds: WordBounds | None = None) -> tuple[str, str]:
    """make_snippet's excerpt, and the plain text of its place in `text` (`passage`), empty when
    the excerpt holds no match."""
    text = text[:SCAN_LIMIT]
    html, shown = _excerpt(text, terms, fallback, length, word_bounds, ends, answer, concept_of, edge_bounds)
    return html, passage(text, shown)


def _excerpt(text: str, terms: Iterable[str], fallback: str, length: int, word_bounds: WordBounds,
             ends: StoredEnds | None, answer: AnswerFinder | None, concept_of: Mapping[str, str] | None,
             edge_bounds: WordBounds | None = None) -> tuple[str, list[tuple[int, int, str]]]:
    """The excerpt's HTML and the matches it shows (make_snippet)."""
    start, spans = snippet_matches(text, terms, length, word_bounds, ends, answer, concept_of)
    if not spans:
        base = fallback or text
        return escape(_clean(trimmed(base, length, word_bounds))), []
    norm, offsets = normal_form(text)
    # the stored ends are offsets in the normalised text: they hold for `text` when normalising kept its
    # length; the excerpt starts and stops between whole words, never between a compound's parts
    bounds_at = window_bounds(text, edge_bounds or word_bounds, ends.whole_words() if ends and offsets is None
                              else None, norm)
    start = max(0, min(start - length // 5, len(text) - length))
    start = soft_start(text, start, bounds_at)
    end = soft_end(text, min(len(text), start + length), bounds_at)
    pieces, cursor = [], start
    shown = [span for span in spans if start <= span[0] and span[1] <= end]
    for s, e, _ in shown:
        pieces.append(escape(_clean(text[cursor:s])))
        pieces.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    pieces.append(escape(_clean(text[cursor:end])))
    html = "".join(pieces).replace("\n", " ")
    return ("… " if start > 0 else "") + html.strip() + (" …" if end < len(text) else ""), shown


def attachment_match(files, terms: frozenset[str], snippet: str, title: str, summary: str,
                     tags, word_bounds: WordBounds = cluster_boundaries) -> AttachmentMatch | None:
    """Which stored attachment texts (`files`: (name, text) pairs) hold the search words, when
    the result's own snippet, title, summary and tags do not; with an excerpt of the first."""
    if not terms or not files or "<mark>" in snippet or find_matches("\n".join([title, summary, *tags]), terms,
                                                                      word_bounds):
        return None
    names = [name for name, text in files if find_matches(text, terms, word_bounds)]
    if not names:
        return None
    first = next(text for name, text in files if name == names[0])
    return AttachmentMatch(tuple(names), make_snippet(first, terms, word_bounds=word_bounds))


def _clean(text: str) -> str:
    """Drop checklist boxes ([ ], [x], ☐) from a piece of excerpt."""
    return _CHECKBOX.sub("", text)
