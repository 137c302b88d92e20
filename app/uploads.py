"""Checking an uploaded attachment: size, the real type from its content, and a safe file name."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype

from indexer import zip_problem


@dataclass(frozen=True)
class FileKind:
    """One accepted kind of attachment."""

    key: str  # the extension files of this kind are stored with
    label: str
    mime: str
    extensions: tuple[str, ...]
    inline: bool = False  # images are shown in the browser; documents are downloaded


KINDS = (
    FileKind("pdf", "PDF", "application/pdf", ("pdf",)),
    FileKind("docx", "Word (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             ("docx",)),
    FileKind("xlsx", "Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
    FileKind("png", "รูปภาพ PNG", "image/png", ("png",), True),
    FileKind("jpg", "รูปภาพ JPEG", "image/jpeg", ("jpg", "jpeg"), True),
    FileKind("gif", "รูปภาพ GIF", "image/gif", ("gif",), True),
    FileKind("webp", "รูปภาพ WebP", "image/webp", ("webp",), True),
)
KINDS_BY_KEY = {k.key: k for k in KINDS}
ZIP_KINDS = ("docx", "xlsx")  # unpacked when their text is read (DOCX) or when opened
_BY_EXTENSION = {ext: k for k in KINDS for ext in k.extensions}
ACCEPTED = "PDF, DOCX, XLSX, PNG, JPG, GIF และ WEBP"
_UNSAFE = re.compile(r"[^0-9A-Za-z\u0E00-\u0E7F_-]+")  # Thai letters stay readable in names
MAX_STEM_CHARS = 80
# File systems count a name in bytes (255), and a Thai letter is 3 in UTF-8: 80 Thai letters plus
# the write's temporary ".<name>.<pid>.<random>.tmp", a "-2" for a second file of the same name and
# the time stamp the .removed folder puts in front went past it. 150 bytes leaves room for them all.
MAX_STEM_BYTES = 150


class UploadRejected(ValueError):
    """The upload was refused; the message (Thai) says why and what is accepted."""


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed every check, with the name it will be stored under."""

    kind: FileKind
    name: str
    data: bytes


def kind_of_name(name: str) -> FileKind | None:
    """The kind a stored file name claims (by extension)."""
    return _BY_EXTENSION.get(name.rsplit(".", 1)[-1].lower()) if "." in name else None


def check_upload(filename: str, data: bytes, max_bytes: int) -> CheckedUpload:
    """Accept the file only if its content really is the kind its extension names."""
    filename = (filename or "").strip()
    if not filename:
        raise UploadRejected("กรุณาเลือกไฟล์ที่จะแนบ")
    if not data:
        raise UploadRejected("ไฟล์นี้ว่างเปล่า")
    if len(data) > max_bytes:
        raise UploadRejected(f"ไฟล์ใหญ่เกินกำหนด: รับได้ไม่เกิน {round(max_bytes / 1048576, 2):g} MB ต่อไฟล์")
    claimed = kind_of_name(filename)
    if claimed is None:
        raise UploadRejected(f"รับเฉพาะไฟล์ {ACCEPTED}")
    found = sniff(data)
    if found is not claimed:
        seen = found.label if found else "ไฟล์ชนิดอื่น"
        raise UploadRejected(f"เนื้อไฟล์ไม่ตรงกับนามสกุล .{filename.rsplit('.', 1)[-1].lower()} "
                             f"(ตรวจพบว่าเป็น{seen}) ไฟล์อาจถูกเปลี่ยนนามสกุล จึงไม่รับไฟล์นี้")
    if claimed.key in ZIP_KINDS:
        problem = zip_problem(io.BytesIO(data))  # from the zip's directory: nothing is unpacked
        if problem:
            raise UploadRejected(problem)
    return CheckedUpload(claimed, safe_name(filename, claimed), data)


def check_file(upload, max_bytes: int) -> CheckedUpload:
    """check_upload on a file sent with a form (a werkzeug FileStorage, or None when none was chosen).
    One byte past the limit is read: enough to know a file is too big without reading all of it."""
    data = upload.read(max_bytes + 1) if upload else b""
    return check_upload(upload.filename if upload else "", data, max_bytes)


def sniff(data: bytes) -> FileKind | None:
    """The kind of a file from its first bytes (and, for DOCX/XLSX, the parts inside the zip)."""
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    guess = filetype.guess(data)
    return _BY_EXTENSION.get(guess.extension) if guess is not None else None


