"""A small KM folder with known answers, written on top of conftest's `knowledge_dir` (3 assets).

Today is 2025-06-01 (FY 2568). The assets give FY 2568: goal 1 = 2 assets (level 2),
goal 2 = 2 departments (level 2), goal 3 = 1 channel (website, level 1).
Activities of plan 2568 and what the measures must say:
  1 assets_produced target 3, ต.ค.–ธ.ค. 2567   actual 2, missed, period over  → overdue
  2 staff_trained  target 20, ม.ค.–ก.พ. 2568   12 + 10 = 22, reached 2025-03-05 → done-late
  3 sharing_meetings target 2, มี.ค.–ส.ค. 2568  1 CoP so far                   → in-progress
  4 entered KPI   target 1, ก.ค.–ส.ค. 2568     nothing yet                      → not-due
  5 entered KPI   target 1, พ.ค.–ก.ค. 2568     nothing, started                 → not-started
  6 awareness     target 80, ก.พ.–มี.ค. 2568   survey 56 of 80 staff = 70 %     → overdue
  7 channels      target 2, ต.ค. 2567–ก.ย. 2568 1 channel                        → in-progress
Score: goal 1 level 2 × 50 % + activity 6 (70/80 = 87.5 % → level 4) × 50 % = 1.0 + 2.0 = 3.0.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

TODAY = dt.date(2025, 6, 1)

PLAN = """\
# plan for the tests
title: แผนทดสอบ ๒๕๖๘
fiscal_years: 2568
unit: เทศบาลทดสอบ
mission_group: กลุ่มงานบุคคล
needed_knowledge: ความรู้งานบุคคล
kpi: ระดับความสำเร็จ
kpi_target: ครบ ๕ คะแนน
target_score: 5
prepared_by: somchai-jaidee
approved_by: {name: นายผู้อนุมัติ ทดสอบ, position: ปลัดเทศบาล}
activities:
  - number: 1
    title: ผลิตขุมความรู้
    step: codification
    period: ต.ค.–ธ.ค. ๒๕๖๗
    measure: assets_produced
    target: 3
  - number: 2
    title: อบรมพนักงาน
    step: creation
    period: ม.ค.–ก.พ. 2568
    measure: staff_trained
    target: 20
  - number: 3
    title: วงแลกเปลี่ยน
    step: sharing
    period: มี.ค.–ส.ค. 2568
    measure: sharing_meetings
    target: 2
  - number: 4
    title: ยกย่องชมเชย
    element: recognition
    period: ก.ค.–ส.ค. 2568
    target: 1
    unit: ครั้ง
  - number: 5
    title: บ่งชี้ความรู้
    step: identification
    period: พ.ค.–ก.ค. 2568
    target: 1
    unit: ครั้ง
  - number: 6
    title: สร้างความตระหนัก
    element: communication
    period: ก.พ.–มี.ค. 2568
    measure: awareness
    target: 80
  - number: 7
    title: เผยแพร่ความรู้
    step: access
    period: ต.ค. 2567 – ก.ย. 2568
    measure: channels
    target: 2
scoring:
  - {goal: 1, weight: 50}
  - {activity: 6, weight: 50}
results:
  - fiscal_year: 2568
    supporting_factors: [ผู้บริหารสนับสนุน]
    obstacles: [ไม่มีงบประมาณ]
"""

EVENTS = {
    "2025-01-10-training": "date: 2568-01-10\ntype: training\ntitle: อบรมระเบียบการลา\nactivity: 2\n"
                           "organiser: somchai-jaidee\nparticipants: 12\nevidence: คำสั่งที่ ๑/๒๕๖๘\n",
    "2025-03-05-visit": "date: 2025-03-05\ntype: study-visit\ntitle: ศึกษาดูงาน\nactivity: 2\nparticipants: ๑๐\n",
    "2025-04-01-cop": "date: 2025-04-01\ntype: cop\ntitle: CoP ครั้งที่ ๑\nactivity: 3\nparticipants: 8\n"
                      "assets_produced: [sick-leave]\n",
    "2024-09-01-old": "date: 2024-09-01\ntype: cop\ntitle: วงปีก่อน\nparticipants: 5\n",
}

PEOPLE = {
    "somchai-jaidee": "name: นายสมชาย ใจดี\nposition: นักทรัพยากรบุคคล\ndepartment: palad\n"
                      "expertise: [การลา, สวัสดิการ]\nroles: [km-secretary]\n",
    "kittipong-test": "name: นายกิตติ ทดสอบ\nposition: เจ้าพนักงานพัสดุ\ndepartment: finance\n"
                      "expertise: [จัดซื้อจัดจ้าง, ราคากลาง]\n",
}

SURVEYS = "surveys:\n  - {date: 2025-03-20, respondents: 70, aware: 56, total_staff: 80}\n"

NEEDS = """\
topic: งานบุคคล
groups:
  - mission_group: กลุ่มงานบุคคล
    knowledge:
      - {title: การลาป่วย, assets: [sick-leave]}
      - {title: การสรรหาพนักงานจ้าง, holders: [somchai-jaidee]}
"""


def plan_with_goals(*rows: str) -> str:
    """PLAN with a `goals:` list of the given flow-style rows ("{number: 1, title: ก, levels: [0, 3, 5, 7, 9]}")."""
    return PLAN.replace("activities:\n", "goals:\n" + "".join(f"  - {row}\n" for row in rows) + "activities:\n", 1)


def write_km(knowledge: Path, plan: str = PLAN, events: dict[str, str] | None = None,
             people: dict[str, str] | None = None, surveys: str = SURVEYS, needs: str = NEEDS) -> Path:
    """Write the KM folder under `knowledge` and return it."""
    root = knowledge / "_km"
    for folder in ("plans", "events", "people"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "plans" / "2568.yaml").write_text(plan, encoding="utf-8")
    for key, text in (EVENTS if events is None else events).items():
        (root / "events" / f"{key}.yaml").write_text(text, encoding="utf-8")
    for key, text in (PEOPLE if people is None else people).items():
        (root / "people" / f"{key}.yaml").write_text(text, encoding="utf-8")
    (root / "surveys.yaml").write_text(surveys, encoding="utf-8")
    (root / "needs").mkdir(exist_ok=True)
    (root / "needs" / "2568.yaml").write_text(needs, encoding="utf-8")
    return root


def write_file(knowledge: Path, rel: str, text: str) -> Path:
    path = knowledge / "_km" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path
