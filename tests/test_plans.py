"""The KM-plan library: periods, schema errors with exact messages, measures and states with known answers."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from conftest import REPO, write_asset
from plans_support import PLAN, SURVEYS, TODAY, plan_with_goals, write_file, write_km

from indexer.content.loader import load_folder
from indexer.content.vocabulary import load_vocabulary
from indexer.indicators.config import load_indicator_config
from indexer.plans import (
    PeriodError,
    activity_level,
    dated_ahead,
    experts_for,
    load_km,
    load_plan_vocabulary,
    parse_period,
    plan_results,
    year_data,
)
from indexer.settings import DATA_DIR

VOCAB = load_vocabulary(DATA_DIR / "vocabulary.yaml")
PLAN_VOCAB = load_plan_vocabulary(VOCAB)
STAGES = "identification, creation, organization, codification, access, sharing, learning"
PERIOD_EXPECTED = ('ต้องเป็นช่วงเดือน เช่น "ก.พ.–มี.ค. 2568" หรือ "ต.ค. 2567 – ก.ย. 2568" '
                   'หรือปีงบประมาณ เช่น "2568" หรือ "2564–2566"')


def records_of(knowledge):
    return load_km(knowledge, VOCAB, PLAN_VOCAB, load_folder(knowledge, VOCAB).assets)


def problems_of(knowledge) -> list[str]:
    return [f"{p.severity}: {p}" for p in records_of(knowledge).problems]


def results_of(knowledge, fiscal_year: int = 2568, today: dt.date = TODAY):
    assets = load_folder(knowledge, VOCAB).assets
    records = load_km(knowledge, VOCAB, PLAN_VOCAB, assets)
    config = records.indicator_config(load_indicator_config(VOCAB), fiscal_year)  # as the site and the CLI
    data = year_data(records, fiscal_year, assets, VOCAB, config, PLAN_VOCAB, today=today)
    return plan_results(records.plan_for_year(fiscal_year), data, today)


# -- periods ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, start, end, shown", [
    ("ก.พ.–มี.ค. ๒๕๖๘", dt.date(2025, 2, 1), dt.date(2025, 3, 31), "ก.พ.–มี.ค. 2568"),
    ("ต.ค. 2567 - ก.ย. 2568", dt.date(2024, 10, 1), dt.date(2025, 9, 30), "ต.ค. 2567 – ก.ย. 2568"),
    ("พ.ย.–ก.พ. 2568", dt.date(2024, 11, 1), dt.date(2025, 2, 28), "พ.ย. 2567 – ก.พ. 2568"),
    ("มิถุนายน พ.ศ. ๒๕๖๘", dt.date(2025, 6, 1), dt.date(2025, 6, 30), "มิ.ย. 2568"),
    ("กพ ถึง มีค 2568", dt.date(2025, 2, 1), dt.date(2025, 3, 31), "ก.พ.–มี.ค. 2568"),
    ("2564-2566", dt.date(2020, 10, 1), dt.date(2023, 9, 30), "ปีงบประมาณ 2564–2566"),
    ("ปีงบประมาณ ๒๕๖๘", dt.date(2024, 10, 1), dt.date(2025, 9, 30), "ปีงบประมาณ 2568"),
])
def test_periods_in_thai_months_or_fiscal_years(text, start, end, shown):
    period = parse_period(text)
    assert (period.start, period.end, str(period)) == (start, end, shown)


@pytest.mark.parametrize("text, message", [
    ("ก.พ.", PERIOD_EXPECTED), ("sometime", PERIOD_EXPECTED), ("ก.พ.–มี.ค.–เม.ย. 2568", PERIOD_EXPECTED),
    ("2566-2564", "ปีงบประมาณต้องอยู่ระหว่าง 2500 ถึง 2700 และปีแรกต้องไม่อยู่หลังปีสุดท้าย"),
    ("มี.ค. 2568 – ก.พ. 2568", "เดือนสิ้นสุดต้องไม่อยู่ก่อนเดือนเริ่มต้น"), ("ก" * 200, PERIOD_EXPECTED),
])
def test_bad_periods_say_what_is_expected(text, message):
    with pytest.raises(PeriodError) as exc:
        parse_period(text)
    assert str(exc.value) == message


# -- schema errors ------------------------------------------------------------------------------
def test_the_sample_content_is_valid_and_complete():
    records = records_of(REPO / "knowledge")
    assert records.problems == ()
    plan = records.plan_for_year(2568)
    assert len(plan.activities) >= 7
    assert {a.step for a in plan.activities if a.step} == {
        "identification", "creation", "organization", "codification", "access", "sharing", "learning"}
    assert any(a.element for a in plan.activities)
    assert {g.number for g in plan.goals} == {1, 2, 3}
    assert len(records.events) >= 20 and {e.fiscal_year for e in records.events} == {2567, 2568}
    assert len(records.people.people) >= 15
    assets = load_folder(REPO / "knowledge", VOCAB).assets
    assert all(records.people.find(a.owner) for a in assets if a.owner)  # every owner has a card
    published = {a.slug for a in assets}
    gaps = [i for g in records.needs_for(2568).groups for i in g.items if not set(i.assets) & published]
    assert gaps


def test_missing_and_wrong_fields_name_file_line_and_field(tmp_path):
    plan = PLAN.replace("title: แผนทดสอบ ๒๕๖๘\n", "").replace("    step: creation\n", "    step: codify\n")
    plan = plan.replace("period: มี.ค.–ส.ค. 2568", "period: ไตรมาสสอง").replace("target: 20", "target: ยี่สิบ")
    write_km(tmp_path, plan=plan)
    assert [p for p in problems_of(tmp_path) if "plans/" in p] == [
        "error: _km/plans/2568.yaml:1: title: กรุณาระบุชื่อแผน",
        f"error: _km/plans/2568.yaml:20: activities[2].step: {VOCAB.km_stages.not_listed('codify')}",
        'error: _km/plans/2568.yaml:23: activities[2].target: ต้องเป็นตัวเลขตั้งแต่ 0 ขึ้นไป เช่น 80 แต่พบ "ยี่สิบ"',
        f'error: _km/plans/2568.yaml:27: activities[3].period: {PERIOD_EXPECTED} แต่พบ "ไตรมาสสอง"',
    ]


def test_rules_inside_a_plan(tmp_path):
    plan = (PLAN.replace("  - number: 2\n", "  - number: 1\n")
            .replace("    element: recognition\n", "    element: recognition\n    step: sharing\n")
            .replace("    measure: awareness\n    target: 80\n", "    measure: awareness\n")
            .replace("{activity: 6, weight: 50}", "{activity: 6, weight: 40}")
            .replace("period: ก.ค.–ส.ค. 2568", "period: ก.ค.–ส.ค. 2569"))
    write_km(tmp_path, plan=plan)
    assert [p for p in problems_of(tmp_path) if "plans/" in p] == [
        "error: _km/plans/2568.yaml:19: activities[2].number: ลำดับกิจกรรม 1 ซ้ำกับกิจกรรมก่อนหน้า",
        "error: _km/plans/2568.yaml:31: activities[4]: ต้องระบุ step (ขั้นตอน KM) หรือ element "
        "(องค์ประกอบการบริหารการเปลี่ยนแปลง) อย่างใดอย่างหนึ่งเท่านั้น",
        "error: _km/plans/2568.yaml:35: activities[4].period: ระยะเวลาอยู่นอกปีงบประมาณของแผน (2568)",
        "error: _km/plans/2568.yaml:44: activities[6].target: ต้องระบุค่าเป้าหมาย (target) เมื่อระบุตัวชี้วัดที่ระบบวัดให้ (measure)",
        "error: _km/plans/2568.yaml:55: scoring: น้ำหนักทุกแถวต้องรวมกันได้ 100 แต่รวมได้ 90",
    ]


def test_a_bad_plan_is_left_out_and_its_events_stay_tied_to_no_activity(tmp_path):
    write_km(tmp_path, plan=PLAN.replace("kpi: ระดับความสำเร็จ\n", ""))
    records = records_of(tmp_path)
    assert records.plans == () and records.broken_plan("2568") == "_km/plans/2568.yaml"
    assert len(records.people.people) == 2 and records.surveys and records.needs
    assert not [p for p in records.errors if "events/" in p.path]
    assert [p.message for p in records.problems if "events/" in p.path and "แผน" in p.message] == [
        "แผน 2568 มีข้อผิดพลาด กิจกรรมนี้จึงยังไม่นับเข้ากิจกรรมของแผนจนกว่าจะแก้ไฟล์แผน"] * 3
    assert len(records.events) == 4 and {e.activity for e in records.events} == {None}  # none hidden


def test_an_event_dated_outside_its_plans_years_is_tied_to_no_activity(tmp_path):
    write_km(tmp_path, events={"late": "date: ๑ ต.ค. ๒๕๖๘\ntype: cop\ntitle: ก\nplan: \"2568\"\nactivity: 3\n"})
    records = records_of(tmp_path)
    assert [(e.key, e.plan, e.activity) for e in records.events] == [("late", None, None)]
    assert [p.message for p in records.problems if "events/" in p.path] == [
        "วันที่จัดอยู่ในปีงบประมาณ 2569 แต่แผน 2568 ครอบคลุมปีงบประมาณ 2568 จึงไม่นับเข้ากิจกรรมของแผน แก้วันที่หรือรหัสแผน"]


def test_an_event_saved_twice_is_counted_as_written_and_pointed_out(tmp_path):
    write_km(tmp_path, events={
        "aar-copy": "date: ๑๔ มี.ค. ๒๕๖๘\ntype: aar\ntitle: ทบทวนหลังงาน  ครั้งที่ ๒\nparticipants: 12\n",
        "aar": "date: 2025-03-14\ntype: aar\ntitle: ทบทวนหลังงาน ครั้งที่ 2\nparticipants: 12\n",
        "aar-next-day": "date: 2025-03-15\ntype: aar\ntitle: ทบทวนหลังงาน ครั้งที่ 2\n",
        "afternoon": "date: 2025-03-14\ntype: aar\ntitle: ทบทวนหลังงาน ครั้งที่ 2 (รอบบ่าย)\n",
    })
    records = records_of(tmp_path)
    assert {"aar", "aar-copy", "aar-next-day", "afternoon"} <= {e.key for e in records.events}  # nothing dropped
    twice = [(p.path, p.field, p.severity) for p in records.problems if "บันทึกซ้ำ" in p.message]
    assert twice == [("_km/events/aar-copy.yaml", "title", "warning")]  # the second of the two files by name
    assert "_km/events/aar.yaml" in next(p.message for p in records.problems if "บันทึกซ้ำ" in p.message)


def test_events_are_checked_against_their_plan_and_people(tmp_path):
    write_km(tmp_path, events={
        "a": "date: 2025-05-01\ntype: cop\ntitle: ก\nactivity: 9\n",
        "b": "date: 2025-05-02\ntype: cop\ntitle: ข\nplan: 2599\n",
        "c": "date: 2025-05-03\ntype: วงกินข้าว\ntitle: ค\nparticipants: สิบ\ndate_typo: x\n",
        "d": "date: 2025-05-04\ntype: ล้อมวงเล่า\ntitle: ง\norganiser: nobody-here\nassets_used: [no-such-asset]\n",
    })
    assert [p for p in problems_of(tmp_path) if "events/" in p] == [
        "error: _km/events/a.yaml: activity: ไม่มีกิจกรรมที่ 9 ในแผน 2568 (มีกิจกรรมที่ 1, 2, 3, 4, 5, 6, 7)",
        'error: _km/events/b.yaml: plan: ไม่พบแผนรหัส "2599" (มี: 2568)',
        f"error: _km/events/c.yaml:2: type: {PLAN_VOCAB.event_types.not_listed('วงกินข้าว')}",
        'error: _km/events/c.yaml:4: participants: ต้องเป็นจำนวนเต็มตั้งแต่ 0 ขึ้นไป เช่น 25 แต่พบ "สิบ"',
        "warning: _km/events/c.yaml:5: date_typo: ไม่รู้จักฟิลด์นี้ (สะกดผิดหรือไม่?) ฟิลด์ที่ใช้ได้: date, type, "
        "title, plan, activity, organiser, participants, participant_names, staff_categories, departments, "
        "assets_produced, assets_used, evidence, summary, chair, minute_taker, resolutions, order_ref, order_date, "
        "reports_on",
        'warning: _km/events/d.yaml: assets_used: ไม่พบขุมความรู้ "no-such-asset" ในคลัง',
        'warning: _km/events/d.yaml: organiser: ไม่พบบุคคลรหัส "nobody-here" ใน knowledge/_km/people/',
    ]
    assert records_of(tmp_path).event("d").type == "storytelling"  # Thai label accepted


def test_one_plan_per_year_and_surveys_that_cannot_be(tmp_path):
    write_km(tmp_path, surveys="surveys:\n  - {date: 2025-03-20, respondents: 70, aware: 71, total_staff: 80}\n")
    write_file(tmp_path, "plans/second.yaml", PLAN.replace("title: แผนทดสอบ", "title: แผนซ้ำ"))
    assert [p for p in problems_of(tmp_path) if "plans/" in p or "surveys" in p] == [
        "error: _km/plans/second.yaml: fiscal_years: ปีงบประมาณ 2568 มีแผนอยู่แล้วในไฟล์ _km/plans/2568.yaml "
        "(หนึ่งปีมีได้หนึ่งแผน)",
        "error: _km/surveys.yaml:2: surveys[1].aware: จำนวนผู้ที่รู้จักต้องไม่มากกว่าจำนวนผู้ตอบ",
    ]


@pytest.mark.parametrize("text, message", [
    ("title: [unclosed\n", "YAML ไม่ถูกต้อง: วงเล็บ [ ไม่มี ] ปิด หรือขาดจุลภาคระหว่างรายการ (did not find expected ',' or ']')"),
    ("a: &x [1, 2]\nb: [*x, *x]\n", "ไม่รองรับ anchor/alias ของ YAML (& และ *) ในไฟล์นี้ กรุณาเขียนค่าซ้ำให้ครบ"),
    ("a: " + "[" * 3000 + "]" * 3000 + "\n", "โครงสร้าง YAML ซ้อนกันลึกเกิน 12 ชั้น"),
    ("key: a\nname: ก\nkey: b\n", 'YAML ไม่ถูกต้อง: คีย์ "key" เขียนซ้ำ (บรรทัด 1 และ 3): เหลือไว้ที่เดียว'),
    ("name: ก\nexpertise:\n  - {topic: x, topic: y}\n",
     'YAML ไม่ถูกต้อง: คีย์ "topic" เขียนซ้ำ (บรรทัด 3): เหลือไว้ที่เดียว'),
    ("- just\n- a list\n", 'ต้องเป็นชุด ชื่อฟิลด์: ค่า (YAML mapping) แต่พบ "[\'just\', \'a list\']"'),
])
def test_unsafe_or_broken_files_are_one_problem_each(tmp_path, text, message):
    write_km(tmp_path)
    write_file(tmp_path, "people/broken.yaml", text)
    found = [p for p in records_of(tmp_path).problems if "broken" in p.path]
    assert [p.message for p in found] == [message]
    assert len(records_of(tmp_path).people.people) == 2  # the others are read


def test_a_plan_file_saved_in_tis_620_says_so(tmp_path):
    write_km(tmp_path)
    (tmp_path / "_km" / "people" / "old.yaml").write_bytes("name: สมศรี ใจดี\n".encode("cp874"))
    assert [p.message for p in records_of(tmp_path).problems if "old" in p.path] == [
        "ไฟล์นี้เข้ารหัสภาษาไทยแบบเก่า TIS-620 (Windows-874) ไม่ใช่ UTF-8: เปิดไฟล์แล้วบันทึกใหม่เป็น UTF-8 "
        "(ใน Notepad: บันทึกเป็น… แล้วเลือกการเข้ารหัส UTF-8)"]


def test_an_alias_bomb_costs_nothing(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    write_km(tmp_path)
    write_file(tmp_path, "people/bomb.yaml", bomb)
    assert [p.message for p in records_of(tmp_path).problems if "bomb" in p.path] == [
        "ไม่รองรับ anchor/alias ของ YAML (& และ *) ในไฟล์นี้ กรุณาเขียนค่าซ้ำให้ครบ"]


def test_file_names_must_be_keys_that_hide_no_page(tmp_path):
    write_km(tmp_path)
    write_file(tmp_path, "people/new.yaml", "name: นายใหม่ ทดสอบ\n")
    write_file(tmp_path, "people/Somchai.yaml", "name: นายสมชาย ตัวใหญ่\n")
    assert [p for p in problems_of(tmp_path) if "people/" in p] == [
        'error: _km/people/Somchai.yaml:1: key: ชื่อไฟล์ "Somchai" ใช้เป็นรหัสไม่ได้: ใช้ได้เฉพาะ a-z 0-9 และ - '
        "ยาวไม่เกิน 80 ตัวอักษร",
        'error: _km/people/new.yaml:1: key: ชื่อไฟล์ "new" ใช้เป็นรหัสไม่ได้ เพราะซ้ำกับชื่อหน้าเว็บ (ห้ามใช้: new)',
    ]


def test_a_bare_no_key_gets_a_hint(tmp_path):
    write_km(tmp_path, plan=PLAN.replace("  - number: 7\n", "  - no: 7\n"))
    messages = [p.message for p in records_of(tmp_path).problems if "activities[7]" in (p.field or "")]
    assert messages == ["กรุณาระบุลำดับกิจกรรม",
                        "ชื่อฟิลด์ถูกอ่านเป็นค่าจริง/เท็จ (YAML อ่าน yes, no, on, off เป็น true/false) "
                        "ใส่ชื่อฟิลด์ในเครื่องหมายคำพูด"]


def test_owners_nobody_has_get_a_hint_not_an_error(knowledge_dir):
    write_km(knowledge_dir)
    (knowledge_dir / "palad" / "sick-leave.md").write_text(
        (knowledge_dir / "palad" / "sick-leave.md").read_text(encoding="utf-8").replace(
            "title:", "owner: นางสาวใครก็ไม่รู้ (เจ้าหน้าที่)\ntitle:", 1), encoding="utf-8")
    found = [p for p in records_of(knowledge_dir).problems if p.field == "owner"]
    assert [(p.path, p.severity, p.message) for p in found] == [(
        "palad/sick-leave.md", "warning", 'ไม่พบ "นางสาวใครก็ไม่รู้ (เจ้าหน้าที่)" ในทำเนียบบุคคล (knowledge/_km/people/) '
        "จึงแสดงเป็นข้อความธรรมดา เพิ่มข้อมูลบุคคลในทำเนียบเพื่อให้ลิงก์ไปยังผู้รู้ได้")]


# -- measures, states, score --------------------------------------------------------------------
def test_measures_and_states_have_the_known_answers(knowledge_dir):
    write_km(knowledge_dir)
    results = results_of(knowledge_dir)
    got = {r.activity.number: (r.actual, r.state, r.completed_on) for r in results.activities}
    assert got == {
        1: (2, "overdue", None),                         # missed its target and the period is over
        2: (22, "done-late", dt.date(2025, 3, 5)),        # reached after the planned end
        3: (1, "in-progress", None),
        4: (None, "not-due", None),
        5: (None, "not-started", None),
        6: (70.0, "overdue", None),
        7: (1, "in-progress", None),
    }
    assert (results.overview.done, results.overview.on_time, results.overview.late) == (1, 0, 3)
    # the day a counted target was reached is no completion the team declared (wording review: a report read
    # "done on time, 15 Oct" for an activity planned from February)
    assert results.activity(2).completed_caption == "ถึงค่าเป้าหมาย"
    assert results.activity(3).completed_caption == ""
    assert [(g.value, g.level) for g in results.goals] == [(2, 2), (2, 2), (1, 1)]
    assert [(row.score, row.weighted) for row in results.score_rows] == [(2, 1.0), (4, 2.0)]
    assert results.total_score == 3.0 and results.target_reached is False
    assert results.narrative.supporting_factors == ("ผู้บริหารสนับสนุน",)


def test_the_same_plan_later_in_the_year(knowledge_dir):
    write_km(knowledge_dir)
    states = {r.activity.number: r.state for r in results_of(knowledge_dir, today=dt.date(2025, 10, 5)).activities}
    assert states == {1: "overdue", 2: "done-late", 3: "overdue", 4: "overdue", 5: "overdue", 6: "overdue",
                      7: "overdue"}
    early = {r.activity.number: r.state for r in results_of(knowledge_dir, today=dt.date(2024, 10, 2)).activities}
    assert early[4] == "not-due" and early[5] == "not-due"


def test_every_number_equals_its_evidence(knowledge_dir):
    write_km(knowledge_dir)
    results = results_of(knowledge_dir)
    for r in results.activities:
        if r.activity.measure and r.activity.measure != "awareness":
            assert r.actual == sum(i.amount for i in r.evidence), r.activity.number
    assert [i.key for i in results.activity(2).evidence] == ["2025-01-10-training", "2025-03-05-visit"]
    assert [i.amount for i in results.activity(2).evidence] == [12, 10]  # Thai digits read as 10
    assert results.activity(6).evidence[0].amount == results.activity(6).actual == 70.0
    for goal in results.goals:
        assert goal.value == len(goal.evidence)
    for section in results.evidence_sections():
        if section.total is not None and not section.title.startswith("กิจกรรมที่ 6"):
            assert section.total == sum(i.amount for i in section.items), section.title
    assert results.total_score == sum(row.weighted for row in results.score_rows)


def test_an_activity_level_is_the_share_of_its_target(knowledge_dir):
    write_km(knowledge_dir)
    results = results_of(knowledge_dir)
    levels = PLAN_VOCAB.activity_levels
    assert [activity_level(results.activity(n), levels) for n in (1, 2, 6, 7)] == [3, 5, 4, 2]
    assert activity_level(results.activity(4), levels) == 0


def test_a_date_after_today_never_makes_an_activity_done_and_is_warned_about(knowledge_dir):
    """A survey typed with next year's date (or recorded before it took place) is not yet a result."""
    ahead = TODAY + dt.timedelta(days=20)
    write_km(knowledge_dir, surveys=f"surveys:\n  - {{date: {ahead.isoformat()}, respondents: 80, aware: 72, "
                                    "total_staff: 80}\n")
    result = results_of(knowledge_dir).activity(6)
    assert (result.actual, result.state, result.completed_on) == (None, "overdue", None)  # not held yet: not counted
    assert results_of(knowledge_dir, today=ahead).activity(6).state == "done-late"  # once the day has come
    warnings = dated_ahead(load_folder(knowledge_dir, VOCAB).assets, records_of(knowledge_dir), TODAY)
    assert [(w.path, w.field, w.message) for w in warnings] == [
        ("_km/surveys.yaml", "surveys", "วันที่สำรวจ 21 มิ.ย. 2568 ยังมาไม่ถึง (วันนี้ 1 มิ.ย. 2568) "
                                        "จะนับในปีงบประมาณ 2568 เมื่อถึงวันนั้น ถ้าพิมพ์ปีผิด ให้แก้วันที่")]
    assert dated_ahead(load_folder(knowledge_dir, VOCAB).assets, records_of(knowledge_dir), ahead) == []


