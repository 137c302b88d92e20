"""In real headless Chromium: sorting the all-assets list, answering "was this helpful?" without
JavaScript, and the home page and list at phone width (screenshots in SCREENSHOTS_DIR when it is set)."""

from __future__ import annotations

import pytest
from browser_support import keep_screenshot
from pythainlp.util import collate
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser


def shown_titles(driver) -> list[str]:
    return [a.text for a in driver.find_elements(By.CSS_SELECTOR, ".sorted-hits .hit-title a")]


def test_sorting_the_all_assets_list(sample_live_server, browser):
    browser.get(sample_live_server + "/")
    browser.find_element(By.CSS_SELECTOR, "#recent-h a").click()  # "ทั้งหมด N เรื่อง"
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".sort-controls")))
    assert browser.find_element(By.CSS_SELECTOR, "h1").text.startswith("ขุมความรู้ทั้งหมด")
    newest = shown_titles(browser)
    assert len(newest) == 10
    assert browser.find_element(By.CSS_SELECTOR, '[data-sort="newest"]').get_attribute("aria-current") == "true"

    browser.find_element(By.CSS_SELECTOR, '[data-sort="title"]').click()
    WebDriverWait(browser, 15).until(EC.url_contains("sort=title"))
    by_title = shown_titles(browser)
    assert by_title == collate(by_title) and by_title != newest
    assert browser.find_element(By.CSS_SELECTOR, '[data-sort="title"]').get_attribute("aria-current") == "true"
    assert "พจนานุกรมไทย" in browser.find_element(By.CSS_SELECTOR, ".sorted-by").text

    browser.find_element(By.CSS_SELECTOR, '.pagination a[rel="next"]').click()  # the order holds across pages
    WebDriverWait(browser, 15).until(EC.url_contains("page=2"))
    second = shown_titles(browser)
    assert collate(by_title + second) == by_title + second and "sort=title" in browser.current_url

    browser.find_element(By.CSS_SELECTOR, '[data-sort="views"]').click()
    WebDriverWait(browser, 15).until(EC.url_contains("sort=views"))
    assert "page=" not in browser.current_url  # a new order starts at its first page
    assert all(key.text.startswith("เปิดอ่าน ") for key in browser.find_elements(By.CSS_SELECTOR, ".sort-key"))


def test_answering_was_this_helpful_works_without_javascript(live_server):
    from browser_support import chromium

    with chromium(390, 844) as phone:
        phone.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
        phone.get(live_server + "/assets/sick-leave")
        phone.find_element(By.CSS_SELECTOR, '.helpful input[value="no"]').click()
        phone.find_element(By.ID, "helpful-comment").send_keys("ไม่มีตัวอย่างใบลา")
        phone.find_element(By.CSS_SELECTOR, ".helpful button").click()
        WebDriverWait(phone, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash")))
        assert phone.find_element(By.CSS_SELECTOR, ".flash").text == "ขอบคุณสำหรับคำตอบ ทีม KM จะนำไปปรับปรุงเรื่องนี้"


def test_the_thanks_for_a_vote_keeps_the_focus_so_a_screen_reader_says_it(live_server, browser):
    """The page scrolled to the vote's section after site.js focused the thanks, and the focus went
    back to the page: NVDA and TalkBack never said it (outside review, accessibility A-02)."""
    browser.get(live_server + "/assets/sick-leave")
    browser.find_element(By.CSS_SELECTOR, '.helpful input[value="yes"]').click()
    browser.find_element(By.CSS_SELECTOR, ".helpful button").click()
    thanks = WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".helpful .flash")))
    WebDriverWait(browser, 15).until(lambda b: b.execute_script("return document.readyState") == "complete")
    assert browser.execute_script("return document.activeElement") == thanks
    assert thanks.get_attribute("role") == "status"


def test_home_and_the_all_assets_list_fit_a_phone(sample_live_server):
    from browser_support import chromium

    with chromium(390, 844) as phone:
        for name, path in (("home", "/"), ("all", "/browse/all?sort=title")):
            phone.get(sample_live_server + path)
            WebDriverWait(phone, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".sorted-hits")))
            assert phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 0, name
            keep_screenshot(phone, f"lists-{name}", whole_page=True)
