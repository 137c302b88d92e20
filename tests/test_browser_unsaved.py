"""Text typed into a long form survives a save that did not go through (the sign-in ended while the
page stood open): the form offers it back in the same tab, to the same account only, and forgets it
once a save is accepted or the writer signs out (app/static/js/unsaved.js)."""

from __future__ import annotations

import pytest
from browser_support import keep_screenshot, settled, sign_in
from publish_support import make_user
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser

TYPED = "ข้อความที่พิมพ์ระหว่างที่การเข้าสู่ระบบหมดอายุ"
OFFER = ".unsaved-offer"


def _end_sign_ins(app, username: str) -> None:
    """What eight idle hours do to an editor's sign-in, done at once."""
    from app import accounts, sign_ins
    from app.db import get_db

    with app.app_context():
        db = get_db()
        sign_ins.end_all(db, accounts.find(db, username).id)


def _type_into_body(browser, text: str) -> None:
    body = WebDriverWait(browser, 15).until(EC.element_to_be_clickable((By.ID, "body")))
    browser.execute_script("arguments[0].setSelectionRange(arguments[0].value.length, arguments[0].value.length)",
                           body)
    body.send_keys("\n" + text)


def _save_is_refused_by_expiry(app, browser, username: str = "somchai") -> None:
    _end_sign_ins(app, username)
    browser.find_element(By.CSS_SELECTOR, "form[data-keep-unsaved] button[type=submit]").click()
    settled(browser).until(EC.presence_of_element_located((By.ID, "password")))  # sent to sign in again


def _offers(browser) -> list:
    return browser.find_elements(By.CSS_SELECTOR, OFFER)


def _kept(browser) -> str:
    """Every copy the tab keeps, as one text."""
    return browser.execute_script("return Object.keys(sessionStorage).filter(k => k.startsWith('km-unsaved:'))"
                                  ".map(k => sessionStorage.getItem(k)).join('')")


def _offer(browser):
    return WebDriverWait(browser, 15).until(
        lambda b: next((o for o in _offers(b) if "ยังไม่ได้บันทึก" in o.text), None))


def test_text_typed_before_the_sign_in_ended_is_offered_back_and_saved(app, live_server, browser, knowledge_dir):
    asset_file = knowledge_dir / "palad" / "sick-leave.md"
    before = asset_file.read_text(encoding="utf-8")
    make_user(app, "somchai", "editor")
    sign_in(browser, live_server)
    browser.get(live_server + "/publish/sick-leave/edit")
    assert _offers(browser) == []
    _type_into_body(browser, TYPED)
    browser.find_element(By.ID, "edit_summary").send_keys("เพิ่มย่อหน้า")
    WebDriverWait(browser, 15).until(lambda b: TYPED in b.find_element(By.ID, "preview").text)  # none on its way
    _end_sign_ins(app, "somchai")
    shown = browser.find_element(By.ID, "preview").get_attribute("innerHTML")
    browser.find_element(By.ID, "body").send_keys("ๆ")  # the live preview asks the server, now signed out
    status = browser.find_element(By.CSS_SELECTOR, "[data-preview-status]")
    WebDriverWait(browser, 15).until(lambda b: status.text.startswith("การเข้าสู่ระบบหมดอายุแล้ว"))
    assert browser.find_element(By.ID, "preview").get_attribute("innerHTML") == shown  # no sign-in page in it
    _save_is_refused_by_expiry(app, browser)
    assert asset_file.read_text(encoding="utf-8") == before  # nothing was saved

    sign_in(browser, live_server)
    browser.get(live_server + "/publish/sick-leave/edit")
    offer = _offer(browser)
    assert "ยังไม่ได้บันทึก" in offer.text and "มีการบันทึกหลังจากนั้น" not in offer.text
    assert offer.get_attribute("role") == "status"
    assert TYPED not in browser.find_element(By.ID, "body").get_attribute("value")  # nothing put back unasked
    keep_screenshot(browser, "editor-unsaved-offer")
    offer.find_element(By.XPATH, ".//button[.='ใช้ข้อความที่พิมพ์ไว้']").click()
    assert TYPED in browser.find_element(By.ID, "body").get_attribute("value")
    assert browser.find_element(By.ID, "edit_summary").get_attribute("value") == "เพิ่มย่อหน้า"
    assert browser.find_element(By.CSS_SELECTOR, OFFER).text == "ใส่ข้อความที่พิมพ์ไว้กลับในแบบฟอร์มแล้ว ตรวจดูแล้วกดบันทึก"
    WebDriverWait(browser, 15).until(lambda b: TYPED in b.find_element(By.ID, "preview").text)  # the preview follows
    browser.find_element(By.CSS_SELECTOR, "form[data-editor] button[type=submit]").click()
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, "article.asset")))
    assert TYPED in asset_file.read_text(encoding="utf-8")

    browser.get(live_server + "/publish/sick-leave/edit")  # the accepted save forgot the copy
    WebDriverWait(browser, 15).until(EC.element_to_be_clickable((By.ID, "body")))
    assert _offers(browser) == []
    assert browser.execute_script("return Object.keys(sessionStorage).filter(k => k.startsWith('km-unsaved:') && "
                                  "sessionStorage.getItem(k).includes(arguments[0])).length", TYPED) == 0


