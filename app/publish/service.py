"""Saving an asset: validate, detect lost updates, keep the old version, write atomically, re-index.

`save_asset` is the one path every web save takes (and the benchmark measures):

1. build the text (round-trip YAML for existing files, so hand formatting survives);
2. validate it with the same loader as files on disk;
3. under the publish lock, compare the file with the version the editor opened
   (`base_sha`); a difference is a conflict, never a silent overwrite;
4. store the previous version and the new one as revisions, with the audit entry,
   in one transaction that commits only after the atomic rename succeeded;
5. re-index just that file, so it is searchable at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
import sqlite3
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context

from indexer import (
    BE_OFFSET,
    NOT_COUNTED,
    Asset,
    AssetInvalid,
    CannotEdit,
    IndexBusy,
    KnowledgeBase,
    KnowledgeError,
    Problem,
    Unreadable,
    append_dissemination,
    asset_personal_data,
    atomic_write_text,
    closed_years_moved,
    closed_years_note,
    dates,
    describe_personal_data,
    duplicate_slug,
    file_lock,
    iter_asset_files,
    parse_asset,
    raw_front_matter,
    read_text_exactly,
    relative_path,
    text_problems,
)

from .. import audit, revisions
from ..db import get_db
from .compose import body_of, compose, form_values, normalise_body

log = logging.getLogger(__name__)
NEW_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")
LOCK_TIMEOUT = 15.0
INDEX_LATER = "บันทึกแล้ว แต่ดัชนีค้นหากำลังถูกใช้งาน ผลการค้นหาจะอัปเดตภายในไม่กี่วินาที"


class SaveBusy(KnowledgeError):
    """Another save held the publish lock for too long."""


class AssetMissing(KnowledgeError):
    """No asset has this slug (or its file is gone)."""


@dataclass(frozen=True)
class Target:
    """Where a save goes: the asset's slug and its file."""

    slug: str
    rel: str
    path: Path
    is_new: bool


@dataclass(frozen=True)
class SaveResult:
    """What happened to one save."""

    outcome: str  # saved | unchanged | invalid | conflict
    slug: str
    text: str  # the text written (or refused)
    sha: str  # fingerprint of the file now on disk ('' if there is none)
    rev: int | None = None
    problems: tuple[Problem, ...] = ()
    current_text: str | None = None  # the other person's version, on conflict
    indexed: bool = False
    index_message: str = ""
    seconds: float = 0.0  # from the start of the save until the asset is searchable
    closed_years: tuple[int, ...] = ()  # closed fiscal years whose goals this save moved

    @property
    def ok(self) -> bool:
        return self.outcome in ("saved", "unchanged")


def existing_target(kb: KnowledgeBase, slug: str) -> Target:
    """The file of an indexed asset (drafts and archived ones included)."""
    path = kb.asset_path(slug)
    if path is None:
        raise AssetMissing(f'ไม่พบขุมความรู้ "{slug}"')
    return Target(slug, relative_path(path, kb.settings.knowledge_dir), path, False)


def save_asset(kb: KnowledgeBase, slug: str | None, fields: Mapping[str, Any], body: str, base_sha: str | None,
               user: str, *, db: sqlite3.Connection | None = None, action: str | None = None,
               summary: str = "", personal_ok: bool = False) -> SaveResult:
    """Create (slug None) or update an asset from form values; see the module docstring.
    `personal_ok`: the editor confirmed that the personal data the text newly holds may be published."""
    if slug is None:
        target, problems = _new_target(kb, fields)
        if problems:
            return _invalid_new(kb, target, fields, body, problems)
        return commit_change(kb, target, lambda current: compose(current, fields, body, kb.vocab, target.rel),
                             base_sha=None, user=user, action=action or "create", db=db, summary=summary,
                             validate=lambda text: _form_errors(text, target.rel, kb, personal_ok=personal_ok))
    target = existing_target(kb, slug)

    def untouched(current: str) -> bool:
        """Whether what changed since the form opened is out of the form (a dissemination record)."""
        base = revisions.find_by_sha(db or get_db(), target.slug, base_sha or "")
        return base is not None and _form_view(base.text, kb, target.rel) == _form_view(current, kb, target.rel)

    before: dict[str, str | None] = {}

    def make_text(current: str | None) -> str:
        before["text"] = current
        return compose(current, fields, body, kb.vocab, target.rel,
                       was_published=lambda: _was_published(db or get_db(), kb, target))

    return commit_change(kb, target, make_text, base_sha=base_sha, user=user, action=action or "edit", db=db,
                         summary=summary, untouched=untouched,
                         validate=lambda text: _form_errors(text, target.rel, kb, before.get("text"), personal_ok))


