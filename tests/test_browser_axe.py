"""axe-core (the engine of most accessibility checkers, bundled by selenium-axe-python) over every
kind of page, signed out, as the KM team and as an admin, over the shipped sample content: WCAG
2.0–2.2 A and AA and axe's best practices, no violation allowed. An accessibility review
(2026-12-07) found what it flags here (a calendar "grid" without rows, headings skipping a level,
buttons named unlike their word, small targets); this keeps them from coming back. What axe cannot
judge (focus after a vote, text enlarged to 200 %, forced colours) is measured in the other
browser tests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from browser_support import sign_in
from conftest import SAMPLE_KNOWLEDGE
from publish_support import make_user
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser

RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                               "best-practice"]}}
SIGNED_OUT = ["/", "/browse/", "/browse/all", "/browse/department/palad", "/browse/tag/การลา",
              "/search?q=ลาป่วย", "/search?q=ลาปวยย", "/search?q=qqqzzzxxx", "/search?q=การลา&department=palad",
              "/assets/sick-leave", "/assets/child-centre-safety-checklist", "/assets/sick-leave/print",
              "/events/", "/events/2025-02-20-leave-storytelling", "/people/", "/people/pimchanok-jaidee",
              "/plans/", "/plans/2568", "/plans/2568/activities/1", "/plans/needs", "/plans/surveys",
              "/plans/report?fy=2568", "/plans/report/print?fy=2568", "/plans/2568/form2?fy=2568", "/reports/?fy=2568",
              "/plans/report?fy=2568&as_of=2568-03-31", "/plans/needs?fy=2569", "/events/?q=204/2568",
              "/reports/goals/1?fy=2568",
              "/reports/channels?fy=2568", "/reports/access?fy=2568", "/reports/print?fy=2568", "/status",
              "/auth/login", "/no-such-page", "/search?q=ลา&page=abc"]
KM_TEAM = ["/", "/publish/new", "/publish/sick-leave/edit", "/publish/sick-leave/source",
           "/publish/sick-leave/history", "/publish/sick-leave/attachments", "/publish/sick-leave/disseminate",
           "/publish/sick-leave/retire", "/team/", "/team/feedback", "/team/requests", "/account", "/events/new",
           "/events/2025-02-20-leave-storytelling/edit", "/people/new", "/people/pimchanok-jaidee/edit",
           "/plans/files/plan/2568/edit", "/plans/files/plan/2568/history", "/plans/surveys/new",
           "/plans/2568/activities/1/progress", "/plans/report/results?fy=2568", "/status", "/admin/users",
           "/plans/report?fy=2568&as_of=2568-03-31", "/plans/needs", "/plans/files/needs/2570/edit",
           "/reports/goals/2?fy=2568"]
ADMIN = ["/admin/users", "/admin/audit"]


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(SAMPLE_KNOWLEDGE, folder)
    return folder


def _axe(browser) -> str:
    from selenium_axe_python import Axe

    Axe(browser).inject()
    found = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, JSON.parse(arguments[0])).then(r => done(r.violations), e => done([String(e)]));",
        json.dumps(RULES))
    return "; ".join(f"{v['id']} ({v['impact']}): " + ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
                     if isinstance(v, dict) else v for v in found)


def _violations(browser, base: str, paths: list[str]) -> dict[str, str]:
    found = {}
    for path in paths:
        browser.get(base + path)
        WebDriverWait(browser, 15).until(lambda b: b.execute_script("return document.readyState") == "complete")
        if said := _axe(browser):
            found[path] = said
    return found


def test_no_page_breaks_an_axe_rule_signed_out(live_server, browser):
    for width in (1280, 390):
        browser.set_window_size(width, 900)
        found = _violations(browser, live_server, SIGNED_OUT)
        assert found == {}, "\n".join(f"{width} {path}: {said}" for path, said in found.items())


def test_no_page_of_the_km_team_or_the_admin_breaks_an_axe_rule(app, live_server, browser):
    make_user(app, "somchai", "editor")
    make_user(app, "admin", "admin")
    sign_in(browser, live_server)
    assert _violations(browser, live_server, KM_TEAM) == {}
    browser.get(live_server + "/publish/sick-leave/edit")  # with the BE calendar open
    browser.find_element(By.CSS_SELECTOR, "#published + .bedate-toggle").click()
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".bedate[role=dialog]")))
    assert _axe(browser) == ""
    browser.delete_all_cookies()
    sign_in(browser, live_server, "admin")
    assert _violations(browser, live_server, ADMIN) == {}
