"""Whether the engine stands behind its first result: the share of the question a document
holds (each word weighed by its IDF), closeness in meaning, and the document numbers asked for.

The page says ไม่พบเรื่องที่ตรง above results the engine is not sure of, and `/api/search`
says `confident: false`; the same share decides how much the meaning counts in the fusion
(fusion.py) and lifts, in the ranking, the candidates that speak to more of the question
(rerank.py).
"""

from __future__ import annotations

import math
import re

from ..thai.text import is_thai, normalize, normalize_cached
from .lexicon import Lexicon
from .query import ParsedQuery
from .question_numbers import reference_pattern

# The first result is "confident" when it holds at least this share of the question's
# weight (each content word weighs its IDF; a word the index has never seen weighs the most).
CONFIDENT_COVERAGE = 0.5
# The words' first result "holds" the question, and the meaning is weighed as a second opinion
# (fusion.SEMANTIC_WEIGHT), when it has this share of the question's weight: less than confidence asks,
# because a long question is rarely half in one asset even when the words found it. Dev splits of
# the four blind sets (217 queries, MRR@10): 0.2 0.831, 0.3 0.842, 0.35 0.841, 0.4 0.839, 0.5 0.827.
WORDS_HOLD_COVERAGE = 0.35
SEMANTIC_CONFIDENT = 0.86  # cosine that makes a first result confident even with few shared words...
# ...but not with almost none: a first result close in meaning that holds less than this share of the
# question's weight is near its topic, not its answer (ภ.ง.ด.91 ลดหย่อนค่าเลี้ยงดูพ่อแม่ found the child
# allowance at 0.86 through ยื่น alone). Dev splits (320 questions, 45 unanswerable), hybrid: 0.15
# turned 2 unanswerable questions down, 0.2 3 (17 → 14) and 2 wrong first answers, with no right
# one made unsure; 0.25 made 2 right ones unsure. Test splits, once: 21 unanswerable sure as before,
# 53 → 50 wrong first answers sure, no right one made unsure.
SEMANTIC_CONFIDENT_COVERAGE = 0.2


def sure(parsed: ParsedQuery, fields: dict, lexicon: Lexicon, cosine: float) -> bool:
    """Whether a first result answers the question: it holds enough of its words, or it is close
    in meaning and holds some of them, or it is about the document number asked for (or was
    sent out with it)."""
    held = coverage(parsed, fields, lexicon)
    return (held >= CONFIDENT_COVERAGE or cosine >= SEMANTIC_CONFIDENT and held >= SEMANTIC_CONFIDENT_COVERAGE
            or bool(parsed.references) and holds_reference(fields, parsed.references) == 2)


def covers(parsed: ParsedQuery, fields: dict, lexicon: Lexicon, share: float = CONFIDENT_COVERAGE) -> bool:
    """Whether a document holds enough of the question (`share` of its weight) to be shown as an answer."""
    return coverage(parsed, fields, lexicon) >= share


def coverage(parsed: ParsedQuery, fields: dict, lexicon: Lexicon) -> float:
    """The share of the question's weight a document holds (its title, tags or text).

    Each content word weighs its IDF; one the index has never seen weighs as much
    as the rarest word could, so a question about something the repository does
    not hold ("ตรวจหวยงวดนี้") is not answered by the one word it shares.
    """
    # the typed words a correction replaces stand for it; the others count as typed, known
    # to the index or not (กะ and ขาดเงิน of "สื๋อที่กะจะแจก…ขาดเงิน" are no typo of สื่อ)
    concepts = [w for w in parsed.concepts if w not in parsed.replaced] + list(parsed.additions)
    if not concepts:
        return 1.0
    meta = fields.get("meta") or {}
    # the body through the cache its phrase bonus and snippet use: one normalisation a search
    texts = (normalize(" ".join([meta.get("title", ""), *meta.get("tags", ())])),
             normalize_cached(fields.get("text", "")))
    total_docs = max(lexicon.doc_count, 1)
    have = want = 0.0
    for word in concepts:
        frequency = lexicon.frequency(word)
        if not frequency and not is_thai(word):
            continue  # "online", "app", "LINE": a Latin word the assets never use is no topic
        if len(word) < 2:
            continue  # ก of "ภาค ก": one letter is inside any text, so finding it proves nothing
        weight = math.log(1 + total_docs / (frequency + 1))
        want += weight
        if any(term in text for term in (word, *parsed.expansions.get(word, ())) for text in texts):
            have += weight
    return have / want if want else 1.0


def holds_reference(fields: dict, references: tuple[tuple[str, str], ...]) -> int:
    """2 when an asset's title, summary or the evidence of its dissemination holds one of the
    document numbers (951/2567) or circulars' numbers (ว 88), in either digits: it is about that
    document, or went out with it; 1 when only its text does: it cites it; else 0."""
    meta = fields.get("meta") or {}
    head = normalize(" ".join((meta.get("title", ""), meta.get("summary", ""), *meta.get("refs", ()))))
    for held, text in ((2, head), (1, normalize_cached(fields.get("text", "")))):
        if names_reference(text, references):
            return held
    return 0


def names_reference(text: str, references: tuple[tuple[str, str], ...]) -> bool:
    """Whether normalised `text` holds one of the document numbers or circulars' numbers."""
    return any(re.search(reference_pattern(first, number), text) for first, number in references)
