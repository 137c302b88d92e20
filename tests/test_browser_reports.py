"""An auditor opens the indicators page in a real browser, sees the three levels and changes the year."""

from __future__ import annotations

import datetime as dt

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from indexer import dates

pytestmark = pytest.mark.browser


def shown_levels(driver) -> list[tuple[str, str]]:
    cards = driver.find_elements(By.CSS_SELECTOR, ".goal")
    return [(card.get_attribute("data-goal"), card.find_element(By.CSS_SELECTOR, ".level").text) for card in cards]


def test_indicators_page_shows_three_levels_and_switches_year(live_server, browser, monkeypatch):
    monkeypatch.setattr(dates, "today", lambda: dt.date(2025, 3, 1))
    browser.get(live_server + "/reports/")
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".goal .level")))
    assert shown_levels(browser) == [("1", "ระดับ 2"), ("2", "ระดับ 2"), ("3", "ระดับ 1")]
    # the level scale is styled from our own stylesheet: the reached level is filled
    current = browser.find_element(By.CSS_SELECTOR, "#goal-1 .level-scale .is-current")
    assert current.value_of_css_property("background-color") == "rgba(11, 93, 75, 1)"
    assert current.text.startswith("2")
    # choosing another year reloads the page (site.js submits the form)
    Select(browser.find_element(By.ID, "fy")).select_by_value("2567")
    WebDriverWait(browser, 15).until(EC.url_contains("fy=2567"))
    assert shown_levels(browser) == [("1", "ระดับ 2"), ("2", "ระดับ 1"), ("3", "ระดับ 1")]
    browser.find_element(By.LINK_TEXT, "ดูหลักฐาน (1 เรื่อง)").click()
    WebDriverWait(browser, 15).until(EC.url_contains("/reports/goals/1"))
    assert "การร้องทุกข์" in browser.find_element(By.CSS_SELECTOR, ".report-table").text


def test_arrow_keys_walk_the_years_without_reloading_and_enter_shows_one(live_server, browser, monkeypatch):
    """A keyboard user heard each year in turn and was thrown to its report at every key (WCAG 3.2.2)."""
    from selenium.webdriver.common.keys import Keys

    monkeypatch.setattr(dates, "today", lambda: dt.date(2025, 3, 1))
    browser.get(live_server + "/reports/?fy=2568")
    year = WebDriverWait(browser, 15).until(EC.element_to_be_clickable((By.ID, "fy")))
    browser.execute_script("window.notReloaded = true")
    year.send_keys(Keys.ARROW_DOWN)
    WebDriverWait(browser, 5).until(lambda b: Select(b.find_element(By.ID, "fy")).first_selected_option
                                    .get_attribute("value") != "2568")
    chosen = Select(year).first_selected_option.get_attribute("value")
    assert browser.execute_script("return window.notReloaded === true") and "fy=2568" in browser.current_url
    year.send_keys(Keys.ENTER)
    WebDriverWait(browser, 15).until(EC.url_contains(f"fy={chosen}"))


def test_reports_fit_a_phone_screen(live_server):
    from browser_support import chromium

    with chromium(390, 844) as phone:
        for page in ("/reports/?fy=2568", "/reports/channels?fy=2568", "/reports/access?fy=2568"):
            phone.get(live_server + page)
            overflow = phone.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, page
