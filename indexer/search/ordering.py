"""The orders of browse lists: newest first, title in Thai dictionary order and most viewed
(the view counts live in the site's database, so the caller passes them).

Thai collation (pythainlp's `collate`: consonants first, leading vowels and tone marks
ignored, so "เกิด" comes before "ไก่" and after "กาล") is not a byte order, so the index
cannot sort by it; the rank of every title is computed once per index version instead, from
the `list_key` column (measured at 10,000 generated assets on the shared 2-core machine: the
first title list of a version 0.5 s, reading stored fields instead 2.8 s; then a whole-catalogue
list sorted by title or views about 0.13 s median, as the newest-first list costs) and a list is
then ordered by integer ranks. Newest first is read from the `newest` column the same way:
Whoosh's own sorted search walked the word query's matchers again, and at 10,000 assets
its first newest-first search of a version took 0.9 s (ขยะ).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping

from pythainlp.util import collate

LIST_SORTS = ("newest", "title", "views")  # the orders of browse lists, newest first by default


class ListOrder:
    """Each document's place in Thai dictionary order of titles, its slug and its newest date,
    read from the `list_key` ("slug\x1ftitle") and `newest` columns of the index version
    `reader` reads."""

    def __init__(self, reader):
        titles: dict[int, str] = {}
        self.slugs: dict[int, str] = {}
        self.newest: dict[int, int] = {}
        column, newest = reader.column_reader("list_key"), reader.column_reader("newest")
        for docnum in reader.all_doc_ids():  # live documents only
            slug, _, title = bytes(column[docnum]).decode("utf-8").partition("\x1f")
            titles[docnum], self.slugs[docnum] = title or slug, slug
            self.newest[docnum] = newest[docnum] or 0
        place = {title: rank for rank, title in enumerate(collate(set(titles.values())))}
        self.rank = {docnum: place[title] for docnum, title in titles.items()}

    def ordered(self, docs: Iterable[int], sort: str, views: Mapping[str, int] | None = None,
                limit: int | None = None) -> list[int]:
        """The first `limit` of `docs` (all when None) newest first, ties by slug ("newest"),
        by title ("title") or by views, most first, ties by title ("views")."""
        rank, slugs, newest = self.rank, self.slugs, self.newest
        if sort == "views":
            counts = views or {}
            key = lambda doc: (-counts.get(slugs.get(doc, ""), 0), rank.get(doc, 0), doc)  # noqa: E731
        elif sort == "newest":
            key = lambda doc: (-newest.get(doc, 0), slugs.get(doc, ""), doc)  # noqa: E731
        else:
            key = lambda doc: (rank.get(doc, 0), slugs.get(doc, ""), doc)  # noqa: E731
        return sorted(docs, key=key) if limit is None else heapq.nsmallest(limit, docs, key=key)