def test_a_bad_survey_row_is_left_out_alone(knowledge_dir):
    """Each survey is its own measurement: one mistyped row (another year's, here) never wipes out the rest."""
    write_km(knowledge_dir, surveys=SURVEYS + "  - {date: 2026-11-20, respondents: 60, aware: 65, total_staff: 67}\n"
                                             "  - {date: 2026-11-21, respondents: หกสิบ, aware: 5, total_staff: 67}\n")
    records = records_of(knowledge_dir)
    assert [(s.date.isoformat(), s.aware) for s in records.surveys] == [("2025-03-20", 56)]
    assert sorted((p.field, p.severity) for p in records.problems) == [("surveys[2].aware", "error"),
                                                                       ("surveys[3].respondents", "error")]
    assert results_of(knowledge_dir).activity(6).actual == 70.0  # 56 of the 80 staff, as before the bad rows


def test_a_measured_activity_without_a_figure_scores_nothing_even_when_marked_done(knowledge_dir):
    marked = PLAN.replace("    measure: awareness\n", "    measure: awareness\n    progress: done\n")
    write_km(knowledge_dir, plan=marked, surveys="surveys: []\n")  # no survey: the awareness share is unknown
    result = results_of(knowledge_dir).activity(6)
    assert (result.actual, result.done) == (None, True)
    assert activity_level(result, PLAN_VOCAB.activity_levels) == 0