def _office_kind(data: bytes) -> FileKind | None:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return KINDS_BY_KEY["docx"]
    if "xl/workbook.xml" in names:
        return KINDS_BY_KEY["xlsx"]
    return None


def safe_name(filename: str, kind: FileKind) -> str:
    """A name safe on any disk and in any URL: letters (Thai too), digits, - and _, plus the real extension.

    "../../คู่มือ การลา (2567).PDF" → "คู่มือ-การลา-2567.pdf"
    """
    base = unicodedata.normalize("NFC", filename.replace("\\", "/").rsplit("/", 1)[-1])
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = _UNSAFE.sub("-", stem).strip("-_")[:MAX_STEM_CHARS]
    stem = stem.encode("utf-8")[:MAX_STEM_BYTES].decode("utf-8", "ignore").strip("-_")  # whole letters only
    return f"{stem or 'file'}.{kind.key}"


# Pictures put into an asset's text (the editor's picture button, a paste, a drop) are what every reader
# downloads: a phone's photo went out as it was taken, 5.6 MB and 4032×3024 pixels, 117 s to load on a
# slow phone line (outside review PW-03), with the place it was taken in its EXIF. Stored instead: at most
# DISPLAY_PIXELS on its long side, turned as the camera meant, without EXIF; GIFs (maybe animated) and
# pictures already small enough are kept as sent.
DISPLAY_PIXELS = 1600
SMALL_ENOUGH_BYTES = 300 * 1024
MAX_DECODED_PIXELS = 40_000_000  # what a picture is opened at, at most (a JPEG is read at 1/2–1/8 scale)
_SAVE_OPTIONS = {"jpg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
                 "png": ("PNG", {"optimize": True}), "webp": ("WEBP", {"quality": 80, "method": 4})}


def display_copy(upload: CheckedUpload) -> tuple[CheckedUpload, str]:
    """`upload` as a picture for reading on a page, and what was done to it ('' when it is kept as sent)."""
    if upload.kind.key not in _SAVE_OPTIONS:
        return upload, ""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(upload.data)) as picture:
            width, height = picture.size
            small = max(width, height) <= DISPLAY_PIXELS and len(upload.data) <= SMALL_ENOUGH_BYTES
            if small and upload.kind.key == "png":  # a screenshot: its EXIF, if any, is read only by decoding it
                return upload, ""
            exif = bool(picture.getexif())
            if small and not exif:
                return upload, ""
            if upload.kind.key == "jpg":
                picture.draft("RGB", (DISPLAY_PIXELS, DISPLAY_PIXELS))  # decode at a fraction of the size
            if picture.size[0] * picture.size[1] > MAX_DECODED_PIXELS:
                raise UploadRejected(f"รูปนี้ใหญ่ {width:,}×{height:,} พิกเซล เกินกว่าที่ระบบย่อให้ได้ "
                                     f"(ไม่เกิน {MAX_DECODED_PIXELS // 1_000_000} ล้านพิกเซล) ย่อรูปก่อนแล้วแนบใหม่")
            shown = ImageOps.exif_transpose(picture)
            shown.thumbnail((DISPLAY_PIXELS, DISPLAY_PIXELS), Image.Resampling.LANCZOS)
            if upload.kind.key == "jpg" and shown.mode not in ("RGB", "L"):
                shown = shown.convert("RGB")
            out = io.BytesIO()
            file_format, options = _SAVE_OPTIONS[upload.kind.key]
            shown.save(out, file_format, **options)  # no exif= given: none is written
    except UploadRejected:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise UploadRejected("เปิดรูปนี้ไม่ได้ ไฟล์อาจเสียหายหรือไม่ใช่รูปจริง ลองบันทึกรูปใหม่จากโปรแกรมดูรูปแล้วแนบอีกครั้ง") from exc
    data = out.getvalue()
    if not exif and len(data) >= len(upload.data) and (width, height) == shown.size:
        return upload, ""  # nothing gained: a picture under the size already as small as it gets
    done = (f"ย่อรูปจาก {width:,}×{height:,} เป็น {shown.size[0]:,}×{shown.size[1]:,} พิกเซล"
            if (width, height) != shown.size else "ลบข้อมูลกล้อง (EXIF) ออกจากรูป")
    sizes = f"{len(upload.data) // 1024:,} → {len(data) // 1024:,} KB"
    return CheckedUpload(upload.kind, upload.name, data), f"{done} ({sizes})"
