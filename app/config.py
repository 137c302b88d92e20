"""Site configuration: Flask's own defaults, then every declared KM_* setting.

The KM_* settings are declared once, in `indexer.settings.SETTINGS`, and read in
this order: their defaults, `instance/config.py`, the environment, `test_config`.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from indexer import Settings, read_settings, undeclared

log = logging.getLogger(__name__)

# Flask and cookie settings (not KM_* settings: nothing to configure per municipality).
FLASK_DEFAULTS: dict[str, Any] = {
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    # A form's token lives as long as its session (a new one at each sign-in and sign-out), not
    # Flask-WTF's default hour: writing a manual in the editor takes longer, and an expired token
    # refused the save.
    "WTF_CSRF_TIME_LIMIT": None,
}


def site_settings(config: Mapping[str, Any], environ: Mapping[str, str], test_config: Mapping[str, Any] | None,
                  instance_path: str) -> tuple[dict[str, Any], Settings]:
    """Every KM_* value the site uses, and the indexer settings built from the same values."""
    sources = [{"KM_INSTANCE_DIR": instance_path}, config, environ, test_config or {}]
    for name in undeclared([*config, *environ, *(test_config or {})]):
        log.warning("%s is not a setting of this site and is ignored (see the README's configuration table)", name)
    values = read_settings(sources)
    settings = Settings.from_values(values)
    settings.check()
    return values, settings


def secret_key(config: Mapping[str, Any], instance_dir: Path) -> str:
    """Use KM_SECRET_KEY, or a key generated once and kept (mode 600) in the instance folder."""
    if config.get("KM_SECRET_KEY"):
        return str(config["KM_SECRET_KEY"])
    path = Path(instance_dir) / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key