def test_ask_an_expert_from_owners_and_expertise(knowledge_dir):
    write_km(knowledge_dir)
    people = records_of(knowledge_dir).people
    found = experts_for("จัดซื้อจัดจ้างวิธีเฉพาะเจาะจงทำอย่างไร", [], people)
    assert [(x.person.key, x.reasons) for x in found] == [("kittipong-test", ("ผู้รู้เรื่องจัดซื้อจัดจ้าง",))]
    by_owner = experts_for("ลาป่วย", ["นายสมชาย ใจดี (นักทรัพยากรบุคคล)"], people)
    assert [x.person.key for x in by_owner] == ["somchai-jaidee"]
    assert experts_for("ภาษีป้าย", ["ใครสักคน"], people) == []
    # a third result's owner is not offered: it is often another topic sharing one of the words
    third = experts_for("ลาป่วยได้กี่วัน", ["ใครสักคน", "ใครอีกคน", "นายสมชาย ใจดี (นักทรัพยากรบุคคล)"], people)
    assert third == []


# -- the command line ---------------------------------------------------------------------------
def run_cli(*args, knowledge):
    env = {"PATH": "/usr/bin:/bin", "KM_KNOWLEDGE_DIR": str(knowledge), "KM_INSTANCE_DIR": str(knowledge.parent / "i")}
    return subprocess.run([sys.executable, "-m", "indexer", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)


def test_check_reports_km_files_and_a_bad_plan_never_stops_indexing(knowledge_dir):
    write_km(knowledge_dir, plan=PLAN.replace("title: แผนทดสอบ ๒๕๖๘\n", ""))
    checked = run_cli("check", knowledge=knowledge_dir)
    assert checked.returncode == 1
    assert "ข้อผิดพลาด: _km/plans/2568.yaml:1: title: กรุณาระบุชื่อแผน" in checked.stdout
    # the folder read, not the words knowledge/_km: KM_KNOWLEDGE_DIR may be anywhere
    assert checked.stdout.strip().endswith(f"{knowledge_dir / '_km'}: แผน 0 ปี · แบบฟอร์มที่ 1 1 ปี · กิจกรรม 4 ครั้ง"
                                           " · บุคคล 2 คน\nขุมความรู้ที่ถูกต้อง 3 เรื่อง · ข้อผิดพลาด 1 · คำเตือน 3")  # events stay
    built = run_cli("build", "--quiet", knowledge=knowledge_dir)
    assert built.returncode == 0 and "จัดทำดัชนี 3 เรื่อง" in built.stdout


def test_km_report_prints_the_score(knowledge_dir):
    write_km(knowledge_dir)
    out = run_cli("km-report", "--fy", "2568", knowledge=knowledge_dir)
    assert out.returncode == 0, out.stderr
    assert "      50      4        2.00  กิจกรรมที่ 6: สร้างความตระหนัก (ร้อยละ 70)" in out.stdout
    assert "กิจกรรม 7: เสร็จแล้ว 1 (ตามกำหนด 0 · เสร็จล่าช้า 1) · เลยกำหนด ยังไม่เสร็จ 6" in out.stdout
    assert "    6          80      70  เลยกำหนด ยังไม่เสร็จ       สร้างความตระหนัก" in out.stdout
    missing = run_cli("km-report", "--fy", "2560", knowledge=knowledge_dir)
    assert (missing.returncode, missing.stderr.strip()) == (
        1, f"ข้อผิดพลาด: ไม่มีแผนการจัดการความรู้ของปีงบประมาณ 2560 ใน {knowledge_dir / '_km' / 'plans'}/")


def test_a_plan_over_several_fiscal_years(tmp_path):
    plan = """\
title: แผนสามปี
fiscal_years: "2564-2566"
unit: เทศบาลทดสอบ
mission_group: ทุกกอง
needed_knowledge: ความรู้ตามพันธกิจ
kpi: จำนวนบุคลากรที่ได้รับการพัฒนา
activities:
  - {number: 1, title: ส่งบุคลากรอบรม, step: creation, period: 2564–2566, measure: staff_trained, target: 10}
  - {number: 2, title: ตั้งชุมชนนักปฏิบัติ, step: sharing, period: ต.ค. 2564 – ก.ย. 2565, measure: sharing_meetings,
     target: 1}
"""
    write_km(tmp_path, plan="", events={
        "a": "date: 2565-01-20\ntype: training\ntitle: อบรม\nactivity: 1\nparticipants: 12\n",
        "b": "date: 2566-01-20\ntype: training\ntitle: อบรมอีกรุ่น\nactivity: 1\nparticipants: 4\n"})
    (tmp_path / "_km" / "plans" / "2568.yaml").unlink()
    write_file(tmp_path, "plans/2564-2566.yaml", plan)
    records = records_of(tmp_path)
    assert [p.message for p in records.errors] == []
    three = records.plan("2564-2566")
    assert (three.fiscal_years, three.label, records.plan_for_year(2565).key) == ((2564, 2565, 2566),
                                                                              "ปีงบประมาณ 2564–2566", "2564-2566")
    assert [a.number for a in three.activities_in(2564)] == [1]
    assert [a.number for a in three.activities_in(2565)] == [1, 2]
    in_2565 = results_of(tmp_path, 2565, dt.date(2022, 3, 1))
    first = in_2565.activity(1)
    assert (first.actual, first.state, str(first.window)) == (12, "done-on-time", "ปีงบประมาณ 2565")
    in_2566 = results_of(tmp_path, 2566, dt.date(2023, 3, 1))
    assert (in_2566.activity(1).actual, in_2566.activity(1).state) == (4, "in-progress")


def test_the_evidence_cell_counts_what_backs_the_figure_and_the_other_events_apart():
    """A report said "หลักฐาน 9 รายการ" beside a figure of 8: the events that carry the activity
    without adding to its figure were counted in (outside review, the auditor's second visit)."""
    from dataclasses import replace

    from indexer.plans.measures import EvidenceItem
    from indexer.plans.model import Event
    from indexer.plans.progress import ActivityResult

    def event(key):
        return Event(key, f"_km/events/{key}.yaml", dt.date(2025, 3, 1), "cop", key)

    result = ActivityResult(activity=None, window=None, measure=None, actual=8, state="done-on-time",
                            completed_on=None, events=(event("a"), event("b")),
                            evidence=tuple(EvidenceItem("asset", f"เรื่อง {n}", key=f"s{n}") for n in range(7))
                            + (EvidenceItem("event", "a", key="a"),))
    assert result.evidence_summary == "8 รายการ และกิจกรรมที่เกี่ยวข้อง 1 ครั้ง"
    assert replace(result, events=()).evidence_summary == "8 รายการ"
    assert replace(result, evidence=(), events=()).evidence_summary == ""


def test_a_share_rounds_a_half_up_as_a_report_does():
    """65 aware of 80 staff was shown as 81.2 % (round() on a float, halves to even); the committee's own
    figure is 81.3 (verification review V-14)."""
    from indexer.plans.model import per_cent

    assert [per_cent(65, 80), per_cent(1, 8), per_cent(2, 3), per_cent(5, 0)] == [81.3, 12.5, 66.7, 0.0]


def test_form_1_is_kept_per_fiscal_year_and_the_old_single_file_still_counts(tmp_path):
    """Form 1 was one needs.yaml: FY 2567's could not exist beside FY 2568's, and starting a new year's
    meant overwriting the last (domain review D-04). Each year now has needs/<year>.yaml."""
    from plans_support import NEEDS

    write_km(tmp_path)
    write_file(tmp_path, "needs/2567.yaml", NEEDS.replace("topic: งานบุคคล", "topic: สิทธิการลาและสวัสดิการ"))
    records = records_of(tmp_path)
    assert [(n.fiscal_year, n.key, n.path) for n in records.needs] == [
        (2567, "2567", "_km/needs/2567.yaml"), (2568, "2568", "_km/needs/2568.yaml")]
    assert records.needs_for(2567).topic == "สิทธิการลาและสวัสดิการ" and records.needs_for(2568).topic == "งานบุคคล"
    assert records.needs_for(2569) is None and records.needs_before(2570).fiscal_year == 2568
    assert records.needs_before(2567) is None
    # the file's name is its year: another name, or a year inside that differs, is refused with why
    write_file(tmp_path, "needs/hr.yaml", NEEDS)
    write_file(tmp_path, "needs/2569.yaml", "fiscal_year: 2570\n" + NEEDS)
    assert [p for p in problems_of(tmp_path) if "needs/" in p and p.startswith("error")] == [
        'error: _km/needs/2569.yaml:1: fiscal_year: ปีงบประมาณ 2570 ไม่ตรงกับชื่อไฟล์ (2569.yaml เป็นแบบฟอร์มที่ 1 '
        'ของปีงบประมาณ 2569): แก้ปีให้ตรงกัน หรือย้ายไปไฟล์ของปีนั้น',
        'error: _km/needs/hr.yaml:1: key: ชื่อไฟล์ "hr" ต้องเป็นปีงบประมาณ พ.ศ. สี่หลัก เช่น needs/2568.yaml '
        '(ระหว่าง 2500 ถึง 2700)']
    (tmp_path / "_km" / "needs" / "hr.yaml").unlink()
    (tmp_path / "_km" / "needs" / "2569.yaml").unlink()
    # a site from before: its needs.yaml is the Form 1 of the year it names…
    write_file(tmp_path, "needs.yaml", "fiscal_year: 2566\n" + NEEDS.replace("งานบุคคล", "งานคลัง"))
    records = records_of(tmp_path)
    assert records.needs_for(2566).path == "_km/needs.yaml" and records.needs_for(2566).key == "needs"
    assert records.needs_for(2569) is None
    # …and of every year without its own when it names none, as the one file was
    write_file(tmp_path, "needs.yaml", NEEDS.replace("งานบุคคล", "งานคลัง"))
    records = records_of(tmp_path)
    assert records.needs_for(2569).topic == "งานคลัง" and records.needs_for(2568).topic == "งานบุคคล"
    # the year's own file wins over the old one naming the same year, which is reported
    write_file(tmp_path, "needs.yaml", "fiscal_year: 2568\n" + NEEDS.replace("งานบุคคล", "งานคลัง"))
    records = records_of(tmp_path)
    assert records.needs_for(2568).path == "_km/needs/2568.yaml"
    assert [p.message for p in records.errors if p.path == "_km/needs.yaml"] == [
        "ปีงบประมาณ 2568 มีแบบฟอร์มที่ 1 อยู่แล้วในไฟล์ _km/needs/2568.yaml (หนึ่งปีมีได้หนึ่งฉบับ) "
        "ย้ายเนื้อหาที่ยังต้องการไปไว้ในไฟล์นั้น แล้วลบไฟล์นี้"]


def test_a_year_s_form_1_starts_from_an_earlier_year_s():
    from indexer import next_needs_text

    text = ("# แบบฟอร์มที่ 1 ปีงบประมาณ ๒๕๖๗\ntopic: สิทธิการลา ปี ๒๕๖๗\nfiscal_year: 2567\ngroups:\n"
            "  - mission_group: สำนักปลัด\n    knowledge:\n"
            "      - {title: การลาศึกษาต่อ ก่อนปี 2568, holders: [somchai-jaidee], assets: [study-leave]}\n")
    later = next_needs_text(text, 2569, by=2)
    assert later.startswith("# แบบฟอร์มที่ 1 ปีงบประมาณ ๒๕๖๙\ntopic: สิทธิการลา ปี ๒๕๖๙\nfiscal_year: 2569\n")
    # the needed knowledge itself is kept as written: what to keep or drop is the new year's decision
    assert "{title: การลาศึกษาต่อ ก่อนปี 2568, holders: [somchai-jaidee], assets: [study-leave]}" in later


def test_a_plan_s_own_thresholds_grade_its_years_and_bad_ones_are_named(tmp_path):
    """Thresholds came only from the vocabulary: a municipality raising goal 1 for FY 2570 re-graded
    FY 2567 and 2568 (domain review D-08). A plan's goals may now carry their own."""
    from indexer.indicators.config import load_indicator_config

    base = load_indicator_config(VOCAB)
    own = plan_with_goals("{number: 1, title: สร้างองค์ความรู้, levels: [0, 3, 5, 7, 9], target_level: 3}",
                          "{number: 2, title: งาน, levels: '1, 2, 3, 4, ทุกกอง', asset_types: [procedure, manual]}",
                          "{number: 3, title: เผยแพร่}")
    write_km(tmp_path, plan=own)
    records = records_of(tmp_path)
    config = records.indicator_config(base, 2568)
    assert config.source == "_km/plans/2568.yaml"
    assert (config.goal(1).bounds, config.goal(1).target) == ((0, 3, 5, 7, 9), 3)
    assert (config.goal(2).bounds, config.goal(2).target) == ((1, 2, 3, 4, None), base.goal(2).target)
    assert config.goal(3) == base.goal(3) and config.qualifying_types == ("procedure", "manual")
    assert records.indicator_config(base, 2569) is base  # a year without a plan: the vocabulary's
    results = results_of(tmp_path)  # 2 assets: level 2 by the vocabulary's thresholds, 1 by the plan's
    assert [(g.goal, g.level) for g in results.goals][0] == (1, 1) and results.total_score == 2.5
    # what cannot be a threshold is refused with where and why
    bad = plan_with_goals("{number: 1, title: ก, levels: [0, 1, 3, 5, all], target_level: 7}",
                          "{number: 3, title: ค, asset_types: [procedure]}", "{number: 4, title: ง, target_level: 2}")
    write_km(tmp_path, plan=bad)
    assert [p.split(": ", 2)[2] for p in problems_of(tmp_path) if "goals[" in p] == [
        "goals[1].levels: เป้าประสงค์ที่ 1 นับจำนวนขุมความรู้ ใช้ all ไม่ได้ ระบุเป็นตัวเลข",
        "goals[1].target_level: ต้องเป็นระดับ 1 ถึง 5 แต่พบ 7",
        "goals[2].asset_types: ประเภทขุมความรู้ที่นับ ใช้ได้เฉพาะเป้าประสงค์ที่ 1 และ 2",
        "goals[3].target_level: เป้าประสงค์ที่ 4 ไม่ได้วัดโดยตัวชี้วัดของระบบ: target_level ใช้ได้เฉพาะเป้าประสงค์ที่ 1–3",
    ]
    bad = plan_with_goals("{number: 2, title: ข, levels: [0, 3, 2, 5, 7]}", "{number: 3, title: ค, levels: [1, 2, 3]}",
                          "{number: 3, title: ค, levels: '0, 1, all, 2, 3'}")
    write_km(tmp_path, plan=bad)
    assert [p.split(": ", 2)[2] for p in problems_of(tmp_path) if "goals[" in p] == [
        "goals[1].levels: ระดับที่ 3: ต้องไม่น้อยกว่าระดับก่อนหน้า (3) แต่พบ 2",
        "goals[2].levels: ต้องเป็นค่าต่ำสุดของระดับ 1 ถึง 5 ครบ 5 ค่า เช่น [0, 1, 3, 5, 7] แต่พบ 3 ค่า",
        # a level after "all" asks less than all (security review SEC-03)
        "goals[3].levels: ระดับที่ 4: ระดับก่อนหน้าเป็น all แล้ว ระดับที่สูงกว่าจึงต้องเป็น all ด้วย แต่พบ 2",
    ]
    # a goal twice: which row's thresholds grade it? (SEC-02: the first row's types, the last row's levels)
    write_km(tmp_path, plan=plan_with_goals("{number: 1, title: ก, target_level: 3}", "{number: 1, title: ก2}"))
    assert [p.split(": ", 2)[2] for p in problems_of(tmp_path) if "goals[" in p] == [
        "goals[2].number: เป้าประสงค์ที่ 1 ซ้ำกับแถวก่อนหน้า: แต่ละเป้าประสงค์มีได้แถวเดียว"]


def test_the_indicators_command_grades_a_year_by_its_plan_s_thresholds(knowledge_dir):
    write_km(knowledge_dir, plan=plan_with_goals("{number: 1, title: ก, levels: [0, 3, 5, 7, 9], target_level: 3}"))
    shown = run_cli("indicators", "--fy", "2568", knowledge=knowledge_dir)
    assert shown.returncode == 0, shown.stderr
    goal_1 = next(line for line in shown.stdout.splitlines() if line.startswith("1 "))
    assert goal_1.split()[:5] == ["1", "2", "1", "3", "ไม่"]  # 2 assets: level 1 of the plan's, target 3


def test_databases_new_and_improved_are_the_two_parts_of_databases():
    """"Databases" and "databases improved" were one figure, so a KPI of the second could not be measured
    (domain review D-11)."""
    from indexer.plans import compute_measure

    assets = load_folder(REPO / "knowledge", VOCAB).assets
    records = load_km(REPO / "knowledge", VOCAB, PLAN_VOCAB, assets)
    config = load_indicator_config(VOCAB)
    year = year_data(records, 2568, assets, VOCAB, config, PLAN_VOCAB, today=dt.date(2026, 12, 1))
    whole, new, improved = (compute_measure(key, year) for key in ("databases", "databases_new", "databases_improved"))
    assert new.value and improved.value and new.value + improved.value == whole.value
    assert {i.ref for i in new.evidence} == {"จัดทำใหม่"} and {i.ref for i in improved.evidence} == {"ปรับปรุง"}
    assert {i.key for i in new.evidence} | {i.key for i in improved.evidence} == {i.key for i in whole.evidence}
    # as at a day: an update dated after it had not been made
    early = year_data(records, 2568, assets, VOCAB, config, PLAN_VOCAB, today=dt.date(2024, 11, 1))
    assert all(i.date <= dt.date(2024, 11, 1) for i in compute_measure("databases_improved", early).evidence)


def test_goal_1_may_count_only_some_types_from_the_vocabulary_or_the_year_s_plan(tmp_path):
    """Goal 1 counted every published file, the KM plan document itself included, with no way to leave a type
    out (domain review D-12)."""
    from dataclasses import replace

    from indexer.errors import VocabularyError
    from indexer.indicators.compute import compute_report
    from indexer.indicators.config import load_indicator_config

    write_km(tmp_path, plan=plan_with_goals("{number: 1, title: สร้างองค์ความรู้, asset_types: [procedure]}"))
    write_asset(tmp_path, "palad/a.md", asset_type="procedure", published="2025-01-15")
    write_asset(tmp_path, "palad/b.md", title="แผน KM", asset_type="manual", published="2025-01-16")
    assets = load_folder(tmp_path, VOCAB).assets
    base = load_indicator_config(VOCAB)
    assert compute_report(assets, 2568, VOCAB, base, TODAY).goal(1).value == 2
    config = records_of(tmp_path).indicator_config(base, 2568)
    goal1 = compute_report(assets, 2568, VOCAB, config, TODAY).goal(1)
    assert [a.slug for a in goal1.evidence] == ["a"]
    assert goal1.title == "จำนวนองค์ความรู้ที่จัดทำและเผยแพร่ (นับเฉพาะขั้นตอนการปฏิบัติงาน)"  # review R-11
    assert compute_report(assets, 2568, VOCAB, config, TODAY).goal(2).value == 1  # goal 2 reads its own types
    vocab = replace(VOCAB, extra=dict(VOCAB.extra, indicators={"goal1": {"asset_types": ["คู่มือ"]}}))
    by_vocabulary = compute_report(assets, 2568, vocab, load_indicator_config(vocab), TODAY)
    assert by_vocabulary.goal(1).value == 1 and by_vocabulary.goal(1).title.endswith("(นับเฉพาะคู่มือ)")
    assert by_vocabulary.goal(2).title == "จำนวนหน่วยงานที่จัดทำขั้นตอนการปฏิบัติงานหรือแบบตรวจสอบ"
    with pytest.raises(VocabularyError, match="indicators.goal1.asset_types"):
        load_indicator_config(replace(VOCAB, extra=dict(VOCAB.extra, indicators={"goal1": {"asset_types": ["x"]}})))


def test_an_order_dated_ahead_is_warned_about_like_any_other_date(knowledge_dir):
    """An order's year typed wrong (2690) passed unremarked, on a plan and on an event (security review SEC-09)."""
    from plans_support import EVENTS, PLAN

    orders = "orders:\n  - {ref: ที่ 1/2568, date: 2690-01-01, title: แต่งตั้งคณะทำงาน}\nactivities:\n"
    events = EVENTS | {"2025-04-02-meeting": "date: 2025-04-02\ntype: meeting\ntitle: ประชุม\norder_ref: ที่ 2/2568\n"
                                             "order_date: 2569-05-01\n"}
    write_km(knowledge_dir, plan=PLAN.replace("activities:\n", orders, 1), events=events)
    warnings = dated_ahead(load_folder(knowledge_dir, VOCAB).assets, records_of(knowledge_dir), TODAY)
    assert sorted((w.path, w.field, w.message) for w in warnings) == [
        ("_km/events/2025-04-02-meeting.yaml", "order_date",
         "วันที่ของคำสั่ง 1 พ.ค. 2569 ยังมาไม่ถึง (วันนี้ 1 มิ.ย. 2568) ถ้าพิมพ์ปีผิด ให้แก้วันที่"),
        ("_km/plans/2568.yaml", "orders[1].date",
         "วันที่ของคำสั่ง 1 ม.ค. 2690 ยังมาไม่ถึง (วันนี้ 1 มิ.ย. 2568) ถ้าพิมพ์ปีผิด ให้แก้วันที่"),
    ]
