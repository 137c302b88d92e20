"""What to tell someone whose file is not UTF-8: most often, in a Thai office, it is TIS-620.

Notepad on a Thai Windows saved "ANSI" files in Windows-874 (TIS-620 and a few more
signs) until 2019, and old PCs in municipal offices still do. Such a file is refused, like
any file that is not UTF-8 (decoding it as TIS-620 on a guess could index a damaged UTF-8
file as nonsense), but its message says which encoding it is in and how to save it again.
"""

from __future__ import annotations

THAI = range(0x0E01, 0x0E5C)
TIS_620 = ("เข้ารหัสภาษาไทยแบบเก่า TIS-620 (Windows-874) ไม่ใช่ UTF-8: เปิดไฟล์แล้วบันทึกใหม่เป็น UTF-8 "
           "(ใน Notepad: บันทึกเป็น… แล้วเลือกการเข้ารหัส UTF-8)")


def not_utf8(data: bytes, error: UnicodeDecodeError) -> str:
    """Why `data` cannot be read, for a Problem: the byte that failed, or that it is TIS-620."""
    if _looks_tis_620(data):
        return f"ไฟล์นี้{TIS_620}"
    return f"ไฟล์ต้องเข้ารหัสเป็น UTF-8 (ไบต์ที่ {error.start + 1} อ่านไม่ได้)"


def _looks_tis_620(data: bytes) -> bool:
    """Whether the bytes read as Thai in Windows-874 and are not UTF-8 with a few bad bytes.

    UTF-8 Thai is three bytes a letter, so a UTF-8 file with one damaged byte still decodes,
    letters replaced, to mostly good text; in TIS-620 every Thai letter is one byte that is
    not valid UTF-8 alone, so most of its high bytes fail."""
    try:
        text = data.decode("cp874")
    except UnicodeDecodeError:
        return False
    thai = sum(1 for ch in text if ord(ch) in THAI)
    high = sum(1 for byte in data if byte >= 0x80)
    broken = data.decode("utf-8", errors="replace").count("\ufffd")
    return thai >= 2 and broken * 2 >= high