def save_source(kb: KnowledgeBase, target: Target, text: str, base_sha: str, user: str, *,
                personal_ok: bool = False) -> SaveResult:
    """Save an asset's whole file as typed on its source page: checked as `python -m indexer check`
    checks it, and personal data it newly holds asked about as the editor asks (_form_errors)."""
    before: dict[str, str | None] = {}

    def make_text(current: str | None) -> str:
        before["text"] = current
        return text

    def validate(new: str) -> tuple[Problem, ...]:
        asset, errors = _parsed(new, target.rel, kb)
        if errors or personal_ok:
            return errors
        problem = personal_data_problem(asset, before.get("text"), target.rel, kb, in_file=True)
        return (problem,) if problem else ()

    return commit_change(kb, target, make_text, base_sha=base_sha, user=user, action="edit", summary="แก้ทั้งไฟล์",
                         validate=validate)


def _form_view(text: str, kb: KnowledgeBase, rel: str) -> tuple[dict[str, str], str] | None:
    """What the editor shows of a file: its fields as the form has them, and its body."""
    try:
        return form_values(parse_asset(text, rel, kb.vocab)), normalise_body(body_of(text))
    except AssetInvalid:
        return None


def commit_change(kb: KnowledgeBase, target: Target, make_text: Callable[[str | None], str], *,
                  base_sha: str | None, user: str, action: str, detail: str = "",
                  db: sqlite3.Connection | None = None,
                  validate: Callable[[str], tuple[Problem, ...]] | None = None, index: bool = True,
                  summary: str = "", untouched: Callable[[str], bool] | None = None,
                  closed_years: Callable[[str | None, str], tuple[tuple[int, ...], Callable]] | None = None,
                  ) -> SaveResult:
    """Apply `make_text` to the file's present text and save it; base_sha None skips the conflict check.

    A file changed since `base_sha` is a conflict, unless `untouched(current)` says the change
    is none of the form's (a colleague recorded a dissemination while the editor was open): then
    the form applies to the present text as it is. Files that are not assets (the KM plan's YAML
    under _km/) take the same path with their own `validate` (returning the errors of the new
    text) and `index=False`. `closed_years(current, text)` gives the closed fiscal years the
    change moves and how to say so (an asset's: its share of their goals, _closed_years_moved).
    """
    started = time.perf_counter()
    db = db or get_db()
    with publish_lock(kb.settings.instance_dir):
        current = _read(target.path)
        if target.is_new and current is not None:
            return _refused(target, "", (duplicate_slug(target.rel, target.slug, target.rel),))
        if current is None and not target.is_new:
            raise AssetMissing(f'ไฟล์ของขุมความรู้ "{target.slug}" ถูกลบหรือย้ายไปแล้ว')
        current_sha = revisions.text_sha(current) if current is not None else ""
        if (base_sha is not None and current is not None and current_sha != base_sha
                and not (untouched is not None and untouched(current))):
            return SaveResult("conflict", target.slug, "", current_sha, current_text=current)
        text = make_text(current)
        # what the loader refuses before reading a field (a NUL, a file over 4 MB) is never written
        errors = text_problems(text, target.rel) or (
            validate(text) if validate is not None else _asset_errors(text, target.rel, kb))
        if errors:
            return _refused(target, text, tuple(errors), current_sha)
        if text == current:
            return SaveResult("unchanged", target.slug, text, current_sha, seconds=time.perf_counter() - started)
        if closed_years is not None:  # a KM file's own rule (plans/writes.py)
            moved, note = closed_years(current, text)
        else:
            moved, note = (_closed_years_moved(current, text, target.rel, kb) if index else ()), closed_years_note
        rev = _write_with_revision(db, target, current, text, user, action, detail, summary,
                                   note(moved) if moved else "")
    indexed, message = reindex(kb, target.path) if index else (False, "")
    return SaveResult("saved", target.slug, text, revisions.text_sha(text), rev, indexed=indexed,
                      index_message=message, seconds=time.perf_counter() - started, closed_years=moved)


