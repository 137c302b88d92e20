"""Personal data an asset should not publish (PDPA): a citizen ID number, a mobile phone number,
a bank account number, a house number with its village.

HR how-tos quote real cases, and an author pastes from the case file: a published asset then
showed a colleague's ID number, pay and home to anyone, findable by typing the number (outside
review, privacy). These patterns are what a pasted case carries; they are said before the asset
reaches readers (the editor asks for a confirmation), by `python -m indexer check` and on the
status page. An office's landline, a year or an amount is none of them. The scan is one pass of
a few regular expressions without nested repetition: linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..thai.digits import arabic_digits
from .asset import Problem

_SEP = r"[- .]?"
# 13 digits written as the card does (1-1037-00012-34-5) or run together; a longer number is none
_ID = re.compile(rf"(?<![\d-])\d{_SEP}\d{{4}}{_SEP}\d{{5}}{_SEP}\d{{2}}{_SEP}\d(?![\d-])")
_ID_WORDS = re.compile(r"(?:เลข(?:ที่)?(?:บัตร)?ประจำตัวประชาชน|บัตรประชาชน|เลขบัตร(?:ประชาชน)?)")
_MOBILE = re.compile(r"(?<![\d-])(?:\+66[- ]?|0)[689]\d{0,1}[- .]?\d{3,4}[- .]?\d{4}(?![\d-])")
_ACCOUNT = re.compile(r"(?<![\d-])\d{3}-\d-\d{5}-\d(?![\d-])")  # the 10-digit form Thai banks print
_HOUSE = re.compile(r"(?:บ้านเลขที่\s*\d{1,5}(?:/\d{1,4})?|(?<![\d/])\d{1,5}/\d{1,4}\s*(?:หมู่(?:ที่)?|ม\.)\s*\d{1,2}(?!\d))")
ID_WINDOW = 60  # characters after "เลขประจำตัวประชาชน" in which a 13-digit number is that number


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: what it is, how it is shown (masked), its line, and its digits
    (the same number written another way is the same finding)."""

    kind: str
    shown: str
    line: int
    key: str


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _valid_id(digits: str) -> bool:
    """The check digit of a Thai citizen ID: 11 minus the weighted sum (13 down to 2) mod 11, mod 10."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


def _masked(text: str, keep: int = 4) -> str:
    """The first digits kept, the rest as x: enough to find it in the text, not to copy it."""
    seen = 0
    out = []
    for char in text:
        if char.isdigit():
            seen += 1
            out.append(char if seen <= keep else "x")
        else:
            out.append(char)
    return "".join(out)


def personal_data(text: str) -> tuple[Finding, ...]:
    """The personal data in `text` (Thai digits read as Arabic ones), in the order it appears."""
    text = arabic_digits(text)
    found: list[tuple[int, Finding]] = []

    def add(start: int, kind: str, shown: str, key: str) -> None:
        found.append((start, Finding(kind, shown, text.count("\n", 0, start) + 1, f"{kind}:{key}")))

    labelled = [m.end() for m in _ID_WORDS.finditer(text)]
    for match in _ID.finditer(text):
        digits = _digits(match[0])
        near_label = any(0 <= match.start() - end <= ID_WINDOW for end in labelled)
        if near_label or (digits[0] in "12345678" and _valid_id(digits)):  # 0…: a company's tax number
            add(match.start(), "เลขประจำตัวประชาชน", _masked(match[0], 1), digits)
    for match in _MOBILE.finditer(text):
        digits = _digits(match[0])
        if len(digits) in (10, 11):  # 08x-xxx-xxxx; +668x-xxx-xxxx
            add(match.start(), "หมายเลขโทรศัพท์มือถือ", _masked(match[0], 3), digits[-9:])
    for match in _ACCOUNT.finditer(text):
        add(match.start(), "เลขบัญชีธนาคาร", _masked(match[0], 3), _digits(match[0]))
    for match in _HOUSE.finditer(text):
        add(match.start(), "บ้านเลขที่", match[0], " ".join(match[0].split()))
    return tuple(finding for _, finding in sorted(found, key=lambda pair: pair[0]))


def new_personal_data(text: str, before: str | None) -> tuple[Finding, ...]:
    """The personal data of `text` that `before` did not hold (asked about once, not at every edit)."""
    known = {finding.key for finding in personal_data(before)} if before else set()
    return tuple(finding for finding in personal_data(text) if finding.key not in known)


def describe_personal_data(findings: Iterable[Finding], where: str = "บรรทัด") -> str:
    """"เลขประจำตัวประชาชน 1-xxxx-… (บรรทัด 3), หมายเลขโทรศัพท์มือถือ 081-xxx-xxxx (บรรทัด 5)"."""
    return ", ".join(f"{f.kind} {f.shown} ({where} {f.line})" for f in findings)


def personal_data_warnings(assets: Iterable) -> list[Problem]:
    """A warning for each asset readers can open whose text holds personal data (check, the status
    page): a retired asset too, whose page stays open from its old links; a draft reaches no reader."""
    problems = []
    for asset in assets:
        if asset.status == "draft":
            continue
        findings = personal_data(asset.summary) + personal_data(asset.body)
        if findings:
            problems.append(Problem(asset.path, f"อาจมีข้อมูลส่วนบุคคล: {describe_personal_data(findings[:5], 'บรรทัดที่')}"
                                    + (f" และอีก {len(findings) - 5} รายการ" if len(findings) > 5 else "")
                                    + " ถ้าไม่ได้รับความยินยอม ให้ลบออก", "body", None, "warning"))
    return problems
