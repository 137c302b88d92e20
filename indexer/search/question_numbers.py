"""The numbers of a question that name one thing: a document number (951/2567), a circular's
number (ว 88), a year typed by its last two digits (ปีงบ 68) and a date (14 มี.ค. 2568), each
read the way the assets write it."""

from __future__ import annotations

import re
from itertools import pairwise

from ..dates import BE_OFFSET, BE_THRESHOLD, MONTH_NUMBERS, MONTH_WRITINGS, THAI_MONTHS, THAI_MONTHS_ABBR
from .phrases import DateBonus

# A document number such as 951/2567 (Thai digits are already Arabic here), written against the
# Thai around it or not (คำสั่งที่951/2567ครับ); not inside a longer number or a Latin code.
NUMBER_REF = re.compile(r"(?<![\dA-Za-z_/])(\d+)\s*/\s*(\d+)(?![\dA-Za-z_/])")
# A circular's number: ว and its number (ที่ ชม ๕๓๑๐๑/ว ๘๘, หนังสือเวียน ว.124, ว88), ว standing
# alone, not the last letter of a word (ทาว 88). One identifier, as a document number is: the
# pair ("ว", "88") is a phrase of two index words, and the asset that holds it comes first.
CIRCULAR = "ว"


def reference_pattern(first: str, number: str) -> str:
    """The pattern of a document number (first/number: 951/2567) or of a circular's number
    (first CIRCULAR: ว 88) in normalised text: how questions are read (CIRCULAR_REF) and how
    the engine finds a question's numbers in an asset (confidence.names_reference)."""
    if first == CIRCULAR:
        return rf"(?<![\u0e00-\u0e7f\w]){CIRCULAR}\s*\.?\s*{number}(?![\d/])"
    return rf"(?<![\d/]){first}\s*/\s*{number}(?![\d/])"


CIRCULAR_REF = re.compile(reference_pattern(CIRCULAR, r"(\d+)"))

# A Buddhist-era year is often typed by its last two digits ("ปีงบ 68", "ต.ค. 67") where the
# assets write it whole (๒๕๖๘): two digits after a word naming a year or a month also find
# the whole year. Elsewhere two digits stay a number (อายุ 60, 15 วัน).
YEAR_WORDS = frozenset(("ปี", "ปีงบ", "งบ", "ปีงบประมาณ", "งบประมาณ", "พ.ศ.", "พศ", "ปีการศึกษา")
                       + THAI_MONTHS + THAI_MONTHS_ABBR)


# A date in a question (14 มี.ค. 2568, ๑๔ มีนาคม ๖๘, 3 ต.ค., 14 มี.ค. 2025) names a day: a meeting, a training,
# a letter's date. The assets write its month in full or short and its year in four digits or
# two, so each writing is a form of one phrase bonus (the words alone are common: 14, มี.ค.).
_MONTH_WRITINGS = "|".join(re.escape(m) for m in sorted(MONTH_NUMBERS, key=len, reverse=True))
_DATE = re.compile(rf"(?<![\d.])(\d{{1,2}})\s*({_MONTH_WRITINGS})\s*(?:พ\.ศ\.\s*|ค\.ศ\.\s*)?(2[05]\d\d|\d\d)?(?![\d.])")


# The same day typed in numbers (27/4/70, 27-04-2570, 27.4.2027), as phones and forms write it:
# day, month and a year of two or four digits. Day/month alone (27/4) is a document number.
_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(2[05]\d\d|\d\d)(?![\d/.-])")


def date_phrases(text: str) -> list[DateBonus]:
    """A phrase bonus for each date written in `text` (normalised: Arabic digits), in each of
    the writings of its month and year."""
    found = [_bonus(day, MONTH_NUMBERS[month], year) for day, month, year in _DATE.findall(text)]
    found += [_bonus(day, int(month), year) for day, _, month, year in _NUMERIC_DATE.findall(text)
              if 1 <= int(month) <= 12 and 1 <= int(day) <= 31]
    return found


def _bonus(day: str, month: int, year: str) -> DateBonus:
    if len(year) == 4 and int(year) < BE_THRESHOLD:  # 14 มี.ค. 2025: the assets write 2568
        year = str(int(year) + BE_OFFSET)
    years = () if not year else (f"25{year}", year) if len(year) == 2 else (year, year[2:])
    return DateBonus(day, MONTH_WRITINGS[month - 1], years)


def whole_years(words: tuple[str, ...]) -> dict[str, str]:
    """{"68": "2568"} for each two-digit word that follows a year or month word."""
    return {word: f"25{word}" for before, word in pairwise(words)
            if before in YEAR_WORDS and len(word) == 2 and word.isascii() and word.isdigit()}
