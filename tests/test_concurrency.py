"""Several editors saving at the same moment through the production server (gunicorn, 2 worker processes).

Design under test (app/publish/service.py): every save takes the publish lock, an
flock on instance/publish.lock shared by all worker processes and threads, and
retries it every 20 ms for up to 15 s before giving up with a Thai "please try
again" page (503). Inside the lock the file is compared with the version the
editor opened (base_sha): a difference is a conflict page (409), never an
overwrite. Re-indexing after the save takes the index write lock, and a busy
index is reported on the next page, never raised. So no lock error reaches a
user as a 500, and every accepted save (302) is on disk and searchable.
"""

from __future__ import annotations

import os
import random
import re
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from server_support import REPO, Browser, Server, copy_knowledge, gunicorn, prepare_site

EDITORS = ("somchai", "malee")
CONFLICT_PAGE = "มีผู้อื่นบันทึกเรื่องนี้ระหว่างที่คุณแก้ไข"
# Assets of the shipped sample content, each edited by one thread of a burst.
BURST_SLUGS = ("sick-leave", "vacation-leave", "personal-leave", "study-leave", "maternity-leave",
               "retirement-pension", "time-attendance", "staff-transfer")
JOIN_TIMEOUT = 120.0
# 2,000 GETs as the issue asks (about a minute on 2 cores); LOAD_REQUESTS scales it for a quick local run.
LOAD_REQUESTS = int(os.environ.get("LOAD_REQUESTS", "2000"))
TRACEBACK = re.compile(r"Traceback \(most recent call last\):\n(?:[ \t].*\n)+\S.*")


def tracebacks(server: Server) -> list[str]:
    """Every traceback in the server log."""
    return TRACEBACK.findall(server.log())


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Server:
    root = tmp_path_factory.mktemp("gunicorn")
    knowledge = copy_knowledge(REPO / "knowledge", root)
    prepare_site(root, knowledge, EDITORS)
    with gunicorn(root, knowledge, **{"GUNICORN_CMD_ARGS": ACCESS_LOG}) as running:
        yield running


# Which worker process answered each request goes to the log: "<pid> POST /publish/x/edit 302".
ACCESS_LOG = "--access-logfile - --access-logformat '%(p)s %(m)s %(U)s %(s)s'"


def signed_in(server: Server, name: str) -> Browser:
    browser = server.browser()
    browser.sign_in(name)
    return browser


def clone(browser: Browser) -> Browser:
    """Another tab of the same person: the same cookies, its own requests."""
    copy = Browser(browser.port, browser.server)
    copy.cookies = dict(browser.cookies)
    return copy


def asset_file(server: Server, slug: str) -> Path:
    root = Path(server.log_path).parent / "knowledge"
    return next(root.rglob(f"{slug}.md"))


def found_by_search(browser: Browser, word: str, slug: str, timeout: float = 10.0) -> bool:
    """True once /api/search (as typed, no spelling correction) returns `slug` for `word`."""
    deadline = time.monotonic() + timeout
    while True:
        reply = browser.get(f"/api/search?q={quote(word)}&as_typed=1&per_page=50")
        if reply.status == 200 and f'"slug":"{slug}"' in reply.text.replace(" ", ""):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.25)


