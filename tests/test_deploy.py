"""The production setup of docs/DEPLOY.md, run here: nginx (deploy/nginx/km.conf) in front of gunicorn
(deploy/gunicorn.conf.py) on loopback, and the systemd unit checked by systemd-analyze.

nginx runs as our own child process with a temporary prefix, free loopback ports and
a throw-away certificate; never as the system service, never on port 80 or 443.
"""

from __future__ import annotations

import http.client
import os
import re
import runpy
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from conftest import app_config
from server_support import GUNICORN_CONFIG, REPO, gunicorn

pytestmark = pytest.mark.slow

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE_FILE = REPO / "deploy" / "nginx" / "km.conf"
UNIT_FILE = REPO / "deploy" / "systemd" / "km.service"
HOST = "km.example.go.th"
START_TIMEOUT = 20.0
ACCESS_LOG = "--access-logfile - --access-logformat 'app-request %(m)s %(U)s %(s)s'"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def need_nginx() -> None:
    if not Path(NGINX).exists():
        if os.environ.get("CI"):
            pytest.fail("nginx is missing: scripts/setup installs it (APT_PACKAGES)")
        pytest.skip("nginx is not installed (run scripts/setup as root)")


@dataclass
class Proxy:
    """nginx in front of gunicorn, and where to reach each."""

    https_port: int
    http_port: int
    gunicorn_log: Path
    cert: Path
    prefix: Path  # nginx's folder: its logs

    def access_log(self) -> str:
        """The site's access log (km-access.log) and nginx's own (access.log), as written so far."""
        return "".join((self.prefix / name).read_text(encoding="utf-8", errors="replace")
                       for name in ("km-access.log", "access.log") if (self.prefix / name).exists())

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        context = ssl.create_default_context(cafile=str(self.cert))
        connection = http.client.HTTPSConnection("127.0.0.1", self.https_port, context=context, timeout=30)
        try:
            connection.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def app_log(self) -> str:
        return self.gunicorn_log.read_text(encoding="utf-8", errors="replace")


def site_file_for_test(https_port: int, http_port: int, upstream: int, cert: Path, key: Path,
                       access_log: Path) -> str:
    """deploy/nginx/km.conf with test ports, paths and certificate; every replaced line must exist."""
    text = SITE_FILE.read_text(encoding="utf-8")
    replacements = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream};",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;\n": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;\n": "",
        "listen 80 default_server;": f"listen 127.0.0.1:{http_port} default_server;",
        "listen [::]:80 default_server;\n": "",
        "listen 443 ssl http2 default_server;": f"listen 127.0.0.1:{https_port} ssl http2 default_server;",
        "listen [::]:443 ssl http2 default_server;\n": "",
        "/etc/ssl/km/fullchain.pem": str(cert),
        "/etc/ssl/km/privkey.pem": str(key),
        "/opt/km/app/static/": f"{REPO}/app/static/",
        "/var/log/nginx/km-access.log": str(access_log),
    }
    for old, new in replacements.items():
        assert old in text, f"{SITE_FILE} no longer contains {old!r}: update this test with it"
        text = text.replace(old, new)
    return text


