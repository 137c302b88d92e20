"""ไ typed for ใ, and ใ for ไ: ไคร for ใคร, ไหม่ for ใหม่, ไช้ for ใช้, ใด้ for ได้.

Thai writes the vowel ai two ways. ใ (mai muan) is used in twenty words only (ใคร ใหม่ ให้ ใช้
ใน ใจ ใกล้ …) and ไ (mai malai) in all others, so the two are among the commonest slips of
readers and of the plans they copy from. The speller leaves many of them wrong: it never
respells a word into a stop word, and ใคร, ให้, ใน and ใช่ are stop words, so วิทยากรเป็นไคร
was offered วิทยากรเป็นไปร, and ไครเป็นผู้สอน was offered นครเป็นผู้สอน. The segmenter cuts
such a slip into pieces (ไค + ร, ไห + ม่), and the question's words look fewer than they are.

A ไ or ใ in a word that nothing knows (the dictionary, the glossary, a visible asset), or one
lone letter, or in a word beside one, is switched to the other when the word it then stands in
is known and that leaves fewer unknown words around it (`ai_vowel_fixed`): โอนย้านไปอบต keeps
its ไป, though ย้านใปอบต would be one unknown word where ย้าน and ต are two. A word an asset
holds with other tone marks is switched only into a word an asset holds: ผู้ใหความรู้ (ให้
without its tone mark, which the speller reads) does not become ผู้ไหความรู้ (ไห, a jar, is a
word, but of no asset), while ใด้ becomes ได้. A word written right is never changed: ไจ, ไส
and ร้องไห้ are words, and a question whose words are all known has nothing to look at. The
exceptions are the three words of pythainlp's dictionary whose other spelling is a function
word, ไน, ไห้ and ไต้ (ใน, ให้, ใต้): archaic or bound (ร้องไห้ is one word), they count as
unknown unless an asset holds them. The names pythainlp lists with either vowel (ธีรไนย,
ใชนารา) stay. The search (engine.py) answers the question with the vowel switched, as it does
a known misspelling, and the page says so.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from itertools import pairwise

from pythainlp import thai_tonemarks

from ..thai.segment import Segmenter
from ..thai.text import is_thai, is_wordlike
from .question_words import CHAT_PARTICLES, stopwords
from .stretched import around, names_where, unknown_words

_OTHER = {"ไ": "ใ", "ใ": "ไ"}
# the polite particles that may follow a question's last word (ไหมคะ, ได้ไหมครับ)
CLAUSE_ENDS = ("ครับ", "คับ", "ค่ะ", "คะ", "ค่า", "ค้า", "ฮะ", "นะ", "จ้ะ", "จ๊ะ", "จ้า", *sorted(CHAT_PARTICLES))
_SWITCH = str.maketrans(_OTHER)
MAX_SWITCHES = 4  # per question: each costs two segmentings of a few words


def ai_vowel_fixed(text: str, segmenter: Segmenter, known: Callable[[str], bool], held: Callable[[str], bool],
                   retoned: Callable[[str], bool], cut: bool = False) -> str | None:
    """`text` (already cut to the search's limit) with each ไ or ใ typed for the other switched,
    or None when none was. `known(word)` says whether the dictionary, the glossary or a visible
    asset knows a word as typed, `held(word)` whether a visible asset holds it, `retoned(word)`
    whether one holds it with other tone marks only. With `cut` (the question was longer than
    the limit), its last word may be a word cut short (ใหม่ to ให), and is left."""
    if "ไ" not in text and "ใ" not in text:
        return None

    def sure(word: str) -> bool:
        """Known, and not a word no asset holds whose other ai makes a function word (ไน, ไห้, ไต้)."""
        return known(word) and (held(word) or word.translate(_SWITCH) not in stopwords())

    tokens = segmenter.tokens(text)
    starts = [0]
    for token in tokens:
        starts.append(starts[-1] + len(token))
    unknown = [i for i, token in enumerate(tokens)
               if is_wordlike(token) and is_thai(token) and (len(token) == 1 or not sure(token))]
    last = len(tokens) - 1 if cut else len(tokens)
    near = sorted({j for i in unknown for j in (i - 1, i, i + 1) if 0 <= j < last})
    places = [at for j in near for at in range(starts[j], starts[j + 1]) if text[at] in _OTHER][:MAX_SWITCHES]
    fixed = text
    for at in places:
        left, right = around(fixed, at, at + 1)
        if _in_a_name(fixed, at, left, right):
            continue
        other = fixed[:at] + _OTHER[fixed[at]] + fixed[at + 1:]
        typed, switched = segmenter.tokens(fixed[left:right]), segmenter.tokens(other[left:right])
        word, offset = _word_at(switched, at - left)
        # a tone slip of an asset's word (ให for ให้) is the speller's, unless an asset holds the
        # switched word as it is, or the word inside it that holds the vowel (ใด้ is ได้ and
        # อยากใด้ อยากได้, not ใด with a tone mark), and unless that makes a particle mid-clause
        was, within = _word_at(typed, at - left)
        if (sure(word) and (not retoned(was) or _held_at(word, offset, segmenter, held)
                            and not _mid_clause_particle(word, was, fixed[at - within + len(was):]))
                and unknown_words(switched, sure)[0] < unknown_words(typed, sure)[0]):
            fixed = other
    return fixed if fixed != text else None


@cache
def _names_with_ai() -> tuple[str, ...]:
    """The Thai names pythainlp lists that hold ไ or ใ (ธีรไนย, ทองใบ, ใชนารา): written so."""
    return names_where(lambda name: "ไ" in name or "ใ" in name)


def _in_a_name(text: str, at: int, left: int, right: int) -> bool:
    """Whether the vowel at `at` is part of a name written within `text[left:right]`."""
    for name in _names_with_ai():
        found = text.find(name, max(left, at - len(name) + 1), right)
        if 0 <= found <= at:
            return True
    return False


def _mid_clause_particle(word: str, typed: str, after: str) -> bool:
    """Whether switching `typed` (with no tone mark) into `word` would make a function word
    where no function word stands: one a Thai word follows with no space between, as in
    พนักงานใหมที่กองคลัง. There, ใหม is ใหม่ with its mark dropped, not ไหม: in the blind
    questions, ใหม่ was followed so 22 times and ไหม 3 (ไหมว่า), while at a clause's end, or
    before a space or a polite particle, ไหม stood 135 times and ใหม่ 13. The search drops a
    function word, so the switch would only lose ใหม่ and show a correction."""
    return (word in stopwords() and not any(mark in typed for mark in thai_tonemarks) and is_thai(after[:1])
            and not after.startswith(CLAUSE_ENDS))


def _word_at(tokens: list[str], at: int) -> tuple[str, int]:
    """The token of `tokens` that holds the character at offset `at` of their text, and the
    character's offset in it."""
    for token in tokens:
        if at < len(token):
            return token, at
        at -= len(token)
    return "", 0


def _held_at(word: str, offset: int, segmenter: Segmenter, held: Callable[[str], bool]) -> bool:
    """Whether an asset holds `word`, or the dictionary word inside it at `offset`."""
    if held(word):
        return True
    bounds = sorted(segmenter.part_boundaries(word) | {0, len(word)})
    return any(start <= offset < end and held(word[start:end]) for start, end in pairwise(bounds))


def ai_slipped(question: str, tokens: list[str]) -> str:
    """`question` with its first ไ typed as ใ, or its first ใ as ไ (ใคร → ไคร, ได้ → ใด้). For the checks."""
    for at, char in enumerate(question):
        if char in _OTHER:
            return question[:at] + _OTHER[char] + question[at + 1:]
    return question
