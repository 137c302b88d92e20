"""Findings of the accessibility review (report of 2026-12, A-NN), measured in real headless Chromium.

Text enlargement is the browser's default font size (CDP Page.setFontSizes, as Chrome Android's text
scaling); forced colours are emulated (CDP Emulation.setEmulatedMedia), as the review measured them.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from browser_support import CONTRAST, sign_in, sized
from publish_support import make_user

pytestmark = pytest.mark.browser
PAGE_OVERFLOW = "return document.documentElement.scrollWidth - window.innerWidth"


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


SEARCH_BOXES = """
return [...document.querySelectorAll('form[role=search]')].map(form => {
  const input = form.querySelector('input[type=search]').getBoundingClientRect();
  const button = form.querySelector('button').getBoundingClientRect();
  const style = getComputedStyle(form);
  const inside = form.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {input: Math.round(input.width), form: Math.round(inside),
          oneRow: Math.abs(button.top - input.top) < 2};
});
"""


def test_the_search_box_keeps_room_to_type_with_enlarged_text_on_a_phone(live_server, browser):
    """A-04: at 200% text on a 360-px phone the field shrank to 66 px beside a button that does not shrink;
    the button now goes under the field when they do not both fit."""
    for width in (320, 360):
        sized(browser, width)
        with text_size(browser, 200):
            for url in ("/", "/search?q=ลาป่วย"):
                browser.get(live_server + url)
                for box in browser.execute_script(SEARCH_BOXES):
                    assert box["input"] >= box["form"] - 1, (width, url, box)  # the whole row
                assert browser.execute_script(PAGE_OVERFLOW) <= 0
    for width in (360, 1280):  # at the usual text size the button stays beside the field
        sized(browser, width)
        for url in ("/", "/search?q=ลาป่วย"):
            browser.get(live_server + url)
            assert all(box["oneRow"] for box in browser.execute_script(SEARCH_BOXES)), (width, url)


def test_the_signed_in_menu_wraps_with_enlarged_text_on_a_phone(app, live_server, browser):
    """A-05: the signed-in name and "ออกจากระบบ" stayed one block 356 px wide at 200% text, and the home page's
    department list did not wrap either: pages were 388 px wide on a 320-px phone."""
    make_user(app, "somchai", "admin")  # the longest menu
    sign_in(browser, live_server)
    for width in (320, 360):
        sized(browser, width)
        with text_size(browser, 200):
            for url in ("/", "/search?q=ลาป่วย", "/reports/", "/account"):
                browser.get(live_server + url)
                assert browser.execute_script(PAGE_OVERFLOW) <= 0, (width, url)
                assert "ออกจากระบบ" in browser.find_element("css selector", ".site-nav").text


@contextmanager
def forced_colors(browser):
    """Windows high contrast as the review emulated it (forced colours, dark)."""
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [
        {"name": "forced-colors", "value": "active"}, {"name": "prefers-color-scheme", "value": "dark"}]})
    try:
        yield browser
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


# What a system colour computes to in this mode, to compare the page's colours with.
SYSTEM_COLOR = """
const probe = document.createElement('span');
probe.style.color = arguments[0];
document.body.append(probe);
const value = getComputedStyle(probe).color;
probe.remove();
return value;
"""
FILLS = "return [...new Set([...document.querySelectorAll(arguments[0])].map(e => getComputedStyle(e).fill))]"
# How a link or cell is marked apart from colour: its border, outline, underline and weight.
MARKS = """
const s = getComputedStyle(document.querySelector(arguments[0]));
return [s.borderTopStyle + ' ' + s.borderTopWidth, s.outlineStyle, s.textDecorationLine, s.fontWeight].join(' | ');
"""


def test_forced_colours_keep_chart_text_current_states_and_buttons(app, sample_live_server, browser):
    """A-08: in forced colours the chart text stayed #1d2433 on black, the current report/sort tab and level
    were marked by their background alone (dropped in this mode), and borderless buttons looked like text."""
    sized(browser, 1280)
    with forced_colors(browser):
        browser.get(sample_live_server + "/reports/channels?fy=2568")
        assert browser.execute_script("return matchMedia('(forced-colors: active)').matches")
        text = browser.execute_script(SYSTEM_COLOR, "CanvasText")
        assert browser.execute_script(FILLS, ".chart-svg text") == [text]
        for url, chart in (("/reports/?fy=2568", ".chart-svg text"), ("/reports/access?fy=2568", ".chart-svg text"),
                           ("/plans/2568", ".timeline-svg text")):
            browser.get(sample_live_server + url)
            assert browser.execute_script(FILLS, chart) == [text], url
        browser.get(sample_live_server + "/reports/?fy=2568")
        current = browser.execute_script(MARKS, ".report-tabs a[aria-current]")
        assert current != browser.execute_script(MARKS, ".report-tabs a:not([aria-current])")
        assert browser.execute_script(MARKS, ".level-scale .is-current").split(" | ")[1] == "solid"
        for button in (".search-bar button", ".fy-form .button"):
            assert browser.execute_script(MARKS, button).startswith("solid 1px"), button
        browser.get(sample_live_server + "/browse/all")
        assert (browser.execute_script(MARKS, ".sort-controls a[aria-current]")
                != browser.execute_script(MARKS, ".sort-controls a:not([aria-current])"))


ZERO_COLOURS = """
return [...document.querySelectorAll('.row-zero td, .cell-zero')].map(c => getComputedStyle(c).color);
"""


def test_zero_rows_and_cells_of_the_channel_tables_are_readable(sample_live_server, browser):
    """A-09: zeros were #9aa3b2 on the white table, 2.54:1 (WCAG 1.4.3 wants 4.5:1)."""
    browser.get(sample_live_server + "/reports/channels?fy=2568")
    colours = set(browser.execute_script(ZERO_COLOURS))
    assert colours, "the sample year has channels and departments with no record"
    for colour in colours:
        assert browser.execute_script(CONTRAST, colour, "rgb(255, 255, 255)") >= 4.5, colour


