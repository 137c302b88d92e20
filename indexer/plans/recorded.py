"""A plan's results report as the KM team gave it (the half-year report to the mayor, the year's
to the auditor), and what differs in it now.

The report is computed from the files at every request, so an event entered late, a result
corrected or a file edited by hand moves a report already handed in. Once the team records the
report as given, its page shows each figure that has moved since: the weighted score, each goal,
each activity's state and result, each measure (see also indicators/closed.py for goals 1–3).
"""

from __future__ import annotations

from .report import YearResults, amount_text

RECORD_FORMAT = 1  # of the figures below; a record in another format is shown without comparing


def recorded_results(results: YearResults, cut_off: bool = False) -> dict:
    """What the report says, JSON-ready, under keys that stay the same between versions; `cut_off`:
    it was made up to an earlier day (what was marked without a day set aside), to be compared so."""
    return {
        "format": RECORD_FORMAT, "plan": results.plan.key, "fiscal_year": results.fiscal_year,
        "as_of": results.as_of.isoformat(), "cut_off": cut_off, "total_score": results.total_score,
        "done": results.overview.done, "activities_total": results.overview.total,
        "goals": {str(g.goal): {"value": g.value, "level": g.level} for g in results.goals},
        "activities": {str(r.activity.number): {"title": r.activity.title, "state": r.state_label,
                                                "actual": amount_text(r.actual, r.unit)}
                       for r in results.activities},
        "measures": {m.spec.key: {"label": m.spec.label, "value": amount_text(m.value, m.spec.unit)}
                     for m in results.measures},
    }


def results_differences(then: dict, now: dict) -> tuple[tuple[str, str, str], ...] | None:
    """(what, as recorded, now) for every figure that moved; None when `then` is of another format."""
    if then.get("format") != RECORD_FORMAT:
        return None
    moved: list[tuple[str, str, str]] = []

    def compare(what: str, old: object, new: object) -> None:
        if old != new:
            moved.append((what, "—" if old is None else str(old), "—" if new is None else str(new)))

    compare("คะแนนถ่วงน้ำหนักรวม", f"{then['total_score']:.2f}", f"{now['total_score']:.2f}")
    compare("กิจกรรมที่ดำเนินการแล้ว", f"{then['done']} จาก {then['activities_total']}",
            f"{now['done']} จาก {now['activities_total']}")
    for number in sorted({*then["goals"], *now["goals"]}, key=int):
        old, new = then["goals"].get(number), now["goals"].get(number)
        compare(f"เป้าประสงค์ที่ {number}", _goal(old), _goal(new))
    for number in sorted({*then["activities"], *now["activities"]}, key=int):
        old, new = then["activities"].get(number), now["activities"].get(number)
        title = (new or old)["title"]
        compare(f"กิจกรรมที่ {number} {title}: สถานะ", old and old["state"], new and new["state"])
        compare(f"กิจกรรมที่ {number} {title}: ผล", old and old["actual"], new and new["actual"])
    for key in sorted({*then["measures"], *now["measures"]}):
        old, new = then["measures"].get(key), now["measures"].get(key)
        compare((new or old)["label"], old and old["value"], new and new["value"])
    return tuple(moved)


def _goal(figure: dict | None) -> str | None:
    return None if figure is None else f"{figure['value']} (ระดับ {figure['level']})"
