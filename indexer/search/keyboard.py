"""Questions typed with the keyboard on the wrong layout.

Thai readers switch between the Thai (Kedmanee) and the English layout with one key, and
often type a question before noticing which one is on: ลาป่วยได้กี่วัน comes out as
"]kxj;pwfhduj;yo", and KPI typed on the Thai layout as "ษญณ". No index word matches such
text, and a speller that looks one slip away cannot reach it: every letter is wrong.
pythainlp knows both layouts (`eng_to_thai`, `thai_to_eng`); this module decides when a
piece of a question was typed on the other one, so that nothing a reader meant is "fixed":

- Pieces between spaces are switched, and so are runs of keys glued to Thai inside a piece:
  Thai needs no spaces, so a reader who hits the layout key mid-question goes on in the same
  piece ("ลาป่วยwfhduj;yo" is ลาป่วยได้กี่วัน). Keys are switched only when they read as Thai
  on the other layout: they start with a consonant or a vowel written first, hold nothing
  but Thai letters and signs, and at least THAI_SHARE of their letters fall in words of two
  letters or more that the dictionary, the glossary or a visible asset knows. Unless Thai
  the reader typed right is glued to them, one of the words switched must be no stop word.
- Keys stay as typed when a reader types them so on purpose: two keys, or three letters
  ("ski" would read as หาร), English words of pyspellchecker's list or words the index holds
  making up half of them or more (checklist, e-GP, ใช้Excel), a number (68, 488/2567), an
  address (@, ://, .go.th). Capitals the index holds (CKO, KPI) stay inside switched keys,
  and so do digits when the keys read as Thai only with them (ปี68); what is left to switch
  around them must be as long as keys switched on their own ("okKPI" stays).
- Once keys are switched, the short ones elsewhere in the question are too when they read as
  Thai words (",u" is มี, "xu68" is ปี68, "q" is ๆ, "กี่8o" is กี่คน).
- The other way, a Thai piece of at most MAX_LATIN_WORD letters that nothing knows is
  switched only when the index holds the Latin word it gives ("ษญณ" → KPI).

Measured over the blind questions (all splits): none of the 655 as written and none of
22,101 with one slip in a word is switched, nor any of 128,112 English words (alone, and
glued before and after Thai), 13,937 short words in capitals and the Latin words the sample
assets, the KM-plan sections and the questions write, glued to Thai. 609 of the 641
questions typed on the English layout come back exactly (the others also hold a typo, a
word of one letter, or digits inside a word that reads as Thai either way), and 1,090 of
1,164 typed with the layout toggled at a word glued to Thai (the others leave only a stop
word or a short word to switch, or hold a typo).

The search (engine.py) treats a switched question as a known misspelling: the results are
for the switched question and the page says so, with a link to the question as typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pythainlp.util import eng_to_thai, thai_to_eng

from ..thai.digits import arabic_digits
from ..thai.segment import Segmenter
from ..thai.text import normalize
from .known import english_words
from .question_words import stopwords

THAI_SHARE = 0.8   # of a switched piece's letters, in words that something knows
MIN_PIECE = 3      # keys: "ok", "hr", "it" are what they are (unless the rest of the question was switched)
MAX_PIECES = 12    # pieces of a question checked (a question is cut at 200 characters before this)
MAX_LATIN_WORD = 16  # Thai keys typed for a Latin word: checklist, KPI, e-GP
# what a Thai word starts with: a consonant or a vowel written before it (never a sign or tone mark)
THAI_STARTS = frozenset(chr(c) for c in range(0x0E01, 0x0E2F)) | frozenset("เแโใไ")
_LATIN = re.compile("[A-Za-z]")
_NUMBER = re.compile(r"[\d/.,:+-]+")  # 68, 488/2567, 18.30: typed as numbers, whatever they map to
# an address: ใ is the "." key, so a dot between letters is no sign of one (น + ใ + ห = "o.s")
_ADDRESS = re.compile(r"@|://|^www\.|\.(?:com|net|org|go\.th|or\.th|ac\.th|in\.th)\b", re.IGNORECASE)
_LATIN_RUN = re.compile("[A-Za-z]+")
_RUNS = re.compile("[\u0e00-\u0e7f]+|[^\u0e00-\u0e7f]+")  # Thai, and what is not
MAX_RUNS = 8  # runs of one piece checked: a layout toggled a few times in one piece at most
# KPI, CKO: typed on purpose when the assets write them; letters only, so that no digit is in
# two of the spans kept as typed (ปี68 keeps its digits apart)
_CAPITALS = re.compile("[A-Z]{2,}")
_THAI_LETTER = re.compile("[\u0e01-\u0e4e]")
_DIGITS = re.compile("[0-9]+")  # ปี68: a reader on the English layout types a year as digits


def switched_layout(text: str, segmenter: Segmenter, known: Callable[[str], bool],
                    in_index: Callable[[str], bool]) -> str | None:
    """`text` (already cut to the search's limit) with every piece typed on the wrong layout
    switched, or None when no piece was. `known(word)` says whether the dictionary, the
    glossary or a visible asset knows a Thai word, `in_index(word)` whether a visible asset
    holds a word that is no stop word. The switched pieces must name something: ",u.8i[hk'"
    is มีใครบ้าง, all stop words, and is switched only beside a piece that does."""
    pieces = re.split(r"(\s+)", text or "")
    words = [i for i, piece in enumerate(pieces) if piece and not piece.isspace()][:MAX_PIECES]
    switched = {i: other for i in words if (other := _other_layout(pieces[i], segmenter, known, in_index))}
    # keys glued to Thai the reader typed right need not name anything: "มีvtwi[hk'" is มีอะไรบ้าง
    if not any(not pieces[i].isascii() for i in switched) and not any(
            len(word) >= 2 and word not in stopwords() and known(word)
            for other in switched.values() for word in segmenter.words(normalize(other))):
        return None
    for i in words:  # what is left short beside them: ",u" is มี, "xu68" is ปี68, "q" is ๆ; "กี่8o" is กี่คน
        runs = _RUNS.findall(switched.get(i, pieces[i]))
        short = [(run.isascii() and (_short_keys(run, segmenter, known, in_index)
                                     or _other_keys(run, segmenter, known, in_index, beside=True))) or run
                 for run in runs[:MAX_RUNS]]
        if short != runs[:MAX_RUNS]:
            switched[i] = "".join(short + runs[MAX_RUNS:])
    return "".join(switched.get(i, piece) for i, piece in enumerate(pieces))


def _short_keys(keys: str, segmenter: Segmenter, known: Callable[[str], bool],
                in_index: Callable[[str], bool]) -> str | None:
    """Two keys or three letters (too short to switch on their own) as the Thai they type, when
    that is a word something knows and no asset holds the keys."""
    if len(keys) >= MIN_PIECE + keys.isalpha():
        return None
    other = eng_to_thai(keys)
    if other == "ๆ" or (_reads_as_thai(other, segmenter, known, share=1.0) and not in_index(keys.lower())):
        return other
    return None


def _other_layout(piece: str, segmenter: Segmenter, known: Callable[[str], bool],
                  in_index: Callable[[str], bool]) -> str | None:
    """The piece as the other layout types it, when that is what the reader meant."""
    runs = _RUNS.findall(piece)
    if len(runs) > 1:
        # the layout toggled inside the piece: "ลาป่วยwfhduj;yo" is ลาป่วยได้กี่วัน. Thai needs no
        # spaces, so a reader who notices mid-question goes on in the same piece. Only the runs of
        # keys are switched, each as a piece of its own would be: "ระบบe-GP", "ใช้Excel" stay.
        switched = [(_other_keys(run, segmenter, known, in_index) if run.isascii() else None) or run
                    for run in runs[:MAX_RUNS]] + runs[MAX_RUNS:]
        return "".join(switched) if switched != runs else None
    if piece.isascii():
        return _other_keys(piece, segmenter, known, in_index)
    if len(piece) > MAX_LATIN_WORD or not all("\u0e00" <= ch <= "\u0e7f" for ch in piece):
        return None
    latin = thai_to_eng(piece)  # a dictionary lookup first: most Thai pieces give punctuation
    if not (latin.isascii() and _LATIN.search(latin) and in_index(latin.lower())):
        return None
    return None if known(piece) or _reads_as_thai(piece, segmenter, known, share=0.5) else latin


def _other_keys(piece: str, segmenter: Segmenter, known: Callable[[str], bool],
                in_index: Callable[[str], bool], beside: bool = False) -> str | None:
    """Keys typed on the English layout (`piece` is ASCII) as the Thai they type, when that is
    what the reader meant. `beside`: another piece of the question was switched, so a few keys
    left beside capitals or digits are enough ("xu68" is ปี68)."""
    if len(piece) < MIN_PIECE + piece.isalpha() or _NUMBER.fullmatch(piece) or _ADDRESS.search(piece):
        return None  # "ski" would read as หาร: a word of three letters is what it is
    # capitals the assets write (CKO, KPI) were typed on purpose amid the wrong layout:
    # "เป็นCKOแทน" typed on the English layout is "xHoCKOcmo"
    kept = [match.span() for match in _CAPITALS.finditer(piece) if in_index(match.group().lower())]
    typed = _outside(piece, kept)
    runs = [run.lower() for part in typed for run in _LATIN_RUN.findall(part) if len(run) >= MIN_PIECE]
    if 2 * sum(len(run) for run in runs if run in english_words() or in_index(run)) >= len(piece):
        return None  # English, or a word the assets write (checklist, e-GP): typed on purpose
    # digits are Thai letters on the Thai layout (8 is ค, 5 is ถ) or digits typed as such
    # (ปี68): whichever reads as more of Thai
    best, share = None, THAI_SHARE
    for spans in (kept, sorted(kept + [m.span() for m in _DIGITS.finditer(piece)])):
        keys = _outside(piece, spans)
        if len(rest := "".join(keys)) < MIN_PIECE + rest.isalpha() and not (beside and rest):
            continue  # "okKPI", "68ok": too few keys left to switch, as "ok" on its own
        typed = [eng_to_thai(part) for part in keys]
        shares = [_known_share(part, segmenter, known) for part in typed]
        if min(shares) >= THAI_SHARE and sum(shares) / len(shares) > share:
            best, share = _switch_outside(piece, spans), sum(shares) / len(shares)
    return best


def _outside(piece: str, spans: list[tuple[int, int]]) -> list[str]:
    """The parts of `piece` outside `spans` (sorted, not overlapping)."""
    parts, at = [], 0
    for start, end in spans:
        parts.append(piece[at:start])
        at = end
    parts.append(piece[at:])
    return [part for part in parts if part]


def _switch_outside(piece: str, spans: list[tuple[int, int]]) -> str:
    out, at = [], 0
    for start, end in spans:
        out += [eng_to_thai(piece[at:start]), piece[start:end]]
        at = end
    return "".join(out) + eng_to_thai(piece[at:])


def _reads_as_thai(thai: str, segmenter: Segmenter, known: Callable[[str], bool], share: float = THAI_SHARE) -> bool:
    """Whether `thai` is Thai someone would write (see _known_share)."""
    return _known_share(thai, segmenter, known) >= share


def _known_share(thai: str, segmenter: Segmenter, known: Callable[[str], bool]) -> float:
    """The share of `thai` in words of two letters or more that something knows; 0 unless every
    character is a Thai letter or sign (or the Thai full stop) and the first one can start a word."""
    if not thai or thai[0] not in THAI_STARTS or not all("\u0e01" <= ch <= "\u0e4e" or ch == "." for ch in thai):
        return 0.0
    covered = sum(len(word) for word in segmenter.words(normalize(thai)) if len(word) >= 2 and known(word))
    return covered / len(thai)


def typed_on_english_layout(question: str) -> str:
    """`question` as a reader types it with the English layout on: each Thai letter and sign,
    and the Thai full stop, becomes the key that types it; Latin words, spaces and digits
    (Thai digits as Arabic ones, the English layout has no others) stay. For the checks."""
    return "".join(thai_to_eng(ch) if "\u0e00" <= ch <= "\u0e7f" or ch == "." else ch
                   for ch in arabic_digits(question))


def toggled_midway(question: str, tokens: list[str]) -> str:
    """`question` as a reader types it who hits the layout key by mistake in the middle of it:
    from the start of its middle word written against the Thai before it (Thai needs no
    spaces, so the keys that follow are glued to it), the rest is typed on the English layout.
    `tokens` are all of the question's words, spaces and punctuation, in order. The question is
    returned unchanged when no word is written against Thai. For the checks."""
    starts, at = [], 0
    for token in tokens:  # they lose nothing: each begins where the one before ends
        if at and _THAI_LETTER.match(question[at - 1]) and _THAI_LETTER.match(token):
            starts.append(at)
        at += len(token)
    if not starts:
        return question
    cut = starts[len(starts) // 2]
    return arabic_digits(question[:cut]) + typed_on_english_layout(question[cut:])
