"""Which part of a text an excerpt shows: the window of SNIPPET_CHARS that holds an answer
in the unit asked beside the question's words, then the most words of the question, then the
most distinct terms and matches; and where in it the excerpt starts so that both show."""

from __future__ import annotations

from collections.abc import Mapping

# the terms of the spans a question's answer pattern found, in a unit it asks or another (no word is either)
ANSWER, ANSWER_NEAR = "\x00answer", "\x00near"
ANSWERS = frozenset({ANSWER, ANSWER_NEAR})
# Within a window's words of the question (best_window), its distinct terms (a word, its
# synonyms and parts) count TERM each and its matches one each...
TERM = 10
EXACT_ANSWER = TERM // 2  # ...and an answer in the unit asked half a distinct term
SOFT_START_CHARS = 30  # how far back an excerpt's start may move to begin after a space


def best_window(spans: list[tuple[int, int, str]], length: int, concept_of: Mapping[str, str]) -> int:
    """Where the window of `length` starts that holds an answer beside a word of the question,
    if any does, then the most words of the question (`concept_of` gives the word a synonym or
    part stands for: ลาป่วย beside เจ็บป่วย is one word of "ลาป่วยกี่วันต้องมีใบรับรองแพทย์",
    beside ใบรับรองแพทย์ two), then the most distinct terms and matches, with an answer in the
    unit asked worth half a term (EXACT_ANSWER; a list of numbers is no better an answer than
    one number). The excerpt then starts at the closest answer and word of that window that
    leave the most of its words in the excerpt, so both show (a window is longer than what
    shows after an excerpt's start).

    `spans` are sorted and do not overlap, so their ends rise too: one sweep, the window's
    terms counted as it moves."""
    best_start, best_score, best_span = spans[0][0], (False, -1, -1), (0, 0)
    # the word of the question each span stands for (its synonyms and parts count with it); None for an answer
    word_of = [None if term in ANSWERS else concept_of.get(term, term) for _, _, term in spans]
    counts: dict[str, int] = {}  # of each term in the window
    words: dict[str, int] = {}  # of each word of the question

    def move(j: int, change: int) -> None:  # span j enters (1) or leaves (-1) the window
        _count(counts, spans[j][2], change)
        if (word := word_of[j]) is not None:
            _count(words, word, change)

    k = 0
    for i, (s, _, _) in enumerate(spans):
        if 0 < i <= k:  # the span before this one has left the window
            move(i - 1, -1)
        k = max(k, i)
        while k < len(spans) and spans[k][1] <= s + length:
            move(k, 1)
            k += 1
        answers = counts.get(ANSWER, 0) + counts.get(ANSWER_NEAR, 0)
        matches = (k - i) - answers
        terms = len(counts) - (ANSWER in counts) - (ANSWER_NEAR in counts)
        answered = bool(matches and answers)
        score = (answered, len(words), terms * TERM + matches + (EXACT_ANSWER if answered and ANSWER in counts else 0))
        if score > best_score:
            best_start, best_score, best_span = s, score, (i, k)
    return _answer_start(spans[best_span[0]:best_span[1]], length, concept_of) if best_score[0] else best_start


def _answer_start(inside: list[tuple[int, int, str]], length: int, concept_of: Mapping[str, str]) -> int:
    """Where the excerpt of a window holding an answer beside a word of the question starts
    (`inside`: the window's spans): at the closest answer and word that leave the most of its
    words in the excerpt."""
    drop = ANSWER_NEAR if any(term == ANSWER for _, _, term in inside) else None
    kept = [span for span in inside if span[2] != drop]
    # the closest answer and word are next to each other once the other answers are left out;
    # of those, the closest whose excerpt still shows the most of the window's words
    pairs = [(a, b) for a, b in zip(kept, kept[1:], strict=False) if (a[2] in ANSWERS) != (b[2] in ANSWERS)]
    shown = _words_shown([a[0] for a, _ in pairs],
                         [(s, e, concept_of.get(term, term)) for s, e, term in kept if term not in ANSWERS], length)
    return min(zip(pairs, shown, strict=True), key=lambda p: (-p[1], p[0][1][0] - p[0][0][1]))[0][0][0]


def _words_shown(starts: list[int], words: list[tuple[int, int, str]], length: int) -> list[int]:
    """How many words of the question (`words`: spans sorted, not overlapping, each with the word
    it stands for) an excerpt of `length` shows from each of `starts` (rising): it begins a fifth
    of its length before a start, and may move back to a space. One sweep, as best_window."""
    before, after = length // 5, length - length // 5 - SOFT_START_CHARS
    counts: dict[str, int] = {}
    shown, low, high = [], 0, 0
    for start in starts:
        while high < len(words) and words[high][1] <= start + after:
            _count(counts, words[high][2], 1)
            high += 1
        while low < high and words[low][0] < start - before:
            _count(counts, words[low][2], -1)
            low += 1
        shown.append(len(counts))
    return shown


def _count(counts: dict[str, int], key: str, change: int) -> None:
    """Add `change` to the count of `key` (a term, a word of the question) in a window; one no
    longer in it is removed."""
    counts[key] = counts.get(key, 0) + change
    if not counts[key]:
        del counts[key]