SMALLEST_TARGET = """
return [...document.querySelectorAll(arguments[0])].filter(a => a.offsetParent !== null).map(a => {
  const box = a.getBoundingClientRect();
  return [a.textContent.trim(), Math.round(Math.min(box.width, box.height) * 10) / 10];
}).sort((p, q) => p[1] - q[1])[0];
"""


@pytest.mark.parametrize("width", [768, 1280])
def test_tags_contents_and_footer_links_are_at_least_24_px_on_wider_screens(sample_live_server, browser, width):
    """A-12: above 48rem the tags were 22 px tall ("#KM" 28×22), the table of contents' links 23 px and the
    footer's "API" 22×22 (WCAG 2.5.8 asks 24×24); phones already had 40 px."""
    sized(browser, width)
    pages = {"/": (".hit-tags a", ".site-footer a"), "/search?q=ลาป่วย": (".hit-tags a",),
             "/assets/child-centre-safety-checklist": (".hit-tags a", ".toc a", ".site-footer a")}
    for url, kinds in pages.items():
        browser.get(sample_live_server + url)
        for targets in kinds:
            smallest = browser.execute_script(SMALLEST_TARGET, targets)
            assert smallest and smallest[1] >= 24, (url, targets, smallest)


def accessibility_node(browser, css: str) -> dict:
    """Chromium's accessibility node of the first element matching `css`: role, name and description."""
    document = browser.execute_cdp_cmd("DOM.getDocument", {"depth": 0})
    node = browser.execute_cdp_cmd("DOM.querySelector", {"nodeId": document["root"]["nodeId"], "selector": css})
    ax = browser.execute_cdp_cmd("Accessibility.getPartialAXTree", {"nodeId": node["nodeId"], "fetchRelatives": False})
    first = ax["nodes"][0]
    return {key: (first.get(key) or {}).get("value") for key in ("role", "name", "description")}


CHART_TEXT = """
const svg = document.querySelector(arguments[0]);
const size = parseFloat(getComputedStyle(svg.querySelector('text.chart-label')).fontSize);
const shown = size * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;  // the viewBox is scaled
const box = svg.parentElement;
return {label: Math.round(shown * 10) / 10, scrolls: box.scrollWidth > box.clientWidth,
        page: document.documentElement.scrollWidth - window.innerWidth};
"""


