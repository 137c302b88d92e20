"""Phone typos made by rule: from the collection's own tags, a typo check that needs no judge
and no held-out set; and inside the questions of a judged set (question_slips).

Each asset's tags (of at least MIN_TAG_CHARS characters) are typed again with
one slip a phone keyboard makes (a tone mark dropped or swapped, look-alike or sound-alike
letters swapped, a short vowel sign dropped), and the question is whether the asset still
comes back. A tag counts only when, typed correctly, it finds its asset in the top three:
the check measures what a typo costs, not what the ranking misses anyway. Every asset
carrying the same tag is a right answer. `python -m indexer eval --typos` prints the
result per kind of slip beside the FTS5 peer.

A tag is a word or two; readers slip inside whole questions, where one misspelt word among
ten decides less and a correction has more neighbours to go wrong with. `question_slips`
types each question of a judged set again with one slip in one of its Thai words, and
`python -m indexer eval QUERIES --slips` compares the questions so typed with the same
questions typed right.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from pathlib import Path

from ..content.asset import AssetInvalid
from ..content.loader import load_asset
from ..thai.text import is_thai
from .evaluation import Judgement, Ranking, derived, misspelt
from .question_words import word_spans

MIN_TAG_CHARS = 6
PER_TAG = 2  # slips tried per tag (chosen at random among those the tag allows, seeded)
PER_QUESTION = 2  # slips tried per question, each in one word
MIN_WORD_CHARS = 3  # shorter words (ก็, ได้) are slipped less, and a slip there changes little
TONES = "่้๊๋"
# letters a typist confuses, in pairs (the first is replaced by the second)
SWAPS = (("ใ", "ไ"), ("ไ", "ใ"), ("ร", "ล"), ("ล", "ร"), ("ซ", "ส"), ("ศ", "ส"), ("ษ", "ส"), ("ณ", "น"),
         ("น", "ณ"), ("ภ", "พ"), ("ธ", "ท"), ("ต", "ค"), ("ข", "ช"), ("ู", "ุ"), ("ี", "ิ"), ("ื", "ึ"))
DROPPED_VOWELS = "ัะ"


def slips(text: str) -> list[tuple[str, str]]:
    """(kind, text with one slip) for every slip the rules allow in `text`."""
    found: list[tuple[str, str]] = []
    for i, char in enumerate(text):
        if char in TONES:
            found.append(("tone-dropped", text[:i] + text[i + 1:]))
            found.extend(("tone-swapped", text[:i] + other + text[i + 1:]) for other in TONES if other != char)
        elif char in DROPPED_VOWELS:
            found.append(("vowel-dropped", text[:i] + text[i + 1:]))
        for old, new in SWAPS:
            if char == old:
                found.append(("letter-swapped", text[:i] + new + text[i + 1:]))
    return [(kind, typed) for kind, typed in found if typed != text]


def typo_judgements(paths: Iterable[Path], knowledge_dir: Path, vocab, rank: Callable[[str], Ranking],
                    seed: int = 1, per_tag: int = PER_TAG) -> list[Judgement]:
    """Typo queries made from the tags of the assets among `paths`; `rank` (the engine's own,
    as readers search) decides which tags it finds when they are typed correctly."""
    holders: dict[str, set[str]] = {}
    for path in paths:
        try:
            asset = load_asset(path, knowledge_dir, vocab)
        except (AssetInvalid, OSError):
            continue  # `python -m indexer check` reports it; a typo check has nothing to say
        for tag in asset.tags:  # a draft's tag: the readers' search never finds it, so it is skipped below
            if len(tag) >= MIN_TAG_CHARS:
                holders.setdefault(tag, set()).add(asset.slug)
    rng = random.Random(seed)
    judgements: list[Judgement] = []
    for tag in sorted(holders):
        answers = holders[tag]
        if not answers & set(rank(tag).slugs[:3]):
            continue
        options = slips(tag)
        for kind, typed in rng.sample(options, min(per_tag, len(options))):
            judgements.append(Judgement(f"{tag}:{typed}", typed, f"typo:{kind}", "all", tuple(sorted(answers))))
    return judgements


def question_slips(judgements: Iterable[Judgement], rank: Callable[[str], Ranking], words: Callable[[str], list[str]],
                   seed: int = 1, per_question: int = PER_QUESTION) -> list[Judgement]:
    """The answerable, correctly spelled questions of `judgements` that `rank` answers in its
    top three, each typed again `per_question` times with one slip (see `slips`) in one of
    its Thai words of MIN_WORD_CHARS characters or more (`words` segments a question). The
    slipped questions keep the judged answers; their kind is the slip's ("typo:tone-dropped"),
    so a suggestion for them is not counted as a false correction."""
    rng = random.Random(seed)
    slipped: list[Judgement] = []
    for judgement in judgements:
        if not judgement.relevant or misspelt(judgement.kind):
            continue
        if not set(judgement.relevant) & set(rank(judgement.query).slugs[:3]):
            continue  # missed typed right: a slip has nothing to cost it
        text, options = judgement.query, []
        found = tuple(words(text))
        for i, start in word_spans(found, text):  # a word normalising changed is not where it was typed
            word = found[i]
            if len(word) >= MIN_WORD_CHARS and is_thai(word):
                end = start + len(word)
                options += [(kind, text[:start] + typed + text[end:]) for kind, typed in slips(word)]
        for n, (kind, typed) in enumerate(rng.sample(options, min(per_question, len(options))), start=1):
            slipped.append(derived(judgement, typed, f"typo:{kind}", f"slip{n}"))
    return slipped
