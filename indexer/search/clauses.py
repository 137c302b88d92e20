"""The clauses of a question's query, concept by concept: each word in every field (title
and tags weigh most), its glossary synonyms, its tone variants, the index words that contain
it (compounds), the pieces inside it, and the phrases of words typed together. parse_query
(query.py) decides what the concepts are; this module how each is looked for, and at what
weight, measured on the dev splits of the blind sets."""

from __future__ import annotations

from itertools import pairwise

from whoosh import query as Q

from ..thai.glossary import Glossary
from ..thai.segment import Segmenter
from ..thai.text import is_thai
from .lexicon import Lexicon
from .lexicon import units as lexicon_units
from .phrases import PhraseBonus
from .question_words import stopwords
from .scoring import Synonyms
from .slips import toneless

# Headings are not a field of their own here: their text is in the body, and ranking
# them separately made the slowest queries 15 % slower with the same relevance figures.
WORD_FIELDS = {"title": 5.0, "tags_text": 3.0, "owner_text": 1.0, "body": 1.0}
PHRASE_FIELDS = {"title": 5.0, "headings": 2.5, "body": 1.0}
# A number is also looked for in the evidence numbers of the asset's dissemination records
# ("ชม 53101/ว 88", the circular that spread it); their other words are not: "เว็บไซต์" or
# "บันทึกข้อความ" in a record says nothing of what the asset is about. Dev splits of the six blind
# sets (276 questions, words only / hybrid MRR@10): without the field 0.838 / 0.866, the field
# for every word 0.838 / 0.867 (a circular's number found, four questions lower, three of them
# long situations), for numbers only 0.840 / 0.868 (the number found, nothing lower).
NUMBER_FIELDS = {**PHRASE_FIELDS, "refs_text": 1.0}
NUMBER_WORD_FIELDS = {**WORD_FIELDS, "refs_text": 1.0}
# Index words that contain a query word (compounds, see lexicon.py) count at this
# share of an exact match, in the fields that matter most; at most PART_WORDS of them
# (the most frequent), which keeps the query small enough to stay fast.
PART_WEIGHT = 0.6
PART_FIELDS = {"title": 5.0, "tags_text": 3.0, "body": 1.0}
PART_WORDS = 16
# Index words spelt like a query word but for tone marks count at this share of an exact match.
TONELESS_WEIGHT = 0.7
TONELESS_WORDS = 4
# A corrected spelling of an unknown word counts at this share of a word as typed.
CORRECTION_WEIGHT = 0.8
# A synonym of several words ("ไม่สบาย" for ลาป่วย) is a phrase query. Over bodies, a phrase
# of common words decodes the positions of thousands of documents (at 10,000 assets "แบบ
# ตรวจสอบ" took 380 ms, the whole search 670 ms); when even its rarest word is in more than
# this many assets (and this share of them), it is matched in titles and headings only.
COMMON_PHRASE_DOCS = 200
COMMON_PHRASE_SHARE = 0.05


