"""One bad hand-placed file is one short Problem; the other files are indexed and the watcher lives.

The class of file tried: nesting 3,000 deep (flow lists, flow maps, block maps, block
lists), YAML alias bombs, front matter of too many values or too many bytes, a file
too big to be an asset, symlinks to a file and to a folder outside knowledge/, a FIFO,
an unreadable file, invalid UTF-8, NUL bytes and a key written twice.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest
from conftest import app_config, make_settings
from publish_support import login, make_user

from app import create_app
from indexer import KnowledgeBase, SearchRequest
from indexer.cli import main as cli_main

GOOD = ["complaint", "procurement-checklist", "sick-leave"]
HEAD = "title: ไฟล์ที่วางไว้เอง\ndepartment: palad\nkm_stage: codification\n"  # lines 2-4; the bad field is on line 5
OUTSIDE = "เป็นลิงก์ (symlink) ที่ชี้ออกนอกโฟลเดอร์คลังความรู้ จึงไม่อ่าน: คัดลอกไฟล์เข้ามาไว้ในคลังแทนการลิงก์"
DEPTH = "ค่าซ้อนกันลึกเกิน 16 ชั้น: ฟิลด์ของขุมความรู้ซ้อนกันไม่เกิน 3 ชั้น"


def put(folder: Path, rel: str, front: str, body: str = "เนื้อหา\n") -> Path:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("---\n" + HEAD + front + "\n---\n" + body).encode("utf-8"))
    return path


def alias_bomb(levels: int = 9) -> str:
    """Billion laughs inside `tags:`: each level is nine aliases of the one before (about 480 bytes)."""
    names = "abcdefghijklmnop"
    lines = ["tags:", '  - &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"  - &{names[i]} [" + ",".join([f"*{names[i - 1]}"] * 9) + "]")
    return "\n".join(lines)


def outside_file(folder: Path) -> Path:
    """A valid asset file beside (never inside) the knowledge folder that holds `folder`."""
    knowledge = next(p for p in (folder, *folder.parents) if p.name == "knowledge")
    secret = knowledge.parent / "outside" / "secret.md"
    secret.parent.mkdir(exist_ok=True)
    secret.write_text("---\n" + HEAD + "---\nข้อความลับนอกคลังความรู้\n", encoding="utf-8")
    return secret


# name: (make the bad file, its relative path, expected problem as (field, line, message))
CASES = {
    "deep-flow-list": (lambda k: put(k, "palad/bad.md", "tags: " + "[" * 3000 + "]" * 3000),
                       "palad/bad.md", ("tags", 5, DEPTH)),
    "deep-flow-map": (lambda k: put(k, "palad/bad.md", "owner: " + "{a: " * 3000 + "1" + "}" * 3000),
                      "palad/bad.md", ("owner", 5, DEPTH)),
    "deep-block-map": (lambda k: put(k, "palad/bad.md",
                                     "summary:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(40))),
                       "palad/bad.md", ("summary", 21, DEPTH)),
    "deep-block-list": (lambda k: put(k, "palad/bad.md", "tags:\n  " + "- " * 3000 + "x"),
                        "palad/bad.md", ("tags", 6, DEPTH)),
    "alias-bomb": (lambda k: put(k, "palad/bad.md", alias_bomb()), "palad/bad.md",
                   ("tags", 10, "alias ของ YAML (*d) ทำให้ส่วนหัวขยายเป็นค่าเกิน 10,000 ค่า: เขียนค่าลงไปตรง ๆ แทนการใช้ alias")),
    "too-many-values": (lambda k: put(k, "palad/bad.md", "tags: [" + ",".join(["x"] * 12000) + "]"), "palad/bad.md",
                        ("tags", 5, "ส่วนหัวมีค่าเกิน 10,000 ค่า: ย้ายรายการยาวไปไว้ในเนื้อเรื่อง")),
    "huge-front-matter": (lambda k: put(k, "palad/bad.md", "summary: " + "ก" * 30_000), "palad/bad.md",
                          (None, 1, "ส่วนหัวยาว 90,108 ไบต์ เกินขีดจำกัด 65,536 ไบต์: ย้ายข้อความยาวไปไว้ในเนื้อเรื่อง")),
    "huge-file": (lambda k: put(k, "palad/bad.md", "", "ก" * 1_500_000), "palad/bad.md",
                  (None, None, "ไฟล์ใหญ่ 4,500,106 ไบต์ เกินขีดจำกัด 4,194,304 ไบต์: แยกเป็นหลายเรื่อง หรือแนบเป็นไฟล์ PDF")),
    "symlink-to-outside-file": (lambda k: os.symlink(outside_file(k), k / "palad" / "bad.md"), "palad/bad.md",
                                (None, None, OUTSIDE)),
    "symlink-to-outside-folder": (lambda k: os.symlink(outside_file(k).parent, k / "ext"), "ext",
                                  (None, None, OUTSIDE)),
    "fifo": (lambda k: os.mkfifo(k / "palad" / "bad.md"), "palad/bad.md",
             (None, None, "ไม่ใช่ไฟล์ข้อความธรรมดา แต่เป็นท่อส่งข้อมูล (FIFO) จึงไม่อ่าน")),
    "invalid-utf8": (lambda k: (k / "palad" / "bad.md").write_bytes(b"---\ntitle: \xff\n---\n"), "palad/bad.md",
                     (None, None, "ไฟล์ต้องเข้ารหัสเป็น UTF-8 (ไบต์ที่ 12 อ่านไม่ได้)")),
    "nul-in-front-matter": (lambda k: put(k, "palad/bad.md", "owner: ก\x00ข"), "palad/bad.md",
                            (None, 5, "มีอักขระ NUL (รหัส 0) ซึ่งไฟล์ข้อความไม่มี: ไฟล์นี้อาจเสียหายหรือไม่ใช่ Markdown")),
    "long-owner": (lambda k: put(k, "palad/bad.md", "owner: " + "ก" * 201), "palad/bad.md",
                   ("owner", 5, f'ยาวได้ไม่เกิน 200 ตัวอักษร แต่พบ 201 ตัวอักษร ("{"ก" * 80}…")')),
    "long-tag": (lambda k: put(k, "palad/bad.md", "tags: [ลาป่วย, " + "ข" * 101 + "]"), "palad/bad.md",
                 ("tags", 5, f'แต่ละคำยาวได้ไม่เกิน 100 ตัวอักษร แต่พบ 101 ตัวอักษร ("{"ข" * 80}…")')),
    "too-many-tags": (lambda k: put(k, "palad/bad.md", "tags: [" + ", ".join(f"คำ{i}" for i in range(51)) + "]"),
                      "palad/bad.md", ("tags", 5, "มีได้ไม่เกิน 50 คำ แต่พบ 51 คำ")),
    # PyYAML keeps the last of two equal keys: this draft would have been published
    "status-twice": (lambda k: put(k, "palad/bad.md", "status: draft\nsummary: สรุป\nstatus: published"), "palad/bad.md",
                     (None, 7, 'YAML ในส่วนหัวไม่ถูกต้อง: คีย์ "status" เขียนซ้ำ (บรรทัด 5 และ 7): เหลือไว้ที่เดียว')),
    "nul-in-body": (lambda k: put(k, "palad/bad.md", "", "บรรทัดแรก\nบรรทัด\x00ที่สอง\n"), "palad/bad.md",
                    (None, 8, "มีอักขระ NUL (รหัส 0) ซึ่งไฟล์ข้อความไม่มี: ไฟล์นี้อาจเสียหายหรือไม่ใช่ Markdown")),
    # Python reads at most 4,300 digits from text: the ValueError went past every handler (500s on reports)
    "huge-integer": (lambda k: put(k, "palad/bad.md", "summary: " + "9" * 5000), "palad/bad.md",
                     (None, 5, "YAML ในส่วนหัวไม่ถูกต้อง: ตัวเลขยาว 5,000 หลัก เกินกว่าจะอ่านได้: "
                              "ถ้าเป็นข้อความ ให้ใส่ในเครื่องหมายคำพูด")),
    # a link to an asset the folder holds anyway counted it twice toward goals 1 and 3
    "symlink-to-an-asset-inside": (lambda k: os.symlink("sick-leave.md", k / "palad" / "bad.md"), "palad/bad.md",
                                   (None, None, "เป็นลิงก์ (symlink) ไปยังไฟล์ palad/sick-leave.md ซึ่งอยู่ในคลังแล้ว "
                                                "จึงไม่นับซ้ำ: ลบลิงก์นี้ หรือคัดลอกเป็นเรื่องใหม่ที่เขียนต่างกัน")),
    "symlink-loop": (lambda k: os.symlink("bad.md", k / "palad" / "bad.md"), "palad/bad.md",
                     (None, None, "อ่านไฟล์ไม่ได้: Too many levels of symbolic links")),
}


def the_problem(problems, rel: str) -> tuple:
    mine = [p for p in problems if p.path == rel]
    assert len(mine) == 1, problems
    assert len(str(mine[0])) < 300
    return mine[0].field, mine[0].line, mine[0].message


def indexed(kb: KnowledgeBase) -> list[str]:
    return sorted(h.slug for h in kb.search(SearchRequest(per_page=50, include_drafts=True)).hits)


@pytest.mark.parametrize("case", CASES)
def test_a_full_build_indexes_the_others_and_reports_the_file_once(tmp_path, knowledge_dir, case):
    make, rel, expected = CASES[case]
    make(knowledge_dir)
    kb = KnowledgeBase(make_settings(tmp_path, knowledge_dir))
    try:
        report = kb.build()
        assert (report.indexed, report.skipped) == (3, 1)
        assert the_problem(kb.problems(), rel) == expected
        assert indexed(kb) == GOOD
        assert (kb.store.current_path() / "state.json").stat().st_size < 20_000
        # OR-ed words may match the good assets; the text outside the folder must match nothing
        hits = kb.search(SearchRequest(q="ข้อความลับนอกคลังความรู้", per_page=50)).hits
        assert not any("ข้อความลับ" in re.sub("</?mark>", "", h.snippet) for h in hits)
    finally:
        kb.close()


@pytest.mark.parametrize("case", CASES)
def test_an_update_and_check_report_the_file_once(kb, knowledge_dir, case, capsys):
    make, rel, expected = CASES[case]
    make(knowledge_dir)
    report = kb.update()
    assert (report.indexed, report.skipped) == (0, 1)
    assert the_problem(kb.problems(), rel) == expected
    assert kb.update().skipped == 0  # recorded: not analysed again until it changes
    assert kb.check().assets and the_problem(kb.check().problems, rel) == expected
    args = ["--knowledge", str(knowledge_dir), "--index", str(kb.settings.index_dir)]
    assert cli_main(args + ["check"]) == 1
    out = capsys.readouterr().out
    field, line, message = expected
    assert f"ข้อผิดพลาด: {rel}{f':{line}' if line else ''}: {f'{field}: ' if field else ''}{message}" in out
    assert "Traceback" not in out


def test_only_paths_that_lead_outside_or_to_a_fifo_are_reported_too(kb, knowledge_dir):
    """The re-index after a save passes the saved paths: they get the same treatment."""
    CASES["fifo"][0](knowledge_dir)
    os.symlink(outside_file(knowledge_dir), knowledge_dir / "finance" / "linked.md")
    kb.update(only=[knowledge_dir / "palad" / "bad.md", knowledge_dir / "finance" / "linked.md", Path("/etc/passwd")])
    assert the_problem(kb.problems(), "palad/bad.md") == CASES["fifo"][2]
    assert the_problem(kb.problems(), "finance/linked.md") == (None, None, OUTSIDE)
    assert indexed(kb) == GOOD


def test_an_unreadable_file_is_one_problem(kb, knowledge_dir, monkeypatch):
    # CI runs as root, for whom chmod 000 does not stop a read, so EACCES is simulated.
    import errno

    from indexer.content import sources

    bad = put(knowledge_dir, "palad/bad.md", "")
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if str(path) == str(bad.resolve()):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(sources.os, "open", refuse)
    assert kb.update().skipped == 1
    assert the_problem(kb.problems(), "palad/bad.md") == (None, None, "อ่านไฟล์ไม่ได้: Permission denied")
    assert indexed(kb) == GOOD


def test_a_failure_nobody_foresaw_is_the_files_problem_and_logged(kb, knowledge_dir, monkeypatch, caplog):
    from indexer.index import documents

    put(knowledge_dir, "palad/odd.md", "")
    real = documents.to_document

    def explode(asset, *args, **kwargs):
        if asset.slug == "odd":
            raise RecursionError("maximum recursion depth exceeded")
        return real(asset, *args, **kwargs)

    monkeypatch.setattr(documents, "to_document", explode)
    assert kb.update().skipped == 1
    assert the_problem(kb.problems(), "palad/odd.md") == (
        None, None, "อ่านไฟล์นี้ไม่ได้เพราะข้อผิดพลาดภายใน (RecursionError): แจ้งผู้ดูแลระบบ")
    assert any(r.getMessage() == "could not read palad/odd.md" and r.exc_info for r in caplog.records)


def hand_placed(knowledge_dir: Path, names=tuple(CASES)) -> None:
    """Each bad file of `names` in its own folder, knowledge/hand/<case>/."""
    for name in names:
        folder = knowledge_dir / "hand" / name
        (folder / "palad").mkdir(parents=True)
        CASES[name][0](folder)


def test_the_cli_build_of_a_folder_of_bad_files_reports_them_and_succeeds(tmp_path, knowledge_dir, capsys):
    hand_placed(knowledge_dir)
    args = ["--knowledge", str(knowledge_dir), "--index", str(tmp_path / "ix")]
    assert cli_main(args + ["build"]) == 0
    out = capsys.readouterr()
    assert "จัดทำดัชนี 3 เรื่อง" in out.out and f"ข้าม {len(CASES)} ไฟล์" in out.out
    assert "Traceback" not in out.out + out.err
    assert cli_main(args + ["check"]) == 1
    out = capsys.readouterr().out
    assert out.count("ข้อผิดพลาด: hand/") == len(CASES) and "Traceback" not in out


def test_the_watcher_survives_every_bad_file_and_the_status_page_lists_them(tmp_path, knowledge_dir):
    application = create_app(app_config(tmp_path, knowledge_dir, KM_WATCH_INTERVAL=0.2))
    state = application.extensions["km"]
    make_user(application, "somchai", "editor")  # the files and their problems are the KM team's to see
    client = application.test_client()
    try:
        assert login(client, "somchai").status_code == 302  # the first request starts the watcher
        hand_placed(knowledge_dir)
        put(knowledge_dir, "palad/probation.md", "", "การทดลองงานของพนักงานใหม่\n")
        deadline = time.monotonic() + 60
        while "probation" not in indexed(state.kb) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert indexed(state.kb) == sorted(GOOD + ["probation"])
        assert state.watcher == "running"
        assert len(state.kb.problems()) == len(CASES)
        page = client.get("/status").get_data(as_text=True)
        assert "ระบบติดตามไฟล์ที่แก้ไขโดยตรงทำงานอยู่" in page
        assert OUTSIDE in page and DEPTH in page and "hand/fifo/palad/bad.md" in page
    finally:
        state.stop()


def test_a_stopped_watcher_shows_on_the_status_page(tmp_path, knowledge_dir):
    application = create_app(app_config(tmp_path, knowledge_dir, KM_WATCH_INTERVAL=0.05))
    state = application.extensions["km"]

    class Fatal(BaseException):
        """Something no handler catches, as a thread can meet (MemoryError in C code, SystemExit)."""

    def die(**_):
        raise Fatal("out of luck")

    state.refresh = die
    make_user(application, "somchai", "editor")  # the error's text is the KM team's to see
    client = application.test_client()
    try:
        assert login(client, "somchai").status_code == 302
        deadline = time.monotonic() + 10
        while state.watcher != "stopped" and time.monotonic() < deadline:
            time.sleep(0.05)
        page = client.get("/status").get_data(as_text=True)
        assert ("การติดตามไฟล์ที่แก้ไขโดยตรงหยุดทำงาน (Fatal: out of luck): "
                "ไฟล์ที่แก้ไขหลังจากนี้จะยังไม่เข้าดัชนีจนกว่าจะเริ่มระบบใหม่") in page
    finally:
        state.stop()


def test_the_site_starts_and_rebuilds_with_bad_files_in_the_folder(tmp_path, knowledge_dir):
    hand_placed(knowledge_dir, ("deep-flow-list", "alias-bomb", "symlink-to-outside-file", "fifo"))
    application = create_app(app_config(tmp_path, knowledge_dir))  # no index yet: built at start
    try:
        kb = application.extensions["km"].kb
        assert indexed(kb) == GOOD and len(kb.problems()) == 4
        state = json.loads((kb.store.current_path() / "state.json").read_text(encoding="utf-8"))
        assert len(json.dumps(state)) < 20_000
    finally:
        application.extensions["km"].stop()


def test_files_that_broke_whole_areas_are_each_one_problem_on_every_page_and_in_check(tmp_path, knowledge_dir):
    """Found from outside: a loop of links or a 5,000-digit number made every report, plan and status page a
    500; a _km file nested 50,000 deep ended `check` and the site's workers with a segmentation fault."""
    import subprocess
    import sys

    os.symlink("loop.md", knowledge_dir / "palad" / "loop.md")
    put(knowledge_dir, "palad/bigint.md", "summary: " + "9" * 5000)
    events = knowledge_dir / "_km" / "events"
    events.mkdir(parents=True)
    (events / "deep.yaml").write_text("date: 2025-03-01\ntype: cop\ntitle: " + "[" * 50000 + "]" * 50000 + "\n",
                                      encoding="utf-8")
    (events / "bigint.yaml").write_text("date: 2025-03-01\ntype: cop\ntitle: ก\nparticipants: " + "9" * 5000 + "\n",
                                        encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "indexer", "--knowledge", str(knowledge_dir), "--index",
                           str(tmp_path / "cli-index"), "check"], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 1, done.stderr[-2000:]  # errors found and listed, not a crash (139) or a traceback
    assert "Traceback" not in done.stderr
    for line in ("ข้อผิดพลาด: palad/loop.md: อ่านไฟล์ไม่ได้: Too many levels of symbolic links",
                 "ข้อผิดพลาด: palad/bigint.md:5: YAML ในส่วนหัวไม่ถูกต้อง: ตัวเลขยาว 5,000 หลัก",
                 "ข้อผิดพลาด: _km/events/deep.yaml:3: โครงสร้าง YAML ซ้อนกันลึกเกิน 12 ชั้น",
                 "ข้อผิดพลาด: _km/events/bigint.yaml:4: YAML ไม่ถูกต้อง: ตัวเลขยาว 5,000 หลัก"):
        assert line in done.stdout, done.stdout
    application = create_app(app_config(tmp_path, knowledge_dir))
    make_user(application, "somchai", "editor")
    client = application.test_client()
    assert login(client, "somchai").status_code == 302
    try:
        for url in ("/reports/?fy=2568", "/plans/", "/events/", "/api/events", "/api/indicators?fy=2568", "/status",
                    "/team/"):
            assert client.get(url).status_code == 200, url
        page = client.get("/status").get_data(as_text=True)
        assert "palad/loop.md" in page and "palad/bigint.md" in page
    finally:
        application.extensions["km"].stop()


