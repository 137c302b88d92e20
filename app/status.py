"""Repository status: index figures for everyone; the files skipped or warned about, with their
paths, fields and values, for the KM team only (a draft's path and front matter are the team's)."""

from __future__ import annotations

import sqlite3

from flask import Blueprint, abort, current_app, jsonify, render_template

from indexer import (
    KnowledgeError,
    SearchRequest,
    __version__,
    copied_assets,
)

from .auth import is_km_team
from .csvfile import csv_response
from .db import get_db
from .plans.helpers import km_problems
from .plans.state import assets, checked_records

bp = Blueprint("status", __name__)


SHOWN_ROWS = 200  # a table's rows on the page; the CSV has them all (3,000 assets gave 3,053 rows, 1.4 MB)


@bp.get("/status")
def index():
    state = current_app.extensions["km"]
    kb = state.kb
    details = is_km_team()
    problems, warnings = _problems(kb, details)
    overview = kb.search(SearchRequest(per_page=1))
    return render_template("status/index.html", problems=problems, total=overview.total,
                           errors=[p for p in problems if p.severity == "error"], warnings=warnings,
                           details=details, last_error=state.last_error, watcher=state.watcher,
                           watcher_died=state.watcher_died, settings=kb.settings, semantic=kb.semantic.status(),
                           shown_rows=SHOWN_ROWS)


@bp.get("/status/problems.csv")
def problems_csv():
    """Every problem the team's status page lists, in one CSV (the page shows the first SHOWN_ROWS of each
    table): the files left out, the warnings, and those of the KM files."""
    if not is_km_team():
        abort(403, description="รายการไฟล์และปัญหาสำหรับทีม KM: เข้าสู่ระบบก่อน")
    problems, warnings = _problems(current_app.extensions["km"].kb, True)
    rows = ([("ไม่ได้นำเข้าดัชนี", p) for p in problems if p.severity == "error"]
            + [("คำเตือน", p) for p in warnings]
            + [("ไฟล์แผน: " + ("ข้อผิดพลาด" if p.severity == "error" else "คำเตือน"), p) for p in km_problems()])
    return csv_response("km-status-problems.csv", ["ระดับ", "ไฟล์", "บรรทัด", "ฟิลด์", "ปัญหา"],
                        ([level, p.path, p.line or "", p.field or "", p.message] for level, p in rows))


def _problems(kb, details: bool) -> tuple[list, list]:
    """(each file's problems kept by the index, the warnings: those and, for the KM team, the checks
    across files)."""
    problems = kb.problems()  # each file's, kept by the index: personal data and undescribed pictures too
    warnings = [p for p in problems if p.severity != "error"]  # readers see how many, the KM team which
    if details:  # across files, so not in the index's per-file problems: dates after today, broken links, copies
        warnings += kb.across_files(assets(), checked_records())
        warnings += copied_assets(assets())
    return problems, warnings


@bp.get("/healthz")
def health():
    """For a monitor, open without signing in even with KM_REQUIRE_LOGIN: 200 when this worker can
    answer a search and write to its database, else 503, with each part's state. /status said 200
    through a stale index, failing searches and a read-only database. The reasons themselves (paths
    on the server) are for the KM team; the log has them too."""
    state = current_app.extensions["km"]
    details = is_km_team()
    checks: dict[str, dict] = {}
    try:
        checks["index"] = {"ok": True, "assets": state.kb.search(SearchRequest(per_page=1)).total}
    except (KnowledgeError, OSError) as exc:
        checks["index"] = _failed(exc, details)
    try:
        db = get_db()
        db.execute("BEGIN IMMEDIATE")  # takes the write lock: a read-only file or folder fails here
        db.execute("ROLLBACK")
        checks["database"] = {"ok": True}
    except sqlite3.Error as exc:
        checks["database"] = _failed(exc, details)
    checks["watcher"] = {"ok": state.watcher != "stopped" and state.last_error is None, "state": state.watcher,
                         **({"error": state.last_error} if details and state.last_error else {})}
    semantic = state.kb.semantic.status()
    problems = state.kb.problems()
    ok = all(check["ok"] for check in checks.values())
    return jsonify(ok=ok, version=__version__, checks=checks,
                   semantic={"enabled": semantic["enabled"], "encoding": semantic["running"]},
                   files_left_out=sum(1 for p in problems if p.severity == "error")), 200 if ok else 503


def _failed(exc: BaseException, details: bool) -> dict:
    return {"ok": False, **({"error": f"{type(exc).__name__}: {exc}"} if details else {})}
