"""Between the editor form and the file: field values in, Markdown text out (and back).

Only the fields whose meaning changed are written, through the round-trip YAML
editor, so a file formatted by hand keeps its comments, quoting and order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from ruamel.yaml.scalarstring import LiteralScalarString

from indexer import (
    FIELDS,
    Asset,
    AssetInvalid,
    DateFormatError,
    FieldSpec,
    Vocabulary,
    be_date_input,
    dates,
    line_end,
    new_asset_text,
    parse_asset,
    parse_date,
    split_source,
    update_front_matter,
)

# The form edits every schema field except the dissemination list (it has its own form) and the
# earlier updates (kept by the save itself, see _earlier_updates).
FORM_FIELDS = tuple(spec for spec in FIELDS if spec.kind not in ("dissemination", "dates"))


def form_values(asset: Asset) -> dict[str, str]:
    """The editor form's starting values for an asset."""
    values: dict[str, str] = {}
    for spec in FORM_FIELDS:
        value = getattr(asset, spec.name)
        if spec.kind == "tags":
            values[spec.name] = ", ".join(value)
        elif spec.kind == "date":
            values[spec.name] = be_date_input(value)
        else:
            values[spec.name] = value or ""
    return values


def body_of(text: str) -> str:
    """The Markdown body of a file exactly as written."""
    return split_source(text)[3]


def normalise_body(body: str) -> str:
    """Browsers send text areas with CRLF line breaks, files may have CRLF or CR: compare in LF.

    A NUL (text pasted from a PDF can carry one) is dropped: it is invisible, and a text file
    holding one is no asset file.
    """
    return (body or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def compose(current: str | None, values: Mapping[str, Any], body: str, vocab: Vocabulary, rel: str,
            was_published: Callable[[], bool] | None = None) -> str:
    """Build the file text for the form's values: a new file, or `current` with the changes
    (`was_published` says whether the asset, a draft now, was published before; asked only when
    it is published again, see _changed_fields)."""
    changes = {spec.name: _yaml_value(spec, values.get(spec.name), vocab) for spec in FORM_FIELDS}
    body = normalise_body(body)
    if current is None:
        # A blank line after the closing --- like the hand-written files.
        fields = {k: v for k, v in changes.items() if v is not None}
        return new_asset_text(fields, "\n" + _with_break(body.lstrip("\n")))
    opening, raw, closing, old_body = split_source(current)
    # An unchanged body is kept byte for byte; a changed one takes the file's line ends.
    end = line_end(opening)
    new_body = old_body if normalise_body(old_body) == body else _with_break(body).replace("\n", end)
    kept = _changed_fields(current, changes, new_body, vocab, rel, was_published)
    if not kept:
        return opening + raw + closing + new_body
    return update_front_matter(current, kept, new_body)


CONTENT_FIELDS = ("title", "summary", "tags", "owner")  # with the body: what a reader reads


def _changed_fields(current: str, changes: dict[str, Any], body: str, vocab: Vocabulary, rel: str,
                    was_published: Callable[[], bool] | None = None) -> dict[str, Any]:
    """Drop the changes that mean the same as what the file says (e.g. "กองคลัง" vs finance)."""
    candidate = update_front_matter(current, changes, body)
    try:
        old = parse_asset(current, rel, vocab)
        new = parse_asset(candidate, rel, vocab)
    except AssetInvalid:
        return changes  # the validator will point at what is wrong
    kept = {name: value for name, value in changes.items() if getattr(old, name) != getattr(new, name)}
    if (old.status == "draft" and new.status == "published" and "published" not in kept and old.published
            and not (was_published and was_published())):
        # the draft's date is when it was started: published now, it counts in the fiscal year it
        # reaches readers (a date the editor changed in the same save is kept as typed). One taken
        # back to draft for review keeps its first date: a closed year counted it, and its
        # dissemination records of that year would otherwise predate it (auditor's second visit)
        kept["published"] = max(old.published, dates.today())
    if new.status == "archived" and old.status == "published" and new.retired is None:
        # retired today: the fiscal years closed before today keep counting it (Asset.counts_in)
        kept["retired"] = dates.today()
    elif new.status != "archived" and new.retired is not None:
        kept["retired"] = None  # brought back: it counts as any published asset again
    if (new.status == old.status == "published" and "updated" not in kept and old.updated != dates.today()
            and (old.body != new.body or any(name in kept for name in CONTENT_FIELDS))):
        # the text readers rely on changed: the review list, the feeds and the plan's measure of
        # assets brought up to date go by this date (a date the editor changed is kept as typed)
        kept["updated"] = dates.today()
    if earlier := _earlier_updates(old, kept.get("updated", new.updated)):
        kept["earlier_updates"] = earlier
    return kept


def _earlier_updates(old: Asset, updated: Any) -> list | None:
    """`earlier_updates` when `updated` moves into a later half of a fiscal year (Oct–Mar, Apr–Sep),
    else None: the half it leaves keeps its last update, so the plan's measure of assets brought up
    to date still counts it there, in the year's report (auditor's second visit) and in the report
    as at 31 March (review R-02: a June edit erased January's). One date per half-year, the latest."""
    if not (old.updated and isinstance(updated, dt.date) and _half(updated) > _half(old.updated)):
        return None
    latest: dict[tuple[int, bool], dt.date] = {}
    for day in sorted((*old.earlier_updates, old.updated)):
        latest[_half(day)] = day
    return sorted(latest.values())


def _half(day: dt.date) -> tuple[int, bool]:
    """(fiscal year, whether in its second half): the periods the half-year and yearly reports cover."""
    return dates.fiscal_year_of(day), 4 <= day.month <= 9


def _with_break(body: str) -> str:
    """A body starts on its own line after the closing --- and ends with a line break."""
    if body and not body.endswith("\n"):
        body += "\n"
    return body


def _yaml_value(spec: FieldSpec, raw: Any, vocab: Vocabulary) -> Any:
    """Turn what was typed into the YAML value written to the file (None = leave out)."""
    text = "" if raw is None else str(raw).replace("\r\n", "\n").replace("\x00", "").strip()
    kind = spec.kind
    if not text:
        return None
    if kind == "vocab":
        return vocab.list(spec.vocabulary).resolve(text) or text  # "กองคลัง" is written as finance
    if kind == "tags":
        return [t for t in (" ".join(part.split()) for part in re.split(r"[,，]", text)) if t]
    if kind == "date":
        try:
            return parse_date(text)
        except DateFormatError:
            return text  # kept as typed so the validator can quote it back
    if "\n" in text:
        return LiteralScalarString(text + "\n")
    return text


def today_be() -> str:
    """Today as the date fields show it: "31/01/2568" (Buddhist era), the municipality's today (KM_TIMEZONE)."""
    return be_date_input(dates.today())
