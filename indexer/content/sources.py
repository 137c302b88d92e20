"""Finding and reading the asset files of a knowledge folder, whatever was placed there by hand.

A knowledge folder is edited by people and synced by tools, so it may hold a symlink
to /etc, a FIFO that blocks whoever opens it, a 2 GB file or a binary one. Each of
these becomes one `Problem` for that file (see `read_source`); none stops the others.
Symlinks are followed only while they stay inside the folder: a linked file or folder
outside it is reported, never read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from ..thai.encoding import not_utf8
from .asset import AssetInvalid, Problem

MAX_FILE_BYTES = 4 * 1024 * 1024  # the longest sample asset is 12 KB; a manual of 300 pages is ~1 MB
OUTSIDE_LINK = ("เป็นลิงก์ (symlink) ที่ชี้ออกนอกโฟลเดอร์คลังความรู้ จึงไม่อ่าน: "
                "คัดลอกไฟล์เข้ามาไว้ในคลังแทนการลิงก์")
_KINDS = {stat.S_IFIFO: "ท่อส่งข้อมูล (FIFO)", stat.S_IFSOCK: "ซ็อกเก็ต", stat.S_IFCHR: "ไฟล์อุปกรณ์",
          stat.S_IFBLK: "ไฟล์อุปกรณ์", stat.S_IFDIR: "โฟลเดอร์"}


def relative_path(path: Path, knowledge_dir: Path) -> str:
    """The file's path inside the knowledge folder ("palad/sick-leave.md").

    The folders are resolved, the file's own name is not: a symlinked file keeps its
    name, and where it points is checked by `outside_link`. ValueError when the file
    is not in the folder.
    """
    return path_namer(knowledge_dir)(path)


def path_namer(knowledge_dir: Path) -> Callable[[Path], str]:
    """`relative_path` for the files of one walk of the folder, resolving the folder once and each
    folder of a file once: the reports' catalogue resolved both for every file at every request,
    0.4 s of a page at 3,000 assets (outside review PW-06)."""
    root = Path(knowledge_dir).resolve()
    folders: dict[str, Path] = {}

    def name(path: Path) -> str:
        path = Path(path)
        parent = str(path.parent)
        folder = folders.get(parent)
        if folder is None:
            folder = folders[parent] = Path(os.path.realpath(parent))
        return (folder / path.name).relative_to(root).as_posix()
    return name


def outside_link(path: Path, knowledge_dir: Path) -> bool:
    """True when `path` is a symlink whose target is outside the knowledge folder."""
    if not os.path.islink(path):
        return False
    return not Path(os.path.realpath(path)).is_relative_to(Path(knowledge_dir).resolve())


def inside_twin(path: Path, knowledge_dir: Path) -> str | None:
    """For a link to an asset file the folder lists anyway, that file's path: read through the link
    as well, the one asset counted twice toward the auditor's goals."""
    if not os.path.islink(path):
        return None
    root = Path(knowledge_dir).resolve()
    target = Path(os.path.realpath(path))
    if not target.is_relative_to(root) or target.suffix != ".md" or not target.is_file():
        return None  # (a loop of links, or one to nothing, is read and reported as such)
    parts = target.relative_to(root).parts
    if any(part.startswith((".", "_")) for part in parts):
        return None  # a folder the listing skips: reached through this link only
    return "/".join(parts)


