"""What readers type that no dictionary holds: regional words and particles (คำเมือง, อีสาน,
ปักษ์ใต้), chat slang, English loanwords in Thai letters and office abbreviations without their
dots (data/informal.yaml: about 690 entries, each with its standard Thai and whether it is a
function word or a content word, written from knowledge of Thai by a helper who saw no query).

Staff across the country type ทำพรือ (southern: how), ตี้ไหน (northern: where), สล่า (a
craftsman), แอป or วิดีโอคอล, and the speller, which knew only pythainlp's dictionary, offered
ทำหรือ, นี้ไหน, เล่า, แปลง and คอก. Words of the file that the dictionary lacks are known to
the speller (spelling.py), alone or as the pieces the segmenter cuts them into (ส + ล่า), and
the function words among them are stop words (question_words.py), no topic of the question. Words the
dictionary has are left out: ลำ is tasty in the north but a stem or a boat elsewhere. The
people's names pythainlp lists are known to the speller too (person_names).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from ..thai.text import normalize
from ..yamlsafe import safe_load

SECTIONS = ("northern", "isan", "southern", "slang", "loanword", "abbreviation")


@lru_cache(maxsize=1)
def _entries() -> tuple[tuple[str, str, str], ...]:
    """(word, kind, section) of every entry the dictionary lacks, normalised as queries are."""
    from pythainlp.corpus import thai_words

    dictionary = thai_words()
    raw = safe_load(resources.files("indexer").joinpath("data/informal.yaml").read_text(encoding="utf-8")) or {}
    found = {}
    for section in SECTIONS:
        for entry in raw.get(section) or ():
            word = normalize(str(entry["word"])).strip()
            if word and " " not in word and word not in dictionary:
                found.setdefault(word, (str(entry.get("kind", "word")), section))
    return tuple((word, kind, section) for word, (kind, section) in found.items())


@lru_cache(maxsize=1)
def informal_words() -> frozenset[str]:
    """Every word of the file that pythainlp's dictionary lacks."""
    return frozenset(word for word, _kind, _section in _entries())


@lru_cache(maxsize=1)
def person_names() -> frozenset[str]:
    """The Thai given and family names pythainlp lists (about 21,000: ภูริชญา, เจ๊ะเลาะ, ต้อม).
    Readers name the colleague they ask about; a name is no typo of the word it is near."""
    from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names

    return frozenset({*thai_family_names(), *thai_female_names(), *thai_male_names()})


@lru_cache(maxsize=1)
def informal_particles() -> frozenset[str]:
    """The function words among them (พรือ, ตี้, จะใด, บ่แม่น, ชิมิ): stop words."""
    return frozenset(word for word, kind, _section in _entries() if kind == "function")


@lru_cache(maxsize=1)
def loanwords() -> tuple[str, ...]:
    """The English loanwords in Thai letters among them (แอป, เดดไลน์, คิวอาร์โค้ด, วิดีโอคอล):
    the segmenter keeps them whole, in questions and in assets alike. Without them newmm cut
    what it did not know into pieces that are words of their own: แอปลงเวลา was แอ + ปลง + เวลา
    (and offered แปลงเวลา), เดดไลน์ เด + ด + ไลน์, เทรนนิ่ง เท + รน + นิ่ง. Regional words and
    slang are left to the speller: short ones (เล, หนม, ไหร) would cut standard Thai."""
    return tuple(sorted(word for word, kind, section in _entries() if section == "loanword" and kind == "word"))
