"""Markdown → safe HTML for the asset page, the editor preview and the API.

The rendering itself (Markdown, sanitising, the defusing of pathological bodies)
is the indexer's `render_body`, the same one that gives the index its text; a page
keeps what it rendered per body text, so later views render nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from indexer import render_body


@dataclass(frozen=True)
class Rendered:
    """Safe HTML of an asset body and its headings for the table of contents."""

    html: Markup
    toc: tuple[tuple[int, str, str], ...]  # (level, anchor id, heading text)


@lru_cache(maxsize=64)  # asset pages; editor previews pass through too, so the size stays small
def render_markdown(body: str) -> Rendered:
    """Render an asset body for a page; the HTML is already sanitised, so it is marked safe."""
    rendered = render_body(body)
    return Rendered(Markup(rendered.html), rendered.toc)  # sanitised by nh3 in render_body
