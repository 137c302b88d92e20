"""Phone typos made by rule from the collection's own tags: a typo check that needs no
judge and no held-out set.

Each asset's tags (of at least MIN_TAG_CHARS characters) are typed again with
one slip a phone keyboard makes (a tone mark dropped or swapped, look-alike or sound-alike
letters swapped, a short vowel sign dropped), and the question is whether the asset still
comes back. A tag counts only when, typed correctly, it finds its asset in the top three:
the check measures what a typo costs, not what the ranking misses anyway. Every asset
carrying the same tag is a right answer. `python -m indexer eval --typos` prints the
result per kind of slip beside the FTS5 peer.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from pathlib import Path

from ..content.asset import AssetInvalid
from ..content.loader import load_asset
from .evaluation import Judgement, Ranking

MIN_TAG_CHARS = 6
PER_TAG = 2  # slips tried per tag (chosen at random among those the tag allows, seeded)
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
