"""Forms of the publishing area, generated from the front-matter schema (indexer.content.schema.FIELDS).

No WTForms validators check the asset fields: the same loader that validates files
does, so the messages are the same; WTForms only checks the CSRF token here.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, Field, HiddenField, SelectChoice, SelectField, StringField, TextAreaField

from indexer import DATE_HELP, MAX_REF_CHARS, FieldSpec, Vocabulary

from .compose import FORM_FIELDS

EDIT_SUMMARY_HELP = "ไม่บังคับ บอกสั้น ๆ ว่าแก้อะไร เช่น ปรับขั้นตอนที่ 3 ตามระเบียบใหม่ (แสดงในประวัติการแก้ไข)"
SLUG_HELP = "ชื่อไฟล์ภาษาอังกฤษ a-z 0-9 และ - เช่น sick-leave (เว้นว่างให้ระบบตั้งให้) ใช้เป็นที่อยู่ของหน้าเว็บ"


class Needed:
    """Marks a field the file must have (aria-required and the label's mark, see field_row); checking
    it stays the loader's, so its message is the one `python -m indexer check` gives."""

    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        return None


def _field(spec: FieldSpec, vocab: Vocabulary) -> Field:
    kwargs = {"description": spec.help, "validators": [Needed()] if spec.required else []}
    if spec.kind == "vocab":
        terms = vocab.list(spec.vocabulary)
        choices = [SelectChoice(t.key, t.label) for t in terms]
        if spec.default is None:
            choices.insert(0, SelectChoice("", "— เลือก —"))
        return SelectField(spec.label, choices=choices, validate_choice=False, default=spec.default or "", **kwargs)
    if spec.max_chars and spec.kind == "text":  # the loader's limit, told to the browser too
        kwargs["render_kw"] = {"maxlength": spec.max_chars}
    if spec.multiline:
        return TextAreaField(spec.label, **kwargs)
    return StringField(spec.label, **kwargs)


def vocabulary_choices(terms) -> list[SelectChoice]:
    """Options of a select: an empty "choose" entry, then key → Thai label."""
    return [SelectChoice("", "— เลือก —")] + [SelectChoice(t.key, t.label) for t in terms]


PERSONAL_OK = "ตรวจแล้ว ข้อมูลนี้เผยแพร่ได้"
PERSONAL_OK_HELP = ("ติ๊กเมื่อเจ้าของข้อมูลยินยอมให้เผยแพร่ หรือเป็นข้อมูลที่เปิดเผยอยู่แล้ว เช่น โทรศัพท์ที่ใช้ในงาน "
                    "ถ้าไม่ใช่ ให้ลบออกหรือแทนด้วย xxx (การยกตัวอย่างกรณีจริงไม่ต้องใช้เลขจริง)")


def asset_form(vocab: Vocabulary, new: bool, from_request: bool = True, **values) -> FlaskForm:
    """The editor form: one input per schema field, the Markdown body and the base fingerprint.

    With `from_request` False the form shows `values` even while answering a POST
    (the conflict page offers the merged values, not the ones just sent).
    """
    attrs = {spec.name: _field(spec, vocab) for spec in FORM_FIELDS}
    attrs["body"] = TextAreaField("เนื้อหา (Markdown)", description="ใช้ ## หัวข้อ, - รายการ, | ตาราง | ตามรูปแบบ Markdown")
    attrs["edit_summary"] = StringField("สรุปการแก้ไข", description=EDIT_SUMMARY_HELP,
                                        render_kw={"maxlength": 200, "autocomplete": "off"})
    attrs["base_sha"] = HiddenField()
    attrs["merged"] = HiddenField()
    attrs["personal_ok"] = BooleanField(PERSONAL_OK, description=PERSONAL_OK_HELP)
    if new:
        attrs["slug"] = StringField("ชื่อไฟล์ (ภาษาอังกฤษ)", description=SLUG_HELP)
    form_class = type("AssetForm", (FlaskForm,), attrs)
    if not from_request:
        return form_class(formdata=None, data=values)
    return form_class(data=values or None)


class DisseminationForm(FlaskForm):
    channel = SelectField("ช่องทาง", validate_choice=False, validators=[Needed()])
    date = StringField("วันที่", description=DATE_HELP, validators=[Needed()])
    ref = StringField("อ้างอิง/หลักฐาน", description="เช่น เลขที่หนังสือเวียน ลิงก์ หรือชื่อการประชุม",
                      render_kw={"maxlength": MAX_REF_CHARS})


class UploadForm(FlaskForm):
    file = FileField("ไฟล์")


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token (retire, restore, remove)."""

    base_sha = HiddenField()


class SourceForm(FlaskForm):
    """The whole file, front matter and body: how the KM team fixes a file a hand edit broke (the
    form of fields cannot open it) without a login to the server."""

    text = TextAreaField("เนื้อหาทั้งไฟล์ (ส่วนหัว YAML ระหว่างบรรทัด --- และเนื้อหา Markdown)",
                         description="ระบบตรวจแบบเดียวกับ python -m indexer check ก่อนบันทึก",
                         render_kw={"rows": 28, "spellcheck": "false"})
    base_sha = HiddenField()
    personal_ok = BooleanField(PERSONAL_OK, description=PERSONAL_OK_HELP)
