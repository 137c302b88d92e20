"""The people directory ("who knows what"): the KM team, CKO and monitoring committee with their roles,
everyone named as owner, organiser or responsible, and each person's assets, events and CoPs."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from indexer import (
    SCHEMAS,
    WORKPLACE,
    CannotEdit,
    DateFormatError,
    Person,
    dates,
    parse_date,
    personal_data,
    record_text,
    thai_date,
    update_record_text,
)

from ..auth import editor_required
from ..publish.service import SaveBusy
from ..revisions import text_sha
from .forms import PersonForm, only_sent, refused
from .inputs import clean, errors_for, form_value, items
from .state import assets, kb, plan_vocab, records
from .writes import KEY, km_target, save_km

bp = Blueprint("people", __name__, url_prefix="/people")
# A card's fields as the schema lists them (earlier positions are kept by the site, never typed):
# the form, the edit page and what is saved follow it, so a new field is added to the schema, the
# Person model and PersonForm (test_people_fields checks the three agree).
SPECS = tuple(spec for spec in SCHEMAS["person"] if spec.kind != "records")
FIELDS = tuple(spec.name for spec in SPECS)
READ = {"text": clean, "texts": items, "vocab": lambda data: data or None, "vocabs": lambda data: list(data or [])}
TEAM_ROLES = ("cko", "km-head", "km-secretary", "km-member", "monitoring-chair", "monitoring")


@bp.get("/")
def index():
    """The KM team and committee first, then everyone by department; ?q= narrows by name or expertise."""
    people = records().people.people
    query = clean(request.args.get("q", ""))[:100]
    if query:
        folded = query.casefold()
        people = tuple(p for p in people if folded in " ".join((p.name, p.position, *p.expertise)).casefold())
    team = [(role, records().people.with_role(role)) for role in TEAM_ROLES]
    return render_template("people/index.html", people=people, team=team, query=query)


@bp.get("/<key>")
def show(key: str):
    """One person's card: expertise, contact, the assets they hold, events they led, CoPs, plan duties
    and the orders that appointed them."""
    person = _person_or_404(key)
    held = [a for a in assets() if a.status == "published" and records().people.find(a.owner) == person]

    def names_them(names) -> bool:
        return any(records().people.find(name) == person for name in names)

    duties = [(plan, activity) for plan in records().plans for activity in plan.activities
              if names_them(activity.responsible)]
    appointed = [(plan, order) for plan in records().plans for order in plan.orders if names_them(order.members)]
    return render_template("people/person.html", person=person, held=sorted(held, key=lambda a: a.title),
                           events=records().events_by(person), duties=duties, appointed=appointed)


@bp.route("/new", methods=["GET", "POST"])
@editor_required
def new():
    """Add a person card; the key becomes the file name and the page address."""
    form = _form()
    if request.method == "GET":
        return _page(form, None)
    if not form.validate_on_submit():
        return _page(form, None, general=refused(form), status=400)
    key = clean(form.key.data).lower()
    if not KEY.match(key):
        return _page(form, None, {"key": ["ใช้ได้เฉพาะ a-z 0-9 และ - ยาวไม่เกิน 80 ตัวอักษร เช่น somchai-jaidee"]},
                     status=422)
    if records().people.find(key) is not None or km_target("person", key).path.exists():
        return _page(form, None, {"key": [f'มีบุคคลรหัส "{key}" อยู่แล้ว กรุณาเลือกรหัสอื่น']}, status=422)
    values = submitted(form)
    if errors := _not_kept(values):
        return _page(form, None, errors, status=422)
    return _save(form, None, key, lambda _current: record_text(values), "km_person", values)


@bp.route("/<key>/edit", methods=["GET", "POST"])
@editor_required
def edit(key: str):
    """Change a person card (conflict-checked against the version the form opened)."""
    person = _person_or_404(key)
    form = _form()
    if request.method == "GET":
        for spec in SPECS:
            value = getattr(person, spec.name)
            form[spec.name].data = list(value) if spec.kind == "vocabs" else form_value(value)
        form.base_sha.data = text_sha(km_target("person", key).path.read_text(encoding="utf-8"))
        return _page(form, person)
    if not form.validate_on_submit():
        return _page(form, person, general=refused(form), status=400)
    values = submitted(form)
    changes = only_sent(form, values)
    if errors := _not_kept({name: value for name, value in values.items() if name in changes}):
        return _page(form, person, errors, status=422)
    if person.position and changes.get("position", person.position) != person.position:
        # the reports of plans that ended before the new position began keep the one held then
        since = _position_since(form.position_since.data, person)
        if isinstance(since, str):
            return _page(form, person, {"position_since": [since]}, status=422)
        if since is not None:  # None: the last change corrected (a typo in it), not a new one
            changes["earlier_positions"] = _as_written([*person.earlier_positions, (since, person.position)])
    elif (form.position_since.data or "").strip() and person.earlier_positions:
        # the same title with another day: the last change's day corrected (the order said 15 Dec,
        # not 1 Jan); it was dropped with "ไม่มีการเปลี่ยนแปลง" (second verification review)
        moved = _moved_change(form.position_since.data, person)
        if isinstance(moved, str):
            return _page(form, person, {"position_since": [moved]}, status=422)
        changes["earlier_positions"] = _as_written([*person.earlier_positions[:-1],
                                                    (moved, person.earlier_positions[-1][1])])
    return _save(form, person, key, lambda current: update_record_text(current, changes), "km_person_edit", values,
                 form.base_sha.data or "")


def _position_since(typed: str | None, person: Person) -> dt.date | str | None:
    """The first day of a new position (today unless typed), None when the change corrects the last
    one (left empty while that change is today's or still ahead: a typo in the new title could not be
    fixed until another day), or what is wrong with the date. A transfer announced on 25 Sep that
    begins on 1 Oct was dated the 25th: the year's report, signed for a plan ending on the 30th,
    then showed the approver under the title he took up after it."""
    last = person.earlier_positions[-1][0] if person.earlier_positions else None
    if not (typed or "").strip():
        return None if last is not None and dates.today() <= last else dates.today()
    since = _typed_day(typed)
    if isinstance(since, str):
        return since
    if last is not None and since == last:
        return None
    if last is not None and since < last:
        return (f"ต้องไม่ก่อนวันที่เปลี่ยนตำแหน่งครั้งก่อน ({thai_date(last)}) เว้นว่างหรือใส่วันเดียวกันเพื่อแก้ตำแหน่งของ"
                "ครั้งนั้น ประวัติตำแหน่งที่เก่ากว่านั้นแก้ได้ที่ไฟล์ของบุคคลนี้")
    return since


def _as_written(positions) -> list[dict]:
    """(until, position) pairs as the person file keeps them: [{position, until}, …], oldest first."""
    return [{"position": position, "until": until} for until, position in positions]


def _typed_day(typed: str) -> dt.date | str:
    """The day typed in "ตำแหน่งใหม่มีผลตั้งแต่", or why it is none (with what was typed)."""
    try:
        return parse_date(typed)
    except DateFormatError as exc:
        return f"{exc} แต่พบ \"{typed.strip()[:40]}\""


def _moved_change(typed: str, person: Person) -> dt.date | str:
    """The new first day of the last change of position, or what is wrong with it."""
    day = _typed_day(typed)
    before = person.earlier_positions[-2][0] if len(person.earlier_positions) > 1 else None
    if isinstance(day, dt.date) and before is not None and day <= before:
        return f"ต้องอยู่หลังวันที่เปลี่ยนตำแหน่งครั้งก่อนหน้านั้น ({thai_date(before)})"
    return day


def _save(form, person, key, make_text, action, values, base_sha=None):
    try:
        result = save_km("person", key, make_text, action=action, detail=values["name"], base_sha=base_sha)
    except (SaveBusy, CannotEdit) as exc:
        return _page(form, person, general=[str(exc)], status=503 if isinstance(exc, SaveBusy) else 409)
    if result.outcome == "conflict":
        return _page(form, person, status=409, general=[
            "มีผู้แก้ไขบัตรนี้หลังจากที่คุณเปิดแบบฟอร์ม กรุณาโหลดหน้าใหม่ (ข้อความที่พิมพ์ยังอยู่ด้านล่าง)"])
    if result.outcome == "invalid":
        errors, general = errors_for(result.problems, set(FIELDS))
        return _page(form, person, errors, general, 422)
    flash("บันทึกข้อมูลบุคคลในทำเนียบแล้ว" if result.outcome == "saved" else "ไม่มีการเปลี่ยนแปลง", "info")
    return redirect(url_for("people.show", key=key))


def _person_or_404(key: str) -> Person:
    person = records().people.by_key.get(key) if len(key) <= 80 else None
    if person is None:
        abort(404, description="ไม่พบบุคคลนี้ในทำเนียบ")
    return person


def _form() -> PersonForm:
    form = PersonForm()
    form.department.choices = [("", "— ไม่ระบุ —")] + [(t.key, t.label) for t in kb().vocab.departments]
    form.roles.choices = [(t.key, t.label) for t in plan_vocab().roles]
    return form


NOT_KEPT = ("เลขประจำตัวประชาชน", "เลขบัญชีธนาคาร")  # a work phone may be kept, with consent
ADDRESSES = ("บ้านเลขที่", "ที่อยู่")


def _not_kept(values: dict) -> dict[str, list[str]]:
    """What the form says the directory never keeps (a citizen ID, a bank account, a home address),
    by field: it said so above the fields and saved them all the same (outside review, privacy). An
    address is a home unless its line names a workplace (สำนักงานเทศบาล… 199 หมู่ 3 is welcome)."""
    errors = {}
    for name, value in values.items():
        text = "\n".join(value) if isinstance(value, list) else str(value or "")
        lines = text.split("\n")
        found = [f for f in personal_data(text) if f.kind in NOT_KEPT
                 or (f.kind in ADDRESSES and not WORKPLACE.search(lines[f.line - 1]))]
        if found:
            what = "ที่อยู่บ้าน" if found[0].kind in ADDRESSES else found[0].kind
            errors[name] = [f"ทำเนียบไม่เก็บ{what} ({found[0].shown}) ใช้ที่อยู่และช่องทางติดต่อในงานแทน"]
    return errors


def submitted(form: PersonForm) -> dict:
    return {spec.name: READ[spec.kind](form[spec.name].data) for spec in SPECS}


def _page(form, person, errors=None, general=None, status=200):
    return render_template("people/form.html", form=form, person=person, errors=errors or {},
                           general=general or [], fields=FIELDS), status
