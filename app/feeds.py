"""Atom feeds of new and updated assets: all of them, and per department (published only).

Built with feedgen (lxml underneath), so every title and summary is escaped by the XML
library, never by string templates. An entry's id is the asset's address and its
`updated` the asset's newest date, so a feed reader shows an updated asset again.
"""

from __future__ import annotations

import datetime as dt
import re

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, abort, current_app, url_for

from indexer import SearchRequest

bp = Blueprint("feeds", __name__, url_prefix="/feeds")

FEED_ENTRIES = 50
THAI_TIME = dt.timezone(dt.timedelta(hours=7), "ICT")
# characters XML 1.0 cannot carry at all (a hand-written file may hold them): dropped, not an error
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("", value or "")


def _moment(day: dt.date | None) -> dt.datetime:
    """A date as the start of that day in Bangkok (assets carry dates, Atom wants times)."""
    day = day or dt.date(1970, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=THAI_TIME)


@bp.get("/all.atom")
def all_assets():
    return _feed(None)


@bp.get("/departments/<key>.atom")
def department(key: str):
    resolved = current_app.extensions["km"].kb.vocab.departments.resolve(key)
    if resolved is None:
        abort(404, description=f"ไม่พบหน่วยงาน \"{key[:50]}\"")
    return _feed(resolved)


def _feed(department: str | None) -> Response:
    kb = current_app.extensions["km"].kb
    hits = kb.search(SearchRequest(sort="newest", per_page=FEED_ENTRIES, department=department)).hits
    site = f"{current_app.config['KM_SITE_NAME']} · {kb.vocab.municipality}"
    feed = FeedGenerator()
    self_url = url_for(".department", key=department, _external=True) if department else url_for(
        ".all_assets", _external=True)
    feed.id(self_url)
    scope = kb.vocab.departments.label(department) if department else "ทุกหน่วยงาน"
    feed.title(_text(f"{site}: ขุมความรู้ใหม่และที่ปรับปรุง ({scope})"))
    feed.author({"name": _text(kb.vocab.municipality)})
    feed.link(href=self_url, rel="self")
    home = url_for("browse.listing", facet="department", key=department, _external=True) if department else url_for(
        "browse.all_assets", _external=True)
    feed.link(href=home, rel="alternate")
    feed.language("th")
    feed.updated(max((_moment(h.updated or h.published) for h in hits), default=_moment(None)))
    for hit in hits:
        _entry(feed, hit, kb.vocab.departments.label(hit.department))
    body = feed.atom_str(pretty=True)
    return Response(body, mimetype="application/atom+xml")


def _entry(feed: FeedGenerator, hit, department_label: str) -> None:
    entry = feed.add_entry(order="append")
    url = url_for("assets.show", slug=hit.slug, _external=True)
    entry.id(url)
    entry.title(_text(hit.title))
    entry.link(href=url, rel="alternate")
    entry.updated(_moment(hit.updated or hit.published))
    if hit.published:
        entry.published(_moment(hit.published))
    if hit.summary:
        entry.summary(_text(hit.summary))
    if hit.owner:
        entry.author({"name": _text(hit.owner)})
    entry.category(term=hit.department, label=_text(department_label))