def main_config(prefix: Path) -> str:
    """The nginx.conf around the site file, everything inside `prefix`."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the root-only temp folders
    temp = "\n".join(f"    {name}_temp_path {prefix}/{name};" for name in ("client_body", "proxy", "fastcgi",
                                                                             "uwsgi", "scgi"))
    return (f"{user}worker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log warn;\n"
            f"events {{ worker_connections 64; }}\nhttp {{\n    include /etc/nginx/mime.types;\n"
            f"    default_type application/octet-stream;\n    access_log {prefix}/access.log;\n{temp}\n"
            f"    include {prefix}/km.conf;\n}}\n")


def make_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={HOST}",
                    "-addext", f"subjectAltName=DNS:{HOST},IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def nginx_command(prefix: Path, *extra: str) -> list[str]:
    return [NGINX, "-p", f"{prefix}/", "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log"), *extra]


@contextmanager
def running_nginx(prefix: Path, https_port: int) -> Iterator[subprocess.Popen]:
    with open(prefix / "nginx.out", "wb") as out:
        process = subprocess.Popen(nginx_command(prefix, "-g", "daemon off;"), stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, f"nginx exited: {(prefix / 'nginx.out').read_text(errors='replace')}"
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not listen in time"
                time.sleep(0.1)
        yield process
    finally:
        process.send_signal(signal.SIGQUIT)  # graceful stop of our own master (and its worker)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def proxy_prefix(tmp_path_factory) -> tuple[Path, dict]:
    need_nginx()
    prefix = tmp_path_factory.mktemp("nginx")
    cert, key = make_certificate(prefix)
    ports = {"https": free_port(), "http": free_port()}
    return prefix, {"cert": cert, "key": key, **ports}


@pytest.fixture(scope="module")
def proxy(proxy_prefix, tmp_path_factory) -> Iterator[Proxy]:
    prefix, info = proxy_prefix
    root = tmp_path_factory.mktemp("site")
    with gunicorn(root, REPO / "knowledge", workers=1, GUNICORN_CMD_ARGS=ACCESS_LOG, KM_TRUSTED_PROXIES="1") as app:
        (prefix / "km.conf").write_text(site_file_for_test(info["https"], info["http"], app.port, info["cert"],
                                                           info["key"], prefix / "km-access.log"), encoding="utf-8")
        (prefix / "nginx.conf").write_text(main_config(prefix), encoding="utf-8")
        with running_nginx(prefix, info["https"]):
            yield Proxy(info["https"], info["http"], app.log_path, info["cert"], prefix)


def test_nginx_accepts_the_sample_site_file(proxy, proxy_prefix):
    prefix, _ = proxy_prefix
    check = subprocess.run(nginx_command(prefix, "-t"), capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    assert "syntax is ok" in check.stderr and "test is successful" in check.stderr


def test_a_search_through_the_proxy(proxy):
    status, headers, body = proxy.request("GET", f"/api/search?q={quote('ลาป่วย')}")
    assert status == 200
    assert '"slug":"sick-leave"' in body.decode("utf-8").replace(" ", "")
    assert headers["server"].startswith("nginx") and headers["strict-transport-security"] == "max-age=31536000"
    assert headers["server-timing"].startswith("search;dur=")  # the app's own header passes through
    _wait_for(proxy, "app-request GET /api/search 200")  # the access line is written after the reply is sent


def test_the_access_log_keeps_no_search_words_and_no_anonymous_comment(proxy):
    """nginx's own log kept every search's words, and the address and browser of each "anonymous" comment
    (privacy review P4)."""
    words = "ลาออกต้องแจ้งล่วงหน้า"
    agent = "Mozilla/5.0 (Windows NT 10.0) Chrome/120 desk-A"
    for path in (f"/search?q={quote(words)}", f"/api/suggest?q={quote(words)}", "/assets/sick-leave?from=marker"):
        assert proxy.request("GET", path, headers={"User-Agent": agent, "Referer": f"https://{HOST}/search?q=x"})[0] \
            == 200
    status, headers, body = proxy.request("GET", "/assets/sick-leave", headers={"User-Agent": agent})
    token = re.search(r'name="csrf_token"[^>]* value="([^"]+)"', body.decode()).group(1)
    form = urlencode({"csrf_token": token, "helpful": "no", "comment": "หัวหน้าไม่เซ็นใบลาให้"}).encode()
    status, _, _ = proxy.request("POST", "/assets/sick-leave/feedback", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": headers["set-cookie"].split(";")[0],
        "Referer": f"https://{HOST}/assets/sick-leave", "User-Agent": agent})
    assert status == 303
    connection = http.client.HTTPConnection("127.0.0.1", proxy.http_port, timeout=10)  # an http:// bookmark
    try:
        connection.request("GET", f"/search?q={quote(words)}", headers={"Host": HOST})
        assert connection.getresponse().status == 301
    finally:
        connection.close()
    _wait_for(proxy, "app-request POST /assets/sick-leave/feedback 303")
    deadline = time.monotonic() + 10
    while '" 301 ' not in (log := proxy.access_log()):  # nginx writes after the reply; the redirect came last
        assert time.monotonic() < deadline, log
        time.sleep(0.05)
    assert '"GET /search HTTP/' in log and '"GET /api/suggest HTTP/' in log  # the path stays, for the IT officer
    for kept in (quote(words), words, "q=", "marker", "desk-A", "feedback"):
        assert kept not in log, kept
    assert not (proxy.prefix / "access.log").exists() or "/search" not in (proxy.prefix / "access.log").read_text()


def test_plain_http_is_sent_to_https(proxy):
    connection = http.client.HTTPConnection("127.0.0.1", proxy.http_port, timeout=10)
    try:
        connection.request("GET", "/search?q=x", headers={"Host": HOST})
        response = connection.getresponse()
        assert (response.status, response.getheader("Location")) == (301, f"https://{HOST}/search?q=x")
    finally:
        connection.close()


def test_a_form_posted_to_a_port_other_than_443_passes_the_csrf_check(proxy):
    """With Host $host, nginx dropped the port the browser sent (km.example.go.th:8443), and every form
    failed the CSRF referrer check with a 400 (outside review, operations). The test's proxy listens on
    a port of its own, as an intranet's 8443 would."""
    host = f"{HOST}:{proxy.https_port}"
    status, headers, body = proxy.request("GET", "/auth/login", headers={"Host": host})
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body.decode("utf-8")).group(1)
    form = urlencode({"csrf_token": token, "username": "nobody", "password": "not-the-password-1"}).encode()
    status, _, body = proxy.request("POST", "/auth/login", body=form, headers={
        "Host": host, "Cookie": headers["set-cookie"].split(";")[0], "Referer": f"https://{host}/auth/login",
        "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 401 and "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in body.decode("utf-8")  # refused, but not as a forgery


def test_another_host_name_is_closed_without_an_answer(proxy):
    """Feeds' links and printed pages' source lines come from the Host header: only the site's name gets in."""
    for host in ("attacker.example", "127.0.0.1"):
        with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
            proxy.request("GET", "/feeds/all.atom", headers={"Host": host})
        connection = http.client.HTTPConnection("127.0.0.1", proxy.http_port, timeout=10)
        try:
            connection.request("GET", "/feeds/all.atom", headers={"Host": host})
            with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
                connection.getresponse()
        finally:
            connection.close()
    status, _, body = proxy.request("GET", "/feeds/all.atom")  # the site's own name, sent without SNI as above
    assert status == 200 and f"https://{HOST}/".encode() in body


def test_static_files_are_served_by_nginx_not_the_app(proxy):
    status, headers, body = proxy.request("GET", "/static/css/site.css")
    assert status == 200 and body == (REPO / "app" / "static" / "css" / "site.css").read_bytes()
    assert headers["cache-control"] == "public, max-age=604800"  # an address without ?v= may change
    assert headers["x-content-type-options"] == "nosniff"
    # the address every page links, ?v=<hash>, never changes: kept a year, not re-checked after a week
    status, headers, _ = proxy.request("GET", "/static/css/site.css?v=0123456789")
    assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable"
    marker = f"/api/assets/{'static-check'}"
    proxy.request("GET", marker)  # a request the app does see, so its log is known to be written up to here
    log = _wait_for(proxy, f"app-request GET {marker} 404")
    assert "/static/" not in log


@pytest.mark.parametrize(("path", "kind"), [
    ("/static/css/site.css", "text/css"), ("/static/js/site.js", "application/javascript"),
    (f"/api/search?q={quote('ลาป่วย')}", "application/json"), ("/feeds/all.atom", "application/atom+xml"),
    ("/reports/export/evidence-goal3.csv?fy=2568", "text/csv"), ("/", "text/html")])
def test_text_is_sent_compressed(proxy, path, kind):
    """Debian's nginx.conf compresses HTML only: CSS, JS, the API, feeds and CSVs went as they are (outside
    review PW-01); a cache between the office and the site is told that the answer depends on it."""
    import gzip

    status, headers, body = proxy.request("GET", path, headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-type"].startswith(kind), (path, headers)
    assert headers.get("content-encoding") == "gzip", (path, headers)
    if path.startswith("/static/"):  # (the app's own answers carry Vary: Cookie, read here over nginx's)
        assert headers["vary"] == "Accept-Encoding"
    assert len(gzip.decompress(body)) > len(body)
    plain = proxy.request("GET", path)
    assert "content-encoding" not in plain[1]  # a client that asks for none gets none


def test_an_oversized_upload_is_refused_by_nginx_before_the_app(proxy, app):
    limit = app.config["MAX_CONTENT_LENGTH"]  # what the app itself would accept
    path = "/publish/sick-leave/attachments"
    status, reply = _send_headers_only(proxy, path, limit + 1024 * 1024)
    assert status == 413 and "nginx" in reply
    status, _, _ = proxy.request("POST", path, body=urlencode({"x": "small"}).encode(),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    log = _wait_for(proxy, f"app-request POST {path} {status}")  # a small one does reach the app
    assert log.count(f"app-request POST {path}") == 1


def test_nginx_overwrites_a_forwarded_address_sent_by_the_reader(proxy):
    status, headers, body = proxy.request("GET", "/auth/login")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body.decode()).group(1)
    cookie = headers["set-cookie"].split(";", 1)[0]
    form = urlencode({"username": "nobody", "password": "wrong-password", "csrf_token": token}).encode()
    status, _, _ = proxy.request("POST", "/auth/login", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, "X-Forwarded-For": "203.0.113.99",
        "Referer": f"https://{HOST}/auth/login"})  # over https Flask-WTF wants a same-site referrer, as browsers send
    assert status == 401  # the sign-in page again, with the error
    log = _wait_for(proxy, "failed sign-in for an unknown user name from ")
    assert "failed sign-in for an unknown user name from 127.0.0.1" in log and "203.0.113.99" not in log


def _wait_for(proxy: Proxy, text: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while text not in (log := proxy.app_log()):
        assert time.monotonic() < deadline, f"{text!r} not in the gunicorn log:\n{log[-3000:]}"
        time.sleep(0.05)
    return log


def _send_headers_only(proxy: Proxy, path: str, length: int) -> tuple[int, str]:
    """Announce a body of `length` bytes and read what nginx answers before any of it is sent."""
    context = ssl.create_default_context(cafile=str(proxy.cert))
    with socket.create_connection(("127.0.0.1", proxy.https_port), timeout=10) as raw, \
            context.wrap_socket(raw, server_hostname=HOST) as tls:
        tls.sendall((f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/octet-stream\r\n"
                     f"Content-Length: {length}\r\n\r\n").encode("ascii"))
        reply = b""
        while b"\r\n\r\n" not in reply and (chunk := tls.recv(65536)):
            reply += chunk
    text = reply.decode("latin-1")
    return int(text.split(" ", 2)[1]), text


# -- files that must agree, and the systemd unit: no nginx needed ----------------------------------------
def _directive(name: str) -> str:
    found = re.findall(rf"^\s*{name}\s+([^;{{]+);", SITE_FILE.read_text(encoding="utf-8"), re.MULTILINE)
    assert len(found) == 1, f"{name}: {found}"
    return found[0]


def test_nginx_limits_match_the_app_and_gunicorn(app):
    size = _directive("client_max_body_size")
    assert size.endswith("m") and int(size[:-1]) * 1024 * 1024 == app.config["MAX_CONTENT_LENGTH"]
    gunicorn_timeout = runpy.run_path(str(GUNICORN_CONFIG))["timeout"]
    assert _directive("proxy_read_timeout") == _directive("proxy_send_timeout") == f"{gunicorn_timeout}s"
    upstream = runpy.run_path(str(GUNICORN_CONFIG))["bind"]
    assert _directive("server") == upstream[0]


def test_the_gunicorn_config_gives_each_search_thread_one_blas_thread(monkeypatch):
    """Set before the app (and numpy) is loaded: BLAS thread pools per search thread made
    concurrent searches four times slower (docs/BENCHMARKS.md)."""
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.delenv(variable, raising=False)
    runpy.run_path(str(GUNICORN_CONFIG))
    assert os.environ["OPENBLAS_NUM_THREADS"] == os.environ["OMP_NUM_THREADS"] == "1"
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")  # an administrator's own choice wins
    runpy.run_path(str(GUNICORN_CONFIG))
    assert os.environ["OPENBLAS_NUM_THREADS"] == "2"


def test_gunicorn_opens_no_control_socket(tmp_path):
    """gunicorn 25+ opened ~/.gunicorn/gunicorn.ctl, which nothing here uses and a second gunicorn of the
    same user took over (outside review, operations)."""
    home = tmp_path / "home"
    home.mkdir()
    with gunicorn(tmp_path, REPO / "knowledge", workers=1, HOME=str(home)) as server:
        assert server.port
        assert not (home / ".gunicorn").exists()


def test_the_gunicorn_config_limits_malloc_arenas_unless_the_administrator_did():
    """Run in a fresh interpreter: mallopt changes the process that calls it. Without the
    limits a worker kept 404 MB after the benchmark's questions at 10,000 assets instead of
    367 MB (docs/BENCHMARKS.md; the benchmark, not this test, proves the memory)."""
    probe = f"import runpy; print(runpy.run_path({str(GUNICORN_CONFIG)!r})['malloc_limited'])"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    ran = subprocess.run([sys.executable, "-c", probe], env=clean, capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == "True"
    ran = subprocess.run([sys.executable, "-c", probe], env={**clean, "MALLOC_ARENA_MAX": "4"},
                         capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == "False"


def test_every_gunicorn_start_uses_the_one_config():
    """bench, tests, scripts, the unit and the docs pass only what differs; the rest is in the config file."""
    owned_by_config = re.compile(r"app:create_app\(\)|--preload|--worker-class|--timeout\b|-k gthread")
    places = [*REPO.glob("bench/*.py"), *REPO.glob("tests/*.py"), *REPO.glob("scripts/*"), UNIT_FILE,
              *REPO.glob("docs/*.md"), REPO / "README.md"]
    offenders = [f"{p.relative_to(REPO)}: {m.group(0)}" for p in places if p != Path(__file__)
                 for m in owned_by_config.finditer(p.read_text(encoding="utf-8"))]
    assert offenders == []
    for starter in ("bench/server.py", "tests/server_support.py", "scripts/serve", "deploy/systemd/km.service"):
        text = (REPO / starter).read_text(encoding="utf-8")
        assert "--config" in text and "gunicorn.conf.py" in text, f"{starter} starts gunicorn without the config"


def test_the_systemd_unit_verifies(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (Debian package systemd)")
    text = UNIT_FILE.read_text(encoding="utf-8")
    assert "Restart=on-failure" in text and "User=km" in text and "ExecStart=/opt/km/.venv/bin/gunicorn" in text
    assert "KM_INSTANCE_DIR" not in text and "EnvironmentFile=/etc/km/km.env" in text  # settings stay outside
    unit = tmp_path / "km.service"  # the code where this checkout is, so ExecStart exists
    unit.write_text(text.replace("/opt/km/.venv/bin/gunicorn", str(Path(sys.executable).with_name("gunicorn")))
                    .replace("/opt/km", str(REPO)), encoding="utf-8")
    check = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout + check.stderr == ""  # no warning either (an unknown key is only a warning)


def test_the_reader_address_is_believed_only_from_a_trusted_proxy(tmp_path, knowledge_dir):
    from app import create_app

    keys = {}
    for trusted in (0, 1):
        application = create_app(app_config(tmp_path / str(trusted), knowledge_dir, KM_TRUSTED_PROXIES=trusted))
        try:
            client = application.test_client()
            page = client.get("/auth/login").get_data(as_text=True)
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
            client.post("/auth/login", data={"username": "nobody", "password": "x", "csrf_token": token},
                        headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https",
                                 "Referer": "https://localhost/auth/login"})
            with application.app_context():
                from app.db import get_db

                keys[trusted] = [row[0].split("|")[1] for row in get_db().execute("SELECT key FROM login_failures")]
        finally:
            application.extensions["km"].stop()
    assert keys == {0: ["127.0.0.1"], 1: ["203.0.113.7"]}


def test_km_cli_runs_a_command_with_the_service_settings(tmp_path):
    """deploy/km-cli reads km.env.example as sh would (a quoted Thai value with spaces) and runs in the code folder."""
    import getpass

    env_file = tmp_path / "km.env"
    env_file.write_text((REPO / "deploy" / "km.env.example").read_text(encoding="utf-8")
                        .replace("/var/lib/km", str(tmp_path))
                        .replace('KM_SITE_NAME="ขุมความรู้"', 'KM_SITE_NAME="ขุมความรู้ เทศบาลตำบลตัวอย่าง"'),
                        encoding="utf-8")
    show = "import os; print(os.environ['KM_SITE_NAME'], os.environ['KM_INSTANCE_DIR'], os.getcwd(), sep='|')"
    run = subprocess.run([str(REPO / "deploy" / "km-cli"), sys.executable, "-c", show], capture_output=True,
                         text=True, timeout=60, env={**os.environ, "KMCLI_ENV_FILE": str(env_file),
                                                     "KMCLI_USER": getpass.getuser()})
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"ขุมความรู้ เทศบาลตำบลตัวอย่าง|{tmp_path}/instance|{REPO}\n"


@pytest.mark.skipif(os.geteuid() != 0, reason="switching to the service user needs root, as cron runs it")
def test_km_cli_switches_user_under_crons_short_path(tmp_path):
    """The documented cron line failed every night (exit 127): cron's PATH has no /usr/sbin, where
    runuser is (outside review, operations)."""
    env_file = tmp_path / "km.env"
    env_file.write_text("KM_SITE_NAME=x\n", encoding="utf-8")
    run = subprocess.run([str(REPO / "deploy" / "km-cli"), "id", "-un"], capture_output=True, text=True, timeout=60,
                         env={"PATH": "/usr/bin:/bin", "HOME": "/root", "KMCLI_ENV_FILE": str(env_file),
                              "KMCLI_USER": "nobody"})
    assert (run.returncode, run.stdout) == (0, "nobody\n"), run.stderr
