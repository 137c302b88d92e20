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

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ..thai.digits import arabic_digits
from .asset import Problem

# between two digits of a number: nothing, or up to two of - – — / . and spaces (a line break too:
# "1-1037-00012-\n34-6" is one number split by the editor's width)
_GAP = r"[\s\-\u2013\u2014/.]{0,2}"
_NO_DIGIT_BEFORE, _NO_DIGIT_AFTER = r"(?<![\d\-/.])", r"(?![\d])"
_ID = re.compile(rf"{_NO_DIGIT_BEFORE}\d(?:{_GAP}\d){{12}}{_NO_DIGIT_AFTER}")  # 13 digits however grouped
_CARD_GROUPS = re.compile(r"^\d[- ]\d{4}[- ]\d{5}[- ]\d{2}[- ]\d$")  # as the card prints it: 1-1037-00012-34-5
_ID_WORDS = re.compile(r"เลข(?:ที่)?(?:บัตร)?ประจำตัวประชาชน|บัตรประชาชน|เลขบัตร")
_TITLES = re.compile(r"นางสาว|นาง|นาย|น\.ส\.|ด\.ช\.|ด\.ญ\.")  # a person named near a bare 13-digit number
# 0 and nine digits however grouped (081-234-5678, 08-1234-5678, 0812-345-678, (081) 234 5678), or +66 and nine
_MOBILE = re.compile(r"(?<![\d\-/.])(?:\+66[\s\-]?(?:\(0\)\s?)?|\(?0\)?[\s\-.]?)([689](?:[\s\-.)]{0,2}\d){8})(?!\d)")
_ACCOUNT_PRINTED = re.compile(r"(?<![\d\-])\d{3}-\d-\d{5}-\d(?![\d\-])")  # the 10-digit form Thai banks print
# a bank named, or an account: not a ledger's code, a list of names, an attendance book
_ACCOUNT_WORDS = re.compile(r"(?<!รหัส)(?<!ผัง)บัญชี(?!รายชื่อ|ลงเวลา|รายรับ|รายจ่าย|แยกประเภท)|บช\.|พร้อมเพย์|ธนาคาร"
                            r"|ธ\.\s?[ก-ฮ]|ธ\.ก\.ส\.|ธกส|ออมสิน|กรุงไทย|กสิกร|กรุงเทพ|ไทยพาณิชย์|กรุงศรี")
# an account's 10–15 digits, grouped by - or spaces (never / or .: a date with its time is none)
_NUMBER = re.compile(rf"{_NO_DIGIT_BEFORE}\d(?:[\s\-]{{0,2}}\d){{9,14}}{_NO_DIGIT_AFTER}")
# a house: labelled (บ้านเลขที่ 12/3, บ้าน 45 หมู่ 7, ที่อยู่ 88/12), or N/N with a village or a lane after it
_PLACE_AFTER = r"(?=\s*(?:(?:หมู่(?:ที่)?|ม\.)\s*\d|ซอย|ซ\.|ถนน|ถ\.|ต\.(?!ค\.)|ตำบล|แขวง))"  # หมู่ 3; not 12 หมู่, 1 ต.ค.
_HOME = re.compile(r"บ้านเลขที่\s*(\d{1,5}(?:/\d{1,4})?)"  # said so: a home whatever follows
                   # หมู่บ้าน, ผู้ใหญ่บ้าน, ค่าเช่าบ้าน 5 are none; ตั้งอยู่ is where an office stands
                   r"|(?<!หมู่)(?<!ใหญ่)(?<!เช่า)(?<!เล็ก)(?:บ้านพัก|บ้าน|ที่อยู่(?:บ้าน|ปัจจุบัน|ตามทะเบียนบ้าน)?"
                   r"|ภูมิลำเนา(?:อยู่)?|(?<!ที่)(?<!ตั้ง)(?<!ลำเนา)อยู่)\s*(?:เลขที่\s*)?"
                   rf"(\d{{1,5}}/\d{{1,4}}|\d{{1,5}}{_PLACE_AFTER})")
_ADDRESS = re.compile(r"(?<![\d/.])\d{1,4}/\d{1,3}\s*(?:(?:หมู่(?:ที่)?|ม\.)\s*\d{1,2}|(?:ซอย|ซ\.|ถนน|ถ\.)\s*\S{1,20})")
_NOT_A_HOUSE = re.compile(r"(?:ครั้งที่|ที่|ฉบับที่|ข้อ|มาตรา|ว|ซอย|ซ\.|ตั้ง)\s*$")  # ครั้งที่ 2/2568, ซอย 3/1, ที่ตั้ง 199/9
# a line naming one of these gives a workplace's address, not a home (a ที่อยู่ or N/N หมู่ N on it is none)
WORKPLACE = re.compile(r"สำนักงาน|เทศบาล|ที่ทำการ|ที่ทำงาน|ศูนย์|อาคาร|ชั้น|กอง|โรงเรียน|โรงพยาบาล")
WINDOW = 60  # characters after a label in which a number is the labelled one
KINDS = ("เลขประจำตัวประชาชน", "หมายเลขโทรศัพท์มือถือ", "เลขบัญชีธนาคาร", "บ้านเลขที่", "ที่อยู่")
HOME = "บ้านเลขที่"  # a home, said so: the people directory refuses it; a bare N/N หมู่ N may be an office


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


