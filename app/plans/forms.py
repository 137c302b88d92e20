"""Forms of the KM-plan area. Labels and help come from the schema (indexer.SCHEMAS); WTForms checks
only the CSRF token, the KM validator checks the values, so the messages match `python -m indexer check`."""

from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.csrf.core import CSRFTokenField
from wtforms.widgets import CheckboxInput, ListWidget

from indexer import SCHEMAS

from ..publish.forms import Needed


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (usable on a phone, no script)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


EXPIRED = "แบบฟอร์มหมดอายุ กรุณาโหลดหน้าใหม่"


def complete(form: FlaskForm) -> bool:
    """Whether a posted form sent each of its fields (checkbox groups aside: none ticked sends
    none); if not, says so in form_errors. For a form that replaces a whole file.

    WTForms reads a field that was not sent as empty, and the KM files' writers take an empty
    value as "clear it": a post cut short or written by a script wiped a year's results text
    and set a finished activity back to planned, and a missing base_sha skipped the conflict check.
    """
    missing = [field.label.text or field.name for field in form
               if not isinstance(field, (CheckboxesField, CSRFTokenField)) and field.name not in request.form]
    if missing:
        form.form_errors.append(f"แบบฟอร์มส่งมาไม่ครบ (ไม่มีช่อง {', '.join(missing)}) จึงไม่ได้บันทึก "
                                "กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง")
    return not missing


def only_sent(form: FlaskForm, changes: dict, fields_of: dict[str, str] | None = None) -> dict:
    """The changes whose form field was sent. A field not sent (a post cut short, a field the page
    does not show, such as the figure of an activity the system measures) leaves the file's value
    as it is; a field sent empty clears it. A group of checkboxes sends nothing when none is
    ticked, so it always counts as sent. `fields_of` names the field a change comes from
    ({"plan": "activity"}) where the names differ."""
    fields_of = fields_of or {}

    def sent(name: str) -> bool:
        field = getattr(form, fields_of.get(name, name), None)
        return field is None or isinstance(field, CheckboxesField) or field.name in request.form

    return {name: value for name, value in changes.items() if sent(name)}


def refused(form: FlaskForm) -> list[str]:
    """Why a posted form was not taken, for the top of its page."""
    return list(form.form_errors) or [EXPIRED]


def _spec(schema: str, name: str):
    return next(s for s in SCHEMAS[schema] if s.name == name)


def schema_field(schema: str, name: str, kind: type[Field] = StringField, **kwargs) -> Field:
    """A form field labelled and described by the schema."""
    spec = _spec(schema, name)
    if spec.required:
        kwargs.setdefault("validators", [Needed()])
    if kind in (SelectField, CheckboxesField):
        kwargs.setdefault("validate_choice", False)
        kwargs.setdefault("choices", [])
    return kind(spec.label, description=spec.help, **kwargs)


class EventForm(FlaskForm):
    """Recording an event: six quick fields, the rest folded under "more details"."""

    date = schema_field("event", "date", render_kw={"inputmode": "numeric", "placeholder": "14/03/2568"})
    type = schema_field("event", "type", SelectField)
    title = schema_field("event", "title")
    activity = SelectField("กิจกรรมตามแผน", validate_choice=False, choices=[],
                           description="กิจกรรมนี้ดำเนินการตามกิจกรรมใดของแผน")
    participants = schema_field("event", "participants", render_kw={"inputmode": "numeric"})
    evidence = schema_field("event", "evidence")
    organiser = schema_field("event", "organiser", render_kw={"list": "people-list", "autocomplete": "off"})
    participant_names = schema_field("event", "participant_names")
    staff_categories = schema_field("event", "staff_categories", CheckboxesField)
    departments = schema_field("event", "departments", CheckboxesField)
    assets_produced = schema_field("event", "assets_produced")
    assets_used = schema_field("event", "assets_used")
    summary = schema_field("event", "summary", TextAreaField)
    reports_on = schema_field("event", "reports_on", render_kw={"inputmode": "numeric"})
    chair = schema_field("event", "chair", render_kw={"list": "people-list", "autocomplete": "off"})
    minute_taker = schema_field("event", "minute_taker", render_kw={"list": "people-list", "autocomplete": "off"})
    resolutions = schema_field("event", "resolutions", TextAreaField, render_kw={"rows": 3})
    order_ref = schema_field("event", "order_ref")
    order_date = schema_field("event", "order_date", render_kw={"inputmode": "numeric", "placeholder": "30/04/2568"})
    base_sha = HiddenField()


