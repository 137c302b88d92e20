"""Attachments beside each asset: storing, removing (kept aside, never deleted), downloading.

(Which attachments hold a search's words is the search engine's answer: `Hit.in_attachments`.)"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, flash, send_file, url_for

from indexer import Asset, KnowledgeBase, atomic_write_bytes, attachment_folder, list_attachments

from . import audit
from .assets import load_or_404
from .downloads import disposition
from .publish.service import SaveBusy, Target, publish_lock, reindex
from .uploads import CheckedUpload, kind_of_name

bp = Blueprint("attachments", __name__, url_prefix="/assets")
REMOVED_FOLDER = ".removed"  # hidden: never listed, never indexed, never served


@dataclass(frozen=True)
class AttachmentInfo:
    """An attachment as the asset page lists it."""

    name: str
    size: int
    kind_label: str
    url: str


def init_app(app: Flask) -> None:
    """Let uploads up to the attachment limit through, and give templates their helpers."""
    limit = max_bytes(app)
    app.config["MAX_CONTENT_LENGTH"] = max(int(app.config.get("MAX_CONTENT_LENGTH") or 0), limit + 1024 * 1024)
    app.jinja_env.globals.update(attachments_of=attachments_of)
    app.add_template_filter(filesize, "filesize")


def max_bytes(app: Flask | None = None) -> int:
    """The largest file accepted (KM_MAX_ATTACHMENT_MB), in bytes."""
    return int(float((app or current_app).config["KM_MAX_ATTACHMENT_MB"]) * 1024 * 1024)


def filesize(size: int) -> str:
    """1536 → "1.5 KB"."""
    for unit in ("ไบต์", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:,.0f} {unit}" if unit == "ไบต์" else f"{size:,.1f} {unit}"
        size /= 1024
    return str(size)


def _kb() -> KnowledgeBase:
    return current_app.extensions["km"].kb


def store(kb: KnowledgeBase, target: Target, upload: CheckedUpload, user: str) -> str:
    """Write the file beside the asset under a name not yet taken; return that name."""
    with publish_lock(kb.settings.instance_dir):
        name = put_beside(target.path, upload)
        audit.record("attach", target.slug, f"{name} ({len(upload.data):,} ไบต์)", actor=user)
    reindex(kb, target.path)
    return name


def remove(kb: KnowledgeBase, target: Target, name: str, user: str) -> None:
    """Move an attachment into the hidden .removed folder (nothing is ever deleted)."""
    with publish_lock(kb.settings.instance_dir):
        set_aside(target.path, name)
        audit.record("detach", target.slug, name, actor=user)
    reindex(kb, target.path)


def remove_and_tell(remove: Callable[[], None], name: str, removed_from: str) -> None:
    """Run a removal (`remove`, which sets the file aside) and tell the reader what came of it:
    the file was already gone, another save holds the lock, or it is out of `removed_from`."""
    try:
        remove()
    except FileNotFoundError:
        flash("ไม่พบไฟล์นี้ อาจถูกนำออกไปแล้ว", "error")
    except SaveBusy as exc:
        flash(str(exc), "error")
    else:
        flash(f"นำไฟล์ {name} ออกจาก{removed_from}แล้ว (ไฟล์ยังเก็บไว้ในโฟลเดอร์ .removed)", "info")


def put_beside(owner_file: Path, upload: CheckedUpload) -> str:
    """Write a checked upload into the files folder of `owner_file` (an asset, an event) under a
    name not yet taken, and return that name. The caller holds the publish lock."""
    folder = attachment_folder(owner_file)
    folder.mkdir(exist_ok=True)
    name = _free_name(folder, upload.name)
    atomic_write_bytes(folder / name, upload.data)
    return name


def set_aside(owner_file: Path, name: str) -> None:
    """Move a file of `owner_file` into the hidden .removed folder (nothing is ever deleted);
    FileNotFoundError when it has no file of that name. The caller holds the publish lock."""
    path = find(owner_file, name)
    if path is None:
        raise FileNotFoundError(name)
    aside = path.parent / REMOVED_FOLDER
    aside.mkdir(exist_ok=True)
    os.replace(path, aside / f"{dt.datetime.now():%Y%m%dT%H%M%S}-{name}")


def _free_name(folder: Path, name: str) -> str:
    stem, ext = name.rsplit(".", 1)
    candidate, number = name, 1
    while (folder / candidate).exists():
        number += 1
        candidate = f"{stem}-{number}.{ext}"
    return candidate


def find(owner_file: Path, name: str) -> Path | None:
    """The file called `name` beside an asset or event, looked up in the listing (the name is
    never used as a path)."""
    return next((p for p in list_attachments(owner_file) if p.name == name), None)


def attachments_of(asset: Asset) -> list[AttachmentInfo]:
    """Attachments of an asset for the page, with download links."""
    path = _kb().asset_path(asset.slug)
    if path is None:
        return []
    found = []
    for file in list_attachments(path):
        kind = kind_of_name(file.name)
        found.append(AttachmentInfo(file.name, file.stat().st_size, kind.label if kind else "ไฟล์",
                                    url_for("attachments.download", slug=asset.slug, name=file.name)))
    return found


@bp.get("/<slug>/files/<name>")
def download(slug: str, name: str):
    asset = load_or_404(slug)  # drafts stay hidden from readers, their files too
    path = find(_kb().asset_path(asset.slug), name)
    kind = kind_of_name(name)
    if path is None or kind is None:
        abort(404, description="ไม่พบไฟล์แนบนี้")
    draft = asset.status == "draft"
    reply = send_named(path, name, kind, asset.slug, max_age=0 if draft else 300)
    if draft:  # a draft's file is the KM team's: no shared cache or office browser may keep it for a reader
        reply.cache_control.private = reply.cache_control.no_cache = True
    return reply


def send_named(path, name: str, kind, owner: str, max_age: int):
    """The file as a response under its own name (see disposition); a name placed by hand with a
    line break or another control character is sent too (it was a 500: Werkzeug refuses such a
    header), the character left out of the header."""
    shown = re.sub(r"[\x00-\x1f\x7f]", "", name) or "file"
    reply = send_file(path, mimetype=kind.mime, as_attachment=not kind.inline, download_name=shown, max_age=max_age)
    reply.headers["Content-Disposition"] = disposition(shown, owner, not kind.inline)
    return reply


