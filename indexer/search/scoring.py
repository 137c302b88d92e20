"""BM25F scores of a word query, computed one posting list at a time.

Whoosh scores an Or by walking a tree of union matchers document by document: every
step asks each branch for its current document, its quality and its score. A
question widened by synonyms, tone variants and compound parts has 30 to 60
leaves, and at 10,000 assets that walk took most of a search (ลาป่วย with a typo:
231 ms). Here each distinct term is read once, as whole blocks of its posting
list, and scored with numpy into one array per query. Long lists, those of common
words, are kept decoded between searches (PostingCache, postings.py).

A word is scored once over all the fields it is asked in (BM25F, Robertson and
Zaragoza's form, as SQLite FTS5 and Lucene's combined-fields query do): its term
frequency in each field, divided by that field's length normalisation and weighted
by the field's boost relative to the word's largest, is summed before the one
saturation, and the result is scaled by that largest boost. Whoosh instead adds a
separate BM25 per field, so a word in a short title (boost 5) plus the body scored
about eight times a body match, and in a long question the title words of one
section outweighed everything else the question said; BM25F caps a word at about
its title score. Measured on the dev splits of the four blind sets (words only, 217
queries): MRR@10 0.767 → 0.819, long situation questions 0.615 → 0.790.

The forms of one concept (the typed word, its synonyms, tone variants and compounds: a
Synonyms node of the query) are not added up: a document scores its best form plus 0.3 of
the others (a disjunction max with a tie breaker), so naming a thing three ways is not
three times the evidence. A phrase form (a synonym or glossary term of several words) is
asked in the title, the headings and the body, and scores the best of those fields, not
their sum: ใบอนุญาตก่อสร้าง in an asset's title, heading and body scored 120, against 5–25
for each other word of a long question.

Its parts: B 0.75, K1 1.2, Whoosh's byte-encoded field lengths and its idf,
log(N / (n + 1)) + 1, with n the most documents any one of the fields holds the
word in. A word asked in several fields or clauses of one form (or outside any concept) is
scored once, boosts added; asked by two concepts it is read once and scored in each. A
phrase scores the sum of its words' per-field BM25 where they stand next to each
other, as Whoosh's span matcher does (positions are decoded only in documents
holding all the words); leaves of any other kind are scored by their Whoosh
matcher. The boost of an Or with a single part counts (Whoosh's matcher drops it,
so a correction's CORRECTION_WEIGHT was never applied). tests/test_search.py
compares every score with a posting-by-posting reference, and with Whoosh's for
phrases and other leaves.
"""

from __future__ import annotations

import math

import numpy as np
from whoosh import query as Q

from ..index.leaves import leaf_readers
from .postings import FieldLengths, PostingCache, PostingReads

K1 = 1.2  # Whoosh's BM25 defaults
B = 0.75


class Synonyms(Q.Or):
    """The forms of one concept: the typed word, its glossary synonyms, its tone variants and
    the index words that contain it. A document scores its best form plus SYNONYM_TIE of the
    others (a disjunction max, as Lucene's DisjunctionMaxQuery with a tie breaker), where a
    plain Or adds them all up. A section titled "… (KM Process)" that also writes
    การจัดการความรู้ and Knowledge Management said the concept three times and outranked,
    for any question with "KM", the section that answered it."""


class Scores:
    """The scores of one query over every document number, and which documents it matched."""

    def __init__(self, size: int):
        self.score = np.zeros(size, dtype=np.float64)
        self.matched = np.zeros(size, dtype=bool)

    def add(self, docs: np.ndarray, values: np.ndarray) -> None:
        self.score[docs] += values  # a leaf names each document once
        self.matched[docs] = True

    def top(self, allowed: np.ndarray, limit: int) -> list[tuple[int, float]]:
        """The `limit` best allowed documents, best first (ties by document number)."""
        docs = np.flatnonzero(self.matched & allowed)
        if len(docs) > limit:
            # keep every document tied with the last one kept, so ties break by number
            cut = np.partition(self.score[docs], len(docs) - limit)[len(docs) - limit]
            docs = docs[self.score[docs] >= cut]
        order = sorted(docs.tolist(), key=lambda doc: (-self.score[doc], doc))[:limit]
        return [(doc, float(self.score[doc])) for doc in order]


def score_query(searcher, query: Q.Query, lengths: FieldLengths, cache: PostingCache | None = None) -> Scores:
    """Score every document `query` matches (an Or tree of terms and phrases).

    The forms of one concept (a Synonyms node: the typed word, its synonyms, its compounds and
    tone variants) count once: a document scores its best form plus SYNONYM_TIE of the others."""
    size = searcher.doc_count_all()
    scores = Scores(size)
    plain: list[tuple[Q.Query, float]] = []
    groups: list[list[tuple[Q.Query, float]]] = []
    for node, boost in _clauses(query, 1.0):
        if isinstance(node, Synonyms):
            groups.append(list(_leaves(node, boost)))
        else:
            plain.append((node, boost))
    segments = leaf_readers(searcher.reader())
    every = plain + [leaf for leaves in groups for leaf in leaves]
    # a word both asked alone and inside a phrase is read once, with its positions
    read = PostingReads({(leaf.fieldname, word) for leaf, _ in every if _is_phrase(leaf) for word in leaf.words},
                         cache)
    _score_leaves(searcher, segments, plain, lengths, scores, read)
    if groups:
        _score_groups(searcher, segments, groups, lengths, scores, read)
    return scores