class PersonForm(FlaskForm):
    key = StringField("รหัสบุคคล", validators=[Needed()],
                      description="ภาษาอังกฤษ a-z 0-9 และ - เช่น somchai-jaidee ใช้เป็นที่อยู่ของหน้า")
    name = schema_field("person", "name")
    position = schema_field("person", "position")
    position_since = StringField(
        "ตำแหน่งใหม่มีผลตั้งแต่", render_kw={"inputmode": "numeric", "placeholder": "01/10/2569"},
        description="กรอกเมื่อเปลี่ยนตำแหน่ง: วันแรกของตำแหน่งใหม่ วัน/เดือน/ปี พ.ศ. (ไม่กรอก = วันนี้) "
                    "รายงานของแผนที่สิ้นสุดก่อนวันนั้นยังแสดงตำแหน่งเดิม · แก้คำผิดในตำแหน่งที่เปลี่ยนไว้แล้ว: "
                    "ใส่วันเดียวกับครั้งนั้น")
    department = schema_field("person", "department", SelectField)
    expertise = schema_field("person", "expertise")
    roles = schema_field("person", "roles", CheckboxesField)
    cops = schema_field("person", "cops")
    contact = schema_field("person", "contact")
    email = schema_field("person", "email")
    phone = schema_field("person", "phone")
    aliases = schema_field("person", "aliases")
    base_sha = HiddenField()


class ProgressForm(FlaskForm):
    progress = schema_field("activity", "progress", SelectField)
    progress_note = schema_field("activity", "progress_note", TextAreaField)
    actual = schema_field("activity", "actual")
    evidence = schema_field("activity", "evidence")
    completed_on = schema_field("activity", "completed_on")
    lessons = schema_field("activity", "lessons", TextAreaField)
    base_sha = HiddenField()


class ResultsForm(FlaskForm):
    """What the team writes for the yearly report: one item per line."""

    steps = schema_field("narrative", "steps", TextAreaField)
    measures_taken = schema_field("narrative", "measures_taken", TextAreaField)
    supporting_factors = schema_field("narrative", "supporting_factors", TextAreaField)
    obstacles = schema_field("narrative", "obstacles", TextAreaField)
    evidence = schema_field("narrative", "evidence", TextAreaField)
    base_sha = HiddenField()


class SurveyForm(FlaskForm):
    date = schema_field("survey", "date")
    title = schema_field("survey", "title")
    respondents = schema_field("survey", "respondents")
    aware = schema_field("survey", "aware")
    total_staff = schema_field("survey", "total_staff")
    evidence = schema_field("survey", "evidence")


class NeedForm(FlaskForm):
    group = SelectField("กลุ่มภารกิจ", validate_choice=False, choices=[])
    title = schema_field("need_item", "title")
    holders = schema_field("need_item", "holders")
    note = schema_field("need_item", "note")


class FileForm(FlaskForm):
    """The whole YAML file, for what the smaller forms do not cover."""

    text = TextAreaField("เนื้อหาไฟล์ (YAML)", description="ระบบตรวจตามรูปแบบเดียวกับ python -m indexer check ก่อนบันทึก",
                         render_kw={"rows": 28, "spellcheck": "false"})  # a whole file: more than three lines show
    base_sha = HiddenField()


class ConfirmForm(FlaskForm):
    base_sha = HiddenField()
