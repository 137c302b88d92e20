"""One rule for slugs: a slug (the file name without .md) names one file in the whole folder.

The first file to claim a slug, in listing order, owns it; any other file with the same
name is reported, never indexed. The loader, the report catalogue, the index store and
the editor's "new asset" check all use this module, so they agree and say it the same way.
"""

from __future__ import annotations

from .asset import Problem


def duplicate_slug(path: str, slug: str, owner: str) -> Problem:
    """The problem of file `path`, whose slug the file `owner` already has."""
    return Problem(path, f'slug "{slug}" ซ้ำกับไฟล์ {owner}: ชื่อไฟล์ต้องไม่ซ้ำกันทั้งคลัง', "slug")


class SlugClaims:
    """Which file owns each slug while a folder is read: the first one to claim it."""

    def __init__(self) -> None:
        self._owners: dict[str, str] = {}

    def claim(self, slug: str, path: str) -> Problem | None:
        """Give `slug` to `path`, or return the problem if another file has it already."""
        owner = self._owners.setdefault(slug, path)
        return None if owner == path else duplicate_slug(path, slug, owner)

