"""The KM team in a real browser: pasting and dropping pictures, the toolbar and the BE calendar in the
editor, the word-level comparison of two versions, and the user administration screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import keep_screenshot, settled, sign_in
from publish_support import PASSWORD, login, make_user, read_form
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser

# A PNG drawn on a canvas, wrapped in a File and handed to the text area in a paste or drop event.
SEND_PICTURE = """
const [kind, done] = [arguments[0], arguments[arguments.length - 1]];
const canvas = document.createElement("canvas");
canvas.width = 40; canvas.height = 24;
const pen = canvas.getContext("2d");
pen.fillStyle = "#0b5d4b"; pen.fillRect(0, 0, 40, 24);
canvas.toBlob(blob => {
  const file = new File([blob], "image.png", {type: "image/png"});
  const transfer = new DataTransfer();
  transfer.items.add(file);
  const body = document.getElementById("body");
  body.focus();
  body.setSelectionRange(body.value.length, body.value.length);
  const event = kind === "paste"
    ? new ClipboardEvent("paste", {clipboardData: transfer, bubbles: true, cancelable: true})
    : new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true});
  body.dispatchEvent(event);
  done(event.defaultPrevented);
}, "image/png");
"""


def _wait_body(browser, text: str) -> None:
    WebDriverWait(browser, 15).until(lambda b: text in b.find_element(By.ID, "body").get_attribute("value"))


def _no_script_errors(browser, refused: str = "") -> None:
    """No script error or CSP violation (a form refused on purpose answers 422: that one is expected)."""
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon.ico" not in e["message"]
              and not (refused and e["message"].startswith(refused) and "status of 422" in e["message"])]
    assert errors == []


def test_pasted_and_dropped_pictures_become_attachments_shown_inline(app, live_server, knowledge_dir):
    from browser_support import chromium

    make_user(app, "somchai", "editor")
    with chromium(390, 844) as phone:
        sign_in(phone, live_server)
        phone.get(live_server + "/publish/sick-leave/edit")
        WebDriverWait(phone, 15).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-md-toolbar]")))
        keep_screenshot(phone, "editor-toolbar-390")
        assert phone.execute_async_script(SEND_PICTURE, "paste") is True
        _wait_body(phone, "![รูปประกอบ](sick-leave.files/รูปที่วาง.png)")
        status = phone.find_element(By.CSS_SELECTOR, "[data-md-status]").text
        assert status == "ใส่รูป รูปที่วาง.png แล้ว (เก็บเป็นไฟล์แนบ) พิมพ์คำอธิบายรูปแทนคำว่า “รูปประกอบ”"
        # The alt text is selected: typing replaces it.
        phone.find_element(By.ID, "body").send_keys("แบบฟอร์มใบลา")
        _wait_body(phone, "![แบบฟอร์มใบลา](sick-leave.files/รูปที่วาง.png)")
        preview_img = "#preview img[alt='แบบฟอร์มใบลา']"
        WebDriverWait(phone, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, preview_img)))
        WebDriverWait(phone, 15).until(lambda b: b.execute_script(
            f"return document.querySelector(\"{preview_img}\").naturalWidth") == 40)
        assert phone.execute_async_script(SEND_PICTURE, "drop") is True
        _wait_body(phone, "![รูปประกอบ](sick-leave.files/รูปที่วาง-2.png)")
        phone.execute_script("document.querySelector('.editor-body').scrollIntoView()")
        keep_screenshot(phone, "editor-pasted-picture-390")
        phone.execute_script("document.getElementById('preview').scrollIntoView()")
        keep_screenshot(phone, "editor-preview-picture-390")
        assert phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 0
        phone.find_element(By.ID, "edit_summary").send_keys("เพิ่มรูปแบบฟอร์ม")
        phone.find_element(By.CSS_SELECTOR, "form[data-editor] button[type=submit]").click()
        WebDriverWait(phone, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, "article.asset")))
        shown = phone.find_element(By.CSS_SELECTOR, ".prose img[alt='แบบฟอร์มใบลา']")
        assert shown.get_attribute("src").endswith("/assets/sick-leave/files/%E0%B8%A3%E0%B8%B9%E0%B8%9B%E0%B8%97"
                                                   "%E0%B8%B5%E0%B9%88%E0%B8%A7%E0%B8%B2%E0%B8%87.png")
        assert phone.execute_script("return arguments[0].naturalWidth", shown) == 40
        _no_script_errors(phone)
    folder = knowledge_dir / "palad" / "sick-leave.files"
    assert sorted(p.name for p in folder.iterdir()) == ["รูปที่วาง-2.png", "รูปที่วาง.png"]


def test_toolbar_shortcuts_and_the_be_calendar(app, live_server, browser, knowledge_dir):
    make_user(app, "somchai", "editor")
    sign_in(browser, live_server)
    browser.get(live_server + "/publish/sick-leave/edit")
    body = WebDriverWait(browser, 15).until(EC.element_to_be_clickable((By.ID, "body")))
    browser.execute_script("arguments[0].value = 'ยื่นใบลา\\nแนบใบรับรองแพทย์'; arguments[0].select();", body)
    browser.find_element(By.CSS_SELECTOR, "[data-md=steps]").click()
    assert body.get_attribute("value") == "1. ยื่นใบลา\n2. แนบใบรับรองแพทย์"
    browser.execute_script("arguments[0].select()", body)
    browser.find_element(By.CSS_SELECTOR, "[data-md=checklist]").click()
    assert body.get_attribute("value") == "- [ ] ยื่นใบลา\n- [ ] แนบใบรับรองแพทย์"
    browser.execute_script("arguments[0].setSelectionRange(6, 14)", body)  # "ยื่นใบลา"
    body.send_keys(Keys.CONTROL, "b")
    assert body.get_attribute("value").startswith("- [ ] **ยื่นใบลา**\n")
    body.send_keys(Keys.CONTROL, "z")  # the browser's undo still works after a toolbar change
    assert body.get_attribute("value").startswith("- [ ] ยื่นใบลา\n")
    browser.find_element(By.CSS_SELECTOR, "[data-md=table]").click()
    assert "| หัวข้อ | รายละเอียด | หมายเหตุ |\n| --- | --- | --- |" in body.get_attribute("value")

    published = browser.find_element(By.ID, "published")
    assert published.get_attribute("value") == "15/01/2568"
    toggle = browser.find_element(By.CSS_SELECTOR, "#published + .bedate-toggle")
    assert toggle.get_attribute("aria-label").startswith("ปฏิทิน วันที่เผยแพร่")  # the word shown comes first
    toggle.click()
    calendar = browser.find_element(By.CSS_SELECTOR, ".bedate[role=dialog]")
    assert calendar.find_element(By.CSS_SELECTOR, ".bedate-head strong").text == "มกราคม 2568"
    assert browser.switch_to.active_element.get_attribute("aria-label") == "วันพุธที่ 15 มกราคม 2568"
    group = calendar.find_element(By.CSS_SELECTOR, ".bedate-grid")  # no grid without rows and cells
    assert group.get_attribute("role") == "group" and group.get_attribute("aria-labelledby") == "published-cal-title"
    assert {d.get_attribute("aria-hidden") for d in calendar.find_elements(By.CSS_SELECTOR, ".bedate-dow")} == {"true"}
    browser.switch_to.active_element.send_keys(Keys.HOME)  # the week's first day, then its last
    assert browser.switch_to.active_element.get_attribute("aria-label") == "วันอาทิตย์ที่ 12 มกราคม 2568"
    browser.switch_to.active_element.send_keys(Keys.END)
    assert browser.switch_to.active_element.get_attribute("aria-label") == "วันเสาร์ที่ 18 มกราคม 2568"
    browser.switch_to.active_element.send_keys(Keys.TAB)  # to its "วันนี้" button: still open
    assert browser.switch_to.active_element.text == "วันนี้" and browser.find_elements(By.CSS_SELECTOR, ".bedate")
    browser.switch_to.active_element.send_keys(Keys.TAB)  # leaving it closes it: it covered the next field
    settled(browser).until(lambda b: not b.find_elements(By.CSS_SELECTOR, ".bedate"))
    toggle.click()
    for _ in range(3):  # back out of it, past › and ‹, onto its own button: closed too (V-06)
        browser.switch_to.active_element.send_keys(Keys.SHIFT, Keys.TAB)
    settled(browser).until(lambda b: not b.find_elements(By.CSS_SELECTOR, ".bedate"))
    assert browser.switch_to.active_element == toggle
    toggle.click()  # and a click on that button still opens it
    calendar = browser.find_element(By.CSS_SELECTOR, ".bedate[role=dialog]")
    browser.set_window_size(390, 844)
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", published)
    keep_screenshot(browser, "editor-be-calendar-390")
    assert browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 0
    browser.switch_to.active_element.send_keys(Keys.PAGE_DOWN)  # next month, same day
    assert calendar.find_element(By.CSS_SELECTOR, ".bedate-head strong").text == "กุมภาพันธ์ 2568"
    browser.switch_to.active_element.send_keys(Keys.ARROW_RIGHT, Keys.ENTER)
    assert published.get_attribute("value") == "16/02/2568"
    assert not browser.find_elements(By.CSS_SELECTOR, ".bedate")
    published.clear()
    published.send_keys("๒๐ มี.ค. ๒๕๖๘")  # typed forms still work: the server reads them
    browser.find_element(By.CSS_SELECTOR, "form[data-editor] button[type=submit]").click()
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, "article.asset")))
    assert "published: 2025-03-20" in (knowledge_dir / "palad" / "sick-leave.md").read_text(encoding="utf-8")
    _no_script_errors(browser)


# Where the save button is, each time the page changes around it.
WATCH_SAVE = """
window.saveAt = [];
const save = document.querySelector("form[data-editor] button[type=submit]");
const note = () => window.saveAt.push(Math.round(save.getBoundingClientRect().top + window.scrollY));
new MutationObserver(note).observe(document.querySelector(".editor-body"),
                                   {subtree: true, childList: true, characterData: true});
