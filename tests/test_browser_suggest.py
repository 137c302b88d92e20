"""In real Chromium: suggestions while typing Thai, chosen with the keyboard or a tap, and the
searched words marked on the asset a result leads to."""

import time
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser


def open_list(driver, box_id: str, typed: str):
    box = driver.find_element(By.ID, box_id)
    box.clear()
    box.send_keys(typed)
    WebDriverWait(driver, 15).until(lambda d: box.get_attribute("aria-expanded") == "true")
    listbox = driver.find_element(By.ID, box.get_attribute("aria-controls"))
    return box, listbox, listbox.find_elements(By.CSS_SELECTOR, "[role=option]")


def as_phone(driver, width: int = 390, height: int = 844) -> None:
    """A phone's viewport and touch (headless Chromium's window is never narrower than 500 px)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True})
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})


def test_a_thai_prefix_is_completed_and_chosen_with_the_keyboard(sample_live_server, browser):
    browser.get(sample_live_server + "/")
    box, listbox, options = open_list(browser, "q", "ลาป")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-autocomplete") == "list"
    assert listbox.get_attribute("role") == "listbox" and listbox.is_displayed()
    rows = [(o.find_element(By.CLASS_NAME, "suggest-kind").text, o.find_element(By.CLASS_NAME, "suggest-text").text)
            for o in options]
    assert rows[0] == ("เรื่อง", "การลาป่วยของพนักงานเทศบาล")
    assert ("แท็ก", "ลาป่วย") in rows
    box.send_keys(Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == options[0].get_attribute("id")
    assert options[0].get_attribute("aria-selected") == "true"
    box.send_keys(Keys.ARROW_DOWN, Keys.ARROW_UP)  # down to the tag, back up to the asset
    assert box.get_attribute("aria-activedescendant") == options[0].get_attribute("id")
    assert options[1].get_attribute("aria-selected") == "false"
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, 15).until(EC.url_contains("/assets/sick-leave"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "การลาป่วยของพนักงานเทศบาล"


def test_choosing_a_tag_runs_a_search_and_escape_closes_the_list(sample_live_server, browser):
    browser.get(sample_live_server + "/search?q=ภาษี")
    box, listbox, options = open_list(browser, "q-top", " ลาป")
    box.send_keys(Keys.ESCAPE)
    assert box.get_attribute("aria-expanded") == "false" and not listbox.is_displayed()
    assert box.get_attribute("aria-activedescendant") is None
    box.send_keys(Keys.ARROW_DOWN)  # opens it again
    WebDriverWait(browser, 5).until(lambda d: listbox.is_displayed())
    kinds = [o.find_element(By.CLASS_NAME, "suggest-kind").text for o in listbox.find_elements(By.CSS_SELECTOR,
                                                                                                "[role=option]")]
    for _ in range(kinds.index("แท็ก") + 1):
        box.send_keys(Keys.ARROW_DOWN)
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, 15).until(EC.url_contains("tag="))
    assert parse_qs(urlsplit(browser.current_url).query) == {"tag": ["ลาป่วย"]}
    assert browser.find_elements(By.CSS_SELECTOR, ".hit")


def test_enter_without_a_chosen_suggestion_submits_the_search_as_typed(sample_live_server, browser):
    browser.get(sample_live_server + "/")
    box, _, _ = open_list(browser, "q", "ลาป่วย")
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, 15).until(EC.url_contains("/search"))
    assert parse_qs(urlsplit(browser.current_url).query)["q"] == ["ลาป่วย"]


def test_without_javascript_the_box_is_a_plain_search_form(sample_live_server, browser):
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    browser.get(sample_live_server + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("ลาป่วย")
    assert box.get_attribute("role") is None  # no combobox promised that nothing would drive
    box.submit()
    WebDriverWait(browser, 15).until(EC.url_contains("/search"))
    assert "ลาป่วย" in browser.find_elements(By.CSS_SELECTOR, ".hit-title a")[0].text


def test_a_result_opens_with_the_searched_words_marked_and_leads_back(sample_live_server, browser):
    browser.get(sample_live_server + "/search?q=" + "ลาป่วยต้องใช้ใบรับรองแพทย์ไหม" + "&department=palad")
    browser.find_elements(By.CSS_SELECTOR, ".hit-title a")[0].click()
    WebDriverWait(browser, 15).until(EC.url_contains("/assets/sick-leave"))
    marks = browser.find_elements(By.CSS_SELECTOR, ".prose mark.search-hit")
    assert {"ลาป่วย", "ใบรับรองแพทย์"} <= {m.text for m in marks}  # with the glossary's synonyms (เจ็บป่วย)
    assert marks[0].value_of_css_property("background-color") == "rgba(255, 228, 138, 1)"
    browser.find_element(By.LINK_TEXT, "‹ กลับไปผลการค้นหา").click()
    WebDriverWait(browser, 15).until(EC.url_contains("/search"))
    query = parse_qs(urlsplit(unquote(browser.current_url)).query)
    assert query == {"q": ["ลาป่วยต้องใช้ใบรับรองแพทย์ไหม"], "department": ["palad"]}


def test_on_a_phone_the_list_fits_and_a_tap_opens_a_suggestion(sample_live_server):
    from browser_support import chromium

    with chromium(390, 844) as phone:
        as_phone(phone)
        phone.get(sample_live_server + "/")
        assert phone.execute_script("return window.innerWidth") == 390
        box, listbox, options = open_list(phone, "q", "เบิ")
        assert phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 0
        right = phone.execute_script("return arguments[0].getBoundingClientRect().right", listbox)
        assert right <= 390
        assert all(o.size["height"] >= 44 for o in options)  # a finger's target
        target = next(o for o in options if "ค่ารักษาพยาบาล" in o.text)
        target.click()
        WebDriverWait(phone, 15).until(EC.url_contains("/assets/"))
        assert "ค่ารักษาพยาบาล" in phone.find_element(By.TAG_NAME, "h1").text


ASKED = "return performance.getEntriesByType('resource').filter(e => e.name.includes('/api/suggest')).length"


def test_text_typed_again_is_answered_without_asking_the_server(sample_live_server, browser):
    """On a slow line every key asked the server again, the same four lists were downloaded four times
    (outside review PW-09): a list already had for the text is shown at once."""
    browser.get(sample_live_server + "/")
    box, listbox, options = open_list(browser, "q", "ลาป")
    first = [o.text for o in options]
    asked = browser.execute_script(ASKED)
    box.send_keys("่")  # ลาป่: asked
    WebDriverWait(browser, 15).until(lambda d: d.execute_script(ASKED) == asked + 1)
    box.send_keys(Keys.BACKSPACE)  # ลาป again: shown from what the page kept
    time.sleep(1.5)  # longer than any pause before asking (at most 0.6 s): a request would have gone
    assert [o.text for o in listbox.find_elements(By.CSS_SELECTOR, "[role=option]")] == first
    assert browser.execute_script(ASKED) == asked + 1
