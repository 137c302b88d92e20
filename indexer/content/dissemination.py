"""Checks for a dissemination record typed at the command line: channel and date.

Writing the record is the site's job (app/publish/service.py, `record_dissemination`):
the web form and `flask km disseminate` both go through it, so both take the publish
lock, store a revision, write the audit entry and re-index.
"""

from __future__ import annotations

import datetime as dt

from ..dates import DateFormatError, parse_date
from ..errors import KnowledgeError
from .vocabulary import Vocabulary


class DisseminationError(KnowledgeError):
    """A dissemination record could not be added; the message says why and what to do."""


def resolve_channel(vocab: Vocabulary, channel: str) -> str:
    """Return the channel key for a key, Thai label or alias ("หนังสือเวียน" → "circular")."""
    key = vocab.channels.resolve(channel or "")
    if key is None:
        raise DisseminationError(vocab.channels.not_listed(channel))
    return key


def read_record_date(value: str | dt.date | None) -> dt.date | None:
    """Read the record's date in BE or CE ("2568-01-20" or "2025-01-20"); empty means no date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_date(value)
    except DateFormatError as exc:
        raise DisseminationError(f'วันที่เผยแพร่: {exc} แต่พบ "{value}"') from exc
