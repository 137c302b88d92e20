"""Did-you-mean: corrections for the words of a query that nobody knows.

The rule readers can rely on: a word that the index, pythainlp's dictionary or the
glossary knows is never corrected ("ลาคลอดได้กี่วัน" stays as typed). Only an unknown
word is, from the index's own words (same consonant skeleton, or one edit away; two
for long words), possibly joined with its neighbours, since a typo often splits one
word in two ("ลาปวย" → ลา + ปวย → ลาป่วย). What a typo leaves of a word counts as
unknown even where the index holds it: a lone letter inside a word (พนักงาง → พนัก +
งา + ง; the index knows ง from list markers) and a piece known only with other tone
marks (ลาป๋วย), which is corrected only together with its neighbours; so is a short piece
only the dictionary knows and general Thai rarely writes (ปรชุม → ปร + ชุม → ประชุม): what
the reader typed there is no word of any dictionary, only its pieces are. A slip can also
type real words (กาลเรียนรู้ → กาล + เรียนรู้): two or three neighbours, one of them a word no
visible asset holds, are joined and respelt when the join is one look-alike letter, tone
mark or dropped vowel sign from an index word (การเรียนรู้). A word one such slip away that
the index holds only inside its compounds (ทัณฑ์ of ทัณฑ์บน), or that the glossary relates to
the assets' words (ศพด, อุทกภัย), is a candidate too: pythainlp's dictionary says it is a word,
the assets that it is what the reader meant. Candidates are
ranked by a typing distance in which look-alike and sound-alike letters and tone marks
count half (ไช้ → ใช้, not ไปไช้ → ไปได้). The correction is offered beside the
results as typed, and its words are added to the query at a lower weight; results
are replaced by the correction's only when the words as typed find nothing.

"The index" here is only what the reader may see: `seen(word)` says whether a visible
document holds a word (see visibility.py), so a word only a draft holds is neither
confirmed as known nor proposed. Which words are known: known.py; names, which are
never corrected: names.py; a correction, and the question with it in place: corrections.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pythainlp.soundex import soundex

from ..thai.glossary import Glossary
from ..thai.segment import Segmenter
from ..thai.text import is_thai
from .corrections import Correction
from .known import MIN_LATIN_CHARS, KnownWords
from .lexicon import Lexicon
from .names import titled_names
from .question_words import dotted_abbreviations, spaced_after, stopwords, stray_letters
from .slips import HALF_SLIP, SOUND_SLIP, final_by_sound, slip_variants, typing_distance

MIN_THAI_CHARS = 3   # shorter unknown Thai pieces are corrected only together with a neighbour
JOIN_WORDS = 3       # a typo's pieces are joined with up to this many neighbours (นว + ตก + รร + ม)
MAX_JOINED = 32      # characters: longer joins are phrases, not one word with a typo in it
# Looking up every one-letter change of a piece (lexicon.corrections(anywhere=True)) costs
# about 0.6 ms; a query gets this many, on pieces of at most ANYWHERE_CHARS characters (a
# longer word keeps its first letters right often enough), so a query of random letters
# costs no more than a few milliseconds more than one with one typo.
ANYWHERE_LOOKUPS = 16
ANYWHERE_CHARS = 12
MAX_FRAGMENTS = 4    # fragments tried a query: a typo leaves one to three; a string of them is no question
SLIP_WORDS = 3       # neighbouring words joined to look for a slip that typed real words


class Speller(KnownWords):
    """Finds unknown words and their likely spellings."""

    def __init__(self, segmenter: Segmenter, glossary: Glossary):
        self.segmenter = segmenter
        self.glossary = glossary
        self._glossary_words = frozenset(glossary.dictionary_words)

    def _drops_a_word(self, pieces: tuple[str, ...], candidate: str) -> bool:
        """Whether `candidate` is `pieces` with a dictionary word of two letters or more left out:
        แก้ไข for แก้ไข + ชน is not a spelling, it is a shorter question (ลาป่วย for ลาป่วย + ย is)."""
        for a in range(len(pieces)):
            for b in range(a + 1, len(pieces) + 1):
                if (b - a < len(pieces) and "".join(pieces[a:b]) == candidate
                        and any(len(w) >= 2 and self.segmenter.is_word(w) for w in pieces[:a] + pieces[b:])):
                    return True
        return False

    def _dictionary_slips(self, typed: str, lexicon: Lexicon, seen: Callable[[str], bool]) -> list[str]:
        """Words one phone slip from `typed` (slip_variants) that the index does not hold as
        words of their own, but a reader may well have meant: a word of the dictionary (the
        glossary's words included) that a visible asset holds inside a compound (ทณฑ์ → ทัณฑ์
        of ทัณฑ์บน, เป็นทรรม → เป็นธรรม of ความเป็นธรรม) or that the glossary relates to the
        assets' words (สพด → ศพด, อุทกภย → อุทกภัย, which the assets write น้ำท่วม). Never a
        stop word: the search would drop it, and with it what the reader typed."""
        found = []
        for variant in dict.fromkeys(slip_variants(typed)):
            if variant in lexicon or not self.segmenter.is_word(variant) or variant in stopwords():
                continue  # an index word is the index's own candidate (lexicon.corrections)
            if self.glossary.synonyms_of(variant) or self._in_a_compound(variant, lexicon, seen):
                found.append(variant)
        return found

    def corrections(self, words: tuple[str, ...], text: str, lexicon: Lexicon, seen: Callable[[str], bool],
                    index_only: bool = False, cut: bool = False,
                    names: frozenset[str] = frozenset()) -> list[Correction]:
        """Corrections for the unknown words of `words` (the words of `text`), left to right,
        never overlapping. When the query was `cut` to its longest, its last word may be a
        word cut short (อย่างไ of อย่างไร): it is not corrected, nor joined to a correction.
        The words in `names` (typed_names) are names as the reader typed them, never corrected."""
        found: list[Correction] = []
        stray = stray_letters(words, text)
        budget = [ANYWHERE_LOOKUPS]
        fragments = 0
        spaced = spaced_after(words, text)
        as_typed = titled_names(words, spaced) | dotted_abbreviations(words, text)  # names, ก.ถ.
        kept = self._in_listed_terms(words) | as_typed | {j for j, word in enumerate(words) if word in names}
        parted = _parted(words, spaced, as_typed)
        open_tails = _open_tails(words, text, lexicon, seen)
        i = 0
        while i < len(words):
            fix = bound = None  # bound: (the farthest slip, whether words[i] may only be joined)
            if i in kept:
                pass
            elif index_only and (slip := _short_latin_slip(words[i], lexicon, seen)):
                fix = Correction(i, i + 1, slip)
            elif i in stray or not self.is_known(words[i], lexicon, seen, index_only):
                bound = (None, False)
            elif (known := self._slip_bound(words, i, lexicon, seen, fragments < MAX_FRAGMENTS)) is not None:
                fragments += known[1]
                bound = (known[0], True)
            if bound is not None:
                fix = self._best(words, i, lexicon, seen, found[-1].end if found else 0, budget, index_only,
                                 joined_only=bound[1], max_slip=bound[0], parted=parted, open_tails=open_tails)
            if fix is None:
                i += 1
            else:
                found.append(fix)
                i = fix.end
        found = self._widened(words, spaced, self._real_word_slips(words, spaced, found, lexicon, seen, as_typed),
                              lexicon, seen)
        return [fix for fix in found if not (cut and fix.end == len(words))]

    def _slip_bound(self, words: tuple[str, ...], i: int, lexicon: Lexicon, seen: Callable[[str], bool],
                    fragments_left: bool) -> tuple[float, bool] | None:
        """How far a correction taking in the known words[i] may be from what was typed, and
        whether words[i] is a dictionary fragment (one of MAX_FRAGMENTS a query); None when
        it stays as typed."""
        if fragments_left and self._dictionary_fragment(words, i, lexicon, seen):
            return 1.0, True
        if self.tone_variant_only(words[i], lexicon, seen):
            # ความรู๊: รู๊ passes as รู้, but the word is ความรู้. Only a tone slip away, though:
            # ใหม is read as ใหม่, and ทำใหม is no ทำให้ (a letter changed)
            return HALF_SLIP, False
        return None

    @staticmethod
    def _widened(words: tuple[str, ...], spaced: set[int], found: list[Correction], lexicon: Lexicon,
                 seen: Callable[[str], bool]) -> list[Correction]:
        """`found`, each correction taking in the neighbours written against it when together
        they are a longer word of the index, the neighbours on both sides first: นัก + ทร + พ +
        ยา + กร + บุคคล is corrected as ทร…กร → ทรัพยากร, but the assets write ทรัพยากรบุคคล
        as one word, and ทรัพยากร alone is in a few of them. `spaced`: spaced_after."""
        widened: list[Correction] = []
        for n, fix in enumerate(found):
            first = widened[-1].end if widened else 0
            last = found[n + 1].start if n + 1 < len(found) else len(words)
            left = fix.start > first and fix.start - 1 not in spaced and is_thai(words[fix.start - 1])
            right = fix.end < last and fix.end - 1 not in spaced and is_thai(words[fix.end])
            for start, end in ((fix.start - left, fix.end + right), (fix.start - left, fix.end),
                               (fix.start, fix.end + right)):
                joined = "".join(words[start:fix.start]) + fix.replacement + "".join(words[fix.end:end])
                if (start, end) != (fix.start, fix.end) and joined in lexicon and seen(joined):
                    fix = Correction(start, end, joined)
                    break
            widened.append(fix)
        return widened

    def _real_word_slips(self, words: tuple[str, ...], spaced: set[int], found: list[Correction], lexicon: Lexicon,
                         seen: Callable[[str], bool], as_typed: frozenset[int] = frozenset()) -> list[Correction]:
        """`found` with the slips that typed real words: two or three neighbouring words
        written together, one of them a word no visible asset holds, whose join no source
        knows and is one slip from a word of the index (Lexicon.slips: a look-alike or
        sound-alike letter, a tone mark added or changed, a dropped vowel sign; กาล + เรียนรู้ →
        การเรียนรู้, อบ + ลม → อบรม, เป๋า + หมาย → เป้าหมาย, ข้น + ตอน → ขั้นตอน). A word alone
        is never respelt this way: กาล and ลาย are words, and only their neighbours tell they
        were meant as การ and ราย. Nor is a join the glossary, the informal words or the names
        know (แห + ลง is แหลง, southern for to speak, not แหล่ง). Words every one of which some
        asset uses (ดู ว่า, not ดุว่า; มา นั่ง, not ม้านั่ง) are left as typed, and so are words the
        reader parted with a space (`spaced`: spaced_after)."""
        taken = {j for fix in found for j in range(fix.start, fix.end)} | as_typed
        slips: list[Correction] = []
        i = 0
        while i < len(words) - 1:
            fix = None
            for end in range(min(len(words), i + SLIP_WORDS), i + 1, -1):  # the longest join first
                span = words[i:end]
                if (any(j in taken for j in range(i, end)) or any(j in spaced for j in range(i, end - 1))
                        or not all(is_thai(w) for w in span)):
                    continue
                joined = "".join(span)
                if (joined in lexicon or self.segmenter.is_word(joined) or self._listed(joined)
                        or all(w in lexicon and seen(w) for w in span) or all(w in stopwords() for w in span)):
                    continue
                candidates = [c for c in lexicon.slips(joined) if seen(c)]
                if candidates:
                    fix = Correction(i, end, max(candidates, key=lambda c: (lexicon.frequency(c), c)))
                    break
            if fix is None:
                i += 1
                continue
            slips.append(fix)
            i = fix.end
        return sorted(found + slips, key=lambda fix: fix.start)

    def _best(self, words: tuple[str, ...], i: int, lexicon: Lexicon, seen: Callable[[str], bool],
              free_from: int, budget: list[int], index_only: bool = False,
              joined_only: bool = False, max_slip: float | None = None,
              parted: frozenset[int] | set[int] = frozenset(),
              open_tails: frozenset[int] = frozenset()) -> Correction | None:
        """The closest index word for words[i], alone (unless `joined_only`) or joined with up
        to JOIN_WORDS neighbours, never across the positions in `parted` (words the reader ended
        with a space). `budget` holds the one-letter-change lookups the query has left;
        `max_slip` bounds the typing distance of a correction (one slip for a dictionary fragment).
        When the question ends in the start of a longer index word (from a piece in `open_tails`),
        the reader may have sent it unfinished: a span inside that start is only completed (ขั้ →
        ขั้น), never respelt (ค่ารักษาพยาบ is on its way to ค่ารักษาพยาบาล; its พยาบ is not พยาน).

        With `index_only` (the words as typed found nothing), a dictionary word alone is
        replaced only by a word that sounds the same (pythainlp's LK82 soundex: เกษียน →
        เกษียณ): a different word one letter away (บอล → บอก in "ผลบอล…") is another word,
        not a typo, and the repository simply does not hold what the reader asked for. A
        typo that splits a word (พิจาร + นา) is corrected across its pieces as before."""
        best = None
        for start, end, joined in _spans(words, i, free_from, parted, joined_only):
            whole_word = index_only and end - start == 1 and self.segmenter.is_word(joined)
            if whole_word and joined in stopwords():
                continue  # หน่อย of "…สอบถามหน่อยค่ะ" is what the reader typed, not a slip of หน่วย
            unfinished = end == len(words) and any(k <= start for k in open_tails)
            for candidate in self._candidates(joined, lexicon, seen, budget, whole_word):
                if whole_word and not sounds_alike(joined, candidate):
                    continue
                if unfinished and not candidate.startswith(joined):
                    continue
                if self._drops_a_word(words[start:end], candidate) or _drops_a_letter(words[start:end], candidate):
                    continue
                distance = typing_distance(joined, candidate)
                if distance > SOUND_SLIP and final_by_sound(joined, candidate):
                    distance = SOUND_SLIP  # บุด → บุตร (two letters) before จุด (one letter, another sound)
                if max_slip is not None and (distance > max_slip or candidate in stopwords()):
                    continue  # a dictionary fragment respelt into a stop word (ที่ + ฉุด → ที่สุด) would vanish
                key = (distance, -(end - start), -lexicon.frequency(candidate))
                if best is None or key < best[0]:
                    best = (key, Correction(start, end, candidate))
        return best[1] if best else None

    def _candidates(self, joined: str, lexicon: Lexicon, seen: Callable[[str], bool], budget: list[int],
                    whole_word: bool) -> list[str]:
        """The visible index words close to `joined`, then the dictionary's words one slip
        away (_dictionary_slips). A one-letter change anywhere is looked up while `budget`
        lasts, never for a `whole_word` of the dictionary: that is only respelt (its
        skeleton kept): ลีก is not ลอก."""
        maxdist = 1 if len(joined) < 7 else 2
        anywhere = not whole_word and len(joined) <= ANYWHERE_CHARS and budget[0] > 0
        budget[0] -= anywhere
        indexed = [c for c in lexicon.corrections(joined, maxdist, anywhere=anywhere)[:5]
                   if lexicon.frequency(c) >= 1 and seen(c)]
        # the dictionary's words one slip away: as costly as the one-edit lookup, and counted with it
        return indexed + (self._dictionary_slips(joined, lexicon, seen) if anywhere else [])


def _parted(words: tuple[str, ...], spaced: set[int], as_typed: frozenset[int]) -> set[int]:
    """The positions after which no correction joins words: a space the reader typed next
    to a stop word ends a word (ที่ มท, the Ministry of Interior's letter numbers, is no
    split ที่มา; ลา ปวย may still be ลาป่วย), and a name or letters with dots (`as_typed`)
    are joined to nothing either. `spaced`: spaced_after."""
    parted = {j for j in spaced
              if words[j] in stopwords() or (j + 1 < len(words) and words[j + 1] in stopwords())}
    parted.update(j for k in as_typed for j in (k - 1, k))
    return parted


def _open_tails(words: tuple[str, ...], text: str, lexicon: Lexicon, seen: Callable[[str], bool]) -> frozenset[int]:
    """Where the question's last pieces, joined, start a longer visible index word (พยาบ of
    พยาบาล, ค่ารักษาพยาบ of ค่ารักษาพยาบาล): the reader may have sent it before finishing it."""
    if not words or not text.rstrip().lower().endswith(words[-1]):
        return frozenset()
    return frozenset(k for k in range(max(0, len(words) - JOIN_WORDS - 1), len(words))
                     if len(tail := "".join(words[k:])) >= 2 and lexicon.begins(tail, seen))


def _spans(words: tuple[str, ...], i: int, free_from: int, parted: frozenset[int] | set[int],
           joined_only: bool) -> Iterator[tuple[int, int, str]]:
    """The spans a correction of words[i] may replace, as (start, end, their letters): words[i]
    alone (unless `joined_only`) or with up to JOIN_WORDS Thai neighbours, never before
    `free_from` (the end of the last correction) nor across `parted`, and neither too short
    to guess nor too long to be one word."""
    starts = [i]
    while (len(starts) <= JOIN_WORDS and starts[-1] > free_from and is_thai(words[starts[-1] - 1])
           and is_thai(words[i]) and starts[-1] - 1 not in parted):
        starts.append(starts[-1] - 1)
    for start in starts:
        for end in range(i + 1, min(len(words), start + JOIN_WORDS + 1) + 1):
            joined = "".join(words[start:end])
            if len(joined) < (MIN_THAI_CHARS if is_thai(joined) else MIN_LATIN_CHARS) or len(joined) > MAX_JOINED:
                continue
            alone = end - start == 1
            if (alone and joined_only) or (not alone and not all(is_thai(w) for w in words[start:end])):
                continue
            if any(j in parted for j in range(start, end - 1)):
                break
            yield start, end, joined

# Letters a reader takes for each other in a short abbreviation: l (el) for I. (A digit for a
# letter, ck0 for CKO, never reaches the speller: the segmenter cuts ck0 into ck + 0.)
_LOOK_ALIKE = {"l": "i", "i": "l"}


def _short_latin_slip(word: str, lexicon: Lexicon, seen: Callable[[str], bool]) -> str | None:
    """The index's abbreviation a short Latin `word` that no visible asset holds was surely
    meant for, when the question as typed found nothing: the only one with two letters next to
    each other swapped (kip → kpi) or a look-alike letter (kpl → kpi). Any other
    letter changed is left alone: three letters have too many neighbours to guess between."""
    if is_thai(word) or not 2 <= len(word) < MIN_LATIN_CHARS or not word.isalpha() or seen(word):
        return None
    swapped = {word[:k] + word[k + 1] + word[k] + word[k + 2:] for k in range(len(word) - 1)}
    alike = {word[:k] + other + word[k + 1:] for k, ch in enumerate(word) for other in _LOOK_ALIKE.get(ch, "")}
    found = {c for c in (swapped | alike) - {word} if c in lexicon and c not in stopwords() and seen(c)}
    return found.pop() if len(found) == 1 else None


def _drops_a_letter(pieces: tuple[str, ...], candidate: str) -> bool:
    """Whether `candidate` is only `pieces` with a lone Thai letter left out that does not repeat
    the letter before it: ภาคก is ภาค ก typed without its space (สอบภาคกกี่คะแนน too), and the
    search leaves a stray letter out anyway, so "ภาค" would only tell the reader what they
    typed; ลาป่วยย (a key pressed twice) is a typo."""
    return any(len(piece) == 1 and is_thai(piece) and "".join(pieces[:i] + pieces[i + 1:]) == candidate
               and not (i and pieces[i - 1].endswith(piece)) for i, piece in enumerate(pieces))


def sounds_alike(a: str, b: str) -> bool:
    """Whether two Thai words are pronounced alike (น/ณ, ส/ศ/ษ, a silent letter, a tone) and
    one slip apart, or `a` is `b` with its final sound spelt as heard (final_by_sound).
    LK82's code is a letter and three digits, so it hears only the start of a long word:
    หลังจากที่ and หลังจากนี้ have the same code, and are two slips apart."""
    return (is_thai(a) and is_thai(b) and soundex(a, engine="lk82") == soundex(b, engine="lk82")
            and (typing_distance(a, b) <= 1.0 or final_by_sound(a, b)))
