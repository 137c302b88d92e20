"""Attach files to an asset (PDF, DOCX, XLSX, images) and set them aside again."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from indexer import PICTURE_PLACEHOLDER, attachment_folder, personal_data_in_file

from .. import attachments
from ..auth import editor_required
from ..rendering import image_reference
from ..uploads import ACCEPTED, UploadRejected, check_file, display_copy
from . import bp
from .forms import ConfirmForm, UploadForm
from .service import SaveBusy
from .views import kb, target_or_404


def _page(slug: str, form: UploadForm, error: str | None = None, status: int = 200):
    asset = kb().asset(slug)
    return render_template("publish/attachments.html", asset=asset, form=form, error=error,
                           files=attachments.attachments_of(asset), remove_form=ConfirmForm(),
                           accepted=ACCEPTED, limit_mb=attachments.max_bytes() / 1048576), status


@bp.route("/<slug>/attachments", methods=["GET", "POST"])
@editor_required
def attachments_page(slug: str):
    target = target_or_404(slug)
    form = UploadForm()
    if request.method == "GET" or not form.validate_on_submit():
        return _page(slug, form)
    try:
        upload = check_file(form.file.data, attachments.max_bytes())
        name = attachments.store(kb(), target, upload, current_user.username)
    except UploadRejected as exc:
        return _page(slug, form, str(exc), 422)
    except SaveBusy as exc:
        return _page(slug, form, str(exc), 503)
    if name != upload.name:  # never overwritten: said, so a new version is not taken for the old one
        flash(f"แนบไฟล์แล้ว เรื่องนี้มีไฟล์ชื่อ {upload.name} อยู่แล้ว จึงตั้งชื่อไฟล์ใหม่เป็น {name} "
              "(ถ้าไฟล์ใหม่มาแทนไฟล์เดิม ให้ลบไฟล์เดิมออก)", "info")
    else:
        flash(f"แนบไฟล์ {name} แล้ว", "info")
    _warn_personal_data(target, name)
    return redirect(url_for("publish.attachments_page", slug=slug))


def _warn_personal_data(target, name: str) -> None:
    """Said at once when the file's text (extracted for search) holds personal data: a scanned request
    form of a real case was served, and searchable by its bank account number, to anyone who could open
    the asset (outside review, privacy)."""
    path = attachment_folder(target.path) / name
    found = personal_data_in_file(path, kb().text_cache) if path.is_file() else ""
    if found:
        flash(f"ไฟล์ {name} อาจมีข้อมูลส่วนบุคคล: {found} "
              "ผู้ที่เปิดเรื่องนี้ได้จะเปิดไฟล์นี้และค้นหาด้วยข้อมูลนี้ได้ ถ้าไม่ได้รับความยินยอม ให้นำไฟล์ออก", "warning")


ONLY_IMAGES = "วางในเนื้อหาได้เฉพาะรูปภาพ PNG, JPG, GIF และ WEBP (ไฟล์อื่นแนบได้ที่หน้าไฟล์แนบ)"


@bp.post("/<slug>/images")
@editor_required
def upload_image(slug: str):
    """A picture pasted or dropped into the editor: stored as an attachment; answers the Markdown to insert.

    JSON in and out for the editor's script; the CSRF token comes in the X-CSRFToken header.
    """
    target = target_or_404(slug)
    try:
        checked = check_file(request.files.get("file"), attachments.max_bytes())
        if not checked.kind.inline:
            raise UploadRejected(ONLY_IMAGES)
        checked, shrunk = display_copy(checked)
        name = attachments.store(kb(), target, checked, current_user.username)
    except UploadRejected as exc:
        return jsonify(error="Unprocessable Entity", reason=str(exc), status=422), 422
    except SaveBusy as exc:
        return jsonify(error="Service Unavailable", reason=str(exc), status=503), 503
    reference = image_reference(target.path.stem, name)
    return jsonify(name=name, src=reference, markdown=f"![{PICTURE_PLACEHOLDER}]({reference})",
                   url=url_for("attachments.download", slug=slug, name=name), shrunk=shrunk), 201


@bp.post("/<slug>/attachments/<name>/remove")
@editor_required
def remove_attachment(slug: str, name: str):
    target = target_or_404(slug)
    ConfirmForm().validate_on_submit()  # CSRF is checked for every POST before this view runs
    attachments.remove_and_tell(lambda: attachments.remove(kb(), target, name, current_user.username), name,
                                "ขุมความรู้")
    return redirect(url_for("publish.attachments_page", slug=slug))