def test_a_copy_is_never_shown_to_another_account_and_ends_at_sign_out(app, live_server, browser):
    make_user(app, "somchai", "editor")
    make_user(app, "malee", "editor")
    sign_in(browser, live_server)
    browser.get(live_server + "/publish/sick-leave/edit")
    _type_into_body(browser, TYPED)
    _save_is_refused_by_expiry(app, browser)
    sign_in(browser, live_server, "malee")  # another account, the same tab (a shared computer)
    assert TYPED not in _kept(browser)  # gone at malee's first page, not only hidden from her (V-01)
    browser.get(live_server + "/publish/sick-leave/edit")
    WebDriverWait(browser, 15).until(EC.element_to_be_clickable((By.ID, "body")))
    assert _offers(browser) == []

    browser.find_element(By.CSS_SELECTOR, ".site-nav button[type=submit]").click()  # malee signs out
    settled(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".site-nav"), "เข้าสู่ระบบ"))
    sign_in(browser, live_server)  # somchai's copy went with the sign-out
    browser.get(live_server + "/publish/sick-leave/edit")
    WebDriverWait(browser, 15).until(EC.element_to_be_clickable((By.ID, "body")))
    assert _offers(browser) == []
    assert TYPED not in _kept(browser)


def test_a_whole_file_saved_meanwhile_by_someone_else_goes_through_the_merge(app, live_server, browser,
                                                                             knowledge_dir):
    make_user(app, "somchai", "editor")
    sign_in(browser, live_server)
    browser.get(live_server + "/publish/sick-leave/source")
    text = WebDriverWait(browser, 15).until(EC.element_to_be_clickable((By.ID, "text")))
    browser.execute_script("arguments[0].setSelectionRange(arguments[0].value.length, arguments[0].value.length)",
                           text)
    text.send_keys("\n" + TYPED + "\n")
    _save_is_refused_by_expiry(app, browser)
    asset_file = knowledge_dir / "palad" / "sick-leave.md"  # a colleague's save, by hand on the server
    theirs = asset_file.read_text(encoding="utf-8").replace("\n---\n", "\n---\n\nย่อหน้าของเพื่อนร่วมงาน\n", 1)
    asset_file.write_text(theirs, encoding="utf-8")

    sign_in(browser, live_server)
    browser.get(live_server + "/publish/sick-leave/source")
    offer = _offer(browser)
    assert "มีการบันทึกหลังจากนั้น" in offer.text
    offer.find_element(By.XPATH, ".//button[.='ใช้ข้อความที่พิมพ์ไว้']").click()
    browser.find_element(By.CSS_SELECTOR, "form[data-keep-unsaved] button[type=submit]").click()
    # the version it was typed on came back with it: the colleague's paragraph is shown, not overwritten
    settled(browser).until(EC.text_to_be_present_in_element((By.ID, "main"), "มีผู้แก้ไขไฟล์นี้หลังจากที่คุณเปิด"))
    assert "ย่อหน้าของเพื่อนร่วมงาน" in asset_file.read_text(encoding="utf-8")
    assert TYPED not in asset_file.read_text(encoding="utf-8")
    assert TYPED in browser.find_element(By.ID, "text").get_attribute("value")
    assert _offers(browser) == []  # the conflict page holds the same text: nothing to offer


def test_a_refused_save_keeps_the_copy_and_the_merge_page_keeps_the_merge(app, live_server, browser, knowledge_dir):
    """A save refused with an error showed the text sent, and the copy was dropped as already shown:
    reopened later, the form offered nothing (V-03). The merge page's work was not kept, and a
    sign-in ending there brought back the text from before the merge (V-02)."""
    make_user(app, "somchai", "editor")
    sign_in(browser, live_server)
    browser.get(live_server + "/publish/new")
    _type_into_body(browser, TYPED)
    browser.find_element(By.CSS_SELECTOR, "form[data-editor] button[type=submit]").click()  # no title: refused
    settled(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".form-error")))
    assert _offers(browser) == []  # the form shows the text already
    browser.get(live_server + "/")
    browser.get(live_server + "/publish/new")
    _offer(browser).find_element(By.XPATH, ".//button[.='ใช้ข้อความที่พิมพ์ไว้']").click()
    assert TYPED in browser.find_element(By.ID, "body").get_attribute("value")
    assert browser.switch_to.active_element.get_attribute("id") == "title"  # the focus goes on to the form

    browser.get(live_server + "/publish/sick-leave/edit")
    _type_into_body(browser, "ย่อหน้าของฉัน")
    asset_file = knowledge_dir / "palad" / "sick-leave.md"  # a colleague saves meanwhile
    asset_file.write_text(asset_file.read_text(encoding="utf-8") + "\nย่อหน้าของเพื่อนร่วมงาน\n", encoding="utf-8")
    browser.find_element(By.CSS_SELECTOR, "form[data-editor] button[type=submit]").click()
    settled(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "input[name=merged][value='1']")))
    assert _offers(browser) == []  # the merge page holds the writer's text: nothing offered against it
    _type_into_body(browser, "งานรวมฉบับ")
    WebDriverWait(browser, 15).until(lambda b: "งานรวมฉบับ" in _kept(b))  # the merge is what the tab keeps
    _save_is_refused_by_expiry(app, browser)
    sign_in(browser, live_server)
    browser.get(live_server + "/publish/sick-leave/edit")
    _offer(browser).find_element(By.XPATH, ".//button[.='ใช้ข้อความที่พิมพ์ไว้']").click()
    body = browser.find_element(By.ID, "body").get_attribute("value")
    assert "งานรวมฉบับ" in body and "ย่อหน้าของฉัน" in body
    assert browser.find_element(By.CSS_SELECTOR, "input[name=merged]").get_attribute("value") == "1"