def _closed_years_moved(current: str | None, text: str, rel: str, kb: KnowledgeBase) -> tuple[int, ...]:
    """The closed fiscal years whose goals count the asset differently after this save (a date
    corrected, a department changed, a record entered late): said to the editor and in the audit
    log, and shown against the figures recorded for the auditor (reports/records.py)."""
    reports = current_app.extensions.get("km_reports") if has_app_context() else None
    if reports is None:  # saved outside the site (the benchmark's saves): no report of its years to show
        return ()
    old = _parsed(current, rel, kb)[0] if current is not None else None
    new = _parsed(text, rel, kb)[0]
    return tuple(closed_years_moved(old, new, dates.today(), reports.config))


def _asset_errors(text: str, rel: str, kb: KnowledgeBase) -> tuple[Problem, ...]:
    """The errors the asset validator finds in `text` (the same loader as files on disk)."""
    return _parsed(text, rel, kb)[1]


def _parsed(text: str, rel: str, kb: KnowledgeBase) -> tuple[Asset | None, tuple[Problem, ...]]:
    """`text` as the validator reads it: the asset, or None and its errors."""
    try:
        return parse_asset(text, rel, kb.vocab), ()
    except AssetInvalid as exc:
        return None, tuple(p for p in exc.problems if p.severity == "error")


NEEDS_A_DATE = ("ต้องระบุวันที่เผยแพร่เมื่อสถานะเป็นเผยแพร่แล้ว: ตัวชี้วัดนับขุมความรู้ในปีงบประมาณของวันที่นี้ "
                "ถ้าไม่มีวันที่ เรื่องนี้จะไม่นับในปีใดเลย")


def _form_errors(text: str, rel: str, kb: KnowledgeBase, before: str | None = None,
                 personal_ok: bool = False) -> tuple[Problem, ...]:
    """The validator's errors, and from the editor an asset published with no date: the form said
    "saved" to an asset the indicators then counted in no year (outside review, operations). A file
    written by hand without one (`before`, already so) may still be edited: the auditor's report
    lists it apart until someone gives it its date. Personal data the text did not hold before
    needs `personal_ok` to reach readers (personal_data_problem)."""
    asset, errors = _parsed(text, rel, kb)
    if asset is None or errors:
        return errors
    if problem := _too_far_ahead(asset, before, rel, kb):
        return (problem,)
    if not personal_ok and (problem := personal_data_problem(asset, before, rel, kb)):
        return (problem,)
    if asset.status != "published" or asset.published is not None:
        return ()
    old = _parsed(before, rel, kb)[0] if before is not None else None
    if old is not None and old.status == "published" and old.published is None:
        return ()
    return (Problem(rel, NEEDS_A_DATE, "published"),)


AHEAD_DAYS = 366  # a publication planned further ahead than a year is most likely a year typed wrong


def _too_far_ahead(asset: Asset, before: str | None, rel: str, kb: KnowledgeBase) -> Problem | None:
    """A published date typed more than a year ahead (15/01/2068 for 2568 is read as BE 2611): it was
    saved, warned about only on the next page, and counted in a year nobody reports (verification
    review). A file that had the date already may still be edited."""
    day = asset.published
    if asset.status == "draft" or day is None or (day - dates.today()).days <= AHEAD_DAYS:
        return None  # a draft is warned and asked again when it is published
    old = _parsed(before, rel, kb)[0] if before is not None else None
    if old is not None and old.status != "draft" and old.published == day:
        return None
    return Problem(rel, f"วันที่เผยแพร่ {dates.thai_date(day)} อยู่อีกเกินหนึ่งปี พิมพ์ปีผิดหรือไม่? "
                        f"(ปีนี้คือ พ.ศ. {dates.today().year + BE_OFFSET})", "published")


