"""One rule for slugs: a slug (the file name without .md) names one file in the whole folder.

The first file to claim a slug, in listing order, owns it; any other file with the same
name is reported, never indexed. The loader, the report catalogue, the index store and
the editor's "new asset" check all use this module, so they agree and say it the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

from .asset import Asset, Problem


def duplicate_slug(path: str, slug: str, owner: str) -> Problem:
    """The problem of file `path`, whose slug the file `owner` already has."""
    return Problem(path, f'slug "{slug}" ซ้ำกับไฟล์ {owner}: ชื่อไฟล์ต้องไม่ซ้ำกันทั้งคลัง', "slug")


COPY_MIN_CHARS = 200  # shorter bodies ("ดูแบบฟอร์มในไฟล์แนบ") are shared by right


class SlugClaims:
    """Which file owns each slug while a folder is read: the first one to claim it.

    It also notices a published asset whose body is another's, character for character: a
    file copied under a new name and never rewritten, which the auditor would count twice.
    """

    def __init__(self) -> None:
        self._owners: dict[str, str] = {}
        self._bodies: dict[str, str] = {}

    def claim(self, slug: str, path: str) -> Problem | None:
        """Give `slug` to `path`, or return the problem if another file has it already."""
        owner = self._owners.setdefault(slug, path)
        return None if owner == path else duplicate_slug(path, slug, owner)

    def admit(self, asset: Asset) -> tuple[bool, list[Problem]]:
        """Whether `asset` is kept (no file read before it has its slug), and what to say of it:
        the one rule of the loader and the reports' catalogue."""
        duplicate = self.claim(asset.slug, asset.path)
        if duplicate:
            return False, [duplicate]
        copied = self.copied(asset)
        return True, [copied] if copied else []

    def copied(self, asset: Asset) -> Problem | None:
        """A warning when published `asset` has the body of a published file read before it."""
        # the body itself, not a stripped copy: a str keeps its hash, and the reports' catalogue keeps
        # the asset, so 10,000 bodies are hashed once, not on every report page (a `cp` copies exactly)
        body = asset.body
        if asset.status != "published" or len(body) < COPY_MIN_CHARS:
            return None
        first = self._bodies.setdefault(body, asset.path)
        if first == asset.path:
            return None
        return Problem(asset.path, f"เนื้อหาเหมือนกับไฟล์ {first} ทุกตัวอักษร ทั้งสองจึงนับเป็นขุมความรู้สองเรื่อง "
                                   "ถ้าเป็นสำเนา ให้ลบไฟล์หนึ่งหรือเปลี่ยนเป็น archived", "body", None, "warning")


def copied_assets(assets: Iterable[Asset]) -> list[Problem]:
    """The copy warnings of `assets` (in listing order), as the loaders give them: for pages that
    show a folder's problems from the index, which keeps each file's own problems only."""
    claims = SlugClaims()
    return [problem for asset in assets if (problem := claims.copied(asset))]
