"""XSS payloads in an asset's title, tags and body, and in a search query, never run in a real browser.

Two layers are checked on every page: the payload does not run (window.__xss stays
undefined, no alert), and it never became markup (no injected element, handler or
javascript: link in the DOM, and no CSP report of a blocked inline script, which is
what an escaping bug would look like behind the Content-Security-Policy).
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from browser_support import sign_in
from conftest import write_asset
from publish_support import csrf_token, make_user
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser

IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = "<script>window.__xss=1</script>"
SVG = '"><svg onload="window.__xss=1">'
CLOSE = "</title></textarea><script>window.__xss=1</script>"
TITLE = f"ทดสอบช่องโหว่ {IMG} {SCRIPT} {SVG} {{{{7*7}}}}"
TAG = f'แท็ก{IMG}'
BODY = f"""## หัวข้อ {IMG}

เนื้อหาคำว่าเจาะระบบ {SCRIPT} {SVG} {CLOSE}

[คลิกที่นี่](javascript:window.__xss=1) <a href="javascript:window.__xss=1">ลิงก์</a>
<iframe src="javascript:window.__xss=1"></iframe> <object data="javascript:window.__xss=1"></object>
<math><mi xlink:href="javascript:window.__xss=1">x</mi></math> <div style="background:url(javascript:x)">ก</div>
"""
QUERY = f"เจาะระบบ {IMG} {SCRIPT} {SVG}"

# Markdown bodies may hold images (sanitised: <img src="x"> without its handler); anywhere
# else an <img src=x> means a title, tag or query was not escaped.
INJECTED = ("script:not([src]), [onerror], [onload], [onclick], [onmouseover], iframe, object, embed, math, "
            "a[href^='javascript:' i], img[src='x']:not(.prose img), svg:not(.chart-svg), [style*='javascript' i]")


@pytest.fixture
def hostile(app, knowledge_dir):
    """An asset carrying the payloads everywhere a user can type, indexed."""
    write_asset(knowledge_dir, "palad/xss-probe.md", title=TITLE, tags=[TAG, "ปกติ"], asset_type="procedure",
                owner=f"เจ้าของ{IMG}", summary=f"สรุป{SCRIPT}", published="2025-02-01", body=BODY)
    app.extensions["km"].kb.update()
    return app


def assert_inert(browser, where: str) -> None:
    try:
        alert = browser.switch_to.alert
        text = alert.text
        alert.dismiss()
        pytest.fail(f"{where}: an alert opened ({text})")
    except NoAlertPresentException:
        pass
    assert browser.execute_script("return window.__xss") is None, where
    found = browser.execute_script(f"return Array.from(document.querySelectorAll(\"{INJECTED}\"))"
                                   ".map(e => e.outerHTML.slice(0, 120))")
    assert found == [], where
    blocked = [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]
               or "Refused to" in e["message"]]
    assert blocked == [], where


def visit(browser, url: str) -> None:
    browser.get(url)
    WebDriverWait(browser, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")


def test_payloads_stay_text_on_every_reader_page(hostile, live_server, browser):
    pages = {
        "asset": "/assets/xss-probe", "print": "/assets/xss-probe/print", "home": "/",
        "search for the body": "/search?q=" + quote("เจาะระบบ"),
        "search with the payload as the query": "/search?q=" + quote(QUERY),
        "tag listing": "/browse/tag/" + quote(TAG, safe=""),
        "department listing": "/browse/department/palad",
        "all assets by title": "/browse/all?sort=title", "all assets by views": "/browse/all?sort=views",
        "bad sort": "/browse/all?sort=" + quote(SCRIPT, safe=""),
        "api": "/api/search?q=" + quote(QUERY), "404": "/assets/" + quote(SVG, safe=""),
    }
    for where, path in pages.items():
        visit(browser, live_server + path)
        assert_inert(browser, where)
    visit(browser, live_server + "/assets/xss-probe")
    assert browser.find_element(By.CSS_SELECTOR, "article.asset h1").text == TITLE  # shown as typed, {{7*7}} too
    assert SCRIPT in browser.find_element(By.CSS_SELECTOR, "article.asset").text
    visit(browser, live_server + "/search?q=" + quote(QUERY))
    assert browser.find_element(By.ID, "q-top").get_attribute("value") == QUERY  # the box keeps it as text
    visit(browser, live_server + "/search?q=" + quote("เจาะระบบ"))
    assert browser.find_elements(By.CSS_SELECTOR, ".hit-title a")[0].text == TITLE


def test_payloads_stay_text_in_the_editor_and_its_live_preview(hostile, live_server, browser):
    make_user(hostile, "somchai", "editor")
    sign_in(browser, live_server)
    visit(browser, live_server + "/publish/xss-probe/edit")
    assert_inert(browser, "editor")
    assert browser.find_element(By.ID, "title").get_attribute("value") == TITLE
    body = browser.find_element(By.ID, "body")
    assert SCRIPT in body.get_attribute("value")
    body.send_keys(f"\n\n## ตัวอย่างสด {IMG}\n\n{SCRIPT}{SVG}\n")
    WebDriverWait(browser, 15).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#preview"), "ตัวอย่างสด"))
    assert_inert(browser, "live preview")
    preview = browser.find_element(By.ID, "preview").get_attribute("innerHTML")
    assert "<h2" in preview and "onerror" not in preview and "<script" not in preview  # raw HTML sanitised away
    visit(browser, live_server + "/publish/xss-probe/history")
    assert_inert(browser, "history")


def test_payloads_from_readers_stay_text_on_the_km_teams_pages(hostile, live_server, browser):
    reader = hostile.test_client()
    token = csrf_token(reader.get("/assets/xss-probe").get_data(as_text=True))
    assert reader.post("/assets/xss-probe/feedback", data={"helpful": "no", "comment": QUERY + CLOSE,
                                                           "csrf_token": token}).status_code == 303
    assert reader.post("/requests", data={"q": QUERY, "detail": CLOSE + SVG, "csrf_token": token}).status_code == 303
    make_user(hostile, "somchai", "editor")
    sign_in(browser, live_server)
    for where in ("/team/", "/team/feedback", "/team/requests"):
        visit(browser, live_server + where)
        assert_inert(browser, where)
    assert SCRIPT in browser.find_element(By.CSS_SELECTOR, ".team-table").text  # the query shown as typed
