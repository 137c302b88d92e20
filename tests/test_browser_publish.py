"""A KM team member signs in, writes a Thai asset with the live preview, and finds it by searching."""

from __future__ import annotations

import pytest
from browser_support import settled, sign_in
from publish_support import make_user
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

pytestmark = pytest.mark.browser
TITLE = "การขอใช้ห้องประชุมสภาเทศบาล"
BODY = "## ขั้นตอนการจอง\n\nกรอกแบบคำขอใช้ห้องประชุมล่วงหน้าอย่างน้อยสามวันทำการ แล้วส่งที่งานธุรการ\n"


def test_sign_in_create_a_thai_asset_and_find_it_with_the_search_box(app, live_server, browser):
    make_user(app, "somchai", "editor")
    sign_in(browser, live_server)
    browser.find_element(By.LINK_TEXT, "เพิ่มขุมความรู้").click()
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.ID, "body")))
    browser.find_element(By.ID, "title").send_keys(TITLE)
    browser.find_element(By.ID, "slug").send_keys("meeting-room-booking")
    Select(browser.find_element(By.ID, "department")).select_by_value("palad")
    Select(browser.find_element(By.ID, "km_stage")).select_by_value("access")
    browser.find_element(By.ID, "tags").send_keys("ห้องประชุม, การจอง")
    browser.find_element(By.ID, "body").send_keys(BODY)
    # The live preview is rendered by the server (same renderer as the asset page) and shown by editor.js.
    settled(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#preview h2"), "ขั้นตอนการจอง"))
    browser.find_element(By.CSS_SELECTOR, "form[data-editor] button[type=submit]").click()
    settled(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "article.asset h1"), TITLE))
    assert "ค้นหาได้ทันที" in browser.find_element(By.CSS_SELECTOR, ".flash").text

    box = browser.find_element(By.ID, "q-top")
    box.send_keys("จองห้องประชุม")
    box.submit()
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".hit")))
    assert browser.find_elements(By.CSS_SELECTOR, ".hit-title a")[0].text == TITLE
    marks = {m.text for m in browser.find_elements(By.CSS_SELECTOR, ".hit .snippet mark")}
    assert "ห้องประชุม" in marks
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon.ico" not in e["message"]]
    assert errors == []  # no CSP violation or script error on the way


def test_editor_fits_a_phone_screen(app, live_server):
    from browser_support import chromium

    make_user(app, "somchai", "editor")
    with chromium(390, 844) as phone:
        sign_in(phone, live_server)
        phone.get(live_server + "/publish/sick-leave/edit")
        WebDriverWait(phone, 15).until(EC.presence_of_element_located((By.ID, "body")))
        assert phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 0
        assert phone.find_element(By.ID, "title").get_attribute("value") == "การลาป่วยของพนักงานเทศบาล"