def test_a_link_into_a_folder_the_listing_skips_is_read_as_the_asset_it_leads_to(kb, knowledge_dir):
    """Only a link to an asset listed anyway is a twin; one into _private/ is how that file is shown."""
    put(knowledge_dir, "_private/kept.md", "", "ข้อความของไฟล์ที่เก็บไว้นอกรายการ\n")
    os.symlink("../_private/kept.md", knowledge_dir / "palad" / "shared.md")
    kb.update()
    assert "shared" in indexed(kb) and not kb.problems()


def test_a_fifo_or_a_link_leading_out_in_the_km_folder_is_one_problem_and_never_read(app, editor_client, client,
                                                                                    knowledge_dir, tmp_path):
    """A FIFO in _km/events hung every page that read the KM records (and then the whole worker), and
    a link to /etc/passwd in _km showed it to editors (outside review, security)."""
    import threading

    from plans_support import write_km

    write_km(knowledge_dir)
    os.mkfifo(knowledge_dir / "_km" / "events" / "pipe.yaml")
    outside = tmp_path / "outside" / "person.yaml"
    outside.parent.mkdir()
    outside.write_text("name: นายคนนอกคลัง\nposition: นักวิชาการ\ndepartment: palad\n", encoding="utf-8")
    os.symlink(outside, knowledge_dir / "_km" / "people" / "outsider.yaml")
    pages: dict = {}

    def read_them() -> None:
        for url in ("/events/", "/people/", "/plans/", "/plans/files/event/pipe/edit",
                    "/plans/files/person/outsider/edit", "/plans/files/person/outsider/history"):
            pages[url] = (editor_client if "/files/" in url else client).get(url)

    reader = threading.Thread(target=read_them, daemon=True)
    reader.start()
    reader.join(timeout=60)
    assert not reader.is_alive(), "a request waited on the FIFO"
    assert [pages[u].status_code for u in ("/events/", "/people/", "/plans/")] == [200, 200, 200]
    assert "คนนอกคลัง" not in pages["/people/"].get_data(as_text=True)
    fifo = pages["/plans/files/event/pipe/edit"]
    assert fifo.status_code == 409 and "ท่อส่งข้อมูล (FIFO)" in fifo.get_data(as_text=True)
    for url in ("/plans/files/person/outsider/edit", "/plans/files/person/outsider/history"):
        assert pages[url].status_code == 409 and "คนนอกคลัง" not in pages[url].get_data(as_text=True)
    assert cli_main(["check", "--knowledge", str(knowledge_dir)]) == 1
