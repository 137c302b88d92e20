"""Markdown → safe HTML for the asset page, the editor preview and the API.

The rendering itself (Markdown, sanitising, the guard against pathological bodies)
is the indexer's `render_body`, the same one that gives the index its text.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from indexer import render_body


@dataclass(frozen=True)
class Rendered:
    """Safe HTML of an asset body and its headings for the table of contents."""

    html: Markup
    toc: tuple[tuple[int, str, str], ...]  # (level, anchor id, heading text)


def render_markdown(body: str) -> Rendered:
    """Render an asset body for a page; the HTML is already sanitised, so it is marked safe."""
    rendered = render_body(body)
    return Rendered(Markup(rendered.html), rendered.toc)  # sanitised by nh3 in render_body
