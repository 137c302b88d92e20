"""How the site names a file it sends: in Thai for people, in English letters for old clients."""

from __future__ import annotations

import os
import re
from urllib.parse import quote

from flask import current_app


def disposition(name: str, slug: str, attachment: bool) -> str:
    """The Content-Disposition of an attachment: its name in UTF-8 (filename*), and for the older
    clients that read only filename= (in-app browsers, Office opening from the web) a name in
    English letters that still says what it is. Werkzeug's own drops the Thai letters, and
    "คู่มือ-การเบิก-2568.pdf" was saved as "--2568.pdf"."""
    stem, suffix = os.path.splitext(name)
    ascii_stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_")
    if sum(ch.isalpha() for ch in ascii_stem) < 3:  # little or nothing of the name is in English letters
        ascii_stem = f"{slug}-{ascii_stem}".strip("-")
    suffix = re.sub(r"[^A-Za-z0-9.]", "", suffix)
    return (f'{"attachment" if attachment else "inline"}; filename="{ascii_stem}{suffix}"; '
            f"filename*=UTF-8''{quote(name, safe='')}")


def report_disposition(filename: str) -> str:
    """A report's download (CSV, PDF), named after the municipality as well: an auditor collects the
    same files from many ("เทศบาลตำบลนาคำ-km-indicators-2570.csv"; old clients: the English part)."""
    municipality = current_app.extensions["km"].kb.vocab.municipality
    return disposition(f"{municipality}-{filename}", "km", True)
