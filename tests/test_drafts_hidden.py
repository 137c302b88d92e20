"""Drafts never reach readers, by any route: results, totals, facets, suggestions, related assets,
attachments, reports and the API. Archived assets are kept but never listed.

Every GET route of the site is visited (the test fails when a new one appears), as an anonymous
visitor and as a signed-in reader, with the queries and filters that used to leak: a filter that
matches nothing, `sort=newest`, and typos of words that only a draft or its attachment contains.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import app_config, write_asset
from plans_support import EVENTS, NEEDS, PEOPLE, write_km
from publish_support import login, make_user
from test_attachments import thai_pdf

from app import create_app, db

DRAFT_SLUG = "secret-draft"
DRAFT_TITLE = "ร่างลับเฉพาะทีม"
DRAFT_TAG = "แท็กลับเฉพาะ"
DRAFT_WORDS = ("สับปะรด", "zyxdraftword")
ATTACHMENT_WORD = "zyxattachword"
ARCHIVED_SLUG = "old-archived"
ARCHIVED_WORD = "zyxarchivedword"
BAD_STAGE, BAD_OWNER = "zyxbadstage", "zyxbadowner"
NEVER_SHOWN = (DRAFT_SLUG, DRAFT_TITLE, DRAFT_TAG, *DRAFT_WORDS, ATTACHMENT_WORD, BAD_STAGE, BAD_OWNER)

# Queries a reader might type: the draft's words, their typos, and words every asset shares.
QUERIES = ("สับปะรด", "สับปะรส", "zyxdraftword", "zyxdraftwrd", "zyxattachword", "zyxattachwrd", "ร่างลับ",
           "ลาป่วย", "การ", "zyxarchivedword", "zyxarchivedwrd")
FILTERS = ("tag=nonexistent", "tag=nonexistent&sort=newest", f"tag={DRAFT_TAG}", f"tag={DRAFT_TAG}&sort=newest",
           "department=palad", "department=palad&sort=newest", "fy=2568", "km_stage=sharing&sort=newest",
           "sort=newest", "page=2", "per_page=50")


def hide_a_draft_and_an_archived_asset(knowledge: Path) -> None:
    draft = write_asset(knowledge, f"palad/{DRAFT_SLUG}.md", title=DRAFT_TITLE, status="draft",
                        tags=[DRAFT_TAG, "การลา"], published="2025-01-10", summary="สรุปของ zyxdraftword",
                        dissemination=[{"channel": "website", "date": "2025-01-20", "ref": "zyxdraftword"}],
                        owner="นายสมชาย ใจดี",
                        body="## สับปะรด\n\nลาป่วย สับปะรด zyxdraftword การลาป่วยของพนักงาน\n")
    files = draft.with_name(f"{DRAFT_SLUG}.files")
    files.mkdir()
    (files / "plan.pdf").write_bytes(thai_pdf(f"แผน {ATTACHMENT_WORD}"))
    # the KM team's records name the draft too: an event produced it, a need is answered by it
    events = {**EVENTS, "2025-05-01-cop": "date: 2025-05-01\ntype: cop\ntitle: CoP ครั้งที่ ๒\nactivity: 3\n"
                                          f"participants: 6\nassets_produced: [{DRAFT_SLUG}]\n"}
    write_km(knowledge, events=events, people=PEOPLE,
             needs=NEEDS.replace("assets: [sick-leave]", f"assets: [sick-leave, {DRAFT_SLUG}]"))
    # a second draft with problems: the status page names files and quotes their values, for the team only
    write_asset(knowledge, f"palad/{DRAFT_SLUG}-bad.md", title=DRAFT_TITLE, status="draft", km_stage=BAD_STAGE,
                body="สับปะรด\n")
    write_asset(knowledge, f"palad/{DRAFT_SLUG}-owner.md", title=DRAFT_TITLE, status="draft",
                owner=f"นายลับ {BAD_OWNER}", body="สับปะรด\n")
    write_asset(knowledge, f"finance/{ARCHIVED_SLUG}.md", title="ระเบียบเก่าที่เลิกใช้", department="finance",
                status="archived", tags=["การลา"], published="2025-01-11", body=f"ลาป่วย {ARCHIVED_WORD}\n")


@pytest.fixture
def hidden_app(tmp_path, knowledge_dir):
    hide_a_draft_and_an_archived_asset(knowledge_dir)
    application = create_app(app_config(tmp_path, knowledge_dir))
    make_user(application, "reader", "reader")
    yield application
    application.extensions["km"].stop()


def reader_urls(app) -> dict[str, list[str]]:
    """URLs for every GET route, grouped by endpoint, with the parameters that used to leak drafts."""
    from app.reports.exports import EXPORTS

    published = ("sick-leave", "complaint", "procurement-checklist", ARCHIVED_SLUG)
    searches = [f"q={q}" for q in QUERIES] + list(FILTERS) + [f"q={q}&sort=newest" for q in QUERIES[:4]]
    browse = ["tag/nonexistent", f"tag/{DRAFT_TAG}", "tag/การลา", "department/palad", "stage/codification",
              "type/procedure"]
    return {
        "browse.home": ["/"],
        "browse.index": ["/browse/"],
        "browse.listing": [f"/browse/{b}{s}" for b in browse for s in ("", "?sort=newest", "?sort=relevance")],
        "search.results": [f"/search?{s}" for s in searches],
        "api.search": [f"/api/search?{s}" for s in searches],
        "assets.show": [f"/assets/{slug}" for slug in (*published, DRAFT_SLUG)],
        "assets.print_view": [f"/assets/{slug}/print" for slug in (*published, DRAFT_SLUG)],
        "api.asset": [f"/api/assets/{slug}" for slug in (*published, DRAFT_SLUG)],
        "attachments.download": [f"/assets/{DRAFT_SLUG}/files/plan.pdf"],
        "api.indicators": ["/api/indicators", "/api/indicators?fy=2568"],
        "reports.indicators": ["/reports/", "/reports/?fy=2568"],
        "reports.access": ["/reports/access?fy=2568"],
        "reports.channels": ["/reports/channels?fy=2568"],
        "reports.evidence": [f"/reports/goals/{goal}?fy=2568" for goal in (1, 2, 3)],
        "reports.export": [f"/reports/export/{name}.csv?fy=2568" for name in EXPORTS],
        "reports.print_report": ["/reports/print?fy=2568"],
        "status.index": ["/status"], "status.health": ["/healthz"], "status.problems_csv": ["/status/problems.csv"],
        "auth.login": ["/auth/login"],
        "audit.index": ["/admin/audit"],
        "audit.export_csv": ["/admin/audit.csv"],
        "publish.new": ["/publish/new"],
        **{f"publish.{name}": [f"/publish/{DRAFT_SLUG}/{path}"] for name, path in (
            ("edit", "edit"), ("history", "history"), ("diff", "diff?a=1"), ("attachments_page", "attachments"),
            ("disseminate", "disseminate"), ("retire", "retire"), ("source", "source"))},
        "static": ["/static/css/site.css"],
        "api.openapi_document": ["/api/openapi.json"],
        "plans.index": ["/plans/"],
        "plans.show": ["/plans/2568", "/plans/2568?fy=2568"],
        "plans.activity": [f"/plans/2568/activities/{n}" for n in (1, 3, 7)],
        "plans.progress": ["/plans/2568/activities/3/progress"],
        "plans.needs": ["/plans/needs"],
        "plans.surveys": ["/plans/surveys"],
        "plans.new_survey": ["/plans/surveys/new"],
        "plans.report": ["/plans/report?fy=2568"],
        "plans.report_print": ["/plans/report/print?fy=2568"],
        "plans.report_export": ["/plans/report.csv?fy=2568"],
        "plans.form2": ["/plans/2568/form2?fy=2568"],
        "plans.form2_export": ["/plans/2568/form2.csv?fy=2568"],
        "plans.report_results": ["/plans/report/results?fy=2568"],
        "plans.edit_file": ["/plans/files/events/2025-05-01-cop/edit"],
        "plans.file_history": ["/plans/files/events/2025-05-01-cop/history"],
        "events.index": ["/events/", "/events/?fy=2568&activity=3"],
        "events.show": ["/events/2025-05-01-cop"],
        "events.evidence_file": ["/events/2025-05-01-cop/files/x.pdf"],
        "events.new": ["/events/new"],
        "events.edit": ["/events/2025-05-01-cop/edit"],
        "people.index": ["/people/", "/people/?q=การลา"],
        "people.show": ["/people/somchai-jaidee"],
        "people.new": ["/people/new"],
        "people.edit": ["/people/somchai-jaidee/edit"],
        "plans_api.plans": ["/api/plans", "/api/plans?fy=2568"],
        "plans_api.events": ["/api/events", "/api/events?activity=2568:3"],
        "plans_api.people": ["/api/people"],
        "plans_api.person": ["/api/people/somchai-jaidee"],
        "plans_api.report": ["/api/report?fy=2568"],
        "browse.all_assets": [f"/browse/all{s}" for s in ("", "?sort=title", "?sort=views", "?sort=newest&page=2")],
        "feeds.all_assets": ["/feeds/all.atom"],
        "feeds.department": ["/feeds/departments/palad.atom"],
        "team.my_work": ["/team/"],
        "team.feedback_page": ["/team/feedback"],
        "team.requests_page": ["/team/requests"],
        "useradmin.index": ["/admin/users"],
        "my_account.index": ["/account"],
        "favicon": ["/favicon.ico"],
        "api.suggest": [f"/api/suggest?q={q}" for q in ("ร่างลับ", "สับปะ", "zyxdr", "zyxatt", "แท็กลับ", "ลาป", "zyxarc")],
        # the PDFs are the print pages above (reports.print_report, plans.report_print) printed by Chromium;
        # their text is compressed, so the pages they are made from are what is checked
        "reports.print_pdf": [],
        "plans.report_pdf": [],
        "plans.form2_pdf": [],  # Form 2's print page above, printed
    }


def test_every_get_route_is_visited(hidden_app):
    routes = {rule.endpoint for rule in hidden_app.url_map.iter_rules() if "GET" in rule.methods}
    assert set(reader_urls(hidden_app)) == routes


def count_a_view_of_the_draft_from_before_it_was_a_draft(app) -> None:
    conn = sqlite3.connect(db.database_path(app))
    with conn:
        conn.execute("INSERT INTO asset_views (slug, day, views) VALUES (?, '2025-02-01', 7)", (DRAFT_SLUG,))
    conn.close()


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_a_draft_never_reaches_a_reader_by_any_route(hidden_app, who):
    count_a_view_of_the_draft_from_before_it_was_a_draft(hidden_app)
    client = hidden_app.test_client()
    if who == "reader":
        assert login(client, "reader").status_code == 302
    leaks = []
    for urls in reader_urls(hidden_app).values():
        for url in urls:
            with client.get(url) as response:
                assert response.status_code != 500, url
                text = response.get_data().decode("utf-8", errors="replace")  # the favicon is not text
            leaks += [(url, marker) for marker in unasked(NEVER_SHOWN, url) if marker in text]
    assert leaks == [], leaks


def unasked(markers: tuple[str, ...], url: str) -> list[str]:
    """The markers the URL itself does not carry (a page may echo what the reader typed)."""
    return [marker for marker in markers if marker not in unquote(url)]


def test_archived_assets_are_kept_but_never_listed(hidden_app):
    client = hidden_app.test_client()
    lists = [u for e in ("browse.home", "browse.index", "browse.listing", "search.results", "api.search")
             for u in reader_urls(hidden_app)[e]]
    for url in lists:
        text = client.get(url).get_data(as_text=True)
        assert [m for m in unasked((ARCHIVED_SLUG, ARCHIVED_WORD), url) if m in text] == [], url
    assert client.get(f"/assets/{ARCHIVED_SLUG}").status_code == 200  # kept: its address still works


def test_the_km_team_still_finds_and_is_offered_draft_words(hidden_app):
    make_user(hidden_app, "somchai", "editor")
    client = hidden_app.test_client()
    login(client, "somchai")
    assert f'href="/assets/{DRAFT_SLUG}?' in client.get("/search?q=zyxdraftword").get_data(as_text=True)  # with ?h=
    offered = client.get("/search?q=zyxdraftwrd&as_typed=1").get_data(as_text=True)
    assert "หรือคุณหมายถึง" in offered and "<strong>zyxdraftword</strong>" in offered


def test_with_no_published_asset_a_search_finds_nothing(tmp_path):
    knowledge = tmp_path / "knowledge"
    hide_a_draft_and_an_archived_asset(knowledge)
    application = create_app(app_config(tmp_path, knowledge))
    try:
        client = application.test_client()
        for url in ["/api/search?q=ลาป่วย", "/api/search?q=สับปะรด", "/api/search?tag=nonexistent",
                    "/api/search?sort=newest&department=palad", "/api/search?q=zyxdraftwrd"]:
            payload = client.get(url).get_json()
            assert (payload["total"], payload["results"], payload["suggestion"]) == (0, [], None), url
            assert all(pairs == [] for pairs in payload["facets"].values()), url
        for url in ("/", "/browse/", "/browse/tag/การลา?sort=newest", "/search?q=ลาป่วย"):
            text = client.get(url).get_data(as_text=True)
            assert not [m for m in (*NEVER_SHOWN, ARCHIVED_SLUG) if m in text], url
    finally:
        application.extensions["km"].stop()
