"""A reader types a Thai query on the home page of the real site and sees highlighted results."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser
DOCUMENT_POSITION_PRECEDING = 2  # what compareDocumentPosition sets when its argument comes first


def test_home_page_search_shows_highlighted_thai_results(sample_live_server, browser):
    browser.get(sample_live_server + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("ลาป่วยต้องใช้ใบรับรองแพทย์ไหม")
    box.submit()
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".hit")))
    first = browser.find_elements(By.CSS_SELECTOR, ".hit-title a")[0]
    assert "ลาป่วย" in first.text
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, ".hit .snippet mark")]
    assert "ลาป่วย" in marks
    # the highlight is really painted (the stylesheet loaded from our own server)
    colour = browser.find_element(By.CSS_SELECTOR, ".hit .snippet mark").value_of_css_property("background-color")
    assert colour == "rgba(255, 228, 138, 1)"


def test_typo_is_corrected_in_the_browser(sample_live_server, browser):
    browser.get(sample_live_server + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("ลาปวย")
    box.submit()
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".did-you-mean")))
    assert "ลาป่วย" in browser.find_element(By.CSS_SELECTOR, ".did-you-mean").text
    assert "ลาป่วย" in browser.find_elements(By.CSS_SELECTOR, ".hit-title a")[0].text


def test_phone_width_layout_has_no_horizontal_scroll(sample_live_server):
    from browser_support import chromium

    with chromium(390, 844) as phone:
        phone.get(sample_live_server + "/search?q=ค่ารักษาพยาบาล")
        WebDriverWait(phone, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".hit")))
        overflow = phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        assert phone.find_element(By.CSS_SELECTOR, "details.facets").get_attribute("open") is None


def test_people_to_ask_come_styled_after_the_first_answers_on_a_phone(sample_live_server):
    from browser_support import chromium

    with chromium(390, 844) as phone:
        phone.get(sample_live_server + "/search?q=ลาป่วย")
        WebDriverWait(phone, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".ask-expert")))
        hits = phone.find_elements(By.CSS_SELECTOR, ".hit")
        aside = phone.find_element(By.CSS_SELECTOR, ".ask-expert")
        assert len(hits) >= 3 and aside.location["y"] > hits[2].location["y"] > hits[0].location["y"]
        assert aside.value_of_css_property("background-color") == "rgba(255, 248, 230, 1)"  # site.css, not unstyled
        assert aside.find_element(By.CSS_SELECTOR, "ul").value_of_css_property("list-style-type") == "none"


def test_a_result_opens_its_page_at_the_answer_its_excerpt_showed(sample_live_server):
    """The sick-leave asset answers "ลาป่วยได้กี่วัน" far down its page: the result's link carries
    the excerpt's place as a text fragment, so tapping it on a phone opens the page there."""
    from browser_support import chromium, keep_screenshot

    with chromium(390, 844) as phone:
        phone.get(sample_live_server + "/search?q=ลาป่วยได้กี่วัน")
        WebDriverWait(phone, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".hit")))
        link = next(a for a in phone.find_elements(By.CSS_SELECTOR, ".hit-title a")
                    if "/assets/sick-leave" in a.get_attribute("href"))
        assert "#:~:text=" in link.get_attribute("href")
        link.click()
        WebDriverWait(phone, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, "article mark")))
        WebDriverWait(phone, 5).until(lambda driver: driver.execute_script("return window.scrollY") > 300)
        # the answer is on the screen the page opened at
        top = phone.execute_script("""
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
              if (walker.currentNode.textContent.includes('ปีละไม่เกิน')) {
                return walker.currentNode.parentElement.getBoundingClientRect().top;
              }
            }
            return null;""")
        assert top is not None and 0 <= top <= 844
        # the side column (meta, contents) comes after the text in the page, so the contents never
        # hold the passage first, yet a phone shows it above the text
        order = phone.execute_script("""
            const side = document.querySelector('.asset-side'), body = document.querySelector('.asset-body');
            return [side.compareDocumentPosition(body) & Node.DOCUMENT_POSITION_PRECEDING,
                    side.getBoundingClientRect().top < body.getBoundingClientRect().top];""")
        assert order == [DOCUMENT_POSITION_PRECEDING, True]
        highlight = phone.execute_script(
            "return getComputedStyle(document.querySelector('article'), '::target-text').backgroundColor")
        assert highlight == "rgb(214, 235, 255)"  # site.css, beside the marks' yellow
        keep_screenshot(phone, "result-opens-at-answer")