note();
"""


@pytest.mark.parametrize("width", [390, 1280])
def test_a_preview_refresh_never_moves_the_save_button(app, live_server, width):
    """A long preview is replaced by one short line: the button stays where a finger or the
    pointer is about to press it (a click in CI once landed beside it while it moved)."""
    from browser_support import chromium

    make_user(app, "somchai", "editor")
    with chromium(width, 844) as page:
        sign_in(page, live_server)
        page.get(live_server + "/publish/sick-leave/edit")
        body = WebDriverWait(page, 15).until(EC.element_to_be_clickable((By.ID, "body")))
        long = "\n\n".join(f"ข้อ {n} ยื่นใบลาป่วยภายในวันที่กลับมาทำงาน" for n in range(1, 41))
        page.execute_script("arguments[0].value = arguments[1];"
                            "arguments[0].dispatchEvent(new Event('input', {bubbles: true}))", body, long)
        WebDriverWait(page, 15).until(lambda p: "ข้อ 40" in p.find_element(By.ID, "preview").text)
        page.execute_script(WATCH_SAVE)
        page.execute_script("arguments[0].select()", body)
        body.send_keys("ยื่นใบลา")
        WebDriverWait(page, 15).until(lambda p: p.find_element(By.ID, "preview").text.strip() == "ยื่นใบลา")
        status = page.find_element(By.CSS_SELECTOR, "[data-preview-status]")
        WebDriverWait(page, 15).until(lambda p: status.text == "")
        moves = page.execute_script("return window.saveAt")
        assert len(moves) >= 3  # the status shown, the preview replaced, the status cleared
        assert set(moves) == {moves[0]}
        assert status.get_attribute("role") == "status"


def test_the_word_level_comparison_of_two_versions(app, live_server, browser):
    make_user(app, "somchai", "editor")
    client = app.test_client()
    assert login(client, "somchai").status_code == 302
    for body, summary in (("ยื่นใบลาภายในสามวันทำการ\n", "ฉบับแรก"), ("ยื่นใบลาภายในเจ็ดวันทำการ\n", "แก้จำนวนวัน")):
        values = read_form(client.get("/publish/sick-leave/edit").get_data(as_text=True))
        values.update(body=body, edit_summary=summary, tags=values["tags"] + ", ใบรับรองแพทย์")
        assert client.post("/publish/sick-leave/edit", data=values).status_code == 302
    with app.app_context():
        from app.db import get_db

        get_db().execute("UPDATE users SET display_name = 'นายสมชาย ใจดี' WHERE username = 'somchai'")
        get_db().commit()
    from browser_support import chromium

    with chromium(390, 844) as phone:
        sign_in(phone, live_server)
        phone.get(live_server + "/publish/sick-leave/history")
        rows = phone.find_elements(By.CSS_SELECTOR, "table.history tbody tr")
        assert [r.find_elements(By.TAG_NAME, "td")[2].text for r in rows[:2]] == ["นายสมชาย ใจดี (somchai)"] * 2
        assert rows[0].find_element(By.CSS_SELECTOR, ".edit-summary").text == "แก้จำนวนวัน"
        phone.find_element(By.CSS_SELECTOR, "button[form=compare]").click()
        WebDriverWait(phone, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".word-diff")))
        change = phone.find_element(By.CSS_SELECTOR, ".word-diff .wd-change")
        assert [e.text for e in change.find_elements(By.TAG_NAME, "del")] == ["สาม"]
        assert [e.text for e in change.find_elements(By.TAG_NAME, "ins")] == ["เจ็ด"]
        assert "ไม่มีความแตกต่าง" not in phone.page_source
        versions = phone.find_element(By.CSS_SELECTOR, ".diff-versions").text
        assert versions.endswith("นายสมชาย ใจดี (somchai) · “แก้จำนวนวัน”")
        assert phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 0
        keep_screenshot(phone, "editor-word-diff-390")
        _no_script_errors(phone)


def test_the_admin_creates_and_disables_an_account(app, live_server):
    from browser_support import chromium

    make_user(app, "admin", "admin")
    with chromium(390, 844) as phone:
        sign_in(phone, live_server, "admin")
        phone.find_element(By.CSS_SELECTOR, ".site-nav a[href='/admin/users']").click()
        settled(phone).until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "ผู้ใช้"))
        phone.find_element(By.CSS_SELECTOR, ".user-create summary").click()
        phone.find_element(By.ID, "username").send_keys("malee")
        phone.find_element(By.ID, "display_name").send_keys("นางมาลี ขยัน")
        phone.find_element(By.ID, "password").send_keys(PASSWORD)
        phone.find_element(By.ID, "confirm").send_keys(PASSWORD)
        phone.find_element(By.CSS_SELECTOR, ".user-create button[type=submit]").click()
        flash = WebDriverWait(phone, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash")))
        assert flash.text == "สร้างผู้ใช้ malee (ทีม KM (ผู้แก้ไข)) แล้ว"
        card = phone.find_element(By.ID, "user-malee")
        card.find_element(By.TAG_NAME, "summary").click()
        card.find_element(By.XPATH, ".//button[text()='ระงับบัญชี']").click()
        settled(phone).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "ระงับบัญชี malee"))
        assert "ระงับอยู่" in phone.find_element(By.ID, "user-malee").text
        own = phone.find_element(By.ID, "user-admin")
        own.find_element(By.TAG_NAME, "summary").click()
        own.find_element(By.XPATH, ".//button[text()='ระงับบัญชี']").click()
        alert = WebDriverWait(phone, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".form-error")))
        assert alert.text == ('admin: ระงับบัญชี "admin" ไม่ได้ เพราะเป็นผู้ดูแลระบบคนสุดท้ายที่ใช้งานได้ '
                              "(เพิ่มหรือเปิดใช้ผู้ดูแลระบบอีกคนก่อน)")
        assert phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 0
        keep_screenshot(phone, "editor-admin-users-390")
        _no_script_errors(phone, refused=live_server + "/admin/users/admin/disable")


def test_a_member_changes_their_own_password_from_the_menu_on_a_phone(app, live_server):
    from browser_support import chromium

    make_user(app, "malee", "editor")
    new = "รหัสใหม่ของมาลี-2569"
    with chromium(390, 844) as phone:
        sign_in(phone, live_server, "malee")
        phone.find_element(By.CSS_SELECTOR, ".site-nav a.nav-user").click()
        settled(phone).until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "บัญชีของฉัน"))
        phone.find_element(By.ID, "current").send_keys("ไม่ใช่รหัสเดิม")
        phone.find_element(By.ID, "password").send_keys(new)
        phone.find_element(By.ID, "confirm").send_keys(new)
        phone.find_element(By.CSS_SELECTOR, "form[action='/account/password'] button[type=submit]").click()
        error = settled(phone).until(EC.presence_of_element_located((By.ID, "current-error")))
        assert error.text == "รหัสผ่านปัจจุบันไม่ถูกต้อง"
        assert phone.find_element(By.ID, "current").get_attribute("value") == ""  # never sent back
        phone.find_element(By.ID, "current").send_keys(PASSWORD)
        phone.find_element(By.ID, "password").send_keys(new)
        phone.find_element(By.ID, "confirm").send_keys(new)
        phone.find_element(By.CSS_SELECTOR, "form[action='/account/password'] button[type=submit]").click()
        settled(phone).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "เปลี่ยนรหัสผ่านแล้ว"))
        assert phone.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 0
        keep_screenshot(phone, "editor-my-account-390")
        _no_script_errors(phone, refused=live_server + "/account/password")
    assert login(app.test_client(), "malee", new).status_code == 302


# What Word puts on the clipboard: its HTML, the same as plain text, and a picture of the selection.
SEND_WORD = """
const [html, text, done] = arguments;
const transfer = new DataTransfer();
transfer.setData("text/html", html);
transfer.setData("text/plain", text);
transfer.items.add(new File([new Uint8Array([137, 80, 78, 71])], "image.png", {type: "image/png"}));
const body = document.getElementById("body");
body.focus();
body.setSelectionRange(body.value.length, body.value.length);
const event = new ClipboardEvent("paste", {clipboardData: transfer, bubbles: true, cancelable: true});
body.dispatchEvent(event);
done(event.defaultPrevented);
"""


def test_a_page_pasted_from_word_arrives_with_its_headings_lists_and_table(app, live_server, knowledge_dir):
    """Word's headings, bullets and tables were pasted as loose lines, "•" characters and tab runs,
    with no word to the writer (outside review, onboarding)."""
    from browser_support import chromium

    word = (Path(__file__).parent / "fixtures" / "paste" / "word.html").read_text(encoding="utf-8")
    make_user(app, "somchai", "editor")
    with chromium(390, 844) as phone:
        sign_in(phone, live_server)
        phone.get(live_server + "/publish/sick-leave/edit")
        WebDriverWait(phone, 15).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-md-toolbar]")))
        assert phone.execute_async_script(SEND_WORD, word, "1.\tวัตถุประสงค์\n•\tมีทะเบียนบ้าน") is True
        _wait_body(phone, "| 1 | รับคำร้องและตรวจเอกสาร | 1 วัน |")
        body = phone.find_element(By.ID, "body").get_attribute("value")
        assert "## 3. ขั้นตอน" in body and "- มีทะเบียนบ้านในเขตเทศบาล" in body and "image.png" not in body
        status = phone.find_element(By.CSS_SELECTOR, "[data-md-status]").text
        assert status.startswith("แปลงหัวข้อ รายการ และตารางจากเอกสารที่วางแล้ว")
        WebDriverWait(phone, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#preview table td")))
        assert phone.execute_script("return document.querySelectorAll('#preview h2').length") >= 3
        keep_screenshot(phone, "editor-pasted-word-390")
        _no_script_errors(phone)
