"""KM_TIMEZONE: every displayed time and "today" are the municipality's, not the server's (UTC).

The instant used throughout is 2026-12-01 17:30 UTC: still 1 December on a UTC server, already
2 ธันวาคม 2569 00:30 in Bangkok.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import app_config
from plans_support import write_km
from publish_support import csrf_token

from app.db import get_db
from indexer import SettingsError, dates
from indexer.settings import read_settings

NEAR_MIDNIGHT = dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    """The fixed instant, and the zone put back for the tests that follow."""
    monkeypatch.setattr(dates, "utc_now", lambda: NEAR_MIDNIGHT)
    yield
    dates.use_timezone(dates.DEFAULT_TIMEZONE)


def test_today_and_now_are_bangkok_by_default():
    assert dates.today() == dt.date(2026, 12, 2)
    assert dates.now().isoformat() == "2026-12-02T00:30:00+07:00"
    assert dates.thai_datetime(NEAR_MIDNIGHT) == "2 ธ.ค. 2569 00:30"
    assert dates.thai_datetime(NEAR_MIDNIGHT.replace(tzinfo=None), long=True) == "2 ธันวาคม 2569 00:30"
    dates.use_timezone("UTC")
    assert dates.today() == dt.date(2026, 12, 1)
    assert dates.thai_datetime(NEAR_MIDNIGHT) == "1 ธ.ค. 2569 17:30"


@pytest.mark.parametrize("raw", ["Asia/Bangkog", "../../etc/passwd", "UTC+7", "Asia/"])
def test_an_unknown_zone_is_a_settings_error_naming_km_timezone(raw):
    with pytest.raises(SettingsError) as info:
        read_settings([{"KM_TIMEZONE": raw}])
    assert str(info.value) == ("KM_TIMEZONE: expected a time-zone name of the IANA database such as Asia/Bangkok, "
                               f"got {raw!r}")


def test_the_site_does_not_start_with_an_unknown_zone(tmp_path, knowledge_dir):
    from app import create_app

    with pytest.raises(SettingsError, match="^KM_TIMEZONE: expected a time-zone name"):
        create_app(app_config(tmp_path, knowledge_dir, KM_TIMEZONE="Mars/Olympus_Mons"))


def test_the_cli_uses_the_zone_too(knowledge_dir, tmp_path, monkeypatch, capsys):
    from indexer.cli import main

    monkeypatch.setenv("KM_TIMEZONE", "Pacific/Honolulu")  # 1 Dec 07:30 there: fiscal year 2570 either way
    assert main(["--knowledge", str(knowledge_dir), "--index", str(tmp_path / "ix"), "build", "--quiet"]) == 0
    assert dates.current_timezone().key == "Pacific/Honolulu" and dates.today() == dt.date(2026, 12, 1)
    monkeypatch.setenv("KM_TIMEZONE", "Nowhere/City")
    assert main(["--knowledge", str(knowledge_dir), "check"]) == 2
    assert "KM_TIMEZONE: expected a time-zone name" in capsys.readouterr().err


def test_the_print_report_says_when_it_was_made_in_bangkok(client):
    page = client.get("/reports/print?fy=2568").get_data(as_text=True)
    assert '<span class="print-made">จัดทำเมื่อ 2 ธันวาคม 2569 00:30 น.</span>' in page


def test_the_print_report_follows_another_configured_zone(tmp_path, knowledge_dir):
    from app import create_app

    application = create_app(app_config(tmp_path, knowledge_dir, KM_TIMEZONE="UTC"))
    try:
        page = application.test_client().get("/reports/print?fy=2568").get_data(as_text=True)
        assert "จัดทำเมื่อ 1 ธันวาคม 2569 17:30 น." in page
    finally:
        application.extensions["km"].stop()


@pytest.fixture
def km_knowledge(knowledge_dir):
    write_km(knowledge_dir)
    return knowledge_dir


def test_the_km_report_print_says_when_it_was_made(km_knowledge, client):
    page = client.get("/plans/report/print?fy=2568").get_data(as_text=True)
    assert '<p class="print-made">จัดทำเมื่อ 2 ธันวาคม 2569 00:30 น.</p>' in page


def test_audit_log_history_and_csv_show_bangkok_time(app, editor_client, admin_client):
    page = editor_client.get("/publish/sick-leave/disseminate").get_data(as_text=True)
    assert 'value="02/12/2569"' in page  # the form's default date is Bangkok's today, in BE
    assert editor_client.post("/publish/sick-leave/disseminate", data={
        "csrf_token": csrf_token(page), "channel": "website", "date": "2026-12-02", "ref": "หน้าแรก"}).status_code == 302
    with app.app_context():
        stored = get_db().execute("SELECT at FROM audit_log").fetchone()[0]
    assert stored == "2026-12-01T17:30:00+00:00"  # kept in UTC, shown in the zone
    audit = admin_client.get("/admin/audit").get_data(as_text=True)
    assert re.search(r'<td class="nowrap">2 ธ\.ค\. 2569 00:30</td>', audit)
    # the Bangkok day 2 ธ.ค. holds the entry; the UTC day 1 Dec does not
    assert "พบ 1 รายการ" in admin_client.get("/admin/audit?since=2026-12-02&until=2026-12-02").get_data(as_text=True)
    assert "พบ 0 รายการ" in admin_client.get("/admin/audit?since=2026-12-01&until=2026-12-01").get_data(as_text=True)
    csv_text = admin_client.get("/admin/audit.csv").get_data(as_text=True)
    assert "เวลา ISO (Asia/Bangkok)" in csv_text and "2026-12-02 00:30:00" in csv_text
    assert "เวลา พ.ศ. (Asia/Bangkok)" in csv_text and "2 ธ.ค. 2569 00:30" in csv_text
    history = editor_client.get("/publish/sick-leave/history").get_data(as_text=True)
    assert "2 ธ.ค. 2569 00:30" in history


def test_the_zone_loads_without_system_zone_files(tmp_path):
    """Slim containers and Windows have no /usr/share/zoneinfo: the pinned tzdata package answers then."""
    import subprocess
    import sys

    code = ("import datetime as dt; from indexer import dates; dates.use_timezone('Asia/Bangkok'); "
            "print(dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC).astimezone(dates.current_timezone()))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True,
                          env={"PYTHONTZPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.stdout.strip() == "2026-12-02 00:30:00+07:00"
