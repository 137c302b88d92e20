"""Every form of the site, posted as a browser would and then with each field dropped or made
hostile, one at a time: whatever the reply (a save, a refusal with its reason, a redirect), it
is never a 500.

The forms are found on the site's own pages, signed in as an administrator (who sees every form
the KM team does), so a form added later is posted too; every POST endpoint without a form on a
page (the editor's preview, image uploads, restores…) is posted the same values directly. Found this way: a new
event posted with its date left empty named its file after None (a 500).
"""

from __future__ import annotations

import io
import shutil
from urllib.parse import urljoin

import pytest
from conftest import SAMPLE_KNOWLEDGE, app_config
from publish_support import csrf_token, login, make_user, post_forms

from app import create_app

HOSTILE = ["", "-1", "99999999999999999999999", "ก" * 70_000, "\x00", "../../etc/passwd", "2568-02-30",
           "<script>alert(1)</script>", "--- \nx: [", "nan"]


def _forms(client, page: str) -> list[tuple[str, dict, list[str]]]:
    reply = client.get(page)
    assert reply.status_code == 200, page
    return [(urljoin(page, f["action"] or page), f["values"] | f["checked"], f["files"])
            for f in post_forms(reply.get_data(as_text=True))]


def _variants(fields: dict) -> list[dict]:
    """The form as sent, then each field dropped, then each field given each hostile value."""
    names = [n for n in fields if n != "csrf_token"]
    out = [dict(fields)]
    out += [{k: v for k, v in fields.items() if k != name} for name in names]
    out += [fields | {name: value} for name in names for value in HOSTILE]
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("forms")
    shutil.copytree(SAMPLE_KNOWLEDGE, tmp / "knowledge")
    app = create_app(app_config(tmp, tmp / "knowledge"))
    make_user(app, "boss", "admin")
    make_user(app, "other", "editor")
    yield app, tmp / "knowledge"
    app.extensions["km"].stop()


def _signed_in(app):
    client = app.test_client()
    assert login(client, "boss").status_code == 302
    return client


def _pages(knowledge) -> list[str]:
    event = sorted((knowledge / "_km" / "events").glob("*.yaml"))[0].stem
    person = sorted((knowledge / "_km" / "people").glob("*.yaml"))[0].stem
    plan = sorted((knowledge / "_km" / "plans").glob("*.yaml"))[-1].stem
    return ["/", "/search?q=ลาป่วย", "/search?q=ผลบอลพรีเมียร์ลีกเมื่อคืน", "/assets/sick-leave", "/publish/new",
            "/publish/sick-leave/edit", "/publish/sick-leave/retire", "/publish/sick-leave/attachments",
            "/publish/sick-leave/disseminate", "/publish/sick-leave/source",
            "/events/new", f"/events/{event}/edit", f"/events/{event}", "/people/new", f"/people/{person}/edit",
            f"/plans/{plan}/activities/1/progress", f"/plans/files/plan/{plan}/edit", "/plans/surveys/new",
            f"/plans/report/results?fy={plan}", f"/plans/needs?fy={plan}", f"/plans/report?fy={plan}", "/admin/users",
            "/account"]


def test_no_form_field_dropped_or_hostile_gives_a_500(site):
    app, knowledge = site
    client = _signed_in(app)
    posted: set[str] = set()
    seen_actions: set[tuple[str, tuple]] = set()
    for page in _pages(knowledge):
        for action, fields, files in _forms(client, page):
            if "logout" in action or (action, tuple(sorted(fields))) in seen_actions:
                continue
            seen_actions.add((action, tuple(sorted(fields))))
            rule = app.url_map.bind("localhost").match(action.split("?")[0], method="POST")[0]
            posted.add(rule)
            for number, data in enumerate(_variants(fields)):
                if files and number % 3 == 0:  # a file now and then, with a name no server should trust
                    data = data | {files[0]: (io.BytesIO(b"\x00junk"), "../../x.md")}
                reply = client.post(action, data=data)
                assert reply.status_code < 500, (action, {k: str(v)[:30] for k, v in data.items()})
                if reply.status_code == 302 and "/auth/login" in reply.headers.get("Location", ""):
                    client = _signed_in(app)  # a hostile value ended the session (a password change)
    # the forms that must have been found: the KM team's and the administrator's daily work
    for endpoint in ("publish.new", "publish.edit", "publish.disseminate", "publish.attachments_page", "events.new",
                     "events.edit", "people.new", "people.edit", "plans.progress", "plans.edit_file",
                     "plans.new_survey", "plans.report_results", "plans.add_need", "useradmin.create",
                     "useradmin.change_role", "useradmin.reset_password", "useradmin.rename", "useradmin.disable",
                     "voice.vote", "voice.ask", "my_account.change_password", "my_account.change_name",
                     "my_account.sign_out_others", "events.add_evidence", "publish.source", "plans.record_report"):
        assert endpoint in posted, endpoint


def test_post_endpoints_without_a_form_never_answer_hostile_values_with_a_500(site):
    app, _ = site
    client = _signed_in(app)
    token = csrf_token(client.get("/publish/new").get_data(as_text=True))
    paths = {"/publish/preview", "/publish/sick-leave/images", "/publish/sick-leave/restore/999999",
             "/publish/sick-leave/attachments/..%2F..%2Fx/remove", "/publish/no-such/attachments/a.pdf/remove",
             "/plans/files/plan/2568/restore/999999", "/team/feedback/999999/read", "/team/requests/999999/done",
             "/admin/users/nobody/enable", "/requests", "/auth/login",
             "/events/2023-10-30-km-team-1/files/a.png/remove", "/events/no-such/files"}
    for path in sorted(paths):
        for value in HOSTILE:
            data = {"csrf_token": token, "text": value, "body": value, "q": value, "username": value,
                    "password": value}
            reply = client.post(path, data=data)
            assert reply.status_code < 500, (path, value[:30], reply.status_code)
            upload = {"csrf_token": token, "file": (io.BytesIO(value[:100].encode()), value[:50] or "x.png")}
            reply = client.post(path, data=upload)
            assert reply.status_code < 500, (path, "file", value[:30], reply.status_code)
