"""The auditor's print view in real headless Chromium: made-at time in Bangkok, the chart, and page
numbers both when the browser prints it and in the PDF the server makes ("ดาวน์โหลด PDF")."""

from __future__ import annotations

import base64
import datetime as dt
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.print_page_options import PrintOptions
from test_pdf import pages_text

from indexer import dates

pytestmark = pytest.mark.browser
NEAR_MIDNIGHT = dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC)  # 2 ธันวาคม 2569 00:30 in Bangkok


def numbered(texts: list[str]) -> bool:
    return all(f"หน้า {n} / {len(texts)}" in text for n, text in enumerate(texts, start=1))


def test_print_view_and_its_pdf(live_server, browser, monkeypatch, tmp_path):
    monkeypatch.setattr(dates, "utc_now", lambda: NEAR_MIDNIGHT)
    browser.set_window_size(390, 900)
    browser.get(live_server + "/reports/print?fy=2568")
    assert browser.find_element(By.CSS_SELECTOR, ".print-made").text == "จัดทำเมื่อ 2 ธันวาคม 2569 00:30 น."
    chart = browser.find_element(By.CSS_SELECTOR, ".print-report figure.chart svg")
    assert chart.size["width"] > 200 and len(chart.find_elements(By.CSS_SELECTOR, "rect.chart-bar")) == 12

    # what "พิมพ์" gives: the browser's own print of the page, A4, numbered by the page's CSS
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7
    printed = pages_text(base64.b64decode(browser.print_page(options)))
    assert len(printed) >= 2 and numbered(printed), [t[-40:] for t in printed]
    assert "จัดทำเมื่อ 2 ธันวาคม 2569 00:30 น." in printed[0]
    assert "ดาวน์โหลด PDF" not in "".join(printed)  # the toolbar is not printed

    # what "ดาวน์โหลด PDF" gives: the server's PDF, saved by the browser
    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    browser.find_element(By.LINK_TEXT, "ดาวน์โหลด PDF").click()
    # saved under the name that says whose it is: an auditor collects these from many municipalities
    texts = pages_text(_downloaded(tmp_path / "เทศบาลตำบลบ้านสวนดอก-km-indicators-2568.pdf"))
    assert numbered(texts)
    assert "จัดทำเมื่อ 2 ธันวาคม 2569 00:30 น." in texts[0]
    assert "ลงชื่อ" in texts[-1] and "ที่มา:" in texts[-1]


def _downloaded(saved, seconds: float = 60) -> bytes:
    """The file the browser saved, once whole: Chrome may show the file under its own name
    before it has written it (a loaded machine read it empty), so wait for the PDF's end mark
    and for no partial download to be left."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        data = saved.read_bytes() if saved.is_file() else b""
        if data.rstrip().endswith(b"%%EOF") and not list(saved.parent.glob("*.crdownload")):
            return data
        time.sleep(0.2)
    raise AssertionError(f"{saved.name} was not saved whole within {seconds} s")
