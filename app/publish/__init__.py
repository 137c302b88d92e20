"""The publishing area for the KM team: editor, conflicts, history, dissemination, attachments."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("publish", __name__, url_prefix="/publish")

# The view modules attach their routes to `bp`.
from . import attachments_views, dissemination, history, views  # noqa: E402,F401
