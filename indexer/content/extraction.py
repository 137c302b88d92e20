"""Text from PDF and DOCX attachments: checked, extracted once in a bounded child process, kept.

A 150 KB DOCX can hold 50 MB of XML (python-docx then took 36 s and 1 GB), and a
crafted PDF can keep pypdf busy for as long as it likes. So:

- a zip (DOCX, XLSX) is refused from its directory alone, before anything is
  decompressed, when a part or the whole would unpack beyond the limits below
  (`zip_problem`, also used when an editor uploads, with a Thai message);
- the text is extracted in a child process (`python -I extraction.py FILE`) with a
  time limit and a memory limit, so no file can hold up or bloat the site;
- the result, or why there is none, is kept in a cache folder under the instance
  folder, named by the file's SHA-256: every process and every later build reads
  it instead of extracting again.

Run as a script, this file imports nothing from the package (the child stays small).
"""

from __future__ import annotations

import hashlib
import logging
import subprocess
import sys
import zipfile
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 200_000           # per attachment: enough for a long manual, bounded for the index
MAX_PART_BYTES = 8 * 1024 * 1024   # one XML part unpacked (a 300-page report's document.xml is ~5 MB)
MAX_UNZIPPED_BYTES = 64 * 1024 * 1024  # all parts unpacked, pictures included
MAX_PARTS = 5_000
EXTRACT_SECONDS = 15.0             # wall time for one file's text
EXTRACT_MEMORY_BYTES = 1024 * 1024 * 1024  # address space of the child
TEXT_KINDS = (".pdf", ".docx")  # indexed for search
READ_KINDS = (*TEXT_KINDS, ".xlsx")  # read for personal data too: staff and payment lists are spreadsheets
_EXIT_REFUSED = 3
# Thai marks and letters as a font's private-use glyphs (the positions Windows, macOS and the TLWG fonts
# give a tone mark set low or to the left): PDFs made with such fonts (Chromium's among them) hold these
# code points in their text, so ค่าเช่า was read "ค\uf70aาเช\uf70aา" and never found.
_PRESENTATION_FORMS = str.maketrans({
    0xF700: "ฐ", 0xF701: "ิ", 0xF702: "ี", 0xF703: "ึ", 0xF704: "ื",
    0xF705: "่", 0xF706: "้", 0xF707: "๊", 0xF708: "๋", 0xF709: "์",
    0xF70A: "่", 0xF70B: "้", 0xF70C: "๊", 0xF70D: "๋", 0xF70E: "์",
    0xF70F: "ญ", 0xF710: "ั", 0xF711: "ํ", 0xF712: "็",
    0xF713: "่", 0xF714: "้", 0xF715: "๊", 0xF716: "๋", 0xF717: "์",
    0xF718: "ุ", 0xF719: "ู", 0xF71A: "ฺ",
})


def zip_problem(source) -> str | None:
    """Why a zip file (path, file object or ZipFile) must not be unpacked, in Thai; None when it may.

    Only the zip's directory is read: the sizes it declares are what zipfile will
    unpack at most (it stops at the declared size and checks the CRC).
    """
    try:
        archive = source if isinstance(source, zipfile.ZipFile) else zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        return "ไฟล์นี้ไม่ใช่ไฟล์ zip ที่อ่านได้ (DOCX และ XLSX เป็นไฟล์ zip)"
    members = archive.infolist()
    if len(members) > MAX_PARTS:
        return f"ไฟล์นี้มีส่วนประกอบ {len(members):,} ส่วน เกินกำหนด {MAX_PARTS:,} ส่วน จึงไม่รับไฟล์นี้"
    for member in members:
        if member.filename.endswith((".xml", ".rels")) and member.file_size > MAX_PART_BYTES:
            return (f"ส่วน {member.filename[:80]} ของไฟล์นี้เมื่อแตกออกมีขนาด {_mb(member.file_size)} "
                    f"เกินกำหนด {_mb(MAX_PART_BYTES)} {_REFUSED}")
    total = sum(member.file_size for member in members)
    if total > MAX_UNZIPPED_BYTES:
        return f"ไฟล์นี้เมื่อแตกออกมีขนาดรวม {_mb(total)} เกินกำหนด {_mb(MAX_UNZIPPED_BYTES)} {_REFUSED}"
    return None


_REFUSED = "(อาจเป็นไฟล์ zip bomb ที่ทำให้ระบบค้าง) จึงไม่รับไฟล์นี้"


def _mb(size: int) -> str:
    return f"{size / 1048576:,.1f} MB".replace(".0 MB", " MB")


