"""The JSON form of plans, events, people and the yearly report (GET /api/plans, /api/events, /api/people,
/api/report). Dates are ISO (CE); labels are given beside keys so a client needs no vocabulary."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user

from indexer import ActivityResult, Event, EvidenceItem, Person, Plan, YearResults

from .state import assets, kb, plan_vocab, records, shown_assets


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def evidence_json(item: EvidenceItem) -> dict:
    return {"kind": item.kind, "text": item.text, "date": _iso(item.date), "ref": item.ref, "amount": item.amount,
            "key": item.key}


def person_ref(text: str) -> dict:
    """A name as written, with the person's key and page when the directory knows them."""
    person = records().people.find(text)
    return {"text": text, "person": person.key if person else None,
            "url": url_for("people.show", key=person.key) if person else None}


def activity_json(result: ActivityResult) -> dict:
    a = result.activity
    stage = a.step or a.element
    return {
        "number": a.number, "title": a.title, "step": a.step, "element": a.element,
        "stage_label": kb().vocab.km_stages.label(a.step) if a.step else plan_vocab().change_elements.label(stage),
        "method": a.method, "period": {"text": str(a.period), "start": _iso(a.period.start), "end": _iso(a.period.end)},
        "kpi": a.kpi, "measure": a.measure, "target": a.target, "unit": result.unit, "actual": result.actual,
        "reached": result.reached, "state": result.state, "state_label": result.state_label,
        "completed_on": _iso(result.completed_on), "progress": a.progress, "progress_note": a.progress_note,
        "target_group": a.target_group, "responsible": [person_ref(r) for r in a.responsible], "goals": list(a.goals),
        "evidence": [evidence_json(i) for i in result.evidence], "events": [e.key for e in result.events],
        "lessons": a.lessons,
    }


def plan_json(plan: Plan, results: YearResults) -> dict:
    def signatory(s):
        return None if s is None else {"name": s.name, "position": s.position, "person": s.person}

    o = results.overview
    return {
        "key": plan.key, "url": url_for("plans.show", key=plan.key, fy=results.fiscal_year), "title": plan.title,
        "fiscal_years": list(plan.fiscal_years), "fiscal_year": results.fiscal_year, "as_of": _iso(results.as_of),
        "unit": plan.unit, "mission_group": plan.mission_group, "needed_knowledge": plan.needed_knowledge,
        "desired_state": plan.desired_state, "kpi": plan.kpi, "kpi_target": plan.kpi_target,
        "target_score": plan.target_score, "prepared_by": signatory(plan.prepared_by),
        "approved_by": signatory(plan.approved_by), "approved_on": _iso(plan.approved_on),
        "orders": [{"ref": o.ref, "date": _iso(o.date), "title": o.title, "members": [person_ref(m) for m in o.members]}
                   for o in plan.orders],
        "goals": [{"number": g.number, "title": g.title, "description": g.description} for g in plan.goals],
        "overview": {"total": o.total, "done": o.done, "on_time": o.on_time, "late": o.late, "states": o.counts},
        "activities": [activity_json(r) for r in results.activities],
    }


def event_json(event: Event) -> dict:
    vocab, pv = kb().vocab, plan_vocab()
    return {
        "key": event.key, "url": url_for("events.show", key=event.key), "date": _iso(event.date),
        "fiscal_year": event.fiscal_year, "type": event.type, "type_label": pv.event_types.label(event.type),
        "title": event.title, "plan": event.plan, "activity": event.activity, "organiser": person_ref(event.organiser)
        if event.organiser else None, "participants": event.participants,
        # who attended is for signed-in staff, as the signed attendance sheets are (outside review, privacy)
        "participant_names": [person_ref(n) for n in event.participant_names] if current_user.is_authenticated else [],
        "staff_categories": list(event.staff_categories), "departments": list(event.departments),
        "department_labels": [vocab.departments.label(d) for d in event.departments],
        "assets_produced": [a.slug for a in shown_assets(event.assets_produced)],
        "assets_used": [a.slug for a in shown_assets(event.assets_used)],
        "evidence": event.evidence, "summary": event.summary, "reports_on": event.reports_on,
        "chair": person_ref(event.chair) if event.chair else None,
        "minute_taker": person_ref(event.minute_taker) if event.minute_taker else None,
        "resolutions": list(event.resolutions), "order_ref": event.order_ref or None,
        "order_date": _iso(event.order_date),
    }


def person_json(person: Person, detail: bool = False) -> dict:
    data = {
        "key": person.key, "url": url_for("people.show", key=person.key), "name": person.name,
        "position": person.position, "department": person.department,
        "department_label": kb().vocab.departments.label(person.department) if person.department else None,
        "expertise": list(person.expertise), "roles": list(person.roles),
        "role_labels": [plan_vocab().roles.label(r) for r in person.roles], "cops": list(person.cops),
        "contact": person.contact, "email": person.email, "phone": person.phone,
    }
    if detail:
        data["assets"] = [{"slug": a.slug, "title": a.title, "url": url_for("assets.show", slug=a.slug)}
                          for a in assets() if a.status == "published" and records().people.find(a.owner) == person]
        data["events"] = [e.key for e in records().events_by(person)]
    return data


def report_json(results: YearResults) -> dict:
    """Everything the printed report shows, in the same order."""
    n = results.narrative
    return {
        "municipality": results.municipality, "plan": plan_json(results.plan, results),
        "period": {"start": _iso(results.start), "end": _iso(results.end)},
        "goals": [{"goal": g.goal, "title": g.title, "value": g.value, "level": g.level, "target": g.target,
                   "reached": g.reached, "activities": list(results.goal_activities.get(g.goal, ()))}
                  for g in results.goals],
        "score": {"rows": [{"title": r.title, "weight": r.weight, "result": r.result, "score": r.score,
                            "weighted": r.weighted, "goal": r.goal, "activity": r.activity}
                           for r in results.score_rows],
                  "total": results.total_score, "target": results.plan.target_score,
                  "reached": results.target_reached},
        "measures": [{"measure": m.spec.key, "label": m.spec.label, "unit": m.spec.unit, "value": m.value,
                      "note": m.note, "evidence": len(m.evidence)} for m in results.measures],
        "surveys": [{"date": _iso(s.date), "respondents": s.respondents, "aware": s.aware,
                     "total_staff": s.total_staff, "share": s.share, "evidence": s.evidence} for s in results.surveys],
        "steps": list(n.steps), "measures_taken": list(n.measures_taken),
        "supporting_factors": list(n.supporting_factors), "obstacles": list(n.obstacles),
        "evidence": [{"title": s.title, "total": s.total, "items": [evidence_json(i) for i in s.items]}
                     for s in results.evidence_sections()],
    }
