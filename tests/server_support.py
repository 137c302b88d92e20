"""The production server (deploy/gunicorn.conf.py) in a subprocess, and a small HTTP client for it.

`requests` is not installed: the client is http.client with its own cookie jar,
never follows redirects (the tests look at 302 and 409 themselves) and only
talks to 127.0.0.1.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from publish_support import PASSWORD, csrf_token, read_form

REPO = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
GUNICORN_CONFIG = REPO / "deploy" / "gunicorn.conf.py"  # the production configuration, flags override it
START_TIMEOUT = 60.0
REQUEST_TIMEOUT = 60.0


@dataclass(frozen=True)
class Reply:
    """One HTTP response, read completely."""

    status: int
    headers: dict[str, str]
    text: str


class Browser:
    """One person's session against the server: cookies kept, redirects not followed."""

    def __init__(self, port: int, server: Server | None = None):
        self.port = port
        self.server = server
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        headers = {"Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode("ascii")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            for value in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()},
                         data.decode("utf-8", "replace"))
        finally:
            connection.close()

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]) -> Reply:
        return self.request("POST", path, form)

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        page = self.get("/auth/login")
        reply = self.post("/auth/login", {"username": username, "password": password,
                                          "csrf_token": csrf_token(page.text)})
        assert reply.status == 302, f"sign-in of {username} failed with {reply.status}"

    def edit_form(self, slug: str) -> dict[str, str]:
        """The editor form of an asset as a browser would submit it (CSRF token and base_sha included)."""
        page = self.get(f"/publish/{slug}/edit")
        assert page.status == 200, f"edit form of {slug}: {page.status}"
        return read_form(page.text)


@dataclass
class Server:
    """A running gunicorn and where its files are."""

    process: subprocess.Popen
    port: int
    log_path: Path

    def browser(self) -> Browser:
        return Browser(self.port, self)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


SECRET_KEY = "server-test-secret-of-at-least-32-characters"


def server_env(root: Path, knowledge: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KM_")}
    env.update({
        "KM_KNOWLEDGE_DIR": str(knowledge), "KM_INDEX_DIR": str(root / "index"),
        "KM_INSTANCE_DIR": str(root / "instance"), "KM_SECRET_KEY": SECRET_KEY,
        "KM_WATCH_INTERVAL": "0.5", "PYTHONUNBUFFERED": "1",
    })
    env.update(extra)
    return env


@contextmanager
def gunicorn(root: Path, knowledge: Path, workers: int = 2, threads: int = 4, **extra: str) -> Iterator[Server]:
    """Run the production config on a free loopback port (a short graceful stop); always stopped afterwards."""
    assert GUNICORN.exists(), f"gunicorn not found at {GUNICORN}"
    log_path = root / "gunicorn.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(GUNICORN), "--config", str(GUNICORN_CONFIG), "--workers", str(workers), "--threads", str(threads),
             "--bind", "127.0.0.1:0", "--graceful-timeout", "5"],
            cwd=REPO, env=server_env(root, knowledge, **extra), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
    try:
        port = _wait_until_serving(process, log_path, workers)
        yield Server(process, port, log_path)
    finally:
        _stop(process)


def _wait_until_serving(process: subprocess.Popen, log_path: Path, workers: int) -> int:
    """The port gunicorn chose, once every worker has booted and answers."""
    deadline = time.monotonic() + START_TIMEOUT
    port = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}:\n{log_path.read_text(errors='replace')}")
        text = log_path.read_text(errors="replace")
        found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", text)
        port = int(found.group(1)) if found else None
        if port and text.count("Booting worker") >= workers:
            try:
                if Browser(port).get("/status").status == 200:
                    return port
            except OSError:
                pass
        time.sleep(0.2)
    raise AssertionError(f"gunicorn did not start within {START_TIMEOUT:.0f} s:\n"
                         f"{log_path.read_text(errors='replace')}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def copy_knowledge(source: Path, root: Path) -> Path:
    target = root / "knowledge"
    shutil.copytree(source, target)
    return target


def prepare_site(root: Path, knowledge: Path, editors: tuple[str, ...]) -> None:
    """Build the index and create editor accounts before the server starts (as an operator would)."""
    from publish_support import make_user

    from app import create_app

    application = create_app({"KM_KNOWLEDGE_DIR": str(knowledge), "KM_INDEX_DIR": str(root / "index"),
                              "KM_INSTANCE_DIR": str(root / "instance"), "KM_SECRET_KEY": SECRET_KEY,
                              "KM_WATCH_INTERVAL": 0})
    try:
        for name in editors:
            make_user(application, name, "editor")
    finally:
        application.extensions["km"].stop()
