"""PDF of a printed report, made on the server by headless Chromium from the page's own print layout.

Why Chromium and not WeasyPrint: Chromium is already a Debian package of the project (scripts/setup
installs it for the browser tests), it lays Thai out with HarfBuzz exactly as the readers' browsers
do, it prints the page's SVG charts and its CSS page-margin boxes ("หน้า N / M", supported since
Chromium 131), and it writes /ActualText for Thai clusters so text copied from the PDF is Thai. WeasyPrint
would be a second layout engine (with Pango, GDK-Pixbuf and their Debian libraries) whose page breaks
and Thai line breaking differ from the print view people check on screen.

The page is rendered by Flask, written to a private temporary folder and opened as a file: its
stylesheets and fonts are read from the site's own static folder (nothing is fetched from the network,
no script runs), so the PDF embeds the same Sarabun and Loma fonts the print view uses. One PDF is
made at a time across all worker processes (a file lock in the instance folder), each within
PDF_TIMEOUT seconds, and one more request may wait for it (a second lock); others are told to
retry. Chromium is KM_CHROMIUM (default: `chromium` on the PATH).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from flask import Response, current_app, render_template, url_for

from indexer import file_lock

from .downloads import report_disposition

log = logging.getLogger(__name__)
PDF_TIMEOUT = 60       # seconds for one PDF (a few pages take 2–5 s); with LOCK_WAIT under gunicorn's 120 s
LOCK_WAIT = 30         # seconds a request waits for another PDF to finish before it is told to retry
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-extensions", "--no-first-run",
                  "--mute-audio", "--no-pdf-header-footer")
# The printed page may load only the site's own files: no script runs and nothing is fetched from a network.
# (Chromium's --blink-settings=scriptEnabled=false would do the first but makes --print-to-pdf write nothing.)
PAGE_POLICY = ('<meta http-equiv="Content-Security-Policy" '
               "content=\"default-src 'none'; style-src file:; font-src file:; img-src file: data:\">")


class PdfError(Exception):
    """The PDF could not be made; `status` is the HTTP status and the message is what the reader sees."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def chromium_path(configured: str) -> str | None:
    """The Chromium program KM_CHROMIUM names (a path, or a name looked up on the PATH), if it exists."""
    return shutil.which(configured)


def html_to_pdf(html: str, static_prefix: str, static_folder: Path, chromium: str, lock_path: Path,
                timeout: float | None = None) -> bytes:
    """Print `html` (a rendered page whose static URLs start with `static_prefix`) to PDF bytes."""
    program = chromium_path(chromium)
    if program is None:
        raise PdfError(f"ไม่พบโปรแกรม Chromium ที่ใช้สร้างไฟล์ PDF (KM_CHROMIUM = {chromium}) "
                       "ผู้ดูแลระบบต้องติดตั้งแพ็กเกจ chromium ก่อน ระหว่างนี้ใช้ปุ่ม “พิมพ์” "
                       "แล้วเลือก “บันทึกเป็น PDF” แทนได้", 503)
    busy = PdfError("มีผู้อื่นกำลังสร้างไฟล์ PDF อยู่ กรุณาลองอีกครั้งในอีกสักครู่", 503)
    with contextlib.ExitStack() as printing:
        # One request prints and at most one waits for it, across every worker: any other is told
        # at once to retry, so a burst of PDF requests never holds more than two of the site's threads.
        with file_lock(lock_path.with_name(lock_path.name + ".queue"), 0, lambda: busy):
            printing.enter_context(file_lock(lock_path, LOCK_WAIT, lambda: busy))
        return _printed(html, static_prefix, static_folder, program, timeout)


def _printed(html: str, static_prefix: str, static_folder: Path, program: str, timeout: float | None) -> bytes:
    """Print the page with Chromium from a private temporary folder (the caller holds the lock)."""
    with tempfile.TemporaryDirectory(prefix="km-pdf-") as tmp:
        folder = Path(tmp)
        page = folder / "report.html"
        # the page's /static/… URLs point at the site's static folder on disk (stylesheets, fonts)
        local = html.replace(f'="{static_prefix}', f'="{static_folder.resolve().as_uri()}/')
        page.write_text(local.replace("<head>", "<head>" + PAGE_POLICY, 1), encoding="utf-8")
        out = folder / "report.pdf"
        command = [program, *CHROMIUM_FLAGS, f"--user-data-dir={folder / 'profile'}",
                   f"--print-to-pdf={out}", page.as_uri()]
        _run(command, timeout or PDF_TIMEOUT)
        data = out.read_bytes() if out.is_file() else b""
        if not data.startswith(b"%PDF-"):
            log.error("chromium exited without writing a PDF")
            raise _failed()
        return data


def _run(command: list[str], timeout: float) -> None:
    """Run Chromium in its own process group, so that a time-out ends its helper processes too."""
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,  # noqa: S603
                               stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        log.error("chromium took over %s s to print a PDF and was stopped", timeout)
        raise PdfError(f"สร้างไฟล์ PDF ไม่เสร็จภายใน {timeout:g} วินาที กรุณาลองใหม่ภายหลัง", 504) from None
    finally:
        with contextlib.suppress(ProcessLookupError):  # helpers left behind by a Chromium that exited
            os.killpg(process.pid, signal.SIGKILL)
    if process.returncode != 0:
        log.error("chromium could not print a PDF (exit %s): %s", process.returncode,
                  stderr.decode("utf-8", "replace")[-2000:])
        raise _failed()


def _failed() -> PdfError:
    return PdfError("สร้างไฟล์ PDF ไม่สำเร็จ ระบบบันทึกสาเหตุไว้ให้ผู้ดูแลระบบแล้ว ระหว่างนี้ใช้ปุ่ม “พิมพ์” "
                    "แล้วเลือก “บันทึกเป็น PDF” แทนได้", 500)


def pdf_response(html: str, filename: str, print_url: str) -> Response | tuple[str, int]:
    """Send the printed page `html` as a PDF download, or a Thai page saying why it cannot be made
    (with a link to the print view at `print_url`)."""
    app = current_app
    try:
        data = html_to_pdf(html, url_for("static", filename=""), Path(app.static_folder),
                           app.config["KM_CHROMIUM"], Path(app.instance_path) / "pdf.lock")
    except PdfError as exc:
        return render_template("errors/pdf.html", message=str(exc), print_url=print_url), exc.status
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = report_disposition(filename)
    return response
