"""Word-level difference of two asset bodies, for the history's comparison page.

Lines are compared first (difflib on whole lines is cheap: lines are hashed); only the
runs of lines that changed are cut into words by the Thai segmenter and compared word
by word, so the work follows the size of the change, not of the body. A changed run or
a body beyond the caps is shown line by line with a note saying why.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_BODY_LINES = 20_000  # per version; beyond this the bodies are not compared at all
# difflib on tokens grows with the square of a run when words repeat (Thai function words do):
# measured on this 2-core box, a fully rewritten run of 5,000 characters takes 0.19 s, 10,000 take
# 0.47 s and 19,000 take 5.5 s. So a run is compared word by word up to 6,000 characters a side,
# and at most 30,000 characters a page; the rest is shown by whole lines, with a note.
MAX_RUN_CHARS = 6_000
MAX_WORD_CHARS = 30_000
CONTEXT_LINES = 2
TOO_BIG = "เนื้อหายาวเกิน {limit:,} บรรทัด จึงไม่แสดงความแตกต่างทีละคำ (ดาวน์โหลดทั้งสองฉบับเพื่อเทียบด้วยโปรแกรมอื่น)"
RUN_TOO_BIG = "ช่วงที่เปลี่ยนยาวเกิน {limit:,} ตัวอักษร จึงแสดงเป็นทั้งบรรทัดแทนทีละคำ"
TOO_MANY = "เปลี่ยนหลายจุดเกิน {limit:,} ตัวอักษร ส่วนที่เหลือจึงแสดงเป็นทั้งบรรทัดแทนทีละคำ"


@dataclass(frozen=True)
class Piece:
    """A stretch of text: same, ins (only in the new version) or del (only in the old one)."""

    kind: str
    text: str


@dataclass(frozen=True)
class Block:
    """Lines shown together: same (context), change (with word pieces) or gap (lines left out)."""

    kind: str
    pieces: tuple[Piece, ...] = ()
    old_line: int | None = None  # first line of the block in each version (1-based)
    new_line: int | None = None


@dataclass
class BodyDiff:
    """The blocks of a body comparison with how many words came and went."""

    blocks: list[Block] = field(default_factory=list)
    words_added: int = 0
    words_removed: int = 0
    notes: list[str] = field(default_factory=list)
    word_chars: int = 0  # characters compared word by word so far (bounded by MAX_WORD_CHARS)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    @property
    def changed(self) -> bool:
        return any(b.kind == "change" for b in self.blocks) or bool(self.notes and not self.blocks)


def word_diff(old: str, new: str, tokens: Callable[[str], list[str]]) -> BodyDiff:
    """Compare two bodies word by word; `tokens` splits text losing nothing (Segmenter.tokens)."""
    a, b = old.splitlines(), new.splitlines()
    result = BodyDiff()
    if max(len(a), len(b)) > MAX_BODY_LINES:
        result.note(TOO_BIG.format(limit=MAX_BODY_LINES))
        return result
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(CONTEXT_LINES):
        if result.blocks:
            result.blocks.append(Block("gap"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                result.blocks.append(Block("same", (Piece("same", "\n".join(a[i1:i2])),), i1 + 1, j1 + 1))
            else:
                pieces = _changed_run("\n".join(a[i1:i2]), "\n".join(b[j1:j2]), tokens, result)
                result.blocks.append(Block("change", pieces, i1 + 1 if i2 > i1 else None, j1 + 1 if j2 > j1 else None))
    return result


def _changed_run(old: str, new: str, tokens: Callable[[str], list[str]], result: BodyDiff) -> tuple[Piece, ...]:
    """The pieces of one run of changed lines, counted into `result`."""
    whole_lines = not old or not new
    if not whole_lines and max(len(old), len(new)) > MAX_RUN_CHARS:
        whole_lines = True
        result.note(RUN_TOO_BIG.format(limit=MAX_RUN_CHARS))
    elif not whole_lines and result.word_chars + len(old) + len(new) > MAX_WORD_CHARS:
        whole_lines = True
        result.note(TOO_MANY.format(limit=MAX_WORD_CHARS))
    if whole_lines:
        pieces = tuple(p for p in (Piece("del", old), Piece("ins", new)) if p.text)
    else:
        result.word_chars += len(old) + len(new)
        pieces = _token_pieces(tokens(old), tokens(new))
    for piece in pieces:
        if piece.kind != "same":
            count = _word_count(piece.text, tokens, whole_lines) if piece.text.strip() else 0
            if piece.kind == "ins":
                result.words_added += count
            else:
                result.words_removed += count
    return pieces


def _token_pieces(a: list[str], b: list[str]) -> tuple[Piece, ...]:
    """difflib on word tokens; neighbouring pieces of one kind are merged."""
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            _append(pieces, "same", "".join(a[i1:i2]))
            continue
        _append(pieces, "del", "".join(a[i1:i2]))
        _append(pieces, "ins", "".join(b[j1:j2]))
    return tuple(pieces)


def _append(pieces: list[Piece], kind: str, text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1].kind == kind:
        pieces[-1] = Piece(kind, pieces[-1].text + text)
    else:
        pieces.append(Piece(kind, text))


def _word_count(text: str, tokens: Callable[[str], list[str]], whole_lines: bool) -> int:
    if whole_lines and len(text) > 2_000:  # a long run not compared by words: count by spaces, not segmenting it
        return len(text.split())
    return sum(1 for t in tokens(text) if t.strip() and any(ch.isalnum() for ch in t))
