"""Helpers for the publishing tests: accounts, signing in, and posting forms as a browser would."""

from __future__ import annotations

import re
from html.parser import HTMLParser

PASSWORD = "รหัสผ่านยาวพอ-2568"


def make_user(app, username: str, role: str, password: str = PASSWORD):
    """Create an account directly in the site database."""
    from app import accounts
    from app.db import get_db

    with app.app_context():
        return accounts.create(get_db(), username, password, role)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def hidden_value(html: str, name: str) -> str:
    """The value of the first hidden input called `name` on the page."""
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html) or \
        re.search(rf'type="hidden" name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name} on the page"
    return match.group(1)


def login(client, username: str, password: str = PASSWORD, **kwargs):
    page = client.get("/auth/login")
    return client.post("/auth/login", data={"username": username, "password": password,
                                            "csrf_token": csrf_token(page.get_data(as_text=True))}, **kwargs)


class _FormReader(HTMLParser):
    """Collect the values a browser would submit from the first <form method=post> with fields."""

    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.values: dict[str, str] = {}
        self._in_form = False
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._done = False
        self.textareas: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self._done and a.get("method") == "post":
            self._in_form = self.form_id is None or "data-editor" in a
        if not self._in_form:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "file", "radio", "checkbox"):
            self.values[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select, self._first_option = a.get("name"), None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
                self.values.setdefault(self._select, self._first_option)
            if "selected" in a:
                self.values[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.values[self._textarea] = ""
            self.textareas.append(self._textarea)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def read_form(html: str, editor: bool = True) -> dict[str, str]:
    """The values of the editor form on a page (textarea text without the leading line break)."""
    reader = _FormReader("editor" if editor else None)
    reader.feed(html)
    values = reader.values
    for name in reader.textareas:  # browsers drop the line break that follows <textarea>
        if values[name].startswith("\r\n"):
            values[name] = values[name][2:]
        elif values[name].startswith("\n"):
            values[name] = values[name][1:]
    return values
