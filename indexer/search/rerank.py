"""The second step of the ranking: the words' best candidates (scoring.py) lifted by what
BM25F cannot see: the question's phrases in their text (phrases.py), how much of the question
each holds (confidence.py), an answer in the unit asked beside the question's words
(answers.py), and the document number asked for."""

from __future__ import annotations

from .answers import answer_finder
from .confidence import coverage, holds_reference
from .hits import StoredFields
from .lexicon import Lexicon
from .phrases import phrase_bonus
from .query import ParsedQuery
from .scoring import Scores
from .snippets import holds_answer

RERANK_DEPTH = 50  # candidates taken from the word query
PHRASE_DEPTH = 20  # of them, those whose text is checked for phrase bonuses (30 gave the same MRR, 9 % slower)
PHRASE_TITLE_WEIGHT = 12.0
PHRASE_BODY_WEIGHT = 3.0
# Coordination: each of those candidates gains this share of the best score times the share of
# the question's weight it holds (confidence.coverage), so an asset that speaks to more of a long question
# passes one that repeats a few of its words; BM25F saturates each word, it never rewards breadth.
# Dev splits of the four blind sets (217 queries, words only / hybrid MRR@10): 0 0.823 / 0.844,
# 0.15 0.830 / 0.851, 0.3 0.835 / 0.854, 0.45 0.833 / 0.847. A window of 80–600 characters
# (proximity) instead of the whole text did no better: 0.844–0.856.
COORDINATION_WEIGHT = 0.3
# A question that asks how many, how much, how long or when (answers.py): each of the first
# ANSWER_DEPTH candidates whose excerpt holds an answer in the unit asked beside two or more of
# the question's words gains this share of the best score. Dev splits of the seven blind sets
# (320 questions, 89 of them ask a number; words only / hybrid MRR@10): 0 0.871 / 0.894,
# 0.05 0.875 / 0.895, 0.1 0.878 / 0.896, 0.2 0.879 / 0.894, 0.3 0.881 / 0.898 (0.900 once
# วันทีเท่าไหร่ asks a date), 0.5 0.879 / 0.898; with one word beside the answer 0.875 / 0.895
# (0.1); any unit of time, 0.875 / 0.893.
ANSWER_WEIGHT = 0.3
ANSWER_WORDS = 2
ANSWER_DEPTH = 10  # of them, by score: dev MRR@10 the same as 20 (5: 0.880 / 0.899), a third less time


def rerank(stored_of: StoredFields, parsed: ParsedQuery, words: Scores, allowed, depth: int,
           lexicon: Lexicon) -> list[tuple[int, float]]:
    """Rank in two steps: the words pick the top candidates (scoring.py), then the top
    20 earn phrase bonuses checked in their text (see phrases.py) and a bonus for the
    share of the question they hold (COORDINATION_WEIGHT). A document outside the word
    query's top 50 cannot be lifted by either; that is the price of speed."""
    scores = dict(words.top(allowed, depth))
    head = list(scores)[:PHRASE_DEPTH]
    if parsed.phrases:
        for doc in head:
            fields = stored_of[doc]
            scores[doc] += phrase_bonus((fields.get("meta") or {}).get("title", ""), fields.get("text", ""),
                                        parsed.phrases, PHRASE_TITLE_WEIGHT, PHRASE_BODY_WEIGHT)
    if len(parsed.concepts) > 1 and head:
        first = max(scores[doc] for doc in head)
        for doc in head:
            scores[doc] += COORDINATION_WEIGHT * first * coverage(parsed, stored_of[doc], lexicon)
    answer = answer_finder(parsed.asks)
    if answer is not None and head:
        first = max(scores[doc] for doc in head)
        for doc in sorted(head, key=lambda doc: -scores[doc])[:ANSWER_DEPTH]:
            if holds_answer(stored_of[doc].get("text", ""), parsed.highlight_terms, answer, ANSWER_WORDS,
                            parsed.concept_of):
                scores[doc] += ANSWER_WEIGHT * first
    # a document number is an identifier: the assets that hold it come before those that
    # only share the question's words (คำสั่งที่ 488/2567 is not any order of the KM team),
    # and those whose title or summary names it before those whose text only cites it
    holding = ({doc: holds_reference(stored_of[doc], parsed.references) for doc in head}
               if parsed.references else {})
    order = sorted(scores, key=lambda doc: (-holding.get(doc, 0), -scores[doc], doc))
    return [(doc, scores[doc]) for doc in order]
