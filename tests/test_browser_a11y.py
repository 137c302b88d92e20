"""Findings of the accessibility review (report of 2026-12, A-NN), measured in real headless Chromium.

Text enlargement is the browser's default font size (CDP Page.setFontSizes, as Chrome Android's text
scaling); forced colours are emulated (CDP Emulation.setEmulatedMedia), as the review measured them.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from browser_support import sized

pytestmark = pytest.mark.browser


@contextmanager
def text_size(browser, percent: int):
    """The browser's text size at `percent` (16 px is 100%), back to 100% afterwards."""
    browser.execute_cdp_cmd("Page.enable", {})
    browser.execute_cdp_cmd("Page.setFontSizes", {"fontSizes": {"standard": 16 * percent // 100, "fixed": 13}})
    try:
        yield browser
    finally:
        browser.execute_cdp_cmd("Page.setFontSizes", {"fontSizes": {"standard": 16, "fixed": 13}})


LEVELS_CUT = """
return [...document.querySelectorAll('.level-scale li')].flatMap(li => {
  const cell = li.getBoundingClientRect();
  return [...li.querySelectorAll('span')].map(s => [s.closest('.goal').id, s.textContent,
    Math.round(Math.max(s.getBoundingClientRect().right - cell.right, cell.left - s.getBoundingClientRect().left))])
    .filter(([, , out]) => out > 0);
});
"""


def test_every_level_of_the_scale_shows_its_whole_criterion(sample_live_server, browser):
    """A-03: "ทุกหน่วยงาน" and "ช่องทางขึ้นไป" ran out of their fifth of the card, white letters on the white
    card (11 and 17 px at 360 px, up to 36 px at 768 px, 10 px at 1280 px)."""
    for width in (320, 360, 412, 768, 1024, 1280):
        sized(browser, width)
        browser.get(sample_live_server + "/reports/?fy=2568")
        assert browser.execute_script(LEVELS_CUT) == [], width
    sized(browser, 360)
    with text_size(browser, 200):
        browser.get(sample_live_server + "/reports/?fy=2568")
        assert browser.execute_script(LEVELS_CUT) == []
