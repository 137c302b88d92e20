"""Attachments stored beside an asset, and the text extracted from them for the index.

An asset `knowledge/palad/sick-leave.md` keeps its files in
`knowledge/palad/sick-leave.files/`. Only `*.md` files are ever read as assets,
and attachments never end in `.md`, so the folder is never mistaken for content.
Text is taken from PDF (pypdf) and DOCX (python-docx), once per file content and in a
bounded child process (extraction.py); other kinds are listed but contribute no text.
"""

from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass
from pathlib import Path

from .extraction import extract_text

FOLDER_SUFFIX = ".files"
MATCH_CHARS = 30_000  # of each attachment's text, stored in the index to quote where words were found


@dataclass(frozen=True)
class AttachmentText:
    """The name of one attachment and the text found in it (may be empty)."""

    name: str
    text: str


def attachment_folder(asset_file: Path) -> Path:
    """The folder holding an asset's attachments (it may not exist)."""
    return asset_file.with_name(asset_file.stem + FOLDER_SUFFIX)


def list_attachments(asset_file: Path) -> list[Path]:
    """The asset's attachment files, by name; hidden files (removed or half-written) are skipped.

    Symbolic links are never followed, neither the folder nor a file in it: a link could
    point anywhere on the server (/etc/passwd), and what is listed here is served and indexed.
    """
    folder = attachment_folder(asset_file)
    if folder.is_symlink() or not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if not p.name.startswith((".", "_")) and _regular_file(p)),
                  key=lambda p: p.name)


def _regular_file(path: Path) -> bool:
    """True for a plain file; False for a link (wherever it points), a folder or a device."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def attachments_signature(asset_file: Path) -> str:
    """A short fingerprint of the attachment folder ('' when there is none), for change detection."""
    files = list_attachments(asset_file)
    if not files:
        return ""
    parts = []
    for path in files:
        stat = path.stat()
        parts.append(f"{path.name}:{stat.st_mtime_ns}:{stat.st_size}")
    return hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()[:16]  # noqa: S324 - not for security


def read_attachments(asset_file: Path, text_cache: Path | None = None) -> tuple[AttachmentText, ...]:
    """Every attachment of the asset with its text (extracted once, see extraction.py)."""
    return tuple(AttachmentText(path.name, extract_text(path, text_cache)) for path in list_attachments(asset_file))
