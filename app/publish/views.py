"""Create, edit and retire assets; the live preview."""

from __future__ import annotations

import datetime as dt
import sqlite3

from flask import Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import InternalServerError

from indexer import (
    AssetInvalid,
    KnowledgeBase,
    Problem,
    broken_links,
    closed_years_note,
    dated_ahead,
    dates,
    fiscal_year_of,
    parse_asset,
    picture_warnings,
    read_text_exactly,
    thai_date,
    update_front_matter,
)

from .. import revisions
from ..assets import broken_file
from ..auth import editor_required
from ..db import get_db
from ..errorpages import error_page
from ..rendering import render_markdown
from . import bp
from .compose import FORM_FIELDS, body_of, form_values, normalise_body, today_be
from .diffing import line_diff
from .forms import ConfirmForm, SourceForm, asset_form
from .merge import propose
from .pasted import MAX_PASTED_CHARS, pasted_markdown
from .service import AssetMissing, SaveBusy, SaveResult, Target, commit_change, existing_target, save_asset, save_source

MAX_PREVIEW_CHARS = 500_000
WRITE_FAILED = ("บันทึกไม่สำเร็จเพราะเขียนไฟล์ไม่ได้ ({reason}) ไฟล์เดิมยังอยู่ครบ และข้อความที่พิมพ์ยังอยู่ในแบบฟอร์มนี้ "
                "กรุณาลองอีกครั้งหรือแจ้งผู้ดูแลระบบ")
STORE_FAILED = "บันทึกไม่สำเร็จเพราะเขียนไฟล์ไม่ได้ ({reason}) ไฟล์เดิมยังอยู่ครบ กรุณาลองอีกครั้งหรือแจ้งผู้ดูแลระบบ"


def kb() -> KnowledgeBase:
    return current_app.extensions["km"].kb