class Clauses:
    """The parts of one query as parse_query builds them, concept by concept: its clauses, the
    terms that only add to a score, what excerpts mark and which word each marked term stands for."""

    def __init__(self, segmenter: Segmenter, glossary: Glossary, lexicon: Lexicon | None, words: tuple[str, ...],
                 concepts: tuple[str, ...], terms: list[str], extra: tuple[str, ...], replaced: frozenset[str],
                 numbers: list[tuple[str, str]], years: dict[str, str]):
        self.segmenter, self.glossary, self.lexicon = segmenter, glossary, lexicon
        self.words, self.concepts, self.terms, self.extra, self.replaced = words, concepts, terms, extra, replaced
        self.years = years
        self.in_terms = {w for term in terms for w in segmenter.words(term)}
        # a correction is what the reader meant: it always selects, however common
        self.selective = (_selective(concepts, lexicon) if not numbers else set(concepts)) | set(extra) | set(terms)
        # Not marked: the fragments a typo left once it is corrected, and a lone letter (พ of
        # พยาบาน, e of e-GP): they would light up letters all over the page, and each costs a
        # snippet dozens of word-boundary checks.
        self.highlight: set[str] = ({w for w in concepts if w not in replaced and not (len(w) == 1 and w.isalpha())}
                                    | set(extra) | {n for pair in numbers for n in pair})
        self.concept_of: dict[str, str] = {n: pair[0] for pair in numbers for n in pair}
        # A document number is one concept: its parts must be adjacent, and it is rare, so it weighs a lot.
        self.clauses: list[Q.Query] = [Q.Or([Q.Phrase(f, list(pair), boost=3 * b) for f, b in NUMBER_FIELDS.items()])
                                       for pair in numbers]
        self.expansions: dict[str, tuple[str, ...]] = {}
        self.boosts: list[Q.Query] = []

    def add(self, word: str) -> None:
        """The clause of one concept (a word typed, a glossary term or a correction)."""
        lexicon = self.lexicon
        self.concept_of.setdefault(word, word)
        synonyms = self.glossary.synonyms_of(word) + ((self.years[word],) if word in self.years else ())
        widen = word not in self.replaced
        toneless = _toneless_alternatives(word, lexicon) if widen else ()
        expand = widen and _expandable(word, self.concepts, lexicon) and is_thai(word) and len(word) >= 2
        parts = lexicon.containing(word)[:PART_WORDS] if expand else []  # compounds holding the word
        self.expansions[word] = (*synonyms, *toneless, *parts)
        if word not in self.selective:  # a very common word: the phrase bonus, and a title or tag naming it
            if word not in self.in_terms:  # ใบ and แจ้ง count once, as the term ใบแจ้งเกิด
                self.clauses.append(Q.Or([Q.Term(f, word, boost=COMMON_TITLE_WEIGHT * b)
                                          for f, b in TOPIC_FIELDS.items()]))
            return
        alternatives = [self.segmenter.words(word) or [word]] if word in self.terms else [[word]]
        for synonym in synonyms:
            alternatives.append(self.segmenter.words(synonym) or [synonym])
            self.highlight.add(synonym)
        self.highlight.update(toneless)
        for variant in (*synonyms, *toneless):
            self.concept_of.setdefault(variant, word)
        clause = _concept(alternatives, parts, toneless, lexicon)
        # the pieces of a glossary term are typed words of their own (ใบ แจ้ง เกิด of ใบแจ้งเกิด)
        inner = ([w for w in _inner_words(word, self.segmenter, lexicon) if w not in self.words]
                 if widen and len(self.concepts) > 1 else [])
        if inner:
            self.boosts.extend(_part_terms(inner, 1.0))
            # what ranked the asset higher is what its snippet shows; but not a syllable (ประ of
            # ประกันสังคม, โรง of โรงแรม), marked in every ประเภท and โรงพยาบาล of the page
            self.highlight.update(w for w in inner if len(w) >= INNER_MARK_CHARS)
            for part in inner:
                self.concept_of.setdefault(part, word)
        self.clauses.append(Q.Or([clause], boost=CORRECTION_WEIGHT) if word in self.extra else clause)

    def add_reasons(self) -> None:
        """The words a why-question's answer gives its reasons in (REASON_WORDS): they add to a score."""
        self.boosts.extend(Q.Term(f, w, boost=b) for w in REASON_WORDS for f, b in REASON_FIELDS.items())
        self.highlight.update(REASON_WORDS)
        for reason in REASON_WORDS:
            self.concept_of.setdefault(reason, REASON_WORDS[0])


# A common word still names a topic when a title or tag holds it (หลักฐาน in "เอกสารหลักฐาน
# อ้างอิง…", the plan section the auditor wants): it is scored there, at this share of a word.
# Measured on the dev splits of the three blind sets (185 queries, pooled MRR): 0 (body and
# title dropped alike) 0.836, 0.5 0.848, 0.75 0.852, 1.0 0.851, 1.5 0.843, 2.0 0.833.
COMMON_TITLE_WEIGHT = 0.75
TOPIC_FIELDS = {"title": 5.0, "tags_text": 3.0}
# A word whose field counts add up to more than this share of the assets is "common" (see
# _selective). With BM25F (scoring.py), on the dev splits of the four blind sets (217 queries,
# words only / hybrid MRR@10): 0.25 0.787 / 0.813, 0.5 0.805 / 0.816, 1.0 0.819 / 0.830,
# 2.0 and never the same as 1.0. Under Whoosh's per-field BM25, 0.25 was best.
COMMON_SHARE = 1.0
EXPAND_SHARE = 0.02
# A word of a question held by at most this share of the assets is also looked for by the index
# words inside it (_inner_words). Dev splits of the four blind sets (217 queries, words only /
# hybrid MRR@10), pieces of any length counted as holding the word: none 0.835 / 0.878, 0.02
# 0.844 / 0.877, 0.05 0.849 / 0.884, 0.1 0.845 / 0.877, every word 0.840 / 0.864; recall@10
# 0.990 → 0.995 at each share. As kept (pieces of 3+ characters the reader did not type, in
# questions only, adding to what the words found but finding nothing themselves, never counted
# as holding the word): 0.845 / 0.884, recall 0.986.
INNER_SHARE = 0.05
INNER_MIN_CHARS = 3
INNER_MARK_CHARS = 4