PERSONAL_DATA = ("พบข้อมูลที่อาจเป็นข้อมูลส่วนบุคคล: {found} ถ้าเผยแพร่ ทุกคนจะเห็นและค้นหาด้วยเลขนี้ได้ "
                 "ให้ลบออกหรือแทนด้วย xxx หรือถ้าเผยแพร่ได้ ให้ติ๊ก \"ตรวจแล้ว ข้อมูลนี้เผยแพร่ได้\" แล้วบันทึกอีกครั้ง "
                 "(บันทึกเป็นฉบับร่างได้โดยไม่ต้องติ๊ก)")


def personal_data_problem(asset: Asset, before: str | None, rel: str, kb: KnowledgeBase,
                          in_file: bool = False) -> Problem | None:
    """An error when an asset readers can open newly holds personal data (a citizen ID, a mobile
    number, a bank account, a house number) and nobody confirmed it may be published: HR how-tos
    quote real cases, and a pasted case file went public and searchable by the ID number (outside
    review, privacy). A draft reaches no reader; data the last version held was asked about then."""
    if asset.status == "draft":
        return None
    old = _parsed(before, rel, kb)[0] if before is not None else None
    if old is not None and old.status == "draft":
        old = None  # a draft's data reached no reader: publishing it is the moment to ask
    found = asset_personal_data(asset, old, in_file)  # the whole-file page counts the file's lines
    if not found:
        return None
    found = describe_personal_data(found)
    return Problem(rel, PERSONAL_DATA.format(found=found), "personal_ok")


def record_dissemination(kb: KnowledgeBase, target: Target, channel: str, day: dt.date | str | None, ref: str, *,
                         user: str, detail: str = "", db: sqlite3.Connection | None = None) -> SaveResult:
    """Append one {channel, date, ref} record to the asset's front matter (web form and CLI alike).

    Appending commutes with other edits, so it applies to whatever is on disk now; an
    invalid date is written only if valid, so the validator reports it against the field.
    """
    return commit_change(kb, target, lambda text: append_dissemination(text, channel, day, ref), base_sha=None,
                         user=user, action="disseminate", detail=detail, db=db,
                         validate=lambda text: _new_record_errors(text, target.rel, kb))


def _new_record_errors(text: str, rel: str, kb: KnowledgeBase) -> tuple[Problem, ...]:
    """The asset's errors, and the problems of the record just appended (the last one) as errors:
    a bad record on disk is only left out with a warning, but a new one is never written bad."""
    try:
        asset = parse_asset(text, rel, kb.vocab)
    except AssetInvalid as exc:
        return tuple(p for p in exc.problems if p.severity == "error")
    written = raw_front_matter(text)[0].get("dissemination")
    last = f"dissemination[{len(written) if isinstance(written, list) else 0}]"
    return tuple(replace(p, severity="error", message=p.message.removesuffix(NOT_COUNTED)) for p in asset.warnings
                 if p.field == last or (p.field or "").startswith(last + "."))  # never written: nothing to count


def _was_published(db: sqlite3.Connection, kb: KnowledgeBase, target: Target) -> bool:
    """Whether a stored version of the asset was published: one taken back to draft for review
    keeps its first date of publication when published again (compose)."""
    for text in revisions.texts(db, target.slug):
        try:
            if parse_asset(text, target.rel, kb.vocab).status == "published":
                return True
        except AssetInvalid:
            continue
    return False


def _refused(target: Target, text: str, problems: tuple[Problem, ...], sha: str = "") -> SaveResult:
    return SaveResult("invalid", target.slug, text, sha, problems=problems)