def extract_text(path: Path, cache_dir: Path | None = None, kinds: tuple[str, ...] = TEXT_KINDS) -> str:
    """Text of an attachment of one of `kinds` (PDF and DOCX, the ones search reads; READ_KINDS adds
    XLSX), '' for other kinds or when it cannot be had (logged).

    With `cache_dir`, the outcome is kept under the file's SHA-256, so a file is
    extracted once whatever process or build asks for it again.
    """
    path = Path(path)
    if path.suffix.lower() not in kinds:
        return ""
    stat = path.stat()
    digest = file_digest(path, stat.st_mtime_ns, stat.st_size)
    if cache_dir is not None:
        kept = _cached(Path(cache_dir), digest)
        if kept is not None:
            return kept.translate(_PRESENTATION_FORMS)  # also for text kept before the forms were read
    text, problem = _extract(path)
    if problem:
        log.warning("no text taken from attachment %s: %s", path, problem)
    if cache_dir is not None:
        _keep(Path(cache_dir), digest, text, problem)
    return text.translate(_PRESENTATION_FORMS)


@lru_cache(maxsize=4096)
def file_digest(path: Path, _mtime_ns: int, _size: int) -> str:
    """SHA-256 of a file (cached per path, modification time and size)."""
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            sha.update(chunk)
    return sha.hexdigest()


def _cached(cache_dir: Path, digest: str) -> str | None:
    folder = cache_dir / digest[:2]
    try:
        return (folder / f"{digest}.txt").read_text(encoding="utf-8")
    except FileNotFoundError:
        pass
    return "" if (folder / f"{digest}.failed").exists() else None


def _keep(cache_dir: Path, digest: str, text: str, problem: str | None) -> None:
    from ..files import atomic_write_text  # not at the top: the child runs this file alone

    folder = cache_dir / digest[:2]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if problem:
            atomic_write_text(folder / f"{digest}.failed", problem + "\n")
        else:
            atomic_write_text(folder / f"{digest}.txt", text)
    except OSError as exc:  # the text is still used; it is only not kept
        log.warning("could not keep the text of %s in %s: %s", digest[:12], cache_dir, exc)


def _extract(path: Path) -> tuple[str, str | None]:
    """(text, None), or ('', why not): zip checks here, the parsing in a child process."""
    if path.suffix.lower() in (".docx", ".xlsx"):
        problem = zip_problem(path)
        if problem:
            return "", problem
    try:
        done = subprocess.run([sys.executable, "-I", __file__, str(path)], capture_output=True,
                              timeout=EXTRACT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        return "", f"reading took longer than {EXTRACT_SECONDS:g} s"
    except OSError as exc:
        return "", f"could not start the text extractor ({exc})"
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return "", (reason[-1] if reason else f"the text extractor stopped with code {done.returncode}")[:300]
    return done.stdout.decode("utf-8", "replace")[:MAX_TEXT_CHARS], None


# -- the child process ------------------------------------------------------------------------------
def _pdf_text(path: str) -> str:
    from pypdf import PdfReader

    pages, size = [], 0
    for page in PdfReader(path).pages:
        chunk = page.extract_text() or ""
        pages.append(chunk)
        size += len(chunk)
        if size > MAX_TEXT_CHARS:
            break
    return "\n".join(pages)


def _docx_text(path: str) -> str:
    import docx

    document = docx.Document(path)
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(line for line in lines if line.strip())


def _xlsx_text(path: str) -> str:
    """The cells of every sheet, a line per row: shared and inline strings, and numbers as stored (an ID
    typed as a number is kept as its 13 digits). Read with the standard library: the zip was checked."""
    from xml.etree import ElementTree

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(path) as book:
        names = book.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            for item in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).iter(f"{ns}si"):
                shared.append("".join(t.text or "" for t in item.iter(f"{ns}t")))
        lines, size = [], 0
        for name in sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")):
            for row in ElementTree.fromstring(book.read(name)).iter(f"{ns}row"):
                cells = []
                for cell in row.iter(f"{ns}c"):
                    value = cell.find(f"{ns}v")
                    if cell.get("t") == "inlineStr":
                        cells.append("".join(t.text or "" for t in cell.iter(f"{ns}t")))
                    elif value is not None and value.text:
                        index = value.text.strip()
                        shared_one = cell.get("t") == "s" and index.isdigit() and int(index) < len(shared)
                        cells.append(shared[int(index)] if shared_one else value.text)
                lines.append("| " + " | ".join(cells) + " |")  # a row as a table's: its header names its columns
                size += len(lines[-1])
                if size > MAX_TEXT_CHARS:
                    return "\n".join(line for line in lines if line.strip())
    return "\n".join(line for line in lines if line.strip())


def _child(path: str) -> int:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (EXTRACT_MEMORY_BYTES, EXTRACT_MEMORY_BYTES))
    try:
        lower = path.lower()
        text = _pdf_text(path) if lower.endswith(".pdf") else _xlsx_text(path) if lower.endswith(".xlsx") \
            else _docx_text(path)
    except MemoryError:
        print(f"reading needed more than {EXTRACT_MEMORY_BYTES // 1048576} MB of memory", file=sys.stderr)
        return _EXIT_REFUSED
    except Exception as exc:  # damaged files raise many kinds of errors; the parent logs the reason
        print(f"{type(exc).__name__}: {exc}"[:300], file=sys.stderr)
        return _EXIT_REFUSED
    sys.stdout.buffer.write(text[:MAX_TEXT_CHARS].encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1]))