def _score_groups(searcher, segments, groups: list[list[tuple[Q.Query, float]]], lengths: FieldLengths,
                  scores: Scores, read: PostingReads) -> None:
    """Each Synonyms node's leaves: its forms scored apart, a document given the best plus
    SYNONYM_TIE of the rest. Work is done where the forms' postings are, never over every document."""
    size = searcher.doc_count_all()
    best, total, held = np.zeros(size), np.zeros(size), np.zeros(size, dtype=bool)  # one group at a time
    for leaves in groups:
        forms: dict[object, list[tuple[Q.Query, float]]] = {}
        for leaf, boost in leaves:
            key = leaf.text if isinstance(leaf, Q.Term) else tuple(getattr(leaf, "words", ())) or id(leaf)
            forms.setdefault(key, []).append((leaf, boost))
        if len(forms) == 1 and not all(_is_phrase(leaf) for leaf, _ in leaves):
            _score_leaves(searcher, segments, leaves, lengths, scores, read)  # one form: nothing to weigh
            continue
        touched = []
        for key, form in forms.items():
            got = _Pieces()
            _score_leaves(searcher, segments, form, lengths, got, read)
            if not got.docs:
                continue
            if isinstance(key, str):  # one word: one piece per segment, never the same document twice
                docs, values = np.concatenate(got.docs), np.concatenate(got.values)
            elif all(_is_phrase(leaf) for leaf, _ in form):
                docs, values = got.best()  # one leaf per field: in the title, a heading and the body it is one phrase
            else:
                docs, values = got.summed()
            best[docs] = np.maximum(best[docs], values)
            total[docs] += values
            held[docs] = True
            touched.append(docs)
        if touched:
            many = sum(len(d) for d in touched) > size // 8  # then a pass over the flags beats sorting
            docs = np.flatnonzero(held) if many else np.unique(np.concatenate(touched))
            scores.add(docs, best[docs] + SYNONYM_TIE * (total[docs] - best[docs]))
            best[docs] = total[docs] = 0.0
            held[docs] = False


# The share of a concept's other forms added to its best (Synonyms). Dev splits of the six blind
# sets (276 queries, words only / hybrid MRR@10): 1.0 (every form added, as before) 0.808 / 0.841,
# 0.5 0.815 / 0.847, 0.3 0.818 / 0.849, 0.2 0.819 / 0.849, 0.1 0.817 / 0.848, 0 0.817 / 0.849.
# Giving the forms the idf of the commonest (Lucene's SynonymQuery) added nothing (0.848 at 0.3).
# A phrase form scored by its best field instead of the sum of its fields (title, headings,
# body): 0.818 / 0.849 -> 0.825 / 0.854 (the best field plus 0.3 or 0.6 of the others: 0.854,
# 0.851). Glossary terms of several words weighed 0.5 or 0.75 beside their own words: 0.856,
# within a question, not kept.
SYNONYM_TIE = 0.3


class _Pieces:
    """The scores of one form of a concept as the (documents, values) pieces its leaves add."""

    def __init__(self) -> None:
        self.docs: list[np.ndarray] = []
        self.values: list[np.ndarray] = []

    def add(self, docs: np.ndarray, values: np.ndarray) -> None:
        self.docs.append(docs)
        self.values.append(values)

    def summed(self) -> tuple[np.ndarray, np.ndarray]:
        """Each document once, its pieces added."""
        if len(self.docs) == 1:
            return self.docs[0], self.values[0]
        docs, where = np.unique(np.concatenate(self.docs), return_inverse=True)
        return docs, np.bincount(where, weights=np.concatenate(self.values), minlength=len(docs))

    def best(self) -> tuple[np.ndarray, np.ndarray]:
        """Each document once, with its largest piece."""
        if len(self.docs) == 1:
            return self.docs[0], self.values[0]
        docs, where = np.unique(np.concatenate(self.docs), return_inverse=True)
        values = np.zeros(len(docs))
        np.maximum.at(values, where, np.concatenate(self.values))
        return docs, values


def _is_phrase(leaf) -> bool:
    return isinstance(leaf, Q.Phrase) and leaf.slop == 1 and len(leaf.words) > 1