def run_together(jobs: list) -> list:
    """Run each job in its own thread, all released at the same moment; return their results in order."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i: int, job) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = job()
        except BaseException as exc:  # reported by the caller's assertion with the cause
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, job), daemon=True) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT)
        assert not thread.is_alive(), "a save did not finish within two minutes"
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


def save_job(browser: Browser, slug: str, form: dict[str, str], marker: str):
    values = dict(form)
    values["body"] = values["body"].rstrip("\n") + f"\n\nบันทึก {marker}\n"
    return lambda: browser.post(f"/publish/{slug}/edit", values)


def worker_pids(server: Server, method: str, path_pattern: str) -> set[str]:
    return set(re.findall(rf"<(\d+)> {method} {path_pattern} \d{{3}}", server.log()))


def test_two_editors_saving_different_assets_at_once_both_land_on_disk_and_in_search(server):
    somchai, malee = (signed_in(server, name) for name in EDITORS)
    jobs = [save_job(somchai, "grievance-fairness", somchai.edit_form("grievance-fairness"), "probea1somchai"),
            save_job(malee, "discipline-procedure", malee.edit_form("discipline-procedure"), "probea2malee")]
    replies = run_together(jobs)
    assert [r.status for r in replies] == [302, 302], [r.text[:300] for r in replies]
    assert "probea1somchai" in asset_file(server, "grievance-fairness").read_text(encoding="utf-8")
    assert "probea2malee" in asset_file(server, "discipline-procedure").read_text(encoding="utf-8")
    assert found_by_search(somchai, "probea1somchai", "grievance-fairness")
    assert found_by_search(malee, "probea2malee", "discipline-procedure")


def test_same_asset_race_one_saves_and_the_other_gets_the_conflict_page(server):
    somchai, malee = (signed_in(server, name) for name in EDITORS)
    path = asset_file(server, "medical-expense-claim")
    for round_no in range(5):
        mine, theirs = somchai.edit_form("medical-expense-claim"), malee.edit_form("medical-expense-claim")
        assert mine["base_sha"] == theirs["base_sha"]
        markers = (f"proberace{round_no}somchai", f"proberace{round_no}malee")
        replies = run_together([save_job(somchai, "medical-expense-claim", mine, markers[0]),
                                save_job(malee, "medical-expense-claim", theirs, markers[1])])
        statuses = sorted(r.status for r in replies)
        assert statuses == [302, 409], (round_no, statuses, [r.text[:300] for r in replies])
        winner, loser = (0, 1) if replies[0].status == 302 else (1, 0)
        assert CONFLICT_PAGE in replies[loser].text
        assert markers[loser] in replies[loser].text  # the loser's typing is kept on the conflict page
        text = path.read_text(encoding="utf-8")
        assert markers[winner] in text and markers[loser] not in text
        assert found_by_search(somchai, markers[winner], "medical-expense-claim")


def test_a_burst_of_saves_through_both_workers_is_all_accepted_and_searchable(server):
    editors = [signed_in(server, name) for name in EDITORS]
    pids: set[str] = set()
    for burst in range(6):  # until both worker processes have taken saves (nearly always the first burst)
        tabs = [clone(editors[i % 2]) for i in range(len(BURST_SLUGS))]
        jobs = [save_job(tab, slug, tab.edit_form(slug), f"probeburst{burst}n{i}")
                for i, (tab, slug) in enumerate(zip(tabs, BURST_SLUGS, strict=True))]
        replies = run_together(jobs)
        assert [r.status for r in replies] == [302] * len(jobs), [(r.status, r.text[:200]) for r in replies]
        for i, slug in enumerate(BURST_SLUGS):
            assert f"probeburst{burst}n{i}" in asset_file(server, slug).read_text(encoding="utf-8")
            assert found_by_search(editors[0], f"probeburst{burst}n{i}", slug)
        pids = worker_pids(server, "POST", r"/publish/[a-z-]+/edit")
        if len(pids) >= 2:
            break
    assert len(pids) == 2, f"saves were served by worker processes {pids}"
    assert not re.search(r" POST /publish/\S+ 5\d\d", server.log())


@pytest.mark.slow
def test_bounded_load_with_saves_has_no_5xx_and_loses_no_save(server):
    """LOAD_REQUESTS GETs at concurrency 16 over loopback while an editor saves 20 times."""
    total, concurrency, saves = LOAD_REQUESTS, 16, 20
    rng = random.Random(2568)
    queries = ["ลาป่วย", "เบี้ยยังชีพผู้สูงอายุ", "ภาษีป้าย", "จัดซื้อจัดจ้าง", "ไข้เลือดออก", "ใบอนุญาตก่อสร้าง",
               "ลาปวย", "งบประมาณ 2568", "คำสั่งที่ 951/2567", "km"]
    slugs = ["sick-leave", "dengue-control", "signboard-tax", "building-permit", "elderly-allowance", "km-plan"]
    paths = ([f"/search?q={quote(q)}" for q in queries] + [f"/api/search?q={quote(q)}&per_page=20" for q in queries]
             + [f"/assets/{s}" for s in slugs] + ["/", "/browse/", "/browse/department/palad", "/browse/tag/"
             + quote("การลา"), "/api/assets/sick-leave", "/search?q=" + quote("ลา") + "&sort=newest&page=2"])
    plan = [rng.choice(paths) for _ in range(total)]
    statuses: dict[int, int] = {}
    failures: list[str] = []
    lock = threading.Lock()
    cursor = iter(range(total))

    def reader() -> None:
        browser = server.browser()
        while True:
            with lock:
                i = next(cursor, None)
            if i is None:
                return
            reply = browser.get(plan[i])
            with lock:
                statuses[reply.status] = statuses.get(reply.status, 0) + 1
                if reply.status >= 500:
                    failures.append(f"{reply.status} {plan[i]}")

    editor = signed_in(server, "somchai")
    saved: list[tuple[str, str]] = []
    save_statuses: list[int] = []

    def saver() -> None:
        for n in range(saves):
            slug = slugs[n % len(slugs)]
            reply = save_job(editor, slug, editor.edit_form(slug), f"probeload{n}x")()
            save_statuses.append(reply.status)
            if reply.status == 302:
                saved.append((slug, f"probeload{n}x"))

    started = time.perf_counter()
    threads = [threading.Thread(target=reader, daemon=True) for _ in range(concurrency)]
    threads.append(threading.Thread(target=saver, daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
        assert not thread.is_alive(), "the load test did not finish within four minutes"
    seconds = time.perf_counter() - started
    served = sum(statuses.values())
    print(f"\nload: {served} GETs at concurrency {concurrency} + {len(save_statuses)} saves in {seconds:.1f} s "
          f"({served / seconds:.0f} req/s); statuses {dict(sorted(statuses.items()))}")
    assert served == total
    assert save_statuses == [302] * saves
    for slug, marker in saved:
        assert marker in asset_file(server, slug).read_text(encoding="utf-8")
        assert found_by_search(editor, marker, slug), f"{marker} saved in {slug} but not searchable"
    assert set(statuses) == {200}, failures[:3]
    assert tracebacks(server) == []


def test_the_server_log_has_no_unexpected_error(server):
    """No request caused a traceback in either worker, and none got a 503: this test's own mix of
    pages, searches, bad parameters, a save and a conflict, and (run last) every earlier test's."""
    start = len(server.log())
    reader, editor = server.browser(), signed_in(server, "somchai")
    expected = {"/": 200, f"/search?q={quote('ลาป่วย')}": 200, f"/api/search?q={quote('ลา')}&fy=68": 400,
                "/api/search?page=abc": 400, "/assets/no-such-asset": 404, "/browse/": 200}
    assert {path: reader.get(path).status for path in expected} == expected
    stale = editor.edit_form("grievance-fairness")
    assert save_job(editor, "grievance-fairness", editor.edit_form("grievance-fairness"), "probelog1")().status == 302
    assert save_job(editor, "grievance-fairness", stale, "probelog2")().status == 409  # the conflict page
    sent = len(expected) + 6  # + sign-in (2), two edit forms, two saves
    deadline = time.monotonic() + 10  # the access log is written by the workers as they answer
    while len(re.findall(r"^<\d+> (?:GET|POST) ", server.log()[start:], re.MULTILINE)) < sent:
        assert time.monotonic() < deadline, f"this test's requests are not in the log:\n{server.log()[start:]}"
        time.sleep(0.1)
    errors = tracebacks(server)
    assert errors == [], errors[0]
    assert " 503" not in "\n".join(line for line in server.log().splitlines() if line.startswith("<"))
