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
confirmed as known nor proposed.
"""

from __future__ import annotations

import functools
import gzip
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from itertools import pairwise

import marisa_trie
from pythainlp.soundex import soundex

from ..thai.glossary import Glossary
from ..thai.segment import Segmenter
from ..thai.text import is_thai, normalize
from .informal import informal_words, person_names
from .lexicon import HALF_SLIP, Lexicon, slip_variants, typing_distance
from .query import QUESTION_WORDS, dotted_abbreviations, spaced_after, stopwords, stray_letters, word_spans

MIN_THAI_CHARS = 3   # shorter unknown Thai pieces are corrected only together with a neighbour
MIN_LATIN_CHARS = 4  # "app", "PDF": short Latin words are names, not typos
JOIN_WORDS = 3       # a typo's pieces are joined with up to this many neighbours (นว + ตก + รร + ม)
MAX_JOINED = 32      # characters: longer joins are phrases, not one word with a typo in it
# Looking up every one-letter change of a piece (lexicon.corrections(anywhere=True)) costs
# about 0.6 ms; a query gets this many, on pieces of at most ANYWHERE_CHARS characters (a
# longer word keeps its first letters right often enough), so a query of random letters
# costs no more than a few milliseconds more than one with one typo.
ANYWHERE_LOOKUPS = 16
ANYWHERE_CHARS = 12
FRAGMENT_CHARS = 3   # a dictionary word this short that no visible document holds may be a typo's piece
COMMON_SHORT = 1000  # ...unless general Thai text uses it this often (ปร 418, สว 282, รร 30; งง 1,960)
TNC_FREQUENCIES = "tnc_freq.txt"
VOLUBILIS_WORDS = "volubilis_words_th.txt"  # long_dictionary_words
ENGLISH_WORDS = "en.json.gz"  # pyspellchecker's English word counts (english_words)
MAX_FRAGMENTS = 4    # fragments tried a query: a typo leaves one to three; a string of them is no question
SLIP_WORDS = 3       # neighbouring words joined to look for a slip that typed real words
KNOWN_COMPOUNDS = 8  # compounds of a typed part checked for one the reader may see
LONG_WORD_CHARS = 7  # Volubilis words this long are known (long_dictionary_words)
TERM_PIECES = 6      # pieces the segmenter may cut a glossary term into (เนอสเซอรี่: เนอ + ส + เซ + อ + รี่)


@dataclass(frozen=True)
class Correction:
    """The typed words[start:end] are probably `replacement`."""

    start: int
    end: int
    replacement: str


class Speller:
    """Finds unknown words and their likely spellings."""

    def __init__(self, segmenter: Segmenter, glossary: Glossary):
        self.segmenter = segmenter
        self.glossary = glossary
        self._glossary_words = frozenset(glossary.dictionary_words)

    def is_known(self, word: str, lexicon: Lexicon, seen: Callable[[str], bool], index_only: bool = False) -> bool:
        """Whether any source knows `word`: stop words, the glossary, the dictionary (an English
        word list for a Latin word), the index (as a word or as a part of a compound), or it is
        a number. With `index_only`, only the index and English count (for a query that found
        nothing: its pieces may be dictionary words only because a typo split a word into them,
        พิจารนา → พิจาร + นา)."""
        if (any(ch.isdigit() for ch in word) or (word in lexicon and seen(word))
                or _seen_without_tones(word, lexicon, seen)):
            return True  # สปสช for สปสช., คา for ค่า are variants, not typos
        if not is_thai(word):  # a word of English is known when English has it, whatever the assets say
            return len(word) < MIN_LATIN_CHARS or word in english_words() or (
                not index_only and self._listed(word))
        if index_only:
            return len(word) >= 2 and self._in_a_compound(word, lexicon, seen)
        if word in stopwords() or self._listed(word):
            return True
        if self.segmenter.is_word(word):
            return True
        return len(word) >= 2 and self._in_a_compound(word, lexicon, seen)

    def is_known_as_typed(self, word: str, lexicon: Lexicon, seen: Callable[[str], bool]) -> bool:
        """`is_known`, but not for a word known only with other tone marks: ใด้ is no word even
        though ใด is one."""
        return self.is_known(word, lexicon, seen) and not self.tone_variant_only(word, lexicon, seen)

    def tone_variant_only(self, word: str, lexicon: Lexicon, seen: Callable[[str], bool]) -> bool:
        """Whether `word` is known only as another index word with its tone marks changed
        (รู๊ for รู้, ขั๊น for ขั้น): no dictionary, glossary or index holds it as typed."""
        return (is_thai(word) and len(word) >= 2 and not (word in lexicon and seen(word))
                and word not in stopwords() and word not in self._glossary_words
                and not self.segmenter.is_word(word) and _seen_without_tones(word, lexicon, seen))

    def _dictionary_fragment(self, words: tuple[str, ...], i: int, lexicon: Lexicon,
                             seen: Callable[[str], bool]) -> bool:
        """Whether words[i] is a short piece only the dictionary knows, next to another Thai word:
        what a typo leaves when its halves are words of their own (ประชุม typed ปรชุม splits
        into ปร + ชุม, สารบรรณ typed สาลบรรณ into สา + ลบ + รร + ณ). No document the reader may
        see holds it, alone or in a compound, so it is corrected only together with its
        neighbours and only into an index word one slip away that is not a stop word (ที่ + ฉุด
        is not ที่สุด: the search drops stop words, so the reader's word would only be lost);
        without such a word the query keeps it as typed. Short words general Thai writes often
        (common_short_words) are never taken for fragments."""
        word = words[i]
        return (is_thai(word) and len(word) <= FRAGMENT_CHARS
                and any(0 <= j < len(words) and is_thai(words[j]) for j in (i - 1, i + 1))
                and not (word in lexicon and seen(word)) and word not in stopwords()
                and not self._listed(word)
                and word not in common_short_words() and not _seen_without_tones(word, lexicon, seen)
                and not self._in_a_compound(word, lexicon, seen))

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

    def _listed(self, word: str) -> bool:
        """Whether a word list holds `word`: the glossary (a word of the dictionary it adds, or in
        a group), the regional, slang and loanword spellings readers type, the names (informal.py),
        or the long words of the larger dictionary."""
        return (word in self._glossary_words or bool(self.glossary.synonyms_of(word)) or word in informal_words()
                or word in person_names() or word in long_dictionary_words())

    def _in_listed_terms(self, words: tuple[str, ...]) -> set[int]:
        """The places of words that together spell a listed word (`_listed`: a glossary term, a
        regional or loanword spelling, a name) the segmenter cuts apart (สล่า into ส + ล่า).
        An everyday word is no dictionary word, nor is a shorthand's spelling without its dot
        when a dictionary word holds it, so ทรายอะเบท is cut into ทราย + อะ + เบท and สนง
        (สำนักงาน) into สน + ง: those pieces are what the reader meant, not a typo of ทรายอะเท
        or ส่ง."""
        places: set[int] = set()
        for start in range(len(words)):
            for end in range(start + 2, min(len(words), start + TERM_PIECES) + 1):
                joined = "".join(words[start:end])
                if self._listed(joined):
                    places.update(range(start, end))
        return places

    @staticmethod
    def _in_a_compound(word: str, lexicon: Lexicon, seen: Callable[[str], bool]) -> bool:
        return any(seen(compound) for compound in lexicon.containing(word, limit=KNOWN_COMPOUNDS))

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
        in_terms = self._in_listed_terms(words)
        spaced = spaced_after(words, text)
        as_typed = titled_names(words, spaced) | dotted_abbreviations(words, text)  # names, ก.ถ.
        # a space the reader typed next to a stop word ends a word: ที่ มท (the Ministry of
        # Interior's letter numbers) is no split ที่มา; ลา ปวย may still be ลาป่วย. A name or
        # letters with dots are joined to nothing either.
        parted = {j for j in spaced
                  if words[j] in stopwords() or (j + 1 < len(words) and words[j + 1] in stopwords())}
        parted.update(j for k in as_typed for j in (k - 1, k))
        # where the question's last pieces, joined, start a longer index word (พยาบ of พยาบาล,
        # ค่ารักษาพยาบ of ค่ารักษาพยาบาล): the reader may have sent it before finishing it
        open_tails: frozenset[int] = frozenset()
        if words and text.rstrip().lower().endswith(words[-1]):
            open_tails = frozenset(k for k in range(max(0, len(words) - JOIN_WORDS - 1), len(words))
                                   if len(tail := "".join(words[k:])) >= 2 and lexicon.begins(tail, seen))
        i = 0
        while i < len(words):
            joined_only = fragment = False
            if i in in_terms or i in as_typed or words[i] in names:
                i += 1
                continue
            if index_only and (slip := _short_latin_slip(words[i], lexicon, seen)):
                found.append(Correction(i, i + 1, slip))
                i += 1
                continue
            max_slip = None
            if i not in stray and self.is_known(words[i], lexicon, seen, index_only):
                fragment = fragments < MAX_FRAGMENTS and self._dictionary_fragment(words, i, lexicon, seen)
                fragments += fragment
                if fragment:
                    max_slip = 1.0
                elif self.tone_variant_only(words[i], lexicon, seen):
                    # ความรู๊: รู๊ passes as รู้, but the word is ความรู้. Only a tone slip away, though:
                    # ใหม is read as ใหม่, and ทำใหม is no ทำให้ (a letter changed)
                    max_slip = HALF_SLIP
                else:
                    i += 1
                    continue
                joined_only = True
            fix = self._best(words, i, lexicon, seen, found[-1].end if found else 0, budget, index_only, joined_only,
                             max_slip=max_slip, parted=parted, open_tails=open_tails)
            if fix is None:
                i += 1
                continue
            found.append(fix)
            i = fix.end
        found = self._widened(words, spaced, self._real_word_slips(words, spaced, found, lexicon, seen, as_typed),
                              lexicon, seen)
        return [fix for fix in found if not (cut and fix.end == len(words))]

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
        starts = [i]
        while (len(starts) <= JOIN_WORDS and starts[-1] > free_from and is_thai(words[starts[-1] - 1])
               and is_thai(words[i]) and starts[-1] - 1 not in parted):
            starts.append(starts[-1] - 1)
        for start in starts:
            for end in range(i + 1, min(len(words), start + JOIN_WORDS + 1) + 1):
                joined = "".join(words[start:end])
                if len(joined) < (MIN_THAI_CHARS if is_thai(joined) else MIN_LATIN_CHARS) or len(joined) > MAX_JOINED:
                    continue
                if end - start == 1 and joined_only:
                    continue
                if end - start > 1 and not all(is_thai(w) for w in words[start:end]):
                    continue
                if any(j in parted for j in range(start, end - 1)):
                    break
                whole_word = index_only and end - start == 1 and self.segmenter.is_word(joined)
                if whole_word and joined in stopwords():
                    continue  # หน่อย of "…สอบถามหน่อยค่ะ" is what the reader typed, not a slip of หน่วย
                maxdist = 1 if len(joined) < 7 else 2
                # a whole dictionary word is only respelt (skeleton, not any letter anywhere): ลีก is not ลอก
                anywhere = not whole_word and len(joined) <= ANYWHERE_CHARS and budget[0] > 0
                budget[0] -= anywhere
                indexed = [c for c in lexicon.corrections(joined, maxdist, anywhere=anywhere)[:5]
                           if lexicon.frequency(c) >= 1 and seen(c)]
                # the dictionary's words one slip away: as costly as the one-edit lookup, and counted with it
                slipped = self._dictionary_slips(joined, lexicon, seen) if anywhere else []
                unfinished = end == len(words) and any(k <= start for k in open_tails)
                for candidate in indexed + slipped:
                    if whole_word and not sounds_alike(joined, candidate):
                        continue
                    if unfinished and not candidate.startswith(joined):
                        continue
                    if self._drops_a_word(words[start:end], candidate) or _drops_a_letter(words[start:end], candidate):
                        continue
                    distance = typing_distance(joined, candidate)
                    if max_slip is not None and (distance > max_slip or candidate in stopwords()):
                        continue  # a dictionary fragment respelt into a stop word (ที่ + ฉุด → ที่สุด) would vanish
                    key = (distance, -(end - start), -lexicon.frequency(candidate))
                    if best is None or key < best[0]:
                        best = (key, Correction(start, end, candidate))
        return best[1] if best else None


# Letters a reader takes for each other in a short abbreviation: l (el) for I. (A digit for a
# letter, ck0 for CKO, never reaches the speller: the segmenter cuts ck0 into ck + 0.)
_LOOK_ALIKE = {"l": "i", "i": "l"}


_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def typed_names(raw: str | None) -> frozenset[str]:
    """The Latin words of a typed query with a small letter followed by a capital (ThaID,
    iPhone), lowercased as the query's words are: a name typed so on purpose, and one letter
    from an index word (ThaID, thai) is no slip of it. A phone types a slip in lowercase, with
    its first letter capitalised or all in capitals (KPl, an el for the I of KPI: a slip)."""
    return frozenset(m.group().lower() for m in _LATIN_WORD.finditer(raw or "")
                     if any(a.islower() and b.isupper() for a, b in pairwise(m.group())))


# Titles written before a person's name (คุณกฤษฎา คำแปง, นางสาวชนัญชิดา อินต๊ะ). Not ผอ. or ปลัด:
# they name an office as often as a person (ผอ.กองคลัง).
TITLES = frozenset({"นาย", "นาง", "นางสาว", "น.ส.", "คุณ", "ด.ช.", "ด.ญ.", "เด็กชาย", "เด็กหญิง"})
NAME_CHARS = 16  # a run this long after a title is more than a name (นายสมชายลาป่วยได้ไหม)
# ...and so is one with a question word or a particle (คุณแม่ลาได้ไหม). Not every stop word:
# pythainlp's list holds คำ and กัน, which start many names (คำแปง, กันทะวงศ์).
NOT_IN_NAMES = frozenset({*QUESTION_WORDS, "ไหม", "อะไร", "ยังไง", "อย่างไร", "ไหน", "ครับ", "ค่ะ", "คะ", "นะ"})


def titled_names(words: tuple[str, ...], spaced: set[int]) -> frozenset[int]:
    """The places of the words of a full name written after a title: the Thai run after the
    title, the given name, then a space and the next run, the family name (นางคำแปง กันทะวงศ์).
    Names are an open class no list holds all of (the northern อินต๊ะ and คำแปง are in none), and
    a title with two runs says one is there. One run is not enough: คุณ also starts the KM
    roles (คุณลิขิต, คุณอำนวย) and คุณภาพ, whose slips must still be corrected. A run longer than
    NAME_CHARS or with a title or a word of NOT_IN_NAMES is a question, not a name.
    `spaced`: where the reader typed spaces (spaced_after)."""
    named: set[int] = set()
    for i, word in enumerate(words):
        if word not in TITLES:
            continue
        runs = []
        start = i + 1
        while len(runs) < 2 and start < len(words):
            end = start
            while end < len(words) and is_thai(words[end]):
                end += 1
                if end - 1 in spaced:
                    break
            run = words[start:end]
            if (not run or len("".join(run)) > NAME_CHARS
                    or any(w in NOT_IN_NAMES or w in TITLES for w in run)):
                break
            runs.append(range(start, end))
            if end - 1 not in spaced:
                break  # the question ends, or a word that is not Thai follows
            start = end
        if len(runs) == 2:
            named.update(*runs)
    return frozenset(named)


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


def _seen_without_tones(word: str, lexicon: Lexicon, seen: Callable[[str], bool]) -> bool:
    """Whether a document the reader may see holds `word` with other tone marks, or none: a word
    only a draft holds is no more known this way than as typed."""
    return any(seen(variant) for variant in lexicon.same_without_tones(word))


def _drops_a_letter(pieces: tuple[str, ...], candidate: str) -> bool:
    """Whether `candidate` is only `pieces` with a lone Thai letter left out that does not repeat
    the letter before it: ภาคก is ภาค ก typed without its space (สอบภาคกกี่คะแนน too), and the
    search leaves a stray letter out anyway, so "ภาค" would only tell the reader what they
    typed; ลาป่วยย (a key pressed twice) is a typo."""
    return any(len(piece) == 1 and is_thai(piece) and "".join(pieces[:i] + pieces[i + 1:]) == candidate
               and not (i and pieces[i - 1].endswith(piece)) for i, piece in enumerate(pieces))


@functools.lru_cache(maxsize=1)
def common_short_words() -> frozenset[str]:
    """Thai words of at most FRAGMENT_CHARS characters written at least COMMON_SHORT times in the
    Thai National Corpus (pythainlp's tnc_freq.txt): งง, เค, ลาย are words people mean, not a
    typo's pieces. The file is read line by line: pythainlp's own reader keeps all of it (37 MB)."""
    found = set()
    with resources.files("pythainlp.corpus").joinpath(TNC_FREQUENCIES).open(encoding="utf-8-sig") as lines:
        for line in lines:
            word, _, count = line.rstrip("\n").partition("\t")
            if len(word) <= FRAGMENT_CHARS and count.isdigit() and int(count) >= COMMON_SHORT:
                found.add(word)
    return frozenset(found)


@functools.lru_cache(maxsize=1)
def long_dictionary_words() -> marisa_trie.Trie:
    """Words of LONG_WORD_CHARS characters or more in Volubilis, the larger dictionary pythainlp
    ships (about 108,000 entries), that its main word list lacks: about 59,000, such as
    ทุพโภชนาการ (malnutrition), offered ทุกโภชนาการ, and the district ปะนาเระ. A string that
    long being a real word is the likelier reading; a short one may be a typo's piece, so
    shorter words are left out. None of the phone slips of the tags or the blind questions
    is such a word. The file (CC BY-SA 4.0, read where pythainlp installed it) is read line by
    line: pythainlp's own reader would keep all of it, 10 MB more in every worker. Its words are
    normalised as questions are (บางลําพู with ํ + า as บางลำพู, Thai digits, capitals: 0.15 s).
    Kept in a MARISA trie, as english_words: 1 MB where a set of them took 7."""
    from pythainlp.corpus import thai_words

    main = thai_words()
    with resources.files("pythainlp.corpus").joinpath(VOLUBILIS_WORDS).open(encoding="utf-8") as lines:
        return marisa_trie.Trie(normalize(word) for line in lines
                                if len(word := line.strip()) >= LONG_WORD_CHARS and not word.startswith("#")
                                and " " not in word and word not in main)


# The keys of pyspellchecker's word counts that are English words: letters only ("a's" and
# "café" are not). The file writes one `"key": count` a line; test_search checks that this
# finds exactly the words json.load would.
_ENGLISH_KEY = re.compile(rb'^"([A-Za-z]+)": ?[0-9]', re.MULTILINE)


@functools.lru_cache(maxsize=1)
def english_words() -> marisa_trie.Trie:
    """English words of at least MIN_LATIN_CHARS letters, lowercase: the word list of
    pyspellchecker (MIT), counted from subtitles and so rich in everyday words (channel,
    deadline, checklist, meeting) and poor in misspellings (recieve, meetign are not in it).
    Readers mix such words into Thai questions; one the assets never write is absent, not a
    typo of the nearest word they do write (channel is not change). About 127,000 words, read
    with the other language data before the site forks, and kept in a MARISA trie (marisa-trie):
    about 1 MB where a set of them took 12 and json.load's dict of their counts 16 more, which
    Python's allocator kept after it was freed. So the file is scanned for its keys instead."""
    with (resources.files("spellchecker.resources").joinpath(ENGLISH_WORDS).open("rb") as packed,
          gzip.open(packed) as text):
        packed_words = text.read()
    return marisa_trie.Trie(key.decode() for key in _ENGLISH_KEY.findall(packed_words)
                            if len(key) >= MIN_LATIN_CHARS)


def sounds_alike(a: str, b: str) -> bool:
    """Whether two Thai words are pronounced alike (น/ณ, ส/ศ/ษ, a silent letter, a tone) and
    one slip apart. LK82's code is a letter and three digits, so it hears only the start of a
    long word: หลังจากที่ and หลังจากนี้ have the same code, and are two slips apart."""
    return (is_thai(a) and is_thai(b) and soundex(a, engine="lk82") == soundex(b, engine="lk82")
            and typing_distance(a, b) <= 1.0)


def corrected_text(words: tuple[str, ...], corrections: list[Correction], text: str = "",
                   typed: str = "") -> str:
    """The query with each correction in place of the words it replaces. Given the `text` the
    words came from, everything else in it stays as typed: the spaces that part a question's
    clauses (ระดับสี่ ไม่ตั้ง…), its punctuation and its digits, and, from `typed` (the query
    before normalising), the case of its Latin words when that is all normalising changed."""
    starts = [at for _, at in word_spans(words, text)] if text else []
    if words and len(starts) == len(words):  # every word found where it was typed
        source = typed if len(typed) == len(text) and typed.lower() == text else text
        out, last = [], 0
        for fix in corrections:
            out += [source[last:starts[fix.start]], fix.replacement]
            last = starts[fix.end - 1] + len(words[fix.end - 1])
        return "".join([*out, source[last:]])
    out: list[str] = []
    i = 0
    for fix in corrections:
        out.extend(words[i:fix.start])
        out.append(fix.replacement)
        i = fix.end
    out.extend(words[i:])
    return join_words(out)


def join_words(words: list[str]) -> str:
    """Join words the way Thai is written: no space between Thai words, one elsewhere."""
    text = ""
    for word in words:
        if text and not (is_thai(word) and is_thai(text[-1])):
            text += " "
        text += word
    return text
