"""Record where an asset was disseminated: one more {channel, date, ref} in its front matter.

Shared by the `flask km disseminate` command and the publishing form. The rest of
the file stays byte for byte; the result is validated before it is written, and
the write is atomic.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .asset import Asset
from ..dates import DateFormatError, parse_date
from .editing import FrontMatterMissing, append_dissemination
from ..errors import KnowledgeError
from ..files import atomic_write_text
from ..kb import KnowledgeBase
from .loader import AssetInvalid, parse_asset, relative_path


class DisseminationError(KnowledgeError):
    """A dissemination record could not be added; the message says why and what to do."""


def resolve_channel(kb: KnowledgeBase, channel: str) -> str:
    """Return the channel key for a key, Thai label or alias ("หนังสือเวียน" → "circular")."""
    key = kb.vocab.channels.resolve(channel or "")
    if key is None:
        raise DisseminationError(f'ไม่รู้จักช่องทาง "{channel}" (ใช้ได้: {", ".join(kb.vocab.channels.keys)} '
                                 "หรือชื่อภาษาไทย)")
    return key


def read_record_date(value: str | dt.date | None) -> dt.date | None:
    """Read the record's date in BE or CE ("2568-01-20" or "2025-01-20"); empty means no date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_date(value)
    except DateFormatError as exc:
        raise DisseminationError(f'วันที่เผยแพร่: {exc} แต่พบ "{value}"') from exc


def add_dissemination(kb: KnowledgeBase, slug: str, channel: str, date: str | dt.date | None,
                      ref: str = "") -> Asset:
    """Append a record to the asset's file, re-index it, and return the asset as now saved."""
    path = kb.asset_path(slug)
    if path is None:
        raise DisseminationError(f'ไม่พบขุมความรู้ "{slug}" (ตรวจชื่อไฟล์ หรือสั่ง python -m indexer update ก่อน)')
    key = resolve_channel(kb, channel)
    day = read_record_date(date)
    new_text = _new_text(path, key, day, " ".join((ref or "").split()))
    rel = relative_path(path, kb.settings.knowledge_dir)
    try:
        asset = parse_asset(new_text, rel, kb.vocab)
    except AssetInvalid as exc:
        raise DisseminationError(f"ไม่ได้บันทึก เพราะไฟล์จะไม่ผ่านการตรวจสอบ: {exc}") from exc
    atomic_write_text(path, new_text)
    kb.update(only=[path])
    return asset


def _new_text(path: Path, channel: str, day: dt.date | None, ref: str) -> str:
    try:
        text = path.read_bytes().decode("utf-8")  # not read_text: keep CRLF line ends as they are
    except (OSError, UnicodeDecodeError) as exc:
        raise DisseminationError(f"{path}: อ่านไฟล์ไม่ได้: {exc}") from exc
    try:
        return append_dissemination(text, channel, day, ref)
    except FrontMatterMissing as exc:
        raise DisseminationError(f"{path}: {exc}") from exc