def _write_with_revision(db: sqlite3.Connection, target: Target, current: str | None, text: str,
                         user: str, action: str, detail: str, summary: str = "", moved: str = "") -> int:
    """Store the old and new versions and the audit entry (ending with `moved`, what the change did
    to closed fiscal years); commit only if the file was written."""
    try:
        if current is not None:
            modified = dt.datetime.fromtimestamp(target.path.stat().st_mtime, dt.UTC)
            revisions.keep_current(db, target.slug, target.rel, current, modified)
        rev = revisions.add(db, target.slug, target.rel, text, user, action, summary=summary)
        note = revisions.clean_summary(summary)
        detail = (detail or f"ฉบับที่ {rev}") + (f": {note}" if note and note != detail else "")
        if moved:
            detail += " · " + moved
        audit.record(action, target.slug, detail, actor=user, db=db, commit=False)
        target.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(target.path, text)
        db.commit()
    except BaseException:
        db.rollback()
        raise
    return rev


def reindex(kb: KnowledgeBase, path: Path) -> tuple[bool, str]:
    """Re-index one file now; a busy index is reported, never raised (the watcher catches up)."""
    try:
        kb.update(only=[path])
    except IndexBusy:
        log.warning("index busy while re-indexing %s after a save", path)
        return False, INDEX_LATER
    except (KnowledgeError, OSError) as exc:
        log.error("could not re-index %s after a save: %s", path, exc)
        return False, INDEX_LATER
    return True, ""


def _read(path: Path) -> str | None:
    try:
        return read_text_exactly(path)  # line ends as on disk: the body must survive byte for byte
    except FileNotFoundError:
        return None
    except Unreadable as exc:  # a FIFO or a device placed where the file was: said, never waited on
        raise CannotEdit(f"{path.name}: {exc}") from exc


def publish_lock(instance_dir: Path, timeout: float = LOCK_TIMEOUT):
    """One save at a time across threads and processes (the index has its own lock)."""
    return file_lock(instance_dir / "publish.lock", timeout,
                     lambda: SaveBusy("มีผู้อื่นกำลังบันทึกอยู่ กรุณาลองบันทึกอีกครั้ง"), poll=0.02)


# -- new assets -----------------------------------------------------------------------------
def _new_target(kb: KnowledgeBase, fields: Mapping[str, Any]) -> tuple[Target, tuple[Problem, ...]]:
    """Choose the file of a new asset: <department key>/<slug>.md; the path never comes from input."""
    raw_slug = str(fields.get("slug") or "").strip().lower()
    today = dates.today()  # a reader sees it in the address: the Buddhist-era date
    slug = raw_slug or f"asset-{today.year + dates.BE_OFFSET}{today:%m%d}-{secrets.token_hex(2)}"
    department = kb.vocab.departments.resolve(str(fields.get("department") or ""))
    folder = department or "_new"
    target = Target(slug, f"{folder}/{slug}.md", kb.settings.knowledge_dir / folder / f"{slug}.md", True)
    problems = []
    if not NEW_SLUG.match(slug):
        problems.append(Problem(target.rel, "ใช้ได้เฉพาะ a-z 0-9 และขีด - ยาว 2–80 ตัวอักษร เช่น sick-leave", "slug"))
    elif owner := _slug_owner(kb, slug):
        problems.append(duplicate_slug(target.rel, slug, owner))
    if department is None:
        problems.append(Problem(target.rel, "", "department"))  # the validator words this one
    return target, tuple(problems)


def _slug_owner(kb: KnowledgeBase, slug: str) -> str | None:
    """The file that has this slug already: the indexed one, or any asset file by that name."""
    knowledge_dir = kb.settings.knowledge_dir
    path = kb.asset_path(slug) or next((p for p in iter_asset_files(knowledge_dir) if p.stem == slug), None)
    return relative_path(path, knowledge_dir) if path is not None else None


def _invalid_new(kb: KnowledgeBase, target: Target, fields: Mapping[str, Any], body: str,
                 problems: tuple[Problem, ...]) -> SaveResult:
    """Report the slug problems together with everything the validator finds."""
    text = compose(None, fields, body, kb.vocab, target.rel)
    found = [p for p in problems if p.message]
    try:
        parse_asset(text, target.rel, kb.vocab)
    except AssetInvalid as exc:
        found.extend(p for p in exc.problems if p.severity == "error" and p.field != "slug")
    return SaveResult("invalid", target.slug, text, "", problems=tuple(found))
