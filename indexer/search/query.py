"""Turn a typed Thai question into a Whoosh query (no query syntax: nothing can raise).

Each meaningful word becomes a "concept": the word itself in every field
(title and tags weigh most), its glossary synonyms, and for Thai words the
index words that contain it (found in the in-memory lexicon) so the parts of
compounds are found. Concepts are OR-ed, so BM25 scores add up and assets
that match more of the question rank higher; the question's words as a phrase
add a bonus on top. (Whoosh's coordination bonus, Or(scale=…), made no
difference to the relevance figures and cost a third of the search time.)
This module reads the question (its concepts, numbers and phrases); clauses.py
builds each concept's clause.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from whoosh import query as Q

from ..thai.glossary import Glossary
from ..thai.segment import Segmenter
from ..thai.text import normalize
from .answers import Asked, asked, question_word_pieces
from .clauses import Clauses, asks_why, run_phrases
from .lexicon import Lexicon
from .phrases import DateBonus, PhraseBonus
from .question_numbers import CIRCULAR, CIRCULAR_REF, NUMBER_REF, date_phrases, whole_years
from .question_words import _toneless_stopword, about_the_asker, stopwords, stray_letters
from .stretched import drawn_out_cut

MAX_QUERY_CHARS = 200  # of a typed query; the search boxes, the cut and the "too long" note all use it
MAX_CONCEPTS = 24


@dataclass(frozen=True)
class ParsedQuery:
    """The words of a query and the Whoosh query built from them."""

    text: str               # the query as searched (normalised, trimmed)
    words: tuple[str, ...]  # every word, stop words included
    concepts: tuple[str, ...]
    highlight_terms: frozenset[str]
    query: Q.Query | None   # None for an empty query; the words (what selects and ranks first)
    phrases: tuple[PhraseBonus | DateBonus, ...] = ()  # bonuses for the top candidates (see phrases.py)
    # concept -> the other index words that stand for it (synonyms, compounds, tone variants)
    expansions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    additions: tuple[str, ...] = ()  # corrected spellings added to the query (see spelling.py)
    replaced: frozenset[str] = frozenset()  # the typed words those corrections stand for
    references: tuple[tuple[str, str], ...] = ()  # document numbers such as ("951", "2567"), ("ว", "88")
    meaning: str = ""  # the text the semantic ranking encodes when it is not `text` (a corrected query)
    # terms that add to the score of what `query` matched, never match on their own (_inner_words)
    boosts: Q.Query | None = None
    asks: Asked = Asked()  # the units its answer is written in (กี่วัน → วัน): excerpts show one (answers.py)
    # highlight term -> the word of the query it stands for (เจ็บป่วย → ลาป่วย): excerpts count
    # the words of the query they show, not their synonyms and parts (snippets.py)
    concept_of: Mapping[str, str] = field(default_factory=dict)


def at_the_limit(raw: str | None) -> bool:
    """Whether a typed query is as long as a query may be: the search box stops it there, and
    the search cuts a longer one, so its last word may be a word cut short."""
    return len(raw or "") >= MAX_QUERY_CHARS


def _cut_and_normalized(raw: str | None) -> str:
    """The query cut to MAX_QUERY_CHARS before anything reads it, then normalised, its
    drawn-out last letters taken back to one (stretched.py), and trimmed."""
    return drawn_out_cut(normalize((raw or "")[:MAX_QUERY_CHARS])[:MAX_QUERY_CHARS]).strip()


def respelled(raw: str | None, segmenter: Segmenter, glossary: Glossary) -> tuple[str, str] | None:
    """(the query as typed, the query with the glossary's known misspellings spelled right),
    or None when it has none: "ขออนุญาติก่อสร้าง" → "ขออนุญาตก่อสร้าง". A known misspelling
    is not a guess, so it is searched spelled right (its synonyms still find assets that
    misspell it), unlike a correction of an unknown word (spelling.py)."""
    text = _cut_and_normalized(raw)
    if not any(wrong in text for wrong in glossary.misspelled):
        return None
    right = "".join(glossary.misspelled.get(token, token) for token in segmenter.tokens(text))
    return (text, right) if right != text else None


def parse_query(raw: str, segmenter: Segmenter, glossary: Glossary, lexicon: Lexicon | None = None,
                additions: tuple[str, ...] = (), replaced: frozenset[str] = frozenset()) -> ParsedQuery:
    """Build the query for `raw`; punctuation and operators are ordinary characters.

    The text is cut to MAX_QUERY_CHARS before anything else reads it: a visitor's query
    can be any size, and the work done on it must not grow with that size.
    `additions` are corrected spellings of the query's unknown words (see spelling.py):
    they join the question as extra concepts at CORRECTION_WEIGHT, so results as typed
    already hold what the reader most likely meant. The typed words they replace (`replaced`:
    often the fragments a typo leaves, พยาบาน → พ + ยา + บาน) still count as typed, but are not
    widened to their compounds and tone variants (บาน → บานพับ, บานเย็น …): that is noise,
    and on a large collection each widening adds posting lists to walk.
    """
    text = _cut_and_normalized(raw)
    numbers, rest = _numbers(text)
    words = tuple(segmenter.words(text))
    rest_words = tuple(segmenter.words(rest))
    content, terms = _content(rest, rest_words, segmenter, glossary, lexicon)
    concepts = tuple(dict.fromkeys(content + terms))[:MAX_CONCEPTS]
    extra = tuple(w for w in dict.fromkeys(additions) if w not in concepts)[:MAX_CONCEPTS]
    if not concepts and not numbers and not extra:
        return ParsedQuery(text, words, (), frozenset(), None)
    built = Clauses(segmenter, glossary, lexicon, words, concepts, terms, extra, replaced, numbers,
                     whole_years(rest_words))
    for word in concepts + extra:
        built.add(word)
    if asks_why(rest_words):  # the answer gives reasons, in words the question has no need to say
        built.add_reasons()
    phrases: list[PhraseBonus | DateBonus] = []
    if len(content) > 1:
        phrases.append(PhraseBonus(tuple(content), 2.0))
    for extra_clause in run_phrases(rest, segmenter, lexicon):
        (phrases if isinstance(extra_clause, PhraseBonus) else built.clauses).append(extra_clause)
    phrases.extend(date_phrases(rest))
    return ParsedQuery(text, words, concepts, frozenset(built.highlight), Q.Or(built.clauses), tuple(phrases),
                       built.expansions, extra, frozenset(replaced), tuple(numbers),
                       boosts=Q.Or(built.boosts) if built.boosts else None, asks=asked(words),
                       concept_of=built.concept_of)


def _content(rest: str, rest_words: tuple[str, ...], segmenter: Segmenter, glossary: Glossary,
             lexicon: Lexicon | None) -> tuple[list[str], list[str]]:
    """The words of `rest` (the question less its numbers) that say what it is about (all of
    them when none does), and the glossary terms of several words it holds ("ห่มผ้าเหลือง"),
    which are one concept beside their words."""
    stray = stray_letters(rest_words, rest)  # a letter a typo cut off a word means nothing alone
    stray |= question_word_pieces(rest_words)  # ไห of เท่าไหร typed without its mark
    stray |= about_the_asker(rest_words, rest)  # "ผมเป็นพนักงานเทศบาล": who asks, not what about
    content = ([w for i, w in enumerate(rest_words)
                if w not in stopwords() and i not in stray and not _toneless_stopword(w, lexicon)]
               or list(rest_words))
    return content, [t for t in glossary.terms_in(rest, segmenter.word_bounds(rest)) if t not in content]


def _numbers(text: str) -> tuple[list[tuple[str, str]], str]:
    """The document numbers and circulars' numbers of `text` (each one clause, as each word is one
    concept), and the text without them."""
    numbers = [m.groups() for m in NUMBER_REF.finditer(text)]
    rest = NUMBER_REF.sub(" ", text)
    numbers += [(CIRCULAR, m[1]) for m in CIRCULAR_REF.finditer(rest)]
    return list(dict.fromkeys(numbers))[:MAX_CONCEPTS], CIRCULAR_REF.sub(" ", rest)
