"""Real headless Chromium (Debian's chromium + chromium-driver) for browser tests.

The fixtures `live_server` (serves the `app` fixture on 127.0.0.1) and
`browser` (a Selenium driver) are defined in conftest.py on top of these helpers.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def keep_screenshot(browser, name: str, whole_page: bool = False) -> None:
    """Save what the browser shows as SCREENSHOTS_DIR/<name>.png when that folder is given, for a
    person to look at (the whole page's height with `whole_page`, up to 6,000 pixels)."""
    folder = os.environ.get("SCREENSHOTS_DIR")
    if not folder:
        return
    size = browser.get_window_size()
    if whole_page:
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(size["width"], min(height, 6000))
    Path(folder).mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(Path(folder) / f"{name}.png"))
    if whole_page:
        browser.set_window_size(size["width"], size["height"])


@contextmanager
def serve(app) -> Iterator[str]:
    """Serve a Flask app on a free loopback port in a thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


MIN_WINDOW_WIDTH = 500  # "--window-size=390,844" gave 500 px pages: every "phone" test looked at 500 px


@contextmanager
def chromium(width: int = 1280, height: int = 900) -> Iterator[object]:
    """Start headless Chromium through chromedriver; quit it afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="km-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
                 f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    if width < MIN_WINDOW_WIDTH:  # the flag gives no narrower window; a resize does (see test_browser_layout)
        driver.set_window_size(width, height)
        assert driver.execute_script("return window.innerWidth") == width
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def settled(browser, timeout: float = 15):
    """A wait that looks again while the page is being replaced. After a click that loads another
    page, Chromium can hand back a node of the document being unloaded; reading its text then
    fails with "Node with given id does not belong to the document" (a plain WebDriverException,
    which WebDriverWait does not ignore); a fresh-clone CI run failed on it once in signing in."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout, ignored_exceptions=(WebDriverException,))


def sign_in(browser, base: str, username: str = "somchai") -> None:
    """Sign in through the login form and wait until the menu offers to sign out."""
    from publish_support import PASSWORD
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC

    browser.get(base + "/auth/login")
    browser.find_element(By.ID, "username").send_keys(username)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.stacked-form button[type=submit]").click()
    settled(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".site-nav"), "ออกจากระบบ"))


def sized(browser, width: int, height: int = 900):
    browser.set_window_size(width, height)
    assert browser.execute_script("return window.innerWidth") == width
    return browser


# The contrast ratio of two computed colours (WCAG 2 relative luminance), for execute_script.
CONTRAST = """
const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
const lum = c => {
  const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const ratio = (a, b) => {
  const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};
return ratio(arguments[0], arguments[1]);
"""
