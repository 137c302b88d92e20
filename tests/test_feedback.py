"""Readers' voice: "เรื่องนี้มีประโยชน์ไหม?" votes, knowledge requests, the KM team's pages, and the
asset page showing the automatic website record the auditor counts."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re

import pytest
from conftest import write_asset
from publish_support import csrf_token

from app import feedback, knowledge_requests
from app.db import get_db
from indexer import dates

TODAY = dt.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(dates, "today", lambda: TODAY)


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def vote(client, slug="sick-leave", helpful="yes", comment="", **extra):
    token = csrf_token(client.get("/assets/sick-leave").get_data(as_text=True))
    return client.post(f"/assets/{slug}/feedback", data={"helpful": helpful, "comment": comment,
                                                          "csrf_token": token, **extra})


def ask(client, q="ค่าเช่าบ้าน", detail=""):
    token = csrf_token(client.get("/search?q=ดาวเทียม").get_data(as_text=True))  # a page that finds nothing
    return client.post("/requests", data={"q": q, "detail": detail, "csrf_token": token})


def rows(app, sql: str) -> list[tuple]:
    from app.db import get_db

    with app.app_context():
        return [tuple(r) for r in get_db().execute(sql)]


# -- was this helpful? ------------------------------------------------------------------------------------
def test_the_asset_page_has_a_plain_form_with_csrf(client):
    body = client.get("/assets/sick-leave").get_data(as_text=True)
    form = body[body.index('<section class="helpful"'):]
    assert 'method="post" action="/assets/sick-leave/feedback"' in form
    assert 'name="csrf_token"' in form and 'name="helpful" value="yes"' in form and 'name="helpful" value="no"' in form
    assert 'maxlength="500"' in form
    assert "เรื่องนี้มีประโยชน์ไหม?" in form


def test_a_vote_is_counted_once_per_reader_per_asset_per_day(app, client, monkeypatch):
    first = vote(client, comment="ขั้นตอนชัดเจนดี")
    assert first.status_code == 303 and first.headers["Location"].endswith("/assets/sick-leave#helpful-done")
    after = page(client.get("/assets/sick-leave"))
    section = after[after.index('<section class="helpful"'):]
    # said where the reader voted, in place of the form (it was 3,500 px up, above a form that looked untouched)
    assert "ขอบคุณสำหรับคำตอบ ทีม KM จะนำไปปรับปรุงเรื่องนี้" in section[:section.index("</section>")]
    assert "ขอบคุณสำหรับคำตอบ" not in after[:after.index('<section class="helpful"')]
    assert 'name="helpful"' not in section[:section.index("</section>")]
    assert 'name="helpful"' in page(client.get("/assets/sick-leave"))  # the next visit asks again
    again = vote(client, helpful="no")
    assert again.status_code == 303
    assert feedback.DUPLICATE_VOTE in page(client.get("/assets/sick-leave"))
    assert rows(app, "SELECT slug, day, helpful, comment FROM asset_feedback") == [
        ("sick-leave", "2026-12-02", 1, "ขั้นตอนชัดเจนดี")]
    assert vote(client, slug="complaint", helpful="no").status_code == 303  # another asset: its own vote
    other = app.test_client()
    vote(other, helpful="no")  # another reader (another session)
    monkeypatch.setattr(dates, "today", lambda: TODAY + dt.timedelta(days=1))
    vote(client, helpful="yes")  # the next day the same reader may answer again
    assert rows(app, "SELECT slug, day, helpful FROM asset_feedback ORDER BY id") == [
        ("sick-leave", "2026-12-02", 1), ("complaint", "2026-12-02", 0), ("sick-leave", "2026-12-02", 0),
        ("sick-leave", "2026-12-03", 1)]


def test_nothing_that_identifies_the_reader_is_stored_and_yesterdays_marks_are_gone(app, client, monkeypatch):
    vote(client, comment="ดีมาก")
    with client.session_transaction() as session:
        reader = session["reader"]
    assert [c[1] for c in rows(app, "PRAGMA table_info(asset_feedback)")] == [
        "id", "slug", "day", "helpful", "comment", "handled_by"]
    stored = repr(rows(app, "SELECT * FROM asset_feedback") + rows(app, "SELECT * FROM reader_marks")
                  + rows(app, "SELECT * FROM daily_salts"))
    assert "127.0.0.1" not in stored and reader not in stored
    # the page view before the vote, this reader on this asset, this address today
    assert len(rows(app, "SELECT * FROM reader_marks")) == 3
    monkeypatch.setattr(dates, "today", lambda: TODAY + dt.timedelta(days=1))
    vote(app.test_client())
    assert {r[0] for r in rows(app, "SELECT day FROM reader_marks")} == {"2026-12-03"}
    assert {r[0] for r in rows(app, "SELECT day FROM daily_salts")} == {"2026-12-03"}


@pytest.mark.parametrize("data, reason", [
    ({"helpful": ""}, "กรุณาเลือก “มีประโยชน์” หรือ “ไม่มีประโยชน์”"),
    ({"helpful": "maybe"}, "กรุณาเลือก “มีประโยชน์” หรือ “ไม่มีประโยชน์”"),
    ({"comment": "ก" * 501}, "ความคิดเห็นยาวได้ไม่เกิน 500 ตัวอักษร แต่พบ 501 ตัวอักษร"),
])
def test_a_bad_vote_is_a_400_with_the_reason_and_stores_nothing(app, client, data, reason):
    response = vote(client, **data)
    assert response.status_code == 400
    assert reason in page(response)
    assert rows(app, "SELECT COUNT(*) FROM asset_feedback") == [(0,)]


def test_a_comment_of_exactly_the_limit_is_taken(app, client):
    assert vote(client, comment="ข" * 500).status_code == 303
    assert rows(app, "SELECT length(comment) FROM asset_feedback") == [(500,)]


def test_drafts_and_unknown_assets_take_no_votes(app, client, editor_client, knowledge_dir):
    write_asset(knowledge_dir, "palad/draft.md", title="ร่างเรื่องใหม่", status="draft")
    app.extensions["km"].refresh()
    assert "เรื่องนี้มีประโยชน์ไหม?" not in editor_client.get("/assets/draft").get_data(as_text=True)
    token = csrf_token(editor_client.get("/assets/draft").get_data(as_text=True))
    assert editor_client.post("/assets/draft/feedback", data={"helpful": "yes", "csrf_token": token}).status_code == 404
    token = csrf_token(client.get("/assets/sick-leave").get_data(as_text=True))
    assert client.post("/assets/draft/feedback", data={"helpful": "yes", "csrf_token": token}).status_code == 404
    assert client.post("/assets/nope/feedback", data={"helpful": "yes", "csrf_token": token}).status_code == 404
    assert rows(app, "SELECT COUNT(*) FROM asset_feedback") == [(0,)]


def test_one_network_cannot_flood_the_votes(app, monkeypatch):
    monkeypatch.setattr(feedback, "VOTES_PER_ADDRESS_PER_DAY", 2)
    assert [vote(app.test_client()).status_code for _ in range(3)] == [303, 303, 429]
    response = vote(app.test_client())
    assert response.status_code == 429 and feedback.TOO_MANY in page(response)
    assert rows(app, "SELECT COUNT(*) FROM asset_feedback") == [(2,)]


# -- knowledge requests ---------------------------------------------------------------------------------
def test_the_no_results_page_offers_the_request_form_with_the_query(client):
    body = page(client.get("/search?q=ค่าเช่าบ้าน"))
    form = body[body.index('<form class="ask-form"'):]
    assert 'action="/requests"' in form and 'name="q" value="ค่าเช่าบ้าน"' in form
    assert 'name="csrf_token"' in form and "ขอความรู้เรื่องนี้</button>" in form
    assert "แจ้งทีม KM" not in body


def test_a_sure_answer_still_offers_the_request_form_folded(client):
    """A question the content cannot answer, answered as sure, lost the way to ask for the knowledge
    (outside review, search)."""
    body = page(client.get("/search?q=ลาป่วย"))
    assert "พบ " in body and 'class="hit' in body
    folded = body[body.index('<details class="ask-more">'):]
    assert "<summary>ไม่ใช่เรื่องที่ต้องการ? ขอให้ทีม KM จัดทำเรื่องนี้</summary>" in folded
    assert 'name="q" value="ลาป่วย"' in folded.split("</details>")[0]


def test_a_query_without_a_word_finds_nothing_and_asks_for_a_word_not_for_knowledge(client):
    body = page(client.get("/search?q=???"))
    assert "ไม่พบขุมความรู้ที่ตรงกับคำค้น" in body and "ไม่มีตัวอักษรหรือตัวเลขให้ค้น" in body
    assert 'class="ask-form"' not in body and 'class="hit' not in body
    assert "ไม่มีตัวอักษรหรือตัวเลขให้ค้น" not in page(client.get("/search?q=ค่าเช่าบ้าน"))


def test_requests_reach_the_queue_once_with_every_asker_counted(app, client, editor_client):
    response = ask(client, "ค่าเช่าบ้าน ๓ เดือน", detail="เบิกย้อนหลังได้ไหม")
    assert response.status_code == 303
    assert knowledge_requests.ASKED in page(client.get(response.headers["Location"]))
    ask(client, "ค่าเช่าบ้าน 3 เดือน")  # the same reader, the same question (Thai digits folded)
    assert knowledge_requests.ALREADY_ASKED in page(client.get("/search?q=x"))
    other = app.test_client()
    ask(other, "  ค่าเช่าบ้าน 3 เดือน ", detail="ต้องใช้เอกสารอะไร")
    assert knowledge_requests.ASKED_AGAIN in page(other.get("/search?q=x"))
    assert rows(app, "SELECT query, asks, detail FROM knowledge_requests") == [
        ("ค่าเช่าบ้าน 3 เดือน", 2, "เบิกย้อนหลังได้ไหม\nต้องใช้เอกสารอะไร")]
    queue = page(editor_client.get("/team/requests"))
    assert "ค่าเช่าบ้าน 3 เดือน" in queue and "<td>2</td>" in queue


@pytest.mark.parametrize("q, detail, reason", [
    ("   ", "", "กรุณาระบุเรื่องที่ต้องการให้ทีม KM จัดทำ"),
    ("ก" * 201, "", "เรื่องที่ขอยาวได้ไม่เกิน 200 ตัวอักษร แต่พบ 201 ตัวอักษร"),
    ("ค่าเช่าบ้าน", "ข" * 501, "รายละเอียดยาวได้ไม่เกิน 500 ตัวอักษร แต่พบ 501 ตัวอักษร"),
])
def test_a_bad_request_is_a_400_with_the_reason(app, client, q, detail, reason):
    response = ask(client, q, detail)
    assert response.status_code == 400
    assert reason in page(response)
    assert rows(app, "SELECT COUNT(*) FROM knowledge_requests") == [(0,)]


def test_one_network_cannot_flood_the_queue(app, monkeypatch):
    monkeypatch.setattr(knowledge_requests, "REQUESTS_PER_ADDRESS_PER_DAY", 2)
    codes = [ask(app.test_client(), f"เรื่องที่ {n}").status_code for n in range(3)]
    assert codes == [303, 303, 429]
    assert rows(app, "SELECT COUNT(*) FROM knowledge_requests") == [(2,)]


def test_the_team_closes_a_request_and_it_moves_to_done(app, client, editor_client):
    ask(client, "ค่าเช่าบ้าน")
    (request_id,), = rows(app, "SELECT id FROM knowledge_requests")
    token = csrf_token(editor_client.get("/team/requests").get_data(as_text=True))
    done = editor_client.post(f"/team/requests/{request_id}/done", data={"csrf_token": token})
    assert done.status_code == 303
    assert "ไม่มีคำขอที่รอดำเนินการ" in page(editor_client.get("/team/requests"))
    closed = page(editor_client.get("/team/requests?state=closed"))
    assert "ค่าเช่าบ้าน" in closed and "somchai ·" in closed
    with app.app_context():  # the name the account shows in the menu, where it has one (wording review W12)
        get_db().execute("UPDATE users SET display_name = 'นายสมชาย ใจดี' WHERE username = 'somchai'")
        get_db().commit()
    assert "นายสมชาย ใจดี ·" in page(editor_client.get("/team/requests?state=closed"))
    again = editor_client.post(f"/team/requests/{request_id}/done", data={"csrf_token": token})
    assert again.status_code == 404
    assert "ไม่พบคำขอนี้ในรายการที่รอดำเนินการ อาจมีผู้ปิดไปแล้ว" in page(again)
    ask(app.test_client(), "ค่าเช่าบ้าน")  # asked again after it was closed: a new open request
    assert rows(app, "SELECT COUNT(*) FROM knowledge_requests WHERE closed_at IS NULL") == [(1,)]


def test_team_pages_are_for_the_km_team_only(client, reader_client, editor_client):
    for url in ("/team/", "/team/requests", "/team/feedback"):
        assert client.get(url).status_code == 302  # to sign in
        assert reader_client.get(url).status_code == 403
        assert editor_client.get(url).status_code == 200
    response = editor_client.get("/team/requests?state=all")
    assert response.status_code == 400
    assert 'สถานะ: ต้องเป็น open (รอดำเนินการ) หรือ closed (เสร็จแล้ว) แต่พบ "all"' in page(response)


# -- the team's view of feedback and "my work" ------------------------------------------------------------------
def test_feedback_page_counts_votes_per_asset_and_comments_can_be_marked_read(app, editor_client):
    for helpful, comment in (("yes", ""), ("yes", "ดีมาก"), ("no", "ขั้นตอนที่ ๓ ไม่ตรง")):
        vote(app.test_client(), helpful=helpful, comment=comment)
    body = page(editor_client.get("/team/feedback"))
    assert re.search(r"การลาป่วยของพนักงานเทศบาล</a></td><td>2</td><td>1</td>\s*<td>2 \(2\)</td>", body)
    assert "ขั้นตอนที่ ๓ ไม่ตรง" in body
    (comment_id,), = rows(app, "SELECT id FROM asset_feedback WHERE comment = 'ดีมาก'")
    token = csrf_token(body)
    assert editor_client.post(f"/team/feedback/{comment_id}/read", data={"csrf_token": token}).status_code == 303
    assert re.search(r"<td>2 \(1\)</td>", page(editor_client.get("/team/feedback")))
    again = editor_client.post(f"/team/feedback/{comment_id}/read", data={"csrf_token": token})
    assert again.status_code == 404 and "ไม่พบความคิดเห็นนี้ หรือมีผู้อ่านแล้ว" in page(again)


def test_my_work_lists_drafts_my_edits_and_what_waits_for_the_team(app, client, editor_client, knowledge_dir):
    from app import revisions
    from app.db import get_db

    write_asset(knowledge_dir, "palad/draft.md", title="ร่างคู่มือใหม่", status="draft")
    app.extensions["km"].refresh()
    app.extensions["km_reports"].catalogue.load()
    with app.app_context():
        db = get_db()
        revisions.add(db, "sick-leave", "palad/sick-leave.md", "x", "somchai", "edit",
                      dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC))
        revisions.add(db, "complaint", "palad/complaint.md", "x", "someone-else", "edit")
        db.commit()
    ask(client, "ค่าเช่าบ้าน")
    vote(app.test_client(), helpful="no", comment="ไม่ครบ")
    body = page(editor_client.get("/team/"))
    assert "ร่างคู่มือใหม่" in body
    edits = body[body.index('id="edits-h"'):body.index("</section>", body.index('id="edits-h"'))]
    assert "การลาป่วยของพนักงานเทศบาล" in edits and "1 ธ.ค. 2569 10:00" in edits and "การร้องทุกข์" not in edits
    assert "“ค่าเช่าบ้าน”" in body and "“ไม่ครบ”" in body
    assert '<a href="/team/">งานของฉัน</a>' in page(editor_client.get("/"))
    assert 'href="/team/"' not in page(client.get("/"))


def test_my_work_lists_published_assets_not_updated_for_a_year_oldest_first(app, editor_client, knowledge_dir):
    write_asset(knowledge_dir, "palad/fresh.md", title="คู่มือที่เพิ่งปรับปรุง", published="2024-01-10",
                updated="2025-12-03")  # TODAY is 2 Dec 2026: a day short of a year
    write_asset(knowledge_dir, "palad/just-due.md", title="คู่มือครบปีพอดี", published="2025-12-02")
    write_asset(knowledge_dir, "palad/undated.md", title="คู่มือไม่ระบุวันที่")
    write_asset(knowledge_dir, "palad/old-draft.md", title="ร่างเก่ามาก", status="draft", published="2020-01-01")
    app.extensions["km"].refresh()
    app.extensions["km_reports"].catalogue.load()
    body = page(editor_client.get("/team/"))
    due = body[body.index('id="review-h"'):body.index("</section>", body.index('id="review-h"'))]
    # undated first (nothing says when it was last true), then the knowledge folder's 2024 assets, then a year ago
    assert re.findall(r'<a href="/assets/([^"]+)">', due) == ["undated", "complaint", "procurement-checklist",
                                                             "sick-leave", "just-due"]
    assert "5 เรื่อง (ไม่ได้ปรับปรุงมา 1 ปีขึ้นไป)" in due
    assert "ปรับปรุงล่าสุด 30 ก.ย. 2567 (2 ปี 2 เดือนที่แล้ว)" in due  # complaint, published 2024-09-30
    assert '<a class="work-action" href="/publish/sick-leave/edit">แก้ไข</a>' in due
    assert "(1 ปีที่แล้ว)" in due and "คู่มือที่เพิ่งปรับปรุง" not in due and "ร่างเก่ามาก" not in due
    assert "ดูอีก" not in due


def test_the_km_team_sees_on_an_asset_page_that_it_is_due_for_review(app, client, editor_client, knowledge_dir):
    write_asset(knowledge_dir, "palad/fresh.md", title="คู่มือที่เพิ่งปรับปรุง", published="2026-11-01")
    app.extensions["km"].refresh()
    old = page(editor_client.get("/assets/sick-leave"))  # published 2025-01-15, TODAY 2026-12-02
    assert ('<dt class="screen-only">ควรทบทวน</dt><dd class="screen-only">'
            '<span class="chip chip-draft">ไม่ได้ปรับปรุง 1 ปี 10 เดือน</span> '
            '<a href="/publish/sick-leave/edit">แก้ไข</a></dd>') in old
    assert "ควรทบทวน" not in page(editor_client.get("/assets/fresh"))
    assert "ควรทบทวน" not in page(client.get("/assets/sick-leave"))  # readers see the dates only


def test_assets_due_for_review_beyond_the_first_ten_are_one_click_away(app, editor_client, knowledge_dir):
    for n in range(12):
        write_asset(knowledge_dir, f"palad/old-{n:02}.md", title=f"คู่มือเก่า {n:02}", published=f"2023-01-{n + 1:02}")
    app.extensions["km"].refresh()
    app.extensions["km_reports"].catalogue.load()
    body = page(editor_client.get("/team/"))
    due = body[body.index('id="review-h"'):body.index("</section>", body.index('id="review-h"'))]
    shown, more = due.split('<details class="more-due">')
    assert re.findall(r'<a href="/assets/([^"]+)">', shown) == [f"old-{n:02}" for n in range(10)]
    assert "<summary>ดูอีก 5 เรื่อง</summary>" in more  # old-10, old-11 and the folder's three
    assert re.findall(r'<a href="/assets/([^"]+)">', more) == ["old-10", "old-11", "complaint",
                                                               "procurement-checklist", "sick-leave"]


@pytest.mark.parametrize(("since", "today", "said"), [
    ("2025-03-02", "2026-12-06", "1 ปี 9 เดือน"), ("2025-12-07", "2026-12-06", "11 เดือน"),
    ("2025-12-06", "2026-12-06", "1 ปี"), ("2026-11-20", "2026-12-06", "ไม่ถึงเดือน"), (None, "2026-12-06", "ไม่ระบุวันที่"),
])
def test_an_age_is_said_in_whole_years_and_months(since, today, said):
    from app.team import age

    assert age(since and dt.date.fromisoformat(since), dt.date.fromisoformat(today)) == said


# -- the automatic website record --------------------------------------------------------------------------
def test_the_asset_page_shows_the_automatic_website_record_the_auditor_counts(app, client, knowledge_dir):
    body = page(client.get("/assets/sick-leave"))
    table = body[body.index('id="dissemination-h"'):body.index("</table>", body.index('id="dissemination-h"'))]
    # the explicit record (20 Jan) and the one implied by publication (15 Jan), first by date, marked automatic
    assert re.findall(r"<tr[^>]*><td>(.*?)</td><td>(.*?)</td>", table) == [
        ('เว็บไซต์ <span class="chip chip-auto" title="นับจากวันที่เผยแพร่บนเว็บไซต์นี้ ไม่ต้องบันทึกเอง">อัตโนมัติ</span>',
         "15 ม.ค. 2568"),
        ("เว็บไซต์", "20 ม.ค. 2568")]
    # the auditor's evidence for goal 3 (channels) holds the same two records of this asset
    evidence = csv.reader(io.StringIO(client.get("/reports/export/evidence-goal3.csv?fy=2568").get_data(as_text=True)))
    assert sorted((r[3], r[5]) for r in evidence if r[6] == "sick-leave") == [("2025-01-15", "ใช่"), ("2025-01-20", "")]


def test_no_automatic_record_when_the_website_record_is_on_the_published_day_or_for_drafts(app, editor_client,
                                                                                           knowledge_dir):
    write_asset(knowledge_dir, "palad/explicit.md", title="บันทึกเอง", published="2025-02-01",
                dissemination=[{"channel": "website", "date": "2025-02-01", "ref": "ประกาศ"}])
    write_asset(knowledge_dir, "palad/draft.md", title="ร่าง", published="2025-02-01", status="draft")
    app.extensions["km"].refresh()
    assert "อัตโนมัติ" not in page(editor_client.get("/assets/explicit"))
    assert "อัตโนมัติ" not in page(editor_client.get("/assets/draft"))
    assert "อัตโนมัติ" in page(editor_client.get("/assets/complaint"))
