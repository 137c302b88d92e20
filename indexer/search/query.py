"""Turn a typed Thai question into a Whoosh query (no query syntax: nothing can raise).

Each meaningful word becomes a "concept": the word itself in every field
(title and tags weigh most), its glossary synonyms, and for Thai words the
index words that contain it (found in the in-memory lexicon) so the parts of
compounds are found. Concepts are OR-ed, so BM25 scores add up and assets
that match more of the question rank higher; the question's words as a phrase
add a bonus on top. (Whoosh's coordination bonus, Or(scale=…), made no
difference to the relevance figures and cost a third of the search time.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from whoosh import query as Q

from ..thai.glossary import Glossary
from .lexicon import Lexicon
from .phrases import PhraseBonus
from .lexicon import units as lexicon_units
from ..thai.text import Segmenter, is_thai, normalize

MAX_QUERY_CHARS = 200
MAX_CONCEPTS = 12
# Headings are not a field of their own here: their text is in the body, and ranking
# them separately made the slowest queries 15 % slower with the same relevance figures.
WORD_FIELDS = {"title": 5.0, "tags_text": 3.0, "owner_text": 1.0, "body": 1.0}
PHRASE_FIELDS = {"title": 5.0, "headings": 2.5, "body": 1.0}
# Index words that contain a query word (compounds, see lexicon.py) count at this
# share of an exact match, in the fields that matter most; at most PART_WORDS of them
# (the most frequent), which keeps the query small enough to stay fast.
PART_WEIGHT = 0.6
PART_FIELDS = {"title": 5.0, "tags_text": 3.0, "body": 1.0}
PART_WORDS = 16


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Thai function words dropped from questions ("ต้อง", "อย่างไร", "ไหม" …)."""
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords()) | {"ไหม", "มั้ย", "หรือเปล่า", "บ้าง", "กี่", "ยังไง", "อย่างไร", "ทำไง"}


@dataclass(frozen=True)
class ParsedQuery:
    """The words of a query and the Whoosh query built from them."""

    text: str               # the query as searched (normalised, trimmed)
    words: tuple[str, ...]  # every word, stop words included
    concepts: tuple[str, ...]
    highlight_terms: frozenset[str]
    query: Q.Query | None   # None for an empty query; the words (what selects and ranks first)
    phrases: tuple[PhraseBonus, ...] = ()  # bonuses for the top candidates (see phrases.py)


# A document number such as 951/2567 (Thai digits are already Arabic here).
_NUMBER_REF = re.compile(r"(?<![\w/])(\d+)\s*/\s*(\d+)(?![\w/])")


def parse_query(raw: str, segmenter: Segmenter, glossary: Glossary, lexicon: Lexicon | None = None) -> ParsedQuery:
    """Build the query for `raw`; punctuation and operators are ordinary characters.

    The text is cut to MAX_QUERY_CHARS before anything else reads it: a visitor's query
    can be any size, and the work done on it must not grow with that size.
    """
    text = normalize((raw or "")[:MAX_QUERY_CHARS])[:MAX_QUERY_CHARS].strip()
    numbers = [m.groups() for m in _NUMBER_REF.finditer(text)]
    rest = _NUMBER_REF.sub(" ", text)
    words = tuple(segmenter.words(text))
    content = [w for w in segmenter.words(rest) if w not in stopwords()] or list(segmenter.words(rest))
    concepts = tuple(dict.fromkeys(content))[:MAX_CONCEPTS]
    if not concepts and not numbers:
        return ParsedQuery(text, words, (), frozenset(), None)
    highlight: set[str] = set(concepts) | {n for pair in numbers for n in pair}
    # A document number is one concept: its parts must be adjacent, and it is rare, so it weighs a lot.
    clauses: list[Q.Query] = [Q.Or([Q.Phrase(f, list(pair), boost=3 * b) for f, b in PHRASE_FIELDS.items()])
                              for pair in numbers]
    selective = _selective(concepts, lexicon) if not numbers else set(concepts)
    for word in concepts:
        if word not in selective:
            continue  # a very common word: it only counts through the phrase bonus
        alternatives = [[word]]
        for synonym in glossary.synonyms_of(word):
            alternatives.append(segmenter.words(synonym) or [synonym])
            highlight.add(synonym)
        expand = lexicon if _expandable(word, concepts, lexicon) else None
        clauses.append(_concept(word, alternatives, expand))
    phrases: list[PhraseBonus] = []
    if len(content) > 1:
        phrases.append(PhraseBonus(tuple(content), 2.0))
    for extra in _run_phrases(rest, segmenter, lexicon):
        (phrases if isinstance(extra, PhraseBonus) else clauses).append(extra)
    return ParsedQuery(text, words, concepts, frozenset(highlight), _tree(Q.Or(clauses)), tuple(phrases))


