"""The same question as readers type it on a phone or in a chat: with a polite or a chat particle
after it, framed as a request to a colleague, with a space between every word or with no space at all,
with its abbreviations said in Thai letter names, with a letter held down as in a chat, with the
English keyboard layout on, for the whole question or from its middle on, or with ไ typed for ใ
or the other way round.

Each variant but the last three is still correctly spelled: none may be given a suggestion, and its
answers should come back about where they did. The last three are misspellings (their kind starts
with "typo:"): they should be switched back (keyboard.py, ai_vowel.py) and answered as the question is.
`python -m indexer eval FILE --variants` prints each variant's figures beside the questions
as written, and tests/test_relevance.py asserts that no correctly spelled variant of a test
question is given a suggestion and that the variants together lose little.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from .ai_vowel import ai_slipped
from .evaluation import Judgement, derived, misspelt
from .keyboard import toggled_midway, typed_on_english_layout
from .letters import said_in_letter_names
from .stretched import stretched

# name -> the question rewritten, given the question and its tokens (words, spaces and punctuation)
VARIANTS: dict[str, Callable[[str, list[str]], str]] = {
    "particle": lambda q, tokens: q + "ครับ",  # written against the question, as most do
    "spaced-particle": lambda q, tokens: q + " ค่ะ",
    "chat-particle": lambda q, tokens: q + "อ่ะ",  # as typed in a chat
    "framed": lambda q, tokens: "รบกวนสอบถามหน่อยค่ะ " + q,
    "word-spaced": lambda q, tokens: " ".join(t for t in tokens if t.strip()),
    "unspaced": lambda q, tokens: _UNNEEDED_SPACE.sub("", q),
    # abbreviations said in Thai letter names (KPI as เคพีไอ): spelled right, read back silently
    "letter-names": said_in_letter_names,
    # a word's last letter held down, as in a chat (ลาป่วยยยย): spelled right, cut back silently
    "stretched": stretched,
    # typed with the English layout on: a misspelling (typo:…), so a correction is expected
    "typo:wrong-layout": lambda q, tokens: typed_on_english_layout(q),
    # the layout key hit in the middle of the question: the rest glued to the Thai before it
    "typo:layout-toggled": toggled_midway,
    # the question's first ไ typed as ใ or ใ as ไ (ได้ as ใด้, ใคร as ไคร): switched back
    "typo:ai-vowel": ai_slipped,
}
# a space Thai does without: any but one between two Latin letters or digits ("leave form")
_UNNEEDED_SPACE = re.compile(r"\s+(?![A-Za-z0-9])|(?<![A-Za-z0-9])\s+")


def variant_judgements(judgements: Iterable[Judgement], tokens: Callable[[str], list[str]]) -> list[Judgement]:
    """Every variant of every correctly spelled question of `judgements` (answerable or not),
    judged as the question is; its kind is the variant's name. A variant that writes the
    question unchanged (no space to take out) is left out."""
    made: list[Judgement] = []
    for judgement in judgements:
        if misspelt(judgement.kind):
            continue
        parts = tokens(judgement.query)
        for name, rewrite in VARIANTS.items():
            query = rewrite(judgement.query, parts)
            if query != judgement.query:
                made.append(derived(judgement, query, name, name))
    return made
