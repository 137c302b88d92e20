"""KM indicators by fiscal year: boundaries, threshold edges, channels, evidence, settings and the CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from conftest import write_asset

from indexer.cli import main
from indexer.content.catalogue import AssetCatalogue
from indexer.content.loader import load_folder
from indexer.content.vocabulary import load_vocabulary
from indexer.dates import parse_fiscal_year
from indexer.errors import VocabularyError
from indexer.indicators.compute import ChannelEvidence, DepartmentEvidence, compute_report, fiscal_years_with_data
from indexer.indicators.config import load_indicator_config
from indexer.settings import DATA_DIR

VOCAB = load_vocabulary(DATA_DIR / "vocabulary.yaml")
CONFIG = load_indicator_config(VOCAB)


def report_for(folder: Path, fiscal_year: int, config=CONFIG, vocab=VOCAB):
    loaded = load_folder(folder, vocab)
    assert loaded.errors == []
    return compute_report(loaded.assets, fiscal_year, vocab, config)


def custom_config(tmp_path: Path, section) -> tuple:
    raw = yaml.safe_load((DATA_DIR / "vocabulary.yaml").read_text(encoding="utf-8"))
    raw["indicators"] = section
    path = tmp_path / "vocabulary.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    vocab = load_vocabulary(path)
    return vocab, load_indicator_config(vocab, path)


# -- fiscal years -----------------------------------------------------------------------------

@pytest.mark.parametrize("published, in_2567, in_2568", [
    ("2024-09-30", 1, 0), ("2024-10-01", 0, 1), ("2567-09-30", 1, 0), ("2567-10-01", 0, 1),
    ("2025-09-30", 0, 1), ("2025-10-01", 0, 0),
])
def test_asset_counts_in_the_fiscal_year_of_its_published_date(tmp_path, published, in_2567, in_2568):
    write_asset(tmp_path, "a.md", published=published)
    assert report_for(tmp_path, 2567).goal(1).value == in_2567
    assert report_for(tmp_path, 2568).goal(1).value == in_2568


def test_fiscal_year_given_in_ce_or_be_is_the_same_year():
    assert parse_fiscal_year("2025") == parse_fiscal_year("2568") == parse_fiscal_year("๒๕๖๘") == 2568


def test_report_period_is_first_october_to_thirtieth_september(tmp_path):
    report = report_for(tmp_path, 2568)
    assert (report.start, report.end) == (dt.date(2024, 10, 1), dt.date(2025, 9, 30))


@pytest.mark.parametrize("day, counted_in", [("2024-09-30", 2567), ("2024-10-01", 2568), ("2568-09-30", 2568)])
def test_dissemination_record_counts_in_the_fiscal_year_of_its_date(tmp_path, day, counted_in):
    write_asset(tmp_path, "a.md", dissemination=[{"channel": "leaflet", "date": day}])
    for year in (2567, 2568):
        rows = {r.channel: r.records for r in report_for(tmp_path, year).channels}
        assert rows["leaflet"] == (1 if year == counted_in else 0)


# -- threshold edges ---------------------------------------------------------------------------

@pytest.mark.parametrize("count, level", [(0, 1), (1, 2), (2, 2), (3, 3), (4, 3), (5, 4), (6, 4), (7, 5), (8, 5)])
def test_goal1_level_at_every_threshold_edge(tmp_path, count, level):
    for i in range(count):
        write_asset(tmp_path, f"a{i}.md", published="2025-01-15")
    goal = report_for(tmp_path, 2568).goal(1)
    assert (goal.value, goal.level, goal.target) == (count, level, 4)
    assert goal.reached is (level >= 4)


@pytest.mark.parametrize("departments, level", [(0, 1), (1, 2), (2, 2), (3, 3), (4, 3), (5, 4), (6, 5)])
def test_goal2_level_at_every_threshold_edge_with_level5_for_every_department(tmp_path, departments, level):
    for key in VOCAB.departments.keys[:departments]:
        write_asset(tmp_path, f"{key}.md", department=key, asset_type="procedure", published="2025-01-15")
    goal = report_for(tmp_path, 2568).goal(2)
    assert (goal.value, goal.level) == (departments, level)
    assert goal.reached is (level >= 4)


@pytest.mark.parametrize("channels, level", [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 5)])
def test_goal3_level_at_every_threshold_edge_and_zero_is_not_reached(tmp_path, channels, level):
    keys = [k for k in VOCAB.channels.keys if k != "website"][:channels]
    write_asset(tmp_path, "a.md", dissemination=[{"channel": k, "date": "2025-02-01"} for k in keys])
    goal = report_for(tmp_path, 2568).goal(3)
    assert (goal.value, goal.level, goal.target) == (channels, level, 5)
    assert goal.reached is (level == 5)


def test_goal2_counts_only_procedures_and_checklists_once_per_department(tmp_path):
    write_asset(tmp_path, "p1.md", asset_type="procedure", published="2025-01-15")
    write_asset(tmp_path, "p2.md", asset_type="checklist", published="2025-02-15")
    write_asset(tmp_path, "f1.md", department="finance", asset_type="manual", published="2025-01-15")
    goal = report_for(tmp_path, 2568).goal(2)
    assert goal.value == 1
    assert [(group.department, [a.slug for a in group.assets]) for group in goal.evidence] == [("palad", ["p1", "p2"])]
    assert all(isinstance(group, DepartmentEvidence) for group in goal.evidence)


# -- channels and records ---------------------------------------------------------------------

def test_channel_given_by_thai_label_and_by_key_is_counted_once(tmp_path):
    write_asset(tmp_path, "a.md", dissemination=[{"channel": "circular", "date": "2025-01-20", "ref": "ว 709"},
                                                 {"channel": "หนังสือแจ้งเวียน", "date": "2025-01-20", "ref": "ว 709"}])
    write_asset(tmp_path, "b.md", dissemination=[{"channel": "หนังสือเวียน", "date": "2025-03-01", "ref": "ว 800"}])
    report = report_for(tmp_path, 2568)
    assert report.goal(3).value == 1
    row = next(r for r in report.channels if r.channel == "circular")
    assert (row.records, row.assets) == (2, 2)


def test_published_asset_counts_on_the_website_channel_on_its_published_date(tmp_path):
    write_asset(tmp_path, "a.md", published="2025-01-15")
    report = report_for(tmp_path, 2568)
    [record] = report.records
    assert (record.channel, record.date, record.automatic) == ("website", dt.date(2025, 1, 15), True)
    assert report.goal(3).evidence == (ChannelEvidence("website", (record,)),)


def test_explicit_website_record_on_the_published_date_is_not_counted_twice(tmp_path):
    write_asset(tmp_path, "a.md", published="2025-01-15",
                dissemination=[{"channel": "เว็บไซต์", "date": "2025-01-15", "ref": "ข่าวหน้าแรก"}])
    [record] = report_for(tmp_path, 2568).records
    assert (record.ref, record.automatic) == ("ข่าวหน้าแรก", False)


def test_one_circular_recorded_in_two_writings_counts_once(tmp_path):
    write_asset(tmp_path, "a.md", published="2025-01-15", dissemination=[
        {"channel": "circular", "date": "2025-02-03", "ref": "ที่ ชม ๕๓๑๐๑/ว ๘๘"},
        {"channel": "circular", "date": "2025-02-03", "ref": "ที่ ชม 53101/ว  88"},
        {"channel": "circular", "date": "2025-02-03", "ref": "ที่ ชม 53101/ว 89"}])
    records = [r for r in report_for(tmp_path, 2568).records if r.channel == "circular"]
    assert [r.ref for r in records] == ["ที่ ชม ๕๓๑๐๑/ว ๘๘", "ที่ ชม 53101/ว 89"]


def test_website_counting_can_be_switched_off(tmp_path):
    vocab, config = custom_config(tmp_path, {"website_counts_published": False})
    write_asset(tmp_path / "k", "a.md", published="2025-01-15")
    report = report_for(tmp_path / "k", 2568, config, vocab)
    assert (report.goal(1).value, report.goal(3).value, report.records) == (1, 0, ())


def test_records_without_dates_count_in_no_year_and_are_listed(tmp_path):
    write_asset(tmp_path, "a.md", dissemination=[{"channel": "leaflet", "ref": "แผ่นพับ 500 ชุด"}])
    report = report_for(tmp_path, 2568)
    assert report.goal(3).value == 0
    assert [(r.asset.slug, r.channel, r.date, r.ref) for r in report.undated_records] == \
        [("a", "leaflet", None, "แผ่นพับ 500 ชุด")]


def test_asset_without_published_date_is_not_counted_but_its_dated_records_are(tmp_path):
    write_asset(tmp_path, "a.md", asset_type="procedure", dissemination=[{"channel": "meeting", "date": "2025-05-01"}])
    report = report_for(tmp_path, 2568)
    assert (report.goal(1).value, report.goal(2).value, report.goal(3).value) == (0, 0, 1)
    assert [a.slug for a in report.undated_assets] == ["a"]
    assert [r.channel for r in report.records] == ["meeting"]


@pytest.mark.parametrize("status", ["draft", "archived"])
def test_drafts_and_archived_assets_never_count(tmp_path, status):
    write_asset(tmp_path, "a.md", status=status, asset_type="procedure", published="2025-01-15",
                dissemination=[{"channel": "leaflet", "date": "2025-01-20"}])
    report = report_for(tmp_path, 2568)
    assert [g.value for g in report.goals] == [0, 0, 0]
    assert report.undated_assets == () and report.records == ()


@pytest.mark.parametrize("retired, counted_in", [
    ("2025-09-30", ()),  # retired on the last day of 2568: no year had closed
    ("2025-10-01", (2568,)),
    ("2026-12-07", (2568, 2569)),
])
def test_a_retired_asset_still_counts_in_the_years_closed_before_it_was_retired(tmp_path, retired, counted_in):
    """Retiring an out-of-date procedure in 2570 dropped it from 2568's goals, a report the auditor had
    already been given (outside review, KM team): a year closed before the retirement keeps counting it."""
    write_asset(tmp_path, "a.md", status="archived", retired=retired, asset_type="procedure", published="2025-01-15",
                dissemination=[{"channel": "leaflet", "date": "2025-11-20"}])
    expected = {2568: [1, 1, 1], 2569: [0, 0, 1], 2570: [0, 0, 0]}
    for year, values in expected.items():
        assert [g.value for g in report_for(tmp_path, year).goals] == (values if year in counted_in else [0, 0, 0])
    loaded = load_folder(tmp_path, VOCAB)
    assert fiscal_years_with_data(loaded.assets, CONFIG, 2571) == [2571, *reversed(counted_in)]


def test_a_retired_date_on_an_asset_not_archived_is_said_to_do_nothing(tmp_path):
    write_asset(tmp_path, "a.md", published="2025-01-15", retired="2025-10-01")
    loaded = load_folder(tmp_path, VOCAB)
    assert [(p.field, p.severity) for p in loaded.problems] == [("retired", "warning")]
    assert "status: archived" in loaded.problems[0].message
    assert report_for(tmp_path, 2569).goal(1).value == 0 and report_for(tmp_path, 2568).goal(1).value == 1


def test_unknown_channel_is_reported_by_check(tmp_path, capsys):
    write_asset(tmp_path, "palad/a.md", dissemination=[{"channel": "วิทยุชุมชน", "date": "2025-01-20"}])
    problems = load_folder(tmp_path, VOCAB).problems
    assert [(p.field, p.message, p.severity) for p in problems] == [(
        "dissemination[1].channel",
        VOCAB.channels.not_listed("วิทยุชุมชน") +
        " (บันทึกการเผยแพร่นี้จึงไม่นับ)", "warning")]
    assert main(["--knowledge", str(tmp_path), "--index", str(tmp_path / "ix"), "check"]) == 0  # the asset is fine
    out = capsys.readouterr().out
    assert "คำเตือน: palad/a.md:" in out and "dissemination[1].channel: ไม่มี \"วิทยุชุมชน\" ในรายการ" in out


def test_evidence_has_one_entry_per_counted_unit(tmp_path):
    write_asset(tmp_path, "a.md", asset_type="procedure", published="2025-01-15",
                dissemination=[{"channel": "leaflet", "date": "2025-01-20", "ref": "ชุดที่ 1"}])
    write_asset(tmp_path, "b.md", department="finance", asset_type="checklist", published="2025-06-01")
    report = report_for(tmp_path, 2568)
    for goal in report.goals:
        assert len(goal.evidence) == goal.value
    assert [e.channel for e in report.goal(3).evidence] == ["website", "leaflet"]
    assert report.matrix.departments[:2] == ("palad", "finance")
    assert [(r.channel, r.counts[:2]) for r in report.matrix.rows] == [("website", (1, 1)), ("leaflet", (1, 0))]


# -- settings ---------------------------------------------------------------------------------

def test_thresholds_and_targets_come_from_the_vocabulary(tmp_path):
    vocab, config = custom_config(tmp_path, {"goal1": {"levels": [0, 2, 4, 6, 10], "target": 3}})
    for i in range(4):
        write_asset(tmp_path / "k", f"a{i}.md", published="2025-01-15")
    goal = report_for(tmp_path / "k", 2568, config, vocab).goal(1)
    assert (goal.value, goal.level, goal.target, goal.reached) == (4, 3, 3, True)


@pytest.mark.parametrize("section, message", [
    ({"goal1": {"levels": [0, 1, 3, 5]}},
     "indicators.goal1.levels: expected a list of 5 lower bounds (levels 1–5), got [0, 1, 3, 5]"),
    ({"goal1": {"levels": [0, 1, 3, 5, "all"]}}, "indicators.goal1.levels[5]: expected a whole number ≥ 0, got 'all'"),
    ({"goal2": {"levels": [0, 1, -3, 5, "all"]}},
     "indicators.goal2.levels[3]: expected a whole number ≥ 0 or \"all\", got -3"),
    ({"goal3": {"levels": [1, 2, 3, 2, 5]}},
     "indicators.goal3.levels[4]: expected at least 3 (bounds must not decrease), got 2"),
    ({"goal3": {"levels": [0, 1, "all", 2, 3]}},  # level 5 at 3 channels while level 3 needs all (SEC-03)
     'indicators.goal3.levels[4]: expected "all" after "all" (a higher level cannot ask less), got 2'),
    ({"goal3": {"target": 6}}, "indicators.goal3.target: expected a level from 1 to 5, got 6"),
    ({"goal2": {"asset_types": ["procedure", "recipe"]}}, "indicators.goal2.asset_types[2]: expected one of manual"),
    ({"goal1": {"level": [0, 1, 3, 5, 7]}},
     "indicators.goal1.level: unknown key (expected one of title, levels, target, asset_types)"),
    ({"goal4": {}}, "indicators.goal4: unknown key"),
    ({"website_counts_published": "yes"}, "indicators.website_counts_published: expected true or false, got 'yes'"),
    ({"website_channel": "radio"}, "indicators.website_channel: expected one of website"),
])
def test_bad_indicator_settings_fail_naming_the_key(tmp_path, section, message):
    with pytest.raises(VocabularyError) as error:
        custom_config(tmp_path, section)
    assert f"{tmp_path / 'vocabulary.yaml'}: {message}" in str(error.value)


def test_bad_indicator_settings_stop_the_site_at_start_up(tmp_path, knowledge_dir):
    from conftest import app_config

    from app import create_app

    raw = yaml.safe_load((DATA_DIR / "vocabulary.yaml").read_text(encoding="utf-8"))
    raw["indicators"] = {"goal1": {"target": 0}}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(VocabularyError, match=r"indicators\.goal1\.target: expected a level from 1 to 5, got 0"):
        create_app(app_config(tmp_path, knowledge_dir, KM_VOCABULARY_FILE=str(path)))


# -- catalogue and CLI -------------------------------------------------------------------------

def test_catalogue_reparses_only_changed_files(tmp_path, monkeypatch):
    import indexer.content.catalogue as catalogue_module

    write_asset(tmp_path, "a.md", title="เดิม")
    write_asset(tmp_path, "b.md")
    parsed = []
    real = catalogue_module.load_asset
    monkeypatch.setattr(catalogue_module, "load_asset", lambda p, *a: parsed.append(p.name) or real(p, *a))
    catalogue = AssetCatalogue(tmp_path, VOCAB)
    assert len(catalogue.assets()) == 2 and sorted(parsed) == ["a.md", "b.md"]
    parsed.clear()
    write_asset(tmp_path, "a.md", title="ใหม่กว่าเดิม")
    (tmp_path / "b.md").unlink()
    assert [a.title for a in catalogue.assets()] == ["ใหม่กว่าเดิม"]
    assert parsed == ["a.md"]


def test_cli_prints_the_indicators_of_a_fiscal_year(knowledge_dir, tmp_path, capsys):
    assert main(["--knowledge", str(knowledge_dir), "--index", str(tmp_path / "ix"), "indicators", "--fy", "2025"]) == 0
    out = capsys.readouterr().out
    assert "ปีงบประมาณ 2568 (1 ต.ค. 2567 – 30 ก.ย. 2568)" in out
    assert "เป้าประสงค์       ผล   ระดับ   ค่าเป้าหมาย  บรรลุ" in out  # Thai, lined up by columns on screen
    assert "1                2      2           4  ไม่     จำนวนองค์ความรู้ที่จัดทำและเผยแพร่" in out
    assert "3                1      1           5  ไม่ " in out
    assert "website                3       2  เว็บไซต์" in out


def test_cli_takes_the_year_without_fy_as_the_secretary_types_it(knowledge_dir, tmp_path, capsys):
    args = ["--knowledge", str(knowledge_dir), "--index", str(tmp_path / "ix")]
    for command in ("indicators", "km-report"):
        main([*args, command, "2567"])
        said = capsys.readouterr()
        assert "ปีงบประมาณ 2567" in said.out + said.err  # the year typed, not this year's
    assert main([*args, "indicators", "2568", "--fy", "2568"]) == 0
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main([*args, "indicators", "2568", "--fy", "2567"])
    assert "ระบุปีงบประมาณสองปี (2568 และ --fy 2567) ให้ระบุปีเดียว" in capsys.readouterr().err


def test_cli_rejects_a_bad_fiscal_year(knowledge_dir, tmp_path, capsys):
    assert main(["--knowledge", str(knowledge_dir), "--index", str(tmp_path / "ix"), "indicators", "--fy", "68"]) == 2
    assert capsys.readouterr().err == 'ข้อผิดพลาด: fy: ปีงบประมาณต้องเป็นเลขสี่หลัก เช่น 2568 แต่พบ "68"\n'


def test_a_dissemination_dated_ahead_counts_from_its_day_and_is_listed_apart(tmp_path, monkeypatch):
    """A record dated next week counted at once in goal 3 (9 channels instead of 8), with no mark on any of the
    auditor's pages (outside review, onboarding)."""
    from indexer import dates

    write_asset(tmp_path, "a.md", published="2569-10-15", dissemination=[
        {"channel": "circular", "date": "2569-11-20", "ref": "ว 1"},
        {"channel": "info-centre", "date": "2569-12-15", "ref": "ป้ายหน้าสำนักงาน"}])
    monkeypatch.setattr(dates, "today", lambda: dt.date(2026, 12, 7))
    report = report_for(tmp_path, 2570)
    counted = {g.channel for g in report.goal(3).evidence}
    assert counted == {"website", "circular"} and [r.channel for r in report.ahead_records] == ["info-centre"]
    monkeypatch.setattr(dates, "today", lambda: dt.date(2026, 12, 15))
    report = report_for(tmp_path, 2570)
    assert {g.channel for g in report.goal(3).evidence} == {"website", "circular", "info-centre"}
    assert report.ahead_records == ()