def _tree(query: Q.Query) -> Q.Query:
    """Use Whoosh's binary tree of union matchers for the word query (and its nested Ors).

    Whoosh would otherwise preload and score every posting of a wide Or; the tree
    scores lazily, so a filter or a top-10 cut-off can skip most documents.
    """
    if isinstance(query, Q.Or):
        query.matcher_type = Q.Or.DEFAULT_MATCHER
        for sub in query.subqueries:
            _tree(sub)
    return query


COMMON_SHARE = 0.10
EXPAND_SHARE = 0.02


def _expandable(word: str, concepts: tuple[str, ...], lexicon: Lexicon | None) -> bool:
    """Whether to add the index words that contain `word` (its compounds).

    Typed alone, a word always is ("ลา" → ลาป่วย, ลาพักผ่อน). Inside a question only
    a word of several clusters that is itself rare (≤ 2 % of assets) is: that is
    when a compound is likely what the reader means (ความเป็นธรรม), while common
    words (ทำ → ทำงาน, ทำให้ …) would only add cost and noise, and one-cluster
    words are usually fragments of a typo ("อายู" → อา + ยู, then อา → อาหาร).
    """
    if lexicon is None:
        return False
    if len(concepts) == 1:
        return True
    return len(lexicon_units(word)) > 1 and lexicon.frequency(word) <= EXPAND_SHARE * lexicon.doc_count


def _selective(concepts: tuple[str, ...], lexicon: Lexicon | None) -> set[str]:
    """The words that select and score documents.

    A word found in more than 10 % of the assets ranks almost nothing (its IDF is
    low) yet costs the most to score, so when a question also has rarer words it
    only counts through the phrase bonus (Lucene's "common terms" idea):
    in "เบิกค่าเล่าเรียนบุตรต้องใช้เอกสารอะไรบ้าง", เอกสาร stops selecting. A word more than
    twice as common as the question's rarest word is treated the same way once it is
    above 10 %, so a question made only of common words still drops the commonest (ทำ).
    """
    if lexicon is None or not lexicon.doc_count:
        return set(concepts)
    frequency = {w: lexicon.frequency(w) for w in concepts}
    # common = in more than 10 % of assets AND more than twice as common as the rarest word
    limit = max(COMMON_SHARE * lexicon.doc_count, 2 * min(frequency.values()))
    return {w for w, count in frequency.items() if count <= limit}


def _run_phrases(text: str, segmenter: Segmenter, lexicon: Lexicon | None) -> list:
    """For each space-separated run of several words: an exact-phrase bonus, and the
    index words that contain the whole run ("เลือดออก", segmented เลือด + ออก, inside
    "ไข้เลือดออก", which the index keeps as one word) as extra matching terms."""
    extras: list = []
    for run in text.split():
        run_words = segmenter.words(run)
        if len(run_words) < 2:
            continue
        extras.append(PhraseBonus(tuple(run_words), 2.0, exact=True))
        joined = "".join(run_words)
        if lexicon is not None and is_thai(joined):
            extras.extend(_part_terms(lexicon.containing(joined), 2.0))
    return extras


def _part_terms(words: list[str], scale: float) -> list[Q.Query]:
    return [Q.Term(f, w, boost=scale * PART_WEIGHT * b) for w in words[:PART_WORDS] for f, b in PART_FIELDS.items()]


def _concept(word: str, alternatives: list[list[str]], lexicon: Lexicon | None) -> Q.Query:
    parts: list[Q.Query] = []
    for alt in alternatives:
        if len(alt) == 1:
            parts.extend(Q.Term(f, alt[0], boost=b) for f, b in WORD_FIELDS.items())
        else:
            parts.extend(Q.Phrase(f, alt, boost=b) for f, b in PHRASE_FIELDS.items())
    if lexicon is not None and is_thai(word) and len(word) >= 2:
        parts.extend(_part_terms(lexicon.containing(word), 1.0))
    return Q.Or(parts)