MAX_FINDINGS = 200  # a text holding more is asked about anyway; beyond it, nothing more is looked at


class _Lines:
    """Line numbers and block heads of one text, each found by bisection over offsets taken once
    (counting newlines, or looking back for a blank line, at every finding was quadratic)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.blocks = [m.end() for m in re.finditer("\n\n", text)]

    def line(self, at: int) -> int:
        return bisect.bisect_left(self.newlines, at) + 1

    def block_head(self, at: int) -> str:
        """The first line of the block (lines up to an empty one) that `at` is in: a table's or a
        sheet's header row, which names the column a number is in (เลขที่บัญชี above a payment
        list); '' when `at` is on that line itself."""
        index = bisect.bisect_right(self.blocks, at) - 1
        start = self.blocks[index] if index >= 0 else 0
        after = bisect.bisect_left(self.newlines, start)
        end = self.newlines[after] if after < len(self.newlines) else len(self.text)
        head = self.text[start:min(end, start + 500)]
        # a table's (or a sheet's, read as one) header row above a row of it
        return head if end < at and head.startswith("|") and self.text.startswith("|", self.line_start(at)) else ""

    def line_start(self, at: int) -> int:
        index = bisect.bisect_left(self.newlines, at) - 1
        return self.newlines[index] + 1 if index >= 0 else 0

    def line_of(self, at: int, reach: int = 300) -> str:
        """The line `at` is on, at most `reach` characters either side (a text without line breaks
        is one line: reading it whole at every finding was quadratic)."""
        start = max(self.line_start(at), at - reach)
        after = bisect.bisect_left(self.newlines, at)
        end = self.newlines[after] if after < len(self.newlines) else len(self.text)
        return self.text[start:min(end, at + reach)]


def personal_data(text: str) -> tuple[Finding, ...]:
    """The personal data in `text` (Thai digits read as Arabic ones), in the order it appears: at
    most MAX_FINDINGS, each pattern one linear pass."""
    text = arabic_digits(text)
    lines = _Lines(text)
    found: list[tuple[int, Finding]] = []
    taken: list[tuple[int, int]] = []  # spans already found: a number is one thing (at most MAX_FINDINGS)

    def add(start: int, end: int, kind: str, shown: str, key: str) -> None:
        if len(found) >= MAX_FINDINGS or any(start < b and a < end for a, b in taken):
            return
        taken.append((start, end))
        found.append((start, Finding(kind, shown, lines.line(start), f"{kind}:{key}")))

    def labelled(start: int, words: re.Pattern) -> bool:
        return bool(words.search(text, max(0, start - WINDOW), start))

    for match in _ID.finditer(text):
        if len(found) >= MAX_FINDINGS:
            break
        digits = _digits(match[0])
        if labelled(match.start(), _ID_WORDS) or (digits[0] in "12345678" and _valid_id(digits) and (
                _CARD_GROUPS.match(match[0]) or labelled(match.start(), _TITLES))):  # 0…: a company's tax number
            add(match.start(), match.end(), KINDS[0], _masked(" ".join(match[0].split()), 1), digits)
    for match in _MOBILE.finditer(text):
        if len(found) >= MAX_FINDINGS:
            break
        add(match.start(), match.end(), KINDS[1], _masked(match[0], 3), _digits(match[1]))
    def office_account(start: int) -> bool:
        """An account named as a workplace's (ชื่อบัญชี เทศบาลตำบล…), or a ledger's code (รหัสบัญชี …)."""
        line = lines.line_of(start)
        return "รหัส" in text[max(0, start - 20):start] or ("ชื่อบัญชี" in line and bool(WORKPLACE.search(line)))

    for match in _ACCOUNT_PRINTED.finditer(text):
        if len(found) >= MAX_FINDINGS:
            break
        if not office_account(match.start()):
            add(match.start(), match.end(), KINDS[2], _masked(match[0], 3), _digits(match[0]))
    for match in _NUMBER.finditer(text):
        if len(found) >= MAX_FINDINGS:
            break
        if office_account(match.start()):
            continue
        if labelled(match.start(), _ACCOUNT_WORDS) or _ACCOUNT_WORDS.search(lines.block_head(match.start())):
            add(match.start(), match.end(), KINDS[2], _masked(" ".join(match[0].split()), 3), _digits(match[0]))
    for match in _HOME.finditer(text):
        if len(found) >= MAX_FINDINGS:
            break
        number = match[1] or match[2]
        start = match.start(1) if match[1] else match.start(2)
        if "บ้าน" not in match[0] and WORKPLACE.search(lines.line_of(start)):
            continue  # ที่อยู่ of a workplace: ศูนย์พัฒนาเด็กเล็ก (ที่อยู่ 45/1 ถนน…)
        add(start, start + len(number), HOME, number, number)
    for match in _ADDRESS.finditer(text):
        if len(found) >= MAX_FINDINGS:
            break
        if not (_NOT_A_HOUSE.search(text, max(0, match.start() - 12), match.start())
                or WORKPLACE.search(lines.line_of(match.start()))):
            shown = " ".join(match[0].split())
            add(match.start(), match.end(), KINDS[4], shown, shown)
    return tuple(finding for _, finding in sorted(found, key=lambda pair: pair[0]))


def new_personal_data(text: str, before: str | None) -> tuple[Finding, ...]:
    """The personal data of `text` that `before` did not hold (asked about once, not at every edit)."""
    known = {finding.key for finding in personal_data(before)} if before else set()
    return tuple(finding for finding in personal_data(text) if finding.key not in known)


BODY, IN_FILE = "เนื้อหา", "ไฟล์"


def asset_texts(asset) -> tuple[tuple[str, str, bool], ...]:
    """(where, text, several lines) of every part of an asset a reader sees: the fields as well as the
    body (a colleague's mobile number typed as the owner was published without a question)."""
    return (("ชื่อเรื่อง", asset.title, False), ("ผู้รู้", asset.owner or "", False),
            ("แท็ก", ", ".join(asset.tags), False), ("สรุปย่อ", asset.summary or "", True),
            ("อ้างอิงการเผยแพร่", "\n".join(r.ref or "" for r in asset.dissemination), False),
            (BODY, asset.body, True))


def asset_personal_data(asset, before=None, in_file: bool = False) -> list[tuple[str, bool, tuple[Finding, ...]]]:
    """(where, several lines, findings) for each part of `asset` holding personal data that the same
    part of `before` (an earlier version, or None) did not. `in_file`: the body's lines are the
    file's (for whoever edits the whole file, or reads `check`), not the body box's."""
    earlier = {where: text for where, text, _ in asset_texts(before)} if before is not None else {}
    found = []
    for where, text, lines in asset_texts(asset):
        findings = new_personal_data(text, earlier.get(where))
        if findings and in_file and where == BODY:
            where, findings = IN_FILE, tuple(replace(f, line=f.line + asset.body_line - 1) for f in findings)
        if findings:
            found.append((where, lines, findings))
    return found


def describe_personal_data(found: Iterable[tuple[str, bool, tuple[Finding, ...]]], most: int = 5) -> str:
    """"เลขประจำตัวประชาชน 1-xxxx-… (เนื้อหา บรรทัด 3), หมายเลขโทรศัพท์มือถือ 081-xxx-xxxx (ผู้รู้)", at most
    `most` of them, then how many more."""
    said = [f"{f.kind} {f.shown} ({where} บรรทัด {f.line})" if lines else f"{f.kind} {f.shown} ({where})"
            for where, lines, findings in found for f in findings]
    return ", ".join(said[:most]) + (f" และอีก {len(said) - most} รายการ" if len(said) > most else "")


def personal_data_warnings(assets: Iterable) -> list[Problem]:
    """A warning for each asset readers can open whose text holds personal data (check, the status
    page): a retired asset too, whose page stays open from its old links; a draft reaches no reader."""
    problems = []
    for asset in assets:
        if asset.status == "draft":
            continue
        found = asset_personal_data(asset, in_file=True)
        if found:
            problems.append(Problem(asset.path, f"อาจมีข้อมูลส่วนบุคคล: {describe_personal_data(found)} "
                                                "ถ้าไม่ได้รับความยินยอม ให้ลบออก", "body", None, "warning"))
    return problems


def attachment_warnings(assets: Iterable, knowledge_dir: Path, text_cache: Path | None) -> list[Problem]:
    """A warning for each attachment of an asset readers can open whose text holds personal data
    (`check`: the upload said so once, and nothing listed it afterwards)."""
    from .attachments import list_attachments

    problems = []
    for asset in assets:
        if asset.status == "draft":
            continue
        for path in list_attachments(knowledge_dir / asset.path):
            if found := personal_data_in_file(path, text_cache):
                problems.append(Problem(asset.path, f"ไฟล์แนบ {path.name} อาจมีข้อมูลส่วนบุคคล: {found} "
                                                    "ถ้าไม่ได้รับความยินยอม ให้นำไฟล์ออก", "attachments", None, "warning"))
    return problems


def personal_data_in_file(path: Path, text_cache: Path | None) -> str:
    """The personal data in an attachment's text (PDF, Word, Excel), described; '' for none (the
    upload and `check` say it alike)."""
    from .extraction import READ_KINDS, extract_text

    found = personal_data(extract_text(path, text_cache, READ_KINDS))
    return describe_personal_data([("ในไฟล์", True, found)]) if found else ""
