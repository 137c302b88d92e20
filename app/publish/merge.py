"""Merging after a conflict: keep both people's changes where they touch different things.

With the version the editor started from (found among the stored revisions by its
fingerprint) this is a three-way merge per field, and per paragraph of the body
(merge3, the diff3 algorithm, over paragraphs and the blank lines between them): a
change made by only one side wins; when both changed the same field or paragraphs
differently, the editor's version of it is proposed and the other person's is shown
beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from merge3 import Merge3

from indexer import AssetInvalid, DateFormatError, FieldSpec, Vocabulary, parse_asset, parse_date

from .compose import FORM_FIELDS, body_of, form_values, normalise_body


@dataclass(frozen=True)
class FieldConflict:
    """A field both people changed to different values."""

    name: str
    label: str
    yours: str
    theirs: str


@dataclass(frozen=True)
class MergeProposal:
    """What the conflict page offers: merged form values and body, and what needs a decision."""

    values: dict[str, str]
    body: str
    theirs_body: str
    base_body: str | None
    body_conflict: bool
    field_conflicts: tuple[FieldConflict, ...] = ()
    taken_from_them: tuple[str, ...] = field(default=())  # labels of fields only they changed


def propose(base_text: str | None, theirs_text: str, yours: Mapping[str, Any], your_body: str,
            vocab: Vocabulary, rel: str) -> MergeProposal:
    """Merge the submitted form with the version now on disk (and the common base, if known)."""
    theirs = _values_of(theirs_text, vocab, rel)
    base = _values_of(base_text, vocab, rel) if base_text is not None else None
    merged: dict[str, str] = {}
    conflicts, taken = [], []
    for spec in FORM_FIELDS:
        y = _canonical(spec, yours.get(spec.name), vocab)
        t = theirs.get(spec.name, "")
        b = base.get(spec.name) if base is not None else None
        if b is not None and y == b and t != b:
            merged[spec.name] = t
            taken.append(spec.label)
            continue
        merged[spec.name] = str(yours.get(spec.name) or "")
        if y != t and (b is None or t != b):
            conflicts.append(FieldConflict(spec.name, spec.label, str(yours.get(spec.name) or ""), t))
    body, body_conflict = _merge_body(base_text, theirs_text, normalise_body(your_body))
    return MergeProposal(merged, body, body_of(theirs_text), body_of(base_text) if base_text else None,
                         body_conflict, tuple(conflicts), tuple(taken))


def _merge_body(base_text: str | None, theirs_text: str, yours: str) -> tuple[str, bool]:
    theirs = normalise_body(body_of(theirs_text))
    if yours.rstrip("\n") == theirs.rstrip("\n"):
        return yours, False
    if base_text is None:
        return yours, True
    return merge_paragraphs(normalise_body(body_of(base_text)), yours, theirs)


def merge_paragraphs(base: str, yours: str, theirs: str) -> tuple[str, bool]:
    """Merge two edits of `base` paragraph by paragraph; True when some paragraphs conflict.

    A conflicting stretch keeps your version (the conflict page shows theirs beside it).
    """
    merged, conflict = [], False
    merge = Merge3(_paragraphs(base), _paragraphs(yours), _paragraphs(theirs))
    for group in merge.merge_groups():
        if group[0] == "conflict":
            conflict = True
            merged.extend(group[2])
        else:
            merged.extend(group[1])
    return "".join(merged), conflict


def _paragraphs(text: str) -> list[str]:
    """Runs of non-blank lines and the blank lines between them (joined, they give `text`
    with one line break at its end), so edits to neighbouring paragraphs do not touch."""
    runs: list[list[str]] = []
    was_blank = None
    for line in (text.rstrip("\n") + "\n").splitlines(keepends=True) if text.strip() else ():
        blank = not line.strip()
        if blank == was_blank:
            runs[-1].append(line)
        else:
            runs.append([line])
        was_blank = blank
    return ["".join(run) for run in runs]


def _values_of(text: str, vocab: Vocabulary, rel: str) -> dict[str, str]:
    try:
        return form_values(parse_asset(text, rel, vocab))
    except AssetInvalid:
        return {}


def _canonical(spec: FieldSpec, raw: Any, vocab: Vocabulary) -> str:
    """The form value in the shape `form_values` gives, so typed and stored values compare."""
    kind = spec.kind
    text = str(raw or "").replace("\r\n", "\n").strip() if spec.multiline else " ".join(str(raw or "").split())
    if kind == "vocab" and text:
        return vocab.list(spec.vocabulary).resolve(text) or text
    if kind == "tags":
        return ", ".join(dict.fromkeys(t.strip() for t in text.replace("，", ",").split(",") if t.strip()))
    if kind == "date" and text:
        try:
            return parse_date(text).isoformat()
        except DateFormatError:
            return text
    return text
