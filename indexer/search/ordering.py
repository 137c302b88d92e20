"""Orders for lists of assets that the index cannot sort by itself: title in Thai dictionary
order and most viewed (the view counts live in the site's database, so the caller passes them).

Thai collation (pythainlp's `collate`: consonants first, leading vowels and tone marks
ignored, so "เกิด" comes before "ไก่" and after "กาล") is not a byte order, so the index
cannot sort by it; the rank of every title is computed once per index version instead, from
the `list_key` column (measured at 10,000 generated assets on the shared 2-core machine: the
first title list of a version 0.5 s, reading stored fields instead 2.8 s; then a whole-catalogue
list sorted by title or views about 0.13 s median, as the newest-first list costs) and a list is
then ordered by integer ranks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pythainlp.util import collate

LIST_SORTS = ("newest", "title", "views")  # the orders of browse lists, newest first by default


class TitleOrder:
    """Each document's place in Thai dictionary order of titles, and its slug, read from the
    `list_key` column ("slug\x1ftitle") of the index version `reader` reads."""

    def __init__(self, reader):
        titles: dict[int, str] = {}
        self.slugs: dict[int, str] = {}
        column = reader.column_reader("list_key")
        for docnum in reader.all_doc_ids():  # live documents only
            slug, _, title = bytes(column[docnum]).decode("utf-8").partition("\x1f")
            titles[docnum], self.slugs[docnum] = title or slug, slug
        place = {title: rank for rank, title in enumerate(collate(set(titles.values())))}
        self.rank = {docnum: place[title] for docnum, title in titles.items()}

    def ordered(self, docs: Iterable[int], sort: str, views: Mapping[str, int] | None = None) -> list[int]:
        """`docs` by title ("title") or by views, most first, ties by title ("views")."""
        rank, slugs = self.rank, self.slugs
        if sort == "views":
            counts = views or {}
            return sorted(docs, key=lambda doc: (-counts.get(slugs.get(doc, ""), 0), rank.get(doc, 0), doc))
        return sorted(docs, key=lambda doc: (rank.get(doc, 0), slugs.get(doc, ""), doc))
