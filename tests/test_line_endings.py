"""Edits through the site keep a file's byte-order mark, its line ends and its body byte for byte
(docs/PUBLISHING.md promises it): BOM, CRLF, CR only, mixed line ends, no final line break."""

from __future__ import annotations

import pytest
from publish_support import csrf_token, read_form

from indexer import dates

FRONT = ["title: การลาป่วยของพนักงานเทศบาล", "department: palad", "km_stage: codification",
         "tags: [การลา, ลาป่วย]   # คำค้นหลัก", "published: 2025-01-15"]

# name: (byte-order mark, front-matter line end, body exactly as written)
FILES = {
    "bom-crlf": ("\ufeff", "\r\n", "## ขั้นตอน\r\n\r\nยื่นใบลาป่วย   ภายใน ๓ วัน\r\n"),
    "crlf": ("", "\r\n", "## ขั้นตอน\r\n\r\nยื่นใบลาป่วย\r\n\r\n"),
    "cr-only": ("", "\r", "## ขั้นตอน\r\rยื่นใบลาป่วย\r"),
    "bom-cr-only": ("\ufeff", "\r", "ยื่นใบลาป่วย\r"),
    "mixed": ("", "\r\n", "บรรทัด LF\nบรรทัด CRLF\r\nบรรทัด CR\rท้าย\n"),
    "no-final-break": ("", "\n", "## ขั้นตอน\n\nยื่นใบลาป่วย"),
    "crlf-no-final-break": ("\ufeff", "\r\n", "ยื่นใบลาป่วย\r\nบรรทัดสุดท้าย"),
}


def head(name: str, title: str = FRONT[0], updated: bool = False) -> str:
    """The file up to and including its closing --- line; `updated`: after an edit of its text, which
    dates it updated today (a new last line of the front matter, in the file's line ends)."""
    bom, end, _ = FILES[name]
    lines = [title, *FRONT[1:], *([f"updated: {dates.today().isoformat()}"] if updated else [])]
    return bom + "---" + end + end.join(lines) + end + "---" + end


def source(name: str, title: str = FRONT[0], updated: bool = False) -> bytes:
    return (head(name, title, updated) + FILES[name][2]).encode("utf-8")


@pytest.fixture
def placed(app, knowledge_dir, request):
    """sick-leave.md rewritten in the variant named by the test's parameter, and re-indexed."""
    path = knowledge_dir / "palad" / "sick-leave.md"
    path.write_bytes(source(request.param))
    app.extensions["km"].refresh()
    return request.param, path


def edit(client, **changes) -> None:
    values = read_form(client.get("/publish/sick-leave/edit").get_data(as_text=True))
    values.update(changes)
    response = client.post("/publish/sick-leave/edit", data=values)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


@pytest.mark.parametrize("placed", FILES, indirect=True)
def test_a_title_only_edit_changes_the_title_line_dates_it_and_nothing_else(editor_client, placed):
    name, path = placed
    edit(editor_client, title="การลาป่วย (ฉบับปรับปรุง)")
    assert path.read_bytes() == source(name, title="title: การลาป่วย (ฉบับปรับปรุง)", updated=True)


@pytest.mark.parametrize("placed", ["crlf", "cr-only", "bom-crlf"], indirect=True)
def test_a_body_edit_keeps_the_files_line_ends(editor_client, placed):
    name, path = placed
    bom, end, _ = FILES[name]
    edit(editor_client, body="## ขั้นตอนใหม่\r\n\r\nยื่นใบลาผ่านระบบ\r\n")
    assert path.read_bytes() == (head(name, updated=True)
                                 + end.join(["## ขั้นตอนใหม่", "", "ยื่นใบลาผ่านระบบ", ""])).encode("utf-8")


@pytest.mark.parametrize("placed", ["cr-only", "mixed"], indirect=True)
def test_recording_a_dissemination_keeps_the_body_byte_for_byte(editor_client, placed):
    name, path = placed
    page = editor_client.get("/publish/sick-leave/disseminate").get_data(as_text=True)
    response = editor_client.post("/publish/sick-leave/disseminate", data={
        "csrf_token": csrf_token(page), "channel": "website", "date": "2025-03-01", "ref": "หน้าแรก"})
    assert response.status_code == 302
    bom, end, body = FILES[name]
    after = path.read_bytes().decode("utf-8")
    assert after.endswith(end + "---" + end + body)
    assert f"dissemination:{end}  - channel: website{end}    date: 2025-03-01{end}    ref: หน้าแรก{end}---" in after


@pytest.mark.parametrize("placed", ["bom-crlf", "cr-only"], indirect=True)
def test_an_untouched_save_writes_nothing_and_the_history_keeps_the_file_as_it_is(app, editor_client, placed):
    from app import revisions
    from app.db import get_db

    name, path = placed
    edit(editor_client)
    assert path.read_bytes() == source(name)
    with app.app_context():
        versions = revisions.history(get_db(), "sick-leave")
        assert [v.action for v in versions] == ["file"]  # the version the editor opened; no save
        assert revisions.get(get_db(), "sick-leave", 1).text.encode("utf-8") == source(name)
