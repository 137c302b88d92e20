"""Merging after a conflict: keep both people's changes where they touch different things.

With the version the editor started from (found among the stored revisions by its
fingerprint) this is a three-way merge per field and for the body: a change made
by only one side wins; when both changed the same thing differently, the editor's
value is proposed and the other person's is shown beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from indexer import DateFormatError, parse_date
from indexer import AssetInvalid, parse_asset
from indexer import FieldSpec
from indexer import Vocabulary

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
    base = normalise_body(body_of(base_text))
    if yours.rstrip("\n") == base.rstrip("\n"):
        return theirs, False
    if theirs.rstrip("\n") == base.rstrip("\n"):
        return yours, False
    return yours, True


def _values_of(text: str, vocab: Vocabulary, rel: str) -> dict[str, str]:
    try:
        return form_values(parse_asset(text, rel, vocab))
    except AssetInvalid:
        return {}


def _canonical(spec: FieldSpec, raw: Any, vocab: Vocabulary) -> str:
    """The form value in the shape `form_values` gives, so typed and stored values compare."""
    kind = spec.kind
    text = str(raw or "").replace("\r\n", "\n").strip() if spec.name == "summary" else " ".join(str(raw or "").split())
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
