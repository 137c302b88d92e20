"""The page (and the API's reason) of an HTTP error, in Thai whatever raised it."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, render_template, request
from werkzeug.exceptions import HTTPException

# Each error page's heading (also its title), and what to say when the code itself gave only
# werkzeug's English sentence: the site's pages and the API speak Thai.
ERROR_HEADINGS = {400: "ลิงก์หรือค่าที่กรอกไม่ถูกต้อง", 401: "ต้องเข้าสู่ระบบก่อน", 403: "ไม่มีสิทธิเข้าถึงหน้านี้",
                  404: "ไม่พบหน้าที่ต้องการ", 405: "เปิดหน้านี้ด้วยวิธีนี้ไม่ได้", 413: "ไฟล์หรือข้อมูลใหญ่เกินกำหนด",
                  429: "ส่งคำขอถี่เกินไป", 500: "ขออภัย ระบบขัดข้อง", 503: "ระบบไม่พร้อมให้บริการชั่วคราว"}
ERROR_DEFAULTS = {
    400: "ตรวจลิงก์หรือค่าที่กรอก แล้วลองอีกครั้ง",
    403: "บัญชีของคุณไม่มีสิทธิทำรายการนี้",
    404: "ลิงก์นี้อาจผิดหรือถูกย้ายไปแล้ว",
    405: "หน้านี้รับเฉพาะการกดปุ่มบนแบบฟอร์ม ให้กลับไปกดจากปุ่มบนเว็บไซต์",
    413: "รับไฟล์แนบได้ไม่เกิน {mb} MB ต่อไฟล์ ย่อขนาดไฟล์ (เช่น สแกนด้วยความละเอียดต่ำลง) หรือแยกเป็นหลายไฟล์ "
         "แล้วลองอีกครั้ง",
    429: "รอสักครู่แล้วลองอีกครั้ง",
    503: "รอสักครู่แล้วลองอีกครั้ง",
}


def error_text(exc: HTTPException) -> tuple[str, str]:
    """(heading, sentence) of an HTTP error, in Thai: the view's own description, or the code's."""
    heading = ERROR_HEADINGS.get(exc.code or 500, "เกิดข้อผิดพลาด")
    said = exc.description
    if not said or said == type(exc).description:  # werkzeug's English default
        said = ERROR_DEFAULTS.get(exc.code or 500, "ลองใหม่อีกครั้งภายหลัง").format(
            mb=f"{float(current_app.config['KM_MAX_ATTACHMENT_MB']):g}")
    return heading, said


# A reason starts with the address's parameter ("as_of: …"), which the API keeps; a page names the
# field the reader typed into instead (copy review T-27).
PARAMETER_LABELS = {"fy": "ปีงบประมาณ", "as_of": "ข้อมูล ณ วันที่", "sort": "การเรียง", "page": "หน้า",
                    "type": "ประเภท", "activity": "กิจกรรมตามแผน", "state": "สถานะ", "q": "คำค้น"}


def error_page(exc: HTTPException) -> str:
    """The error page of `exc` (its status code is the caller's to set), with a way back to the page of
    this site the reader came from (a date mistyped in the report's own field)."""
    heading, said = error_text(exc)
    name, colon, rest = said.partition(": ")
    if colon and name in PARAMETER_LABELS:  # ("ปีงบประมาณต้องเป็นเลขสี่หลัก…" names its field already)
        label = PARAMETER_LABELS[name]
        said = rest if rest.startswith(label) else f"{label}: {rest}"
    return render_template("errors/error.html", error=exc, heading=heading, said=said, back=_came_from())


def _came_from() -> str | None:
    """The path of the referring page when it is a page of this site other than this one."""
    from .auth import safe_next  # (auth shows its CSRF refusal with error_page)

    parts = urlsplit(request.referrer or "")
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if parts.netloc != request.host or safe_next(path) != path or path == request.full_path.rstrip("?"):
        return None
    return path
