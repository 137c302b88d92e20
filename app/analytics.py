"""Access evidence (the KPI of the "access" step): asset views and searches, counted per day.

Privacy: no IP address, user agent, account or cookie is stored, only a daily
count per asset and per normalised query. Obvious bots are not counted.

A view counts once per visitor, asset and day: the visitor is recognised by a
reader mark (marks.py) of their address, browser and the asset, salted with a
random value made each day; marks and salt are kept for that day only and then
deleted (by the file watcher soon after midnight, or by the day's first view), so no
visit can be linked to a reader, nor to another day's visits. Scripted GETs with a
browser's User-Agent then add at most one view per asset per day from one address.
A counter must never slow or break a page: it writes on its own connection
with a short lock timeout, and a failure is logged and swallowed.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, request

from indexer import Asset, dates, fiscal_year_of, normalize

from . import db
from .marks import forget_other_days, use_mark

log = logging.getLogger(__name__)

db.register_schema("""
CREATE TABLE IF NOT EXISTS asset_views (
    slug TEXT NOT NULL,
    day TEXT NOT NULL,              -- ISO date (CE) of the view
    views INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (slug, day)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS search_queries (
    query TEXT NOT NULL,            -- normalised: Thai digits, case and spaces folded
    day TEXT NOT NULL,
    searches INTEGER NOT NULL DEFAULT 0,
    empty INTEGER NOT NULL DEFAULT 0,   -- how many of them found nothing
    PRIMARY KEY (query, day)
) WITHOUT ROWID;
""")

DEFAULT_BOT_PATTERN = (r"bot\b|bot/|crawl|spider|slurp|archiver|facebookexternalhit|preview|monitor|uptime|"
                       r"headless|phantomjs|curl/|wget/|python-requests|python-urllib|httpx|aiohttp|go-http-client|"
                       r"java/|libwww|okhttp|scrapy")
MAX_QUERY_LENGTH = 100
# a day's searches whose words `flask km prune` removed (prune.py); DEPLOY.md's earlier SQL wrote the same
PRUNED_QUERIES = "(ลบข้อความแล้ว)"
LOCK_TIMEOUT = 0.25  # seconds a counter may wait for the database before giving up

_VIEW_SQL = ("INSERT INTO asset_views (slug, day, views) VALUES (?, ?, 1) "
             "ON CONFLICT (slug, day) DO UPDATE SET views = views + 1")
_SEARCH_SQL = ("INSERT INTO search_queries (query, day, searches, empty) VALUES (?, ?, 1, ?) "
               "ON CONFLICT (query, day) DO UPDATE SET searches = searches + 1, empty = empty + excluded.empty")


def init_app(app) -> None:
    """Compile the bot pattern once (the settings table has already checked that it compiles),
    and give the app the connection its counters write on, closed when the site stops."""
    app.extensions["km_bots"] = re.compile(app.config.get("KM_BOT_PATTERN") or DEFAULT_BOT_PATTERN, re.IGNORECASE)
    writer = app.extensions["km_counters"] = CounterWriter()
    app.extensions["km"].on_stop.append(writer.close)
    # at midnight, not at the next day's first visit: a salt and its marks must not outlive their day
    # (once at start and once a day, not a write at every look of the watcher)
    done: list[dt.date] = []

    def forget_yesterday() -> None:
        today = dates.today()
        if not done or done[-1] != today:
            writer.write(db.database_path(app), forget_other_days, (today,), "deleting earlier days' reader marks")
            done[:] = [today]

    app.extensions["km"].every_look.append(forget_yesterday)


class CounterWriter:
    """Writes counts on one connection per process, kept open.

    A connection opened and closed for each count cost a search 3.4 ms (median) and 5.9 ms
    (95th percentile) on the development machine: when the database's last connection
    closes, SQLite checkpoints the write-ahead log into the file and syncs it, and a
    counter's connection usually was the last. Kept open, a count takes 0.17 / 0.23 ms.
    Counts are written with synchronous=NORMAL: in WAL mode a power cut may lose the last
    few counts, never the database. Threads take turns (a count is one short statement);
    one that cannot have the connection within LOCK_TIMEOUT gives up its count.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._owner: tuple[int, str] | None = None  # (process, database path) of the connection

    def write(self, path: Path, count, params: tuple, what: str) -> None:
        """Run `count(conn, *params)` in one transaction; never raise."""
        if not self._lock.acquire(timeout=LOCK_TIMEOUT):
            log.warning("access counter busy (%s not counted)", what)
            return
        try:
            conn = self._connection(path)
            with conn:
                count(conn, *params)
        except sqlite3.Error as exc:
            self._close()  # the next count opens a new one
            log.warning("access counter failed (%s not counted): %s: %s", what, type(exc).__name__, exc)
        finally:
            self._lock.release()

    def close(self) -> None:
        with self._lock:
            self._close()

    def _connection(self, path: Path) -> sqlite3.Connection:
        owner = (os.getpid(), str(path))
        if self._conn is None or self._owner != owner:
            self._close()
            conn = sqlite3.connect(path, timeout=LOCK_TIMEOUT, check_same_thread=False)
            conn.execute("PRAGMA synchronous=NORMAL")
            self._conn, self._owner = conn, owner
        return self._conn

    def _close(self) -> None:
        # a connection made in another process (before a fork) is that process's: only forget it
        if self._conn is not None and self._owner[0] == os.getpid():
            self._conn.close()
        self._conn, self._owner = None, None


def normalize_query(text: str) -> str:
    """The form a query is counted under: "  ลาป่วย ๓ วัน " and "ลาป่วย 3 วัน" count together.

    The typed text is cut before it is normalised (with room for the spaces and marks
    that normalising removes), so a huge query costs no more than a short one.
    """
    return " ".join(normalize(text[:4 * MAX_QUERY_LENGTH]).split())[:MAX_QUERY_LENGTH]


def holds_a_word(query: str) -> bool:
    """Whether `query` has a letter or a digit to look for: "???" and "🙏" have none."""
    return any(ch.isalnum() for ch in query)


def is_countable() -> bool:
    """False for bots, HEAD requests and browser prefetches, which are not readers."""
    if request.method != "GET":
        return False
    purpose = request.headers.get("Sec-Purpose", "") + request.headers.get("Purpose", "")
    if "prefetch" in purpose.lower():
        return False
    agent = request.headers.get("User-Agent", "")
    bots = current_app.extensions.get("km_bots") or re.compile(DEFAULT_BOT_PATTERN, re.IGNORECASE)
    return bool(agent.strip()) and not bots.search(agent)


def record_view(asset: Asset) -> None:
    """Count a view of an asset, once per visitor and day; drafts (seen by the KM team only) are not reader access."""
    if asset.status != "draft" and is_countable():
        visitor = f"{request.remote_addr or '-'}\n{request.headers.get('User-Agent', '')}\n{asset.slug}"
        _write(_count_view, (asset.slug, dates.today().isoformat(), visitor), f"view of {asset.slug}")


def _count_view(conn: sqlite3.Connection, slug: str, day: str, visitor: str) -> None:
    if use_mark(conn, dt.date.fromisoformat(day), "view", visitor) == 1:  # this reader's first view today
        conn.execute(_VIEW_SQL, (slug, day))


def record_search(query: str, total: int, page: int = 1, confident: bool = True) -> None:
    """Count one search (first page only, so paging is not counted twice); never raises.
    A search that found nothing, or nothing the engine stands behind (the reader was shown
    "ไม่พบเรื่องที่ตรง" above weak results), is knowledge readers miss, unless it held no
    word ("???"). With meaning-based search on, almost every question finds *something*, so
    counting only empty results would leave the KM team's list of missing knowledge empty."""
    normalized = normalize_query(query)
    if normalized and page == 1 and is_countable():
        missed = (total == 0 or not confident) and holds_a_word(normalized)
        _write(lambda conn, *params: conn.execute(_SEARCH_SQL, params),
               (normalized, dates.today().isoformat(), 1 if missed else 0), f"search {normalized!r}")


def _write(count, params: tuple, what: str) -> None:
    """Run `count(conn, *params)` in one transaction on the app's counter connection; never raise."""
    current_app.extensions["km_counters"].write(db.database_path(current_app), count, params, what)


@dataclass(frozen=True)
class AccessStats:
    """Views and searches of one fiscal year; `error` says why figures are missing, if they are."""

    views: int = 0
    searches: int = 0
    months: tuple[tuple[dt.date, int, int], ...] = ()        # (first day of month, views, searches)
    assets: tuple[tuple[str, int], ...] = ()                  # (slug, views), most viewed first
    queries: tuple[tuple[str, int, int], ...] = ()            # (query, searches, found nothing)
    empty_queries: tuple[tuple[str, int], ...] = ()           # (query, searches that found nothing)
    years: tuple[tuple[int, int, int], ...] = ()              # (fiscal year, views, searches), every year
    error: str | None = None


def access_stats(start: dt.date, end: dt.date) -> AccessStats:
    """Read the counters of the period; a database failure is logged and returned as `error`."""
    try:
        conn = db.get_db()
        period = (start.isoformat(), end.isoformat())
        return AccessStats(
            views=_scalar(conn, "SELECT SUM(views) FROM asset_views WHERE day BETWEEN ? AND ?", period),
            searches=_scalar(conn, "SELECT SUM(searches) FROM search_queries WHERE day BETWEEN ? AND ?", period),
            months=_months(conn, start, end),
            assets=tuple(tuple(r) for r in conn.execute(
                "SELECT slug, SUM(views) AS n FROM asset_views WHERE day BETWEEN ? AND ? "
                "GROUP BY slug ORDER BY n DESC, slug", period)),
            queries=tuple(tuple(r) for r in conn.execute(
                "SELECT query, SUM(searches) AS n, SUM(empty) FROM search_queries WHERE day BETWEEN ? AND ? "
                "GROUP BY query ORDER BY n DESC, query LIMIT 100", period)),
            empty_queries=tuple(tuple(r) for r in conn.execute(
                "SELECT query, SUM(empty) AS n FROM search_queries WHERE day BETWEEN ? AND ? "
                "GROUP BY query HAVING n > 0 ORDER BY n DESC, query LIMIT 100", period)),
            years=_years(conn),
        )
    except sqlite3.Error as exc:
        log.warning("could not read access counters for %s – %s: %s", start, end, exc)
        return AccessStats(error="อ่านสถิติการเข้าถึงไม่ได้ชั่วคราว ระบบบันทึกสาเหตุไว้ให้ผู้ดูแลระบบแล้ว")


def _scalar(conn: sqlite3.Connection, sql: str, params: tuple) -> int:
    return int(conn.execute(sql, params).fetchone()[0] or 0)


def _monthly(conn: sqlite3.Connection, where: str = "", params: tuple = ()) -> dict[str, list[int]]:
    totals: dict[str, list[int]] = {}
    for index, table, column in ((0, "asset_views", "views"), (1, "search_queries", "searches")):
        for month, count in conn.execute(f"SELECT substr(day, 1, 7), SUM({column}) FROM {table} {where} "
                                         "GROUP BY substr(day, 1, 7)", params):
            totals.setdefault(month, [0, 0])[index] = int(count or 0)
    return totals


def _months(conn: sqlite3.Connection, start: dt.date, end: dt.date) -> tuple[tuple[dt.date, int, int], ...]:
    totals = _monthly(conn, "WHERE day BETWEEN ? AND ?", (start.isoformat(), end.isoformat()))
    months, day = [], start.replace(day=1)
    while day <= end:
        views, searches = totals.get(day.strftime("%Y-%m"), (0, 0))
        months.append((day, views, searches))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return tuple(months)


def _years(conn: sqlite3.Connection) -> tuple[tuple[int, int, int], ...]:
    years: dict[int, list[int]] = {}
    for month, (views, searches) in _monthly(conn).items():
        year = fiscal_year_of(dt.date.fromisoformat(month + "-01"))
        entry = years.setdefault(year, [0, 0])
        entry[0] += views
        entry[1] += searches
    return tuple((y, v, s) for y, (v, s) in sorted(years.items(), reverse=True))


_TOTALS_CACHE: dict[str, tuple[float, dict[str, int]]] = {}
TOTALS_SECONDS = 60  # "most viewed" lists may lag the counters by a minute; summing them per request would not


def view_totals() -> dict[str, int]:
    """Views of every asset since counting began (slug → views), re-read at most once a minute."""
    import time

    path = str(db.database_path(current_app))
    now = time.monotonic()
    cached = _TOTALS_CACHE.get(path)
    if cached is not None and now - cached[0] < TOTALS_SECONDS:
        return cached[1]
    try:
        totals = {slug: int(n) for slug, n in db.get_db().execute(
            "SELECT slug, SUM(views) FROM asset_views GROUP BY slug")}
    except sqlite3.Error as exc:
        log.warning("could not read view totals: %s", exc)
        return cached[1] if cached else {}
    _TOTALS_CACHE[path] = (now, totals)
    return totals
