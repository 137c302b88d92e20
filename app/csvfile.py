"""CSV downloads (reports and the audit log): one way to write them.

UTF-8 with a byte-order mark, so Excel opens the Thai text as UTF-8; CRLF rows as
RFC 4180 says; and text that a spreadsheet would run as a formula (=, +, -, @, tab,
CR at the start) prefixed with an apostrophe, so a title or a note someone typed
can never become =HYPERLINK(...) in the auditor's copy. A row whose length is not the
header's is refused: a column added to the header but not to the rows (or the reverse)
would shift every cell under the wrong heading in the auditor's copy.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask import Response

from .downloads import report_disposition

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Defuse a cell a spreadsheet would read as a formula: "=1+1" → "'=1+1"."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(header: list[str], rows: Iterable[list]) -> str:
    """The whole file: BOM, header, then the rows with every cell defused; a row not as long as the header raises."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for number, row in enumerate(rows, start=1):
        if len(row) != len(header):
            raise ValueError(f"CSV row {number} has {len(row)} cells under a header of {len(header)} "
                             f"({', '.join(header)}): {list(row)!r}")
        writer.writerow([safe_cell(v) for v in row])
    return BOM + out.getvalue()


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> Response:
    """A download of `csv_text` named `filename` (made by the site, never typed by a user)."""
    response = Response(csv_text(header, rows), mimetype="text/csv")
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = report_disposition(filename)
    return response
