"""Limits on what one request may carry, checked before any view reads it.

A query string is read by werkzeug and then by the search's Thai analysis, so it is
cut off at a size no page of the site needs, with a 414 page that says so: an
oversized request then costs almost nothing. (Forms are bounded by Flask's own
MAX_FORM_MEMORY_SIZE and MAX_FORM_PARTS, uploads by MAX_CONTENT_LENGTH.)
"""

from __future__ import annotations

from flask import Flask, abort, request

MAX_QUERY_STRING_BYTES = 64 * 1024  # as waitress in scripts/serve; a 5,000-character Thai query is 45 KB
URL_TOO_LONG = (f"ที่อยู่หน้าเว็บ (URL) ยาวเกินกำหนด: รับได้ไม่เกิน {MAX_QUERY_STRING_BYTES:,} ไบต์ "
                "ลองค้นหาด้วยคำที่สั้นลง")


def init_app(app: Flask) -> None:
    """Refuse oversized query strings before anything parses them."""
    app.before_request(_check_query_string)


def _check_query_string() -> None:
    if len(request.query_string) > MAX_QUERY_STRING_BYTES:
        # The error page must not read what it refuses (its search box and sign-in link
        # would decode the whole query string: 1.6 s for 2 MB).
        request.query_string = b""
        abort(414, description=URL_TOO_LONG)