def test_charts_keep_readable_text_on_a_phone_and_say_their_name_once(sample_live_server, browser):
    """A-14: at 360 px the month chart was scaled to 0.48 (its labels about 6 px) and the channel chart to 0.75;
    now each keeps its text size (it follows text enlargement too) and scrolls sideways in its own box.
    The chart's name was said twice, as its name and again as its description."""
    sized(browser, 360)
    for url, chart in (("/reports/access?fy=2568", "svg.chart-v"), ("/reports/channels?fy=2568", "svg.chart-h")):
        browser.get(sample_live_server + url)
        measured = browser.execute_script(CHART_TEXT, chart)
        assert measured["label"] >= 12 and measured["page"] <= 0, (url, measured)
        with text_size(browser, 200):
            browser.get(sample_live_server + url)
            assert browser.execute_script(CHART_TEXT, chart)["label"] >= 1.8 * measured["label"], url
        browser.get(sample_live_server + url)
        image = accessibility_node(browser, chart)
        assert image["role"] == "image" and image["name"] and not image["description"], (url, image)
    sized(browser, 1280)  # on a wide screen the charts fit: nothing to scroll
    for url, chart in (("/reports/access?fy=2568", "svg.chart-v"), ("/reports/channels?fy=2568", "svg.chart-h")):
        browser.get(sample_live_server + url)
        assert not browser.execute_script(CHART_TEXT, chart)["scrolls"], url


TIMELINE = """
const svg = document.querySelector('svg.timeline-svg').getBoundingClientRect();
return {marks: [...document.querySelectorAll('text.tl-state')].map(t => [t.textContent,
          Math.round(svg.right - t.getBoundingClientRect().right)]),
        notDue: [...document.querySelectorAll('.tl-bar.state-fill-not-due')].map(b => getComputedStyle(b).stroke)};
"""


def test_the_plan_timeline_tells_states_apart_without_colour(knowledge_dir, live_server, browser, monkeypatch):
    """A-15: the bars' state was their fill alone, and a bar not yet due was #c4cad4 on white (1.6:1)."""
    from plans_support import TODAY, write_km

    from indexer import dates

    write_km(knowledge_dir)
    monkeypatch.setattr(dates, "today", lambda: TODAY)
    browser.get(live_server + "/plans/2568")
    seen = browser.execute_script(TIMELINE)
    assert {mark for mark, _ in seen["marks"]} == {"!", "✓!", "…", "○"}
    assert all(room >= 0 for _, room in seen["marks"]), seen  # inside the drawing, never cut at its edge
    assert seen["notDue"] and all(browser.execute_script(CONTRAST, stroke, "rgb(255, 255, 255)") >= 3
                                  for stroke in seen["notDue"]), seen


SIGNATURES_RIGHT = """
return Math.max(...[...document.querySelectorAll('.signatures p')]
  .map(p => p.getBoundingClientRect().left + p.scrollWidth));
"""


def test_a_file_path_and_the_signature_lines_fit_a_320_px_screen(app, knowledge_dir, live_server, browser,
                                                                  monkeypatch):
    """A-16: the whole-file pages' path (<p class="lead"><code>) made the page 326 px wide at 320 px, and the
    plan report's print view, with its dotted signature lines, 369 px."""
    from plans_support import TODAY, write_km

    from indexer import dates

    write_km(knowledge_dir)
    monkeypatch.setattr(dates, "today", lambda: TODAY)
    make_user(app, "somchai", "editor")
    sign_in(browser, live_server)
    sized(browser, 320)
    for url in ("/plans/files/plan/2568/edit", "/publish/sick-leave/source", "/plans/report/print?fy=2568"):
        browser.get(live_server + url)
        assert browser.execute_script(PAGE_OVERFLOW) <= 0, url
    browser.get(live_server + "/reports/print?fy=2568")  # its A4 table may scroll (a data table), not the signatures
    assert browser.execute_script(SIGNATURES_RIGHT) <= 320
