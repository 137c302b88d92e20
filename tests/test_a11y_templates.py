"""Findings of the accessibility review (A-NN) that the pages' HTML shows: heading levels, table headers,
the names of repeated buttons."""

from __future__ import annotations

import re

from plans_support import write_km
from publish_support import csrf_token, read_form


def headings(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"<h([1-6])\b", html.split('<main id="main"')[1].split("</main>")[0])]


def test_browse_lists_go_from_the_page_heading_to_the_titles_without_a_gap(sample_client):
    """A-11: the lists went h1 → h3 (axe heading-order); their titles are h2 now, search results keep h3
    under the results' own h2."""
    for url in ("/browse/all", "/browse/department/palad", "/browse/tag/KM"):
        html = sample_client.get(url).get_data(as_text=True)
        levels = headings(html)
        assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), (url, levels)
        assert '<h2 class="hit-title">' in html, url


def test_the_restore_column_of_the_history_tables_has_a_header(editor_client, knowledge_dir):
    """A-11: the history tables' last column (the restore buttons) had an empty <th>."""
    values = read_form(editor_client.get("/publish/sick-leave/edit").get_data(as_text=True))
    assert editor_client.post("/publish/sick-leave/edit", data=dict(values, body=values["body"] + "\nอีกบรรทัด\n")
                              ).status_code == 302
    write_km(knowledge_dir)
    page = editor_client.get("/plans/files/needs/needs/edit").get_data(as_text=True)
    sha = re.search(r'name="base_sha" type="hidden" value="(\w+)"', page).group(1)
    text = (knowledge_dir / "_km" / "needs.yaml").read_text(encoding="utf-8")
    assert editor_client.post("/plans/files/needs/needs/edit", data={
        "csrf_token": csrf_token(page), "base_sha": sha, "text": text + "\n"}).status_code == 302
    for url in ("/publish/sick-leave/history", "/plans/files/needs/needs/history"):
        html = editor_client.get(url).get_data(as_text=True)
        assert "กู้คืนฉบับนี้" in html, url
        assert "<th></th>" not in html, url
        assert '<th><span class="visually-hidden">กู้คืน</span></th>' in html, url