def _score_leaves(searcher, segments, leaves, lengths: FieldLengths, scores: Scores | _Pieces,
                  read: PostingReads) -> None:
    """Add the scores of `leaves` (leaf, boost): each word once over its fields, then phrases, then the rest."""
    words: dict[str, dict[str, float]] = {}  # word -> field -> its boosts added
    phrases: list[tuple[Q.Phrase, float]] = []
    others: list[tuple[Q.Query, float]] = []
    for leaf, boost in leaves:
        if isinstance(leaf, Q.Term):
            fields = words.setdefault(leaf.text, {})
            fields[leaf.fieldname] = fields.get(leaf.fieldname, 0.0) + boost * leaf.boost
        elif _is_phrase(leaf):
            phrases.append((leaf, boost * leaf.boost))
        else:
            others.append((leaf, boost))
    for text, fields in words.items():
        _score_word(searcher, segments, text, fields, lengths, scores, read)
    for phrase, boost in phrases:
        _score_phrase(searcher, segments, phrase, boost, lengths, scores, read)
    for leaf, boost in others:
        matcher = leaf.matcher(searcher)
        docs, values = [], []
        while matcher.is_active():
            docs.append(matcher.id())
            values.append(matcher.score())
            matcher.next()
        if docs:
            scores.add(np.array(docs, dtype=np.int64), boost * np.array(values))


def _clauses(query: Q.Query, boost: float):
    """The Synonyms nodes and the other leaves of an Or tree, with the product of the boosts above them."""
    if isinstance(query, Synonyms):
        yield query, boost
    elif isinstance(query, Q.Or):
        for part in query.subqueries:
            yield from _clauses(part, boost * query.boost)
    elif query is not Q.NullQuery:
        yield query, boost


class _BM25:
    """Whoosh's BM25 of one term in one field (a phrase's words): its idf and the field's
    average length are global."""

    def __init__(self, searcher, field: str, text: str):
        self.idf = searcher.idf(field, text)
        average = searcher.avg_field_length(field) or 1
        self.base, self.per_length = K1 * (1 - B), K1 * B / average

    def __call__(self, tf: np.ndarray, length: np.ndarray) -> np.ndarray:
        return self.idf * tf * (K1 + 1) / (tf + self.base + self.per_length * length)


def _score_word(searcher, segments, text: str, boosts: dict[str, float], lengths: FieldLengths,
                scores: Scores, read: PostingReads) -> None:
    """BM25F of one word over the fields it is asked in (`boosts`: field → boost)."""
    top = max(boosts.values())
    if top <= 0:
        return
    held = max(sum(read.frequency(segment, field, text) for segment, _ in segments) for field in boosts)
    if not held:
        return
    idf = math.log(searcher.doc_count_all() / (held + 1)) + 1
    shares = {field: (boost / top, searcher.avg_field_length(field) or 1) for field, boost in boosts.items()}
    for segment, offset in segments:
        weighted = None
        for field, (share, average) in shares.items():
            if not read.has(segment, field, text):
                continue
            posting = read(segment, field, text)
            if weighted is None:
                weighted = np.zeros(segment.doc_count_all())
            length = lengths.of(segment, field)[posting.docs]
            weighted[posting.docs] += share * posting.tf / (1 - B + B * length / average)
        if weighted is None:
            continue
        docs = np.flatnonzero(weighted)
        tf = weighted[docs]
        scores.add(docs + offset, top * idf * tf * (K1 + 1) / (tf + K1))


def _score_phrase(searcher, segments, phrase: Q.Phrase, boost: float, lengths: FieldLengths,
                  scores: Scores, read: PostingReads) -> None:
    """Documents holding the phrase's words next to each other, in order. Like Whoosh
    (an intersection of the words' matchers under a span check), a match scores the sum
    of its words' BM25F; positions are decoded only where all the words meet."""
    field, words = phrase.fieldname, list(phrase.words)
    holding = [(segment, offset) for segment, offset in segments
               if all(read.has(segment, field, word) for word in words)]
    if not holding:
        return
    decode = searcher.schema[field].format.decode_positions
    scorers = [_BM25(searcher, field, word) for word in words]
    for segment, offset in holding:
        postings = [read(segment, field, word) for word in words]
        common = postings[0].docs
        for posting in postings[1:]:
            common = np.intersect1d(common, posting.docs, assume_unique=True)
        if not len(common):
            continue
        places = [np.searchsorted(posting.docs, common) for posting in postings]
        found = [i for i in range(len(common))
                 if _adjacent([decode(posting.values[place[i]]) for posting, place in zip(postings, places,
                                                                                           strict=True)])]
        if not found:
            continue
        docs = common[found]
        length = lengths.of(segment, field)[docs]
        total = sum(bm25(posting.tf[place[found]], length)
                    for bm25, posting, place in zip(scorers, postings, places, strict=True))
        scores.add(docs + offset, boost * total)


def _adjacent(positions: list[list[int]]) -> bool:
    """Whether some start p has word k at position p + k for every k."""
    starts = set(positions[0])
    for k, later in enumerate(positions[1:], start=1):
        starts &= {p - k for p in later}
        if not starts:
            return False
    return True


def _leaves(query: Q.Query, boost: float):
    """The leaves of an Or tree with the product of the boosts of the Ors above them."""
    if isinstance(query, Q.Or):
        for part in query.subqueries:
            yield from _leaves(part, boost * query.boost)
    elif query is not Q.NullQuery:
        yield query, boost
