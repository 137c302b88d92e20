"""Stored revisions: every version of an asset file saved through the site, with who and when.

Each row keeps the whole file text (front matter and body), so any version can be
shown, compared or restored without replaying changes. A version edited by hand
on disk is stored the next time the site saves that asset, credited to
`HAND_EDIT_AUTHOR` at the file's modification time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from indexer import dates

from .db import register_schema

HAND_EDIT_AUTHOR = "(แก้ไขไฟล์โดยตรง)"

register_schema("""
CREATE TABLE IF NOT EXISTS revisions (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    rev INTEGER NOT NULL,
    path TEXT NOT NULL,
    text TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    author TEXT NOT NULL,
    action TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (slug, rev)
);
""")


@dataclass(frozen=True)
class Revision:
    """One stored version of an asset file."""

    slug: str
    rev: int
    path: str
    sha256: str
    author: str
    action: str
    created_at: dt.datetime  # UTC
    size: int
    text: str | None = None  # loaded only when asked for
    summary: str = ""  # what the editor said they changed (schema 4)
    author_name: str = ""  # the author's display name, when the author is an account that has one

    @property
    def author_label(self) -> str:
        """Who to show: the display name with the user name beside it, as the audit log shows them (a
        display name alone could be taken by another account, or the user name reused after the
        author left: the version was then credited to someone else; privacy review), else the user
        name (or the hand-edit marker)."""
        return f"{self.author_name} ({self.author})" if self.author_name else self.author


def text_sha(text: str) -> str:
    """The fingerprint of a file version (what the editor form carries as base_sha)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


MAX_SUMMARY_CHARS = 200


def _from_row(row: sqlite3.Row, with_text: bool) -> Revision:
    keys = row.keys()
    return Revision(row["slug"], row["rev"], row["path"], row["sha256"], row["author"], row["action"],
                    dt.datetime.fromisoformat(row["created_at"]), row["size"], row["text"] if with_text else None,
                    row["summary"], row["author_name"] if "author_name" in keys else "")


def clean_summary(summary: str) -> str:
    """One line, at most MAX_SUMMARY_CHARS characters."""
    return " ".join((summary or "").split())[:MAX_SUMMARY_CHARS]


def history(db: sqlite3.Connection, slug: str) -> list[Revision]:
    """Every stored version of an asset, newest first, with the authors' display names (texts not loaded)."""
    rows = db.execute("SELECT r.slug, r.rev, r.path, r.sha256, r.author, r.action, r.created_at, r.summary, "
                      "length(r.text) AS size, COALESCE(u.display_name, '') AS author_name "
                      "FROM revisions r LEFT JOIN users u ON u.username = r.author "
                      "WHERE r.slug = ? ORDER BY r.rev DESC", (slug,)).fetchall()
    return [_from_row(r, False) for r in rows]


def get(db: sqlite3.Connection, slug: str, rev: int) -> Revision | None:
    """One version with its text, or None."""
    row = db.execute("SELECT *, length(text) AS size FROM revisions WHERE slug = ? AND rev = ?", (slug, rev)).fetchone()
    return _from_row(row, True) if row else None


def latest(db: sqlite3.Connection, slug: str) -> Revision | None:
    row = db.execute("SELECT r.*, length(r.text) AS size, COALESCE(u.display_name, '') AS author_name "
                     "FROM revisions r LEFT JOIN users u ON u.username = r.author "
                     "WHERE r.slug = ? ORDER BY r.rev DESC LIMIT 1", (slug,)).fetchone()
    return _from_row(row, True) if row else None


def texts(db: sqlite3.Connection, slug: str) -> Iterator[str]:
    """The stored versions of `slug`, oldest first."""
    for (text,) in db.execute("SELECT text FROM revisions WHERE slug = ? ORDER BY rev", (slug,)):
        yield text


def find_by_sha(db: sqlite3.Connection, slug: str, sha: str) -> Revision | None:
    """The newest stored version with this fingerprint (the text an editor started from)."""
    row = db.execute("SELECT *, length(text) AS size FROM revisions WHERE slug = ? AND sha256 = ? "
                     "ORDER BY rev DESC LIMIT 1", (slug, sha)).fetchone()
    return _from_row(row, True) if row else None


def add(db: sqlite3.Connection, slug: str, path: str, text: str, author: str, action: str,
        at: dt.datetime | None = None, summary: str = "") -> int:
    """Store a version (with the editor's summary of the change) inside the caller's transaction; return its number."""
    rev = db.execute("SELECT COALESCE(MAX(rev), 0) + 1 FROM revisions WHERE slug = ?", (slug,)).fetchone()[0]
    when = (at or dates.utc_now()).astimezone(dt.UTC).isoformat(timespec="seconds")
    db.execute("INSERT INTO revisions (slug, rev, path, text, sha256, author, action, created_at, summary) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (slug, rev, path, text, text_sha(text), author, action, when, clean_summary(summary)))
    return rev


def keep_current(db: sqlite3.Connection, slug: str, path: str, text: str, modified: dt.datetime) -> int | None:
    """Store the file's present text unless it is already the newest stored version.

    This is how hand edits (and files that existed before the site) enter the
    history before the site overwrites them.
    """
    newest = latest(db, slug)
    if newest is not None and newest.sha256 == text_sha(text):
        return None
    return add(db, slug, path, text, HAND_EDIT_AUTHOR, "file", modified)
