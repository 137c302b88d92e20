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


class _PostForms(HTMLParser):
    """Every <form method=post> of a page as a browser would submit it (see post_forms)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action") or "", "editor": "data-editor" in a, "values": {},
                          "checked": {}, "files": [], "textareas": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        values, name = self._form["values"], a.get("name")
        if tag == "input" and name and a.get("type") != "submit":
            if a.get("type") == "file":
                self._form["files"].append(name)
            elif a.get("type") in ("radio", "checkbox"):
                if "checked" in a:
                    self._form["checked"][name] = a.get("value", "on")
            else:
                values[name] = a.get("value") or ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and (self._select not in values or "selected" in a):
            values[self._select] = a.get("value", "")  # the first option, unless one is selected
        elif tag == "textarea" and name:
            self._textarea = name
            values[name] = ""
            self._form["textareas"].append(name)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["values"][self._textarea] += data


def post_forms(html: str) -> list[dict]:
    """The POST forms of a page: each a dict of its action, whether it is the editor (data-editor),
    the values a browser would send (inputs, the selected or else the first option of a select,
    textarea text without the leading line break browsers drop), its checked boxes apart, and the
    names of its file inputs."""
    parser = _PostForms()
    parser.feed(html)
    for form in parser.forms:
        values = form["values"]
        for name in form["textareas"]:
            if values[name].startswith("\r\n"):
                values[name] = values[name][2:]
            elif values[name].startswith("\n"):
                values[name] = values[name][1:]
    return parser.forms


def read_form(html: str, editor: bool = True) -> dict[str, str]:
    """The values of the editor form on a page (or of its first POST form), checkboxes left out."""
    forms = [f for f in post_forms(html) if f["editor"] or not editor]
    return forms[0]["values"] if forms else {}