# A why-question ("ทำไมปีนี้ถึงเลือกเรื่อง…") is answered by a text that gives reasons; it says
# เหตุผล or สาเหตุ, words the reader has no need to type (and เหตุผล is one of pythainlp's stop
# words, dropped even when typed). They add to the score of what the question's words found,
# as a word of the question would, and find nothing alone. Dev splits of the six blind sets
# (276 questions, words only / hybrid MRR@10): 0.825 / 0.854 without, weighed 0.5 0.829 / 0.862,
# 1.0 0.833 / 0.862, 2.0 0.832 / 0.862. The same for who-questions (ผู้รับผิดชอบ) and
# when-questions (ระยะเวลา, กำหนดการ, ช่วงเวลา) did nothing or harm: 0.853 and 0.854.
WHY_WORDS = frozenset({"ทำไม", "เหตุใด", "เหตุไร", "เพราะอะไร", "เพราะเหตุใด", "ด้วยเหตุใด", "เพราะไร"})
REASON_WORDS = ("เหตุผล", "สาเหตุ")
REASON_FIELDS = {**WORD_FIELDS, "headings": PHRASE_FIELDS["headings"]}  # a heading that says เหตุผล


def asks_why(words: tuple[str, ...]) -> bool:
    """Whether a question's words ask why: a why word alone or cut in two (เพราะ + อะไร)."""
    return any(w in WHY_WORDS for w in words) or any(a + b in WHY_WORDS for a, b in pairwise(words))


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

    A word whose field counts add up to more than the number of assets (COMMON_SHARE),
    in the bodies of nearly all of them and the titles of many, ranks almost nothing
    (its IDF is low) yet costs the most to score, so when a question also has rarer
    words it only counts through the phrase bonus and the titles and tags that name it
    (Lucene's "common terms" idea). A word more than twice as common as the question's
    rarest word is treated the same way once it is above that share, so a question made
    only of common words still drops the commonest (ทำ). Set lower (a quarter), this
    dropped words that decide long situation questions: แผน and ความรู้ in questions
    about a KM plan whose every section holds them.
    """
    if lexicon is None or not lexicon.doc_count:
        return set(concepts)
    frequency = {w: lexicon.frequency(w) for w in concepts}
    found = [count for count in frequency.values() if count > 0]
    if not found:
        return set(concepts)
    # common = above COMMON_SHARE AND more than twice as common as the rarest word
    # the index has; a word it has never seen ("online" in "ภาษีป้าย online") counts as
    # absent: it selects nothing, so it must not make every other word "common".
    limit = max(COMMON_SHARE * lexicon.doc_count, 2 * min(found))
    return {w for w, count in frequency.items() if count <= limit}


def run_phrases(text: str, segmenter: Segmenter, lexicon: Lexicon | None) -> list:
    """For each space-separated run of several words: an exact-phrase bonus, and the
    index words that contain the whole run ("เลือดออก", segmented เลือด + ออก, inside
    "ไข้เลือดออก", which the index keeps as one word) as extra matching terms; and for
    two neighbours typed without a tone mark, the index words they begin once tone marks
    are ignored ("คา" + "รักษา" → "ค่ารักษาพยาบาล")."""
    extras: list = []
    for run in text.split():
        run_words = segmenter.words(run)
        if len(run_words) < 2:
            continue
        if lexicon is not None:
            extras.extend(_toneless_pairs(run_words, lexicon))
        extras.append(PhraseBonus(tuple(run_words), 2.0, exact=True))
        joined = "".join(run_words)
        if lexicon is not None and is_thai(joined):
            extras.extend(_part_terms(lexicon.containing(joined), 2.0))
            same = [w for w in lexicon.same_without_tones(joined) if w != joined]
            extras.extend(Q.Term(f, w, boost=2.0 * TONELESS_WEIGHT * b) for w in same[:TONELESS_WORDS]
                          for f, b in PART_FIELDS.items())
    return extras


def _toneless_pairs(words: list[str], lexicon: Lexicon) -> list[Q.Query]:
    """Terms for index words that two neighbouring words begin once tone marks are dropped,
    where the words as typed begin none (so correct text gains nothing and costs little)."""
    terms: list[Q.Query] = []
    for first, second in zip(words, words[1:], strict=False):
        joined = first + second
        if not (is_thai(first) and is_thai(second)) or len(joined) < 4 or lexicon.containing(joined, limit=1):
            continue
        found = [w for w in lexicon.starting_without_tones(joined, TONELESS_WORDS) if not w.startswith(joined)]
        terms.extend(Q.Term(f, w, boost=TONELESS_WEIGHT * b) for w in found for f, b in PART_FIELDS.items())
    return terms


def _inner_words(word: str, segmenter: Segmenter, lexicon: Lexicon | None) -> list[str]:
    """Index words inside a word of a question that few assets hold (at most INNER_SHARE of
    them), cut on its own word boundaries, longest first and none inside another: ได้ประโยชน์ →
    ประโยชน์, which the section on a plan's benefits says ("ประโยชน์ที่เทศบาลคาดว่าจะได้รับ")
    while only one other asset writes ได้ประโยชน์. A part is weaker evidence than the word: it
    adds to the score of an asset the question's words found, as a compound part would
    (PART_WEIGHT), but finds no asset on its own (กลาง of ส่วนกลาง would list every asset with
    อาหารกลางวัน) and does not count as holding the word (confidence.coverage). Stop words and
    pieces shorter than INNER_MIN_CHARS are left out: ได้ says nothing alone, and คอ of คอนกรีต
    and ฝน of ฝึกฝน are other words. A word typed alone keeps to itself: the reader asked for
    exactly it."""
    if lexicon is None or not is_thai(word) or lexicon.frequency(word) > INNER_SHARE * lexicon.doc_count:
        return []
    bounds = sorted(segmenter.part_boundaries(word))
    found: list[str] = []
    for span in range(len(bounds) - 1, 0, -1):  # the longest pieces first
        for start, end in zip(bounds, bounds[span:], strict=False):
            piece = word[start:end]
            if (piece != word and len(piece) >= INNER_MIN_CHARS and len(lexicon_units(piece)) > 1
                    and lexicon.frequency(piece) and piece not in stopwords()
                    and not any(piece in longer for longer in found)):
                found.append(piece)
    return found[:PART_WORDS]


def _part_terms(words: list[str], scale: float) -> list[Q.Query]:
    return [Q.Term(f, w, boost=scale * PART_WEIGHT * b) for w in words[:PART_WORDS] for f, b in PART_FIELDS.items()]


def _toneless_alternatives(word: str, lexicon: Lexicon | None) -> tuple[str, ...]:
    """Index words that differ from `word` only in tone marks (phones drop them: คา → ค่า).
    A word typed with its tone marks that the index holds is meant as typed (ห้า is not หา)."""
    if lexicon is None or not is_thai(word) or len(word) < 2:
        return ()
    if toneless(word) != word and word in lexicon:
        return ()
    return tuple(w for w in lexicon.same_without_tones(word) if w != word)[:TONELESS_WORDS]


def _phrase_fields(words: list[str], lexicon: Lexicon | None) -> dict[str, float]:
    """The fields a phrase of `words` is matched in: all, or titles and headings only when
    every one of its words is common (see COMMON_PHRASE_DOCS)."""
    if lexicon is None:
        return PHRASE_FIELDS
    rarest = min(lexicon.frequency(w) for w in words)
    if rarest > max(COMMON_PHRASE_DOCS, COMMON_PHRASE_SHARE * lexicon.doc_count):
        return {f: b for f, b in PHRASE_FIELDS.items() if f != "body"}
    return PHRASE_FIELDS


def _concept(alternatives: list[list[str]], compounds: list[str], toneless: tuple[str, ...] = (),
             counts: Lexicon | None = None) -> Q.Query:
    """One concept's clause: its spellings (`alternatives`, each a word or a phrase), the
    index words holding it (`compounds`, empty when it is not expanded) and its tone
    variants; `counts` tells common words from rare ones."""
    parts: list[Q.Query] = []
    parts.extend(Q.Term(f, w, boost=TONELESS_WEIGHT * b) for w in toneless for f, b in PART_FIELDS.items())
    for alt in alternatives:
        if len(alt) == 1:
            fields = NUMBER_WORD_FIELDS if any(ch.isdigit() for ch in alt[0]) else WORD_FIELDS
            parts.extend(Q.Term(f, alt[0], boost=b) for f, b in fields.items())
        else:
            parts.extend(Q.Phrase(f, alt, boost=b) for f, b in _phrase_fields(alt, counts).items())
    parts.extend(_part_terms(compounds, 1.0))
    return Synonyms(parts)