def iter_asset_files(knowledge_dir: Path) -> Iterator[Path]:
    """Yield every Markdown file under the folder, skipping hidden and _private folders,
    and every symlinked folder that leads out of it (to be reported, not read)."""
    for root, dirs, files in os.walk(knowledge_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in dirs:
            if outside_link(Path(root) / name, knowledge_dir):
                yield Path(root) / name  # os.walk does not descend into it
        for name in sorted(files):
            if name.endswith(".md") and not name.startswith((".", "_")):
                yield Path(root) / name


PAUSE_EVERY = 128  # directory entries between calls of a scan's `pause` (about 2 ms of work)


def scan_asset_files(knowledge_dir: Path,
                     pause: Callable[[], None] | None = None) -> dict[str, tuple[str, int, int, bool]]:
    """Every asset file as {relative path: (path, mtime_ns, size, has attachment folder)}.

    The same files as `iter_asset_files`, read with one directory listing per folder
    and no path resolution but for symlinks: the site's watcher runs this every few
    seconds in every worker, holding the interpreter lock that searches need. The
    pathlib version cost 650 ms for 10,000 files, and even one Path object per file
    (the path is given as a string) cost 60 % of the scan's 250 ms. A symlink leading
    out of the folder is listed with its own figures (lstat), never its target's.
    `pause`, when given, is called every PAUSE_EVERY entries: the site's watcher waits
    there while the worker is searching.
    """
    found: dict[str, tuple[str, int, int, bool]] = {}
    pending = [(str(knowledge_dir), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        names = {entry.name for entry in entries}
        for number, entry in enumerate(entries):
            if pause is not None and number % PAUSE_EVERY == 0:
                pause()
            if entry.name.startswith((".", "_")):
                continue
            outside = entry.is_symlink() and outside_link(Path(entry.path), knowledge_dir)
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, prefix + entry.name + "/"))
            elif entry.name.endswith(".md") or outside:
                try:
                    info = entry.stat(follow_symlinks=not outside)
                except OSError:  # a loop of links, or one to nothing: listed, so reading it says why, as in a build
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue  # gone meanwhile
                if outside and not entry.name.endswith(".md") and not entry.is_dir():
                    continue  # a link to an outside file that is no asset: not ours to report
                has_files = not outside and entry.name[:-3] + ".files" in names
                found[prefix + entry.name] = (entry.path, info.st_mtime_ns, info.st_size, has_files)
    return found


def source_stat(path: Path, knowledge_dir: Path | None = None) -> os.stat_result:
    """The figures a file's signature is made of: its own (lstat) for a link leading outside."""
    if knowledge_dir is not None and outside_link(path, knowledge_dir):
        return path.lstat()
    try:
        return path.stat()
    except OSError:
        if os.path.islink(path):  # a loop of links or one to nothing: its own figures, as a scan lists it
            return path.lstat()
        raise


class Unreadable(OSError):
    """Not a regular file of the knowledge folder that can be read: a FIFO, a device, a link leading
    out of the folder, or one over the size limit. The message says which, in Thai."""


def read_regular(path: Path, knowledge_dir: Path | None = None, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, never more than `limit`; Unreadable (FileNotFoundError when
    it is gone) otherwise. With `knowledge_dir`, a symlink leading out of it is refused. Every
    read of a file someone may have placed by hand goes through here: a FIFO once hung each
    request that read the KM plan's folder, and a link to /etc/passwd showed it to editors."""
    if knowledge_dir is not None and outside_link(path, knowledge_dir):
        raise Unreadable(OUTSIDE_LINK)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW on the resolved
        # path: a link swapped in after the check above is refused, not followed.
        fd = os.open(os.path.realpath(path), os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise Unreadable(f"อ่านไฟล์ไม่ได้: {exc.strerror}") from exc
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        kind = _KINDS.get(stat.S_IFMT(info.st_mode))
        if kind is not None or not stat.S_ISREG(info.st_mode):
            raise Unreadable(f"ไม่ใช่ไฟล์ข้อความธรรมดา แต่เป็น{kind or 'ไฟล์พิเศษ'} จึงไม่อ่าน")
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise Unreadable(f"อ่านไฟล์ไม่ได้: {exc.strerror}") from exc
    if info.st_size > limit or len(data) > limit:
        size = max(info.st_size, len(data))
        raise Unreadable(f"ไฟล์ใหญ่ {size:,} ไบต์ เกินขีดจำกัด {limit:,} ไบต์: แยกเป็นหลายเรื่อง หรือแนบเป็นไฟล์ PDF")
    return data


def read_source(path: Path, knowledge_dir: Path, rel: str) -> str:
    """The text of an asset file exactly as written, or AssetInvalid with one Problem saying why not
    (a link leading out of the folder is read_regular's to refuse)."""
    twin = inside_twin(path, knowledge_dir)
    if twin is not None:
        raise AssetInvalid([Problem(rel, f"เป็นลิงก์ (symlink) ไปยังไฟล์ {twin} ซึ่งอยู่ในคลังแล้ว จึงไม่นับซ้ำ: "
                                         "ลบลิงก์นี้ หรือคัดลอกเป็นเรื่องใหม่ที่เขียนต่างกัน")])
    try:
        data = read_regular(path, knowledge_dir)
    except OSError as exc:  # Unreadable says why in Thai; a file gone meanwhile says so too
        reason = str(exc) if isinstance(exc, Unreadable) else f"อ่านไฟล์ไม่ได้: {exc.strerror}"
        raise AssetInvalid([Problem(rel, reason)]) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AssetInvalid([Problem(rel, not_utf8(data, exc))]) from exc
    problems = text_problems(text, rel)
    if problems:
        raise AssetInvalid(problems)
    return text


def text_problems(text: str, rel: str) -> list[Problem]:
    """What makes a decoded text no asset file whatever its front matter says: read_source refuses it,
    and a save checks it before writing, so nothing is ever written that the loader then refuses."""
    if len(text) * 3 > MAX_FILE_BYTES and len(text.encode("utf-8")) > MAX_FILE_BYTES:
        size = len(text.encode("utf-8"))
        return [Problem(rel, f"ไฟล์ใหญ่ {size:,} ไบต์ เกินขีดจำกัด {MAX_FILE_BYTES:,} ไบต์: "
                             "แยกเป็นหลายเรื่อง หรือแนบเป็นไฟล์ PDF")]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return [Problem(rel, "มีอักขระ NUL (รหัส 0) ซึ่งไฟล์ข้อความไม่มี: ไฟล์นี้อาจเสียหายหรือไม่ใช่ Markdown", line=line)]
    return []