@bp.errorhandler(OSError)
@bp.errorhandler(sqlite3.OperationalError)
def store_failed(exc: Exception):
    """A full disk or a read-only folder on any other publishing action: say so; nothing was half written."""
    current_app.logger.exception("could not write on %s %s", request.method, request.path)
    reason = (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
    error = InternalServerError(description=STORE_FAILED.format(reason=reason))
    return error_page(error), 500


def write_failed(exc: Exception) -> str:
    return WRITE_FAILED.format(reason=getattr(exc, "strerror", None) or exc)


def target_or_404(slug: str) -> Target:
    try:
        return existing_target(kb(), slug)
    except AssetMissing:
        abort(404, description="ไม่พบขุมความรู้นี้ อาจถูกย้ายหรือเปลี่ยนชื่อไฟล์")


def field_errors(problems: tuple[Problem, ...], names: set[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Sort problems into those shown next to a form field and those shown above the form."""
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in problems:
        if problem.field in names:
            by_field.setdefault(problem.field, []).append(problem.message)
        else:
            where = f"บรรทัด {problem.line}: " if problem.line else ""
            what = f"{problem.field}: " if problem.field else ""
            general.append(where + what + problem.message)
    return by_field, general


def after_save(result: SaveResult, done: str, text_changed: bool = True) -> Response:
    """Tell the editor what happened and show the asset (`text_changed`: whether to say who can
    find it now; a dissemination record changes nothing a reader searches)."""
    if result.outcome == "unchanged":
        flash("ไม่มีการเปลี่ยนแปลง จึงไม่ได้บันทึกฉบับใหม่", "info")
    else:
        asset = kb().asset(result.slug)
        flash(f"{done} (ฉบับที่ {result.rev})" + (reach(asset) if result.indexed and asset and text_changed else ""),
              "info")
        # saved, but worth a second look: a warning, not an error (wording review)
        if result.closed_years:  # a closed year's report may be in the auditor's hands already
            flash(closed_years_note(result.closed_years) + CLOSED_YEARS_SHOWN, "warning")
        if result.index_message:
            flash(result.index_message, "error")
        # a year typed wrong (2596 for 2569) is said now, while whoever typed it is here
        for problem in dated_ahead([asset] if asset else [], None, dates.today(), kb().vocab):
            if problem.field.startswith("dissemination"):  # the edit form has no records: the whole file has
                flash(f"{problem.message}ได้ที่หน้าแก้ทั้งไฟล์ {url_for('publish.source', slug=asset.slug)}", "warning")
            else:
                flash(f"{problem.message}ในหน้าแก้ไข", "warning")
        for problem in broken_links([asset] if asset else [], lookup=kb().asset):  # said while it is typed
            flash(problem.message, "warning")
        for problem in picture_warnings([asset] if asset else []):
            flash(problem.message, "warning")
        if result.indexed:
            current_app.logger.info("saved %s rev %s; searchable after %.3f s", result.slug, result.rev, result.seconds)
        else:  # the file is saved; search still shows the old text until the index takes it
            current_app.logger.warning("saved %s rev %s, but search does not have it yet: %s", result.slug,
                                       result.rev, result.index_message or "not re-indexed")
    return redirect(url_for("assets.show", slug=result.slug))


REACH = {"published": " ค้นหาได้ทันที", "draft": " เป็นฉบับร่าง: ทีม KM เห็นได้ ผู้อ่านทั่วไปยังไม่เห็น"}
CLOSED_YEARS_SHOWN = (": ถ้าทีม KM บันทึกตัวเลขของปีนั้นไว้ตอนส่งรายงานแล้ว หน้ารายงานตัวชี้วัดของปีนั้นแสดง"
                      "ทุกรายการที่เปลี่ยนไปจากที่บันทึก ผู้ตรวจจึงเห็นการเปลี่ยนนี้")


def reach(asset) -> str:
    """Who finds the asset now and which years count it, as its status and retirement date say."""
    if asset.status != "archived":
        return REACH.get(asset.status, "")
    if asset.retired is None:
        return " ไม่แสดงในผลการค้นหา และไม่นับในตัวชี้วัดของปีงบประมาณใดเลยเพราะไม่มีวันที่เลิกใช้"
    return (f" ไม่แสดงในผลการค้นหา และไม่นับในตัวชี้วัดตั้งแต่ปีงบประมาณ {fiscal_year_of(asset.retired)} "
            f"(เลิกใช้ {thai_date(asset.retired)}) ปีก่อนหน้านั้นนับเหมือนเดิม")


def _starting_type(vocab, key: str | None):
    """The asset type whose outline a new asset starts with (?type=KEY), None for a blank one;
    a type the vocabulary does not know, or one without an outline, is a 400 naming the ones it has."""
    if not key:
        return None
    term = vocab.asset_types.get(key.strip())
    if term is None or not term.outline:
        known = ", ".join(t.key for t in vocab.asset_types if t.outline)
        abort(400, description=f"type: ไม่มีโครงเรื่องของประเภท \"{key[:40]}\" ใช้ได้: {known}")
    return term


def render_editor(form, *, slug: str | None, problems: tuple[Problem, ...] = (), status: int = 200,
                  message: str | None = None, started_from=None, file_warnings: tuple[Problem, ...] = ()):
    names = {spec.name for spec in FORM_FIELDS} | {"body", "slug", "personal_ok"}
    errors, general = field_errors(problems, names)
    if message:
        general.insert(0, message)
    preview = render_markdown(normalise_body(form.body.data or ""), slug)
    outlines = [t for t in kb().vocab.asset_types if t.outline] if slug is None else []
    return render_template("publish/editor.html", form=form, specs=FORM_FIELDS, slug=slug, errors=errors,
                           general=general, preview=preview, outlines=outlines, started_from=started_from,
                           file_warnings=file_warnings), status


def submitted_values(form) -> dict[str, str]:
    values = {spec.name: form[spec.name].data or "" for spec in FORM_FIELDS}
    if "slug" in form:
        values["slug"] = form.slug.data or ""
    return values


@bp.route("/new", methods=["GET", "POST"])
@editor_required
def new():
    if request.method == "GET":
        start = _starting_type(kb().vocab, request.args.get("type"))
        return render_editor(asset_form(kb().vocab, True, published=today_be(), knowledge_type="explicit",
                                        asset_type=start.key if start else "other", status="published",
                                        body=start.outline_markdown if start else ""),
                             slug=None, started_from=start)
    form = asset_form(kb().vocab, True)
    form.validate_on_submit()
    try:
        result = save_asset(kb(), None, submitted_values(form), form.body.data or "", None, current_user.username,
                            summary=form.edit_summary.data or "", personal_ok=form.personal_ok.data)
    except SaveBusy as exc:
        return render_editor(form, slug=None, status=503, message=str(exc))
    except (OSError, sqlite3.OperationalError) as exc:  # disk full, read-only folder
        current_app.logger.exception("could not write a new asset")
        return render_editor(form, slug=None, status=500, message=write_failed(exc))
    if result.outcome == "invalid":
        return render_editor(form, slug=None, problems=result.problems, status=422,
                             message="ยังบันทึกไม่ได้")
    return after_save(result, "สร้างขุมความรู้แล้ว")


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@editor_required
def edit(slug: str):
    if request.method == "GET" and kb().asset_path(slug) is None and _broken_target(slug) is not None:
        flash("ไฟล์นี้มีข้อผิดพลาดจากการแก้ไขโดยตรง จึงเปิดเป็นช่องกรอกไม่ได้: แก้ทั้งไฟล์ที่นี่ แล้วบันทึก", "error")
        return redirect(url_for("publish.source", slug=slug))
    target = target_or_404(slug)
    if request.method == "GET":
        text = read_text_exactly(target.path)
        try:
            asset = parse_asset(text, target.rel, kb().vocab)
        except AssetInvalid:
            abort(409, description=f"ไฟล์นี้มีข้อผิดพลาดจากการแก้ไขโดยตรง จึงเปิดเป็นช่องกรอกไม่ได้ "
                                   f"แก้ทั้งไฟล์ได้ที่ /publish/{slug}/source")
        _remember_version(target, text)
        form = asset_form(kb().vocab, False, **form_values(asset), body=normalise_body(body_of(text)),
                          base_sha=revisions.text_sha(text))
        # a field misspelt by hand (sumary:) shows as an empty box: say what the file holds that the form does not
        return render_editor(form, slug=slug, file_warnings=asset.warnings)
    form = asset_form(kb().vocab, False)
    form.validate_on_submit()
    try:
        result = save_asset(kb(), slug, submitted_values(form), form.body.data or "", form.base_sha.data or "",
                            current_user.username, action="merge" if form.merged.data else "edit",
                            summary=form.edit_summary.data or "", personal_ok=form.personal_ok.data)
    except SaveBusy as exc:
        return render_editor(form, slug=slug, status=503, message=str(exc))
    except (OSError, sqlite3.OperationalError) as exc:  # disk full, read-only folder
        current_app.logger.exception("could not write asset %s", slug)
        return render_editor(form, slug=slug, status=500, message=write_failed(exc))
    except AssetMissing:
        abort(404, description="ไม่พบขุมความรู้นี้ อาจถูกย้ายหรือเปลี่ยนชื่อไฟล์")
    if result.outcome == "conflict":
        return render_conflict(form, target, result)
    if result.outcome == "invalid":
        return render_editor(form, slug=slug, problems=result.problems, status=422,
                             message="ยังบันทึกไม่ได้")
    return after_save(result, "บันทึกการแก้ไขแล้ว")


def _remember_version(target: Target, text: str) -> None:
    """Keep the version the form starts from, so a later conflict can be merged three ways."""
    modified = dt.datetime.fromtimestamp(target.path.stat().st_mtime, dt.UTC)
    if revisions.keep_current(get_db(), target.slug, target.rel, text, modified) is not None:
        get_db().commit()


def render_conflict(form, target: Target, result: SaveResult):
    """Show both versions and a form that merges them, based on the version now on disk."""
    base = revisions.find_by_sha(get_db(), target.slug, form.base_sha.data or "")
    proposal = propose(base.text if base else None, result.current_text, submitted_values(form),
                       form.body.data or "", kb().vocab, target.rel)
    merged = asset_form(kb().vocab, False, from_request=False, **proposal.values, body=proposal.body,
                        base_sha=result.sha, merged="1", edit_summary=form.edit_summary.data or "")
    yours_body = normalise_body(form.body.data or "")
    return render_template(
        "publish/conflict.html", form=merged, specs=FORM_FIELDS, slug=target.slug, proposal=proposal,
        body_diff=line_diff(proposal.theirs_body, yours_body),
        their_changes=line_diff(proposal.base_body, proposal.theirs_body) if proposal.base_body is not None else None,
        latest=revisions.latest(get_db(), target.slug), errors={}, general=[],
        preview=render_markdown(proposal.body, target.slug)), 409


@bp.route("/<slug>/source", methods=["GET", "POST"])
@editor_required
def source(slug: str):
    """Edit the whole file as text: the one way to open a file whose front matter a hand edit broke
    (its page and the form of fields say it has an error) without a login to the server."""
    target = _source_target(slug)
    form = SourceForm()
    if request.method == "GET":
        text = read_text_exactly(target.path)
        form.text.data, form.base_sha.data = text, revisions.text_sha(text)
        return _source_page(target, form)
    form.validate_on_submit()
    if form.text.data is None or form.csrf_token.errors:  # a post cut short is never saved as an empty file
        return _source_page(target, form, general=["ส่งแบบฟอร์มมาไม่ครบ กรุณาเปิดหน้านี้ใหม่แล้วบันทึกอีกครั้ง"],
                            status=400)
    text = form.text.data.replace("\r\n", "\n")
    try:
        result = save_source(kb(), target, text, form.base_sha.data or "", current_user.username,
                             personal_ok=form.personal_ok.data)
    except SaveBusy as exc:
        return _source_page(target, form, general=[str(exc)], status=503)
    if result.outcome == "conflict":
        form.base_sha.data = result.sha  # saving again replaces their version on purpose
        return _source_page(target, form, theirs=result.current_text, status=409, general=[
            "มีผู้แก้ไขไฟล์นี้หลังจากที่คุณเปิด ฉบับของเขาแสดงอยู่ด้านล่าง รวมการแก้ไขในช่องของคุณแล้วกดบันทึกอีกครั้ง"])
    if result.outcome == "invalid":
        return _source_page(target, form, general=[str(p) for p in result.problems], status=422,
                            personal=any(p.field == "personal_ok" for p in result.problems))
    return after_save(result, "บันทึกไฟล์แล้ว")


def _source_target(slug: str) -> Target:
    """The file of `slug`: an indexed asset's, or the file left out for an error (_broken_target)."""
    try:
        return existing_target(kb(), slug)
    except AssetMissing:
        pass
    return _broken_target(slug) or abort(404, description="ไม่พบไฟล์ของขุมความรู้นี้")


def _broken_target(slug: str) -> Target | None:
    """The file left out for an error whose name is `slug` (assets.broken_file), while it is there."""
    problem = broken_file(slug)
    path = kb().settings.knowledge_dir / problem.path if problem else None
    if path is None or not path.is_file() or path.is_symlink():
        return None
    return Target(slug, problem.path, path, False)


def _source_page(target: Target, form: SourceForm, general=None, theirs=None, status=200, personal=False):
    problems = [p for p in kb().problems() if p.path == target.rel]
    return render_template("publish/source.html", form=form, target=target, problems=problems,
                           general=general or [], theirs=theirs, personal=personal), status


@bp.route("/<slug>/retire", methods=["GET", "POST"])
@editor_required
def retire(slug: str):
    target = target_or_404(slug)
    asset = kb().asset(slug)
    form = ConfirmForm()
    if request.method == "GET" or not form.validate_on_submit():
        return render_template("publish/retire.html", asset=asset, form=form,
                               today_fy=dates.fiscal_year_of(dates.today()))
    try:
        # a published asset keeps counting in the fiscal years closed before today; a draft never counted
        changes: dict = {"status": "archived"}
        if asset.status != "archived":
            changes["retired"] = dates.today() if asset.status == "published" else None
        result = commit_change(kb(), target, lambda text: update_front_matter(text, changes),
                               base_sha=None, user=current_user.username, action="retire")
    except SaveBusy as exc:
        flash(str(exc), "error")
        return redirect(url_for("publish.retire", slug=slug))
    return after_save(result, "เลิกใช้ขุมความรู้นี้แล้ว (ไฟล์ยังอยู่ เรียกดูได้จากลิงก์เดิม)")


@bp.post("/paste")
@editor_required
def paste():
    """Markdown for what was pasted from a word processor: editor.js sends the clipboard's HTML and
    plain text as JSON (a Word page's HTML is larger than a form field may be)."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not all(isinstance(data.get(k, ""), str) for k in ("html", "text")):
        abort(400, description='ต้องส่ง JSON {"html": "…", "text": "…"}')
    html, text = data.get("html", ""), data.get("text", "")
    if len(html) > MAX_PASTED_CHARS or len(text) > MAX_PASTED_CHARS:
        abort(413, description=f"ข้อความที่วางยาวเกิน {MAX_PASTED_CHARS:,} ตัวอักษร จึงแปลงรูปแบบให้ไม่ได้: "
                               "วางทีละส่วน")
    return jsonify(markdown=pasted_markdown(html, text))


@bp.post("/preview")
@editor_required
def preview():
    """The body rendered exactly as the asset page renders it (for the live preview)."""
    body = request.form.get("body", "")
    if len(body) > MAX_PREVIEW_CHARS:
        abort(413, description="เนื้อหายาวเกินกว่าที่จะแสดงตัวอย่าง")
    slug = request.form.get("slug", "")[:200]  # an existing asset: its own pictures are shown
    return Response(str(render_markdown(normalise_body(body), slug or None).html), mimetype="text/html")
