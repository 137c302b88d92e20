"""History of an asset: stored versions, the difference between any two, and restoring one."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from indexer import InvalidParameter, parse_bounded_int, raw_front_matter, read_text_exactly

from .. import revisions
from ..auth import editor_required
from ..db import get_db
from . import bp
from .compose import normalise_body
from .fielddiff import field_changes
from .forms import ConfirmForm
from .service import SaveBusy, commit_change
from .views import after_save, kb, target_or_404
from .wordiff import word_diff

CURRENT = "current"
MAX_REVISION = 10**9


@bp.get("/<slug>/history")
@editor_required
def history(slug: str):
    target = target_or_404(slug)
    text = read_text_exactly(target.path)
    sha = revisions.text_sha(text)
    versions = revisions.history(get_db(), slug)
    on_disk_only = not versions or versions[0].sha256 != sha
    return render_template("publish/history.html", asset=kb().asset(slug), slug=slug, versions=versions,
                           current_sha=sha, on_disk_only=on_disk_only, form=ConfirmForm(base_sha=sha))


@bp.get("/<slug>/diff")
@editor_required
def diff(slug: str):
    target = target_or_404(slug)
    old_key, new_key = request.args.get("a", ""), request.args.get("b", CURRENT)
    old_label, old_text = _version(slug, target, "a", old_key)
    new_label, new_text = _version(slug, target, "b", new_key)
    old_fields, old_body = raw_front_matter(old_text)
    new_fields, new_body = raw_front_matter(new_text)
    fields = field_changes(old_fields, new_fields, kb().vocab)
    body = word_diff(normalise_body(old_body), normalise_body(new_body), kb().segmenter.tokens)
    return render_template("publish/diff.html", slug=slug, asset=kb().asset(slug), fields=fields, body=body,
                           old_label=old_label, new_label=new_label, versions=_described(slug, old_key, new_key))


def _described(slug: str, *keys: str) -> list:
    """The stored revisions among the compared versions (for who made them and why)."""
    wanted = {int(k) for k in keys if k.isascii() and k.isdigit()}
    return [v for v in revisions.history(get_db(), slug) if v.rev in wanted]


def _version(slug: str, target, name: str, key: str) -> tuple[str, str]:
    """(label, text) of a stored revision number or of the file as it is now."""
    if key == CURRENT:
        return "ฉบับปัจจุบันในไฟล์", read_text_exactly(target.path)
    if not key.isascii() or not key.isdigit():
        abort(400, description=f"a, b: ต้องเป็นเลขฉบับหรือ {CURRENT} แต่พบ \"{key[:20]}\"")
    try:
        number = parse_bounded_int(key, name, 1, MAX_REVISION)
    except InvalidParameter as exc:
        abort(400, description=str(exc))
    found = revisions.get(get_db(), slug, number)
    if found is None:
        abort(404, description=f"ไม่พบฉบับที่ {key} ของขุมความรู้นี้")
    return f"ฉบับที่ {found.rev}", found.text


@bp.post("/<slug>/restore/<int:rev>")
@editor_required
def restore(slug: str, rev: int):
    target = target_or_404(slug)
    old = revisions.get(get_db(), slug, rev)
    if old is None:
        abort(404, description=f"ไม่พบฉบับที่ {rev} ของขุมความรู้นี้")
    form = ConfirmForm()
    form.validate_on_submit()
    try:
        result = commit_change(kb(), target, lambda _current: old.text, base_sha=form.base_sha.data or "",
                               user=current_user.username, action="restore", detail=f"กู้คืนจากฉบับที่ {rev}",
                               summary=f"กู้คืนจากฉบับที่ {rev}")
    except SaveBusy as exc:
        flash(str(exc), "error")
        return redirect(url_for("publish.history", slug=slug))
    if result.outcome == "conflict":
        flash("มีผู้บันทึกขุมความรู้นี้หลังจากที่คุณเปิดหน้าประวัติ กรุณาตรวจสอบฉบับล่าสุดก่อนกู้คืน", "error")
        return redirect(url_for("publish.history", slug=slug))
    if result.outcome == "invalid":
        flash("กู้คืนฉบับนี้ไม่ได้ เพราะไม่ผ่านการตรวจสอบตามรูปแบบปัจจุบัน: "
              + "; ".join(p.message for p in result.problems), "error")
        return redirect(url_for("publish.history", slug=slug))
    return after_save(result, f"กู้คืนฉบับที่ {rev} เป็นฉบับใหม่แล้ว")
