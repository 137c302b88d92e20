"""Site configuration: Flask's own defaults, then every declared KM_* setting.

The KM_* settings are declared once, in `indexer.settings.SETTINGS`, and read in
this order: their defaults, `instance/config.py`, the environment, `test_config`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from indexer import SETTINGS, Settings, SettingsError, log_undeclared, read_settings

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


def default_instance_dir() -> str:
    """The CLI's default instance folder: ./instance of the checkout, or, installed with pip, of the folder
    the site is started in. Flask's own default, <venv>/var/app-instance once installed, kept the accounts,
    the secret key and an index `km-indexer build` never wrote inside the virtualenv (maintainer review F3)."""
    return str(next(s.default for s in SETTINGS if s.name == "KM_INSTANCE_DIR"))


def site_settings(config: Mapping[str, Any], environ: Mapping[str, str], test_config: Mapping[str, Any] | None,
                  instance_path: str) -> tuple[dict[str, Any], Settings]:
    """Every KM_* value the site uses, and the indexer settings built from the same values."""
    sources = [{"KM_INSTANCE_DIR": instance_path}, config, environ, test_config or {}]
    log_undeclared([*config, *environ, *(test_config or {})])
    values = read_settings(sources)
    settings = Settings.from_values(values)
    settings.check()
    return values, settings


MIN_SECRET_CHARS = 32  # a generated key has 64 (hex of 32 random bytes)


def secret_key(config: Mapping[str, Any], instance_dir: Path) -> str:
    """Use KM_SECRET_KEY, or a key generated once and kept (mode 600) in the instance folder.

    A key shorter than MIN_SECRET_CHARS is refused at start with the reason: a short one can be
    guessed and every session forged, and an empty key file (a first start on a full disk) made
    every form page a 500 later, with nothing said at start."""
    if config.get("KM_SECRET_KEY"):
        key = str(config["KM_SECRET_KEY"])
        if len(key) < MIN_SECRET_CHARS:
            raise SettingsError(f"KM_SECRET_KEY: expected at least {MIN_SECRET_CHARS} random characters, got "
                                f"{len(key)}; leave it unset and a key is generated in the instance folder")
        return key
    path = Path(instance_dir) / "secret_key"
    if not path.exists():
        _write_new_key(path)
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_SECRET_CHARS:
        raise SettingsError(f"{path}: expected a key of at least {MIN_SECRET_CHARS} characters, got {len(key)} "
                            "(a first start on a full disk leaves it empty): delete the file and start the site "
                            "again to generate one (everyone signs in again)")
    if path.stat().st_mode & 0o077:
        log.warning("%s can be read by other users of this server (mode %o): chmod 600 it", path,
                    path.stat().st_mode & 0o777)
    return key


def _write_new_key(path: Path) -> None:
    """Write a new key to `path` whole or not at all: into a file of its own first, then linked into
    place, so a worker starting beside this one reads either no file or the whole key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".secret_key.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32))
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another worker made it first: its key is the one
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
