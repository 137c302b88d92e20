"""Record a dissemination event (channel, date, reference) from the asset page."""

from __future__ import annotations

from dataclasses import replace

from flask import render_template, request
from flask_login import current_user

from indexer import DateFormatError, parse_date

from ..audit import shown_date
from ..auth import editor_required
from . import bp
from .compose import today_be
from .forms import DisseminationForm, vocabulary_choices
from .service import SaveBusy, record_dissemination
from .views import after_save, field_errors, kb, target_or_404


@bp.route("/<slug>/disseminate", methods=["GET", "POST"])
@editor_required
def disseminate(slug: str):
    target = target_or_404(slug)
    asset = kb().asset(slug)
    form = DisseminationForm(data={"date": today_be()} if request.method == "GET" else None)
    form.channel.choices = vocabulary_choices(kb().vocab.channels)
    if request.method == "GET" or not form.validate_on_submit():
        return render_template("publish/disseminate.html", asset=asset, form=form, errors={}, general=[])
    channel, ref = form.channel.data or "", " ".join((form.ref.data or "").split())
    raw_date = (form.date.data or "").strip()
    try:
        day = parse_date(raw_date) if raw_date else None
    except DateFormatError:
        day = raw_date  # written only if valid: the validator reports it against the field
    try:
        result = record_dissemination(kb(), target, channel, day, ref, user=current_user.username,
                                      detail=f"{kb().vocab.channels.label(channel)} {shown_date(day)} {ref}".strip())
    except SaveBusy as exc:
        return render_template("publish/disseminate.html", asset=asset, form=form, errors={},
                               general=[str(exc)]), 503
    if result.outcome == "invalid":
        errors, general = field_errors(tuple(_on_form(p) for p in result.problems), {"channel", "date", "ref"})
        return render_template("publish/disseminate.html", asset=asset, form=form, errors=errors,
                               general=general), 422
    return after_save(result, "บันทึกการเผยแพร่แล้ว", text_changed=False)


def _on_form(problem):
    """dissemination[3].channel → channel, so the message sits next to the field."""
    field = problem.field or ""
    name = field.rsplit(".", 1)[-1] if field.startswith("dissemination[") else problem.field
    return replace(problem, field=name)
