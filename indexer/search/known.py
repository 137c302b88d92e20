"""Which words of a question are known, and so never corrected: a word that the index (what
the reader may see), pythainlp's dictionary, the glossary or a word list holds. The word lists
(the Thai National Corpus's common short words, Volubilis's long words, pyspellchecker's
English words) are read once, where pythainlp and pyspellchecker installed them."""

from __future__ import annotations

import functools
import gzip
import re
from collections.abc import Callable
from importlib import resources

import marisa_trie

from ..thai.glossary import Glossary
from ..thai.segment import Segmenter
from ..thai.text import is_thai, normalize
from .informal import informal_words, person_names
from .lexicon import Lexicon
from .question_words import stopwords

MIN_LATIN_CHARS = 4  # "app", "PDF": short Latin words are names, not typos
FRAGMENT_CHARS = 3   # a dictionary word this short that no visible document holds may be a typo's piece
COMMON_SHORT = 1000  # ...unless general Thai text uses it this often (ปร 418, สว 282, รร 30; งง 1,960)
TNC_FREQUENCIES = "tnc_freq.txt"
VOLUBILIS_WORDS = "volubilis_words_th.txt"  # long_dictionary_words
ENGLISH_WORDS = "en.json.gz"  # pyspellchecker's English word counts (english_words)
KNOWN_COMPOUNDS = 8  # compounds of a typed part checked for one the reader may see
LONG_WORD_CHARS = 7  # Volubilis words this long are known (long_dictionary_words)
TERM_PIECES = 6      # pieces the segmenter may cut a glossary term into (เนอสเซอรี่: เนอ + ส + เซ + อ + รี่)


class KnownWords:
    """What the speller counts as known (a mixin of Speller: it uses its segmenter and glossary)."""

    segmenter: Segmenter
    glossary: Glossary
    _glossary_words: frozenset[str]

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


def _seen_without_tones(word: str, lexicon: Lexicon, seen: Callable[[str], bool]) -> bool:
    """Whether a document the reader may see holds `word` with other tone marks, or none: a word
    only a draft holds is no more known this way than as typed."""
    return any(seen(variant) for variant in lexicon.same_without_tones(word))


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
