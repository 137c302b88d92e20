"""Links inside an attachment folder are never followed: not served, not listed, not indexed."""

from __future__ import annotations

import os

from test_attachments import thai_pdf

from indexer import SearchRequest

OUTSIDE_WORD = "zyxoutsideword"


def plant_links(knowledge_dir, tmp_path):
    """sick-leave.files holds links to files outside knowledge/; complaint.files is itself a link."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.pdf").write_bytes(thai_pdf(f"ลับ {OUTSIDE_WORD}"))
    folder = knowledge_dir / "palad" / "sick-leave.files"
    folder.mkdir()
    os.symlink("/etc/passwd", folder / "passwd.pdf")
    os.symlink(outside / "secret.pdf", folder / "secret.pdf")
    os.symlink("../../outside/secret.pdf", folder / "relative.pdf")
    (folder / "real.pdf").write_bytes(thai_pdf("ของจริง"))
    os.symlink(outside, knowledge_dir / "palad" / "complaint.files")


def test_links_in_attachment_folders_are_not_served_listed_or_indexed(app, client, knowledge_dir, tmp_path):
    plant_links(knowledge_dir, tmp_path)
    kb = app.extensions["km"].kb
    kb.update()
    for url in ("/assets/sick-leave/files/passwd.pdf", "/assets/sick-leave/files/secret.pdf",
                "/assets/sick-leave/files/relative.pdf", "/assets/complaint/files/secret.pdf"):
        with client.get(url) as response:
            assert response.status_code == 404, url
            assert b"root:" not in response.data and OUTSIDE_WORD.encode() not in response.data
    with client.get("/assets/sick-leave/files/real.pdf") as response:
        assert response.status_code == 200
    page = client.get("/assets/sick-leave").get_data(as_text=True)
    assert "real.pdf" in page and "passwd.pdf" not in page and "secret.pdf" not in page
    assert "secret.pdf" not in client.get("/assets/complaint").get_data(as_text=True)
    assert kb.search(SearchRequest(q=OUTSIDE_WORD)).hits == []
    assert client.get(f"/api/search?q={OUTSIDE_WORD}").get_json()["total"] == 0
