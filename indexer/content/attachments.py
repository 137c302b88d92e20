"""Attachments stored beside an asset, and the text extracted from them for the index.

An asset `knowledge/palad/sick-leave.md` keeps its files in
`knowledge/palad/sick-leave.files/`. Only `*.md` files are ever read as assets,
and attachments never end in `.md`, so the folder is never mistaken for content.
Text is taken from PDF (pypdf) and DOCX (python-docx); other kinds are listed
but contribute no text.
"""

from __future__ import annotations

import hashlib
import logging
import stat
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)
FOLDER_SUFFIX = ".files"
MAX_TEXT_CHARS = 200_000  # per attachment: enough for a long manual, bounded for the index
TEXT_KINDS = (".pdf", ".docx")


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


def read_attachments(asset_file: Path) -> tuple[AttachmentText, ...]:
    """Every attachment of the asset with its extracted text."""
    found = []
    for path in list_attachments(asset_file):
        stat = path.stat()
        found.append(AttachmentText(path.name, extract_text(path, stat.st_mtime_ns, stat.st_size)))
    return tuple(found)


@lru_cache(maxsize=256)
def extract_text(path: Path, _mtime_ns: int = 0, _size: int = 0) -> str:
    """Text of a PDF or DOCX file ('' for other kinds or unreadable files, which are logged).

    The modification time and size are part of the cache key, so a replaced
    file is read again.
    """
    suffix = path.suffix.lower()
    if suffix not in TEXT_KINDS:
        return ""
    try:
        text = _pdf_text(path) if suffix == ".pdf" else _docx_text(path)
    except Exception as exc:  # damaged files raise many kinds of errors; the asset is still indexed
        log.warning("could not read the text of attachment %s (%s: %s)", path, type(exc).__name__, exc)
        return ""
    return text[:MAX_TEXT_CHARS]


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    pages, size = [], 0
    for page in reader.pages:
        chunk = page.extract_text() or ""
        pages.append(chunk)
        size += len(chunk)
        if size > MAX_TEXT_CHARS:
            break
    return "\n".join(pages)


def _docx_text(path: Path) -> str:
    import docx

    if not zipfile.is_zipfile(path):
        raise ValueError("not a DOCX (zip) file")
    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(line for line in lines if line.strip())
