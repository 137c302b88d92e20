"""Site configuration: defaults, then instance/config.py, then KM_* environment variables."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, Mapping

from indexer import Settings, SettingsError

DEFAULTS: dict[str, Any] = {
    "KM_WATCH_INTERVAL": 3.0,      # seconds between checks for hand-edited files; 0 = off
    "KM_BUILD_ON_START": True,     # build the index at start-up when it is missing
    "KM_SITE_NAME": "ขุมความรู้",
    "KM_PER_PAGE": 10,
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "KM_REQUIRE_LOGIN": False,       # True: every page except sign-in needs an account
    "KM_MAX_ATTACHMENT_MB": 20,      # largest attachment accepted, in megabytes
    "KM_LOGIN_MAX_FAILURES": 5,      # failed sign-ins (per name and client) before a pause
    "KM_LOGIN_LOCK_SECONDS": 300,    # length of that pause
    "KM_TRUSTED_PROXIES": 0,         # reverse proxies in front (nginx: 1) whose X-Forwarded-For/-Proto are believed
}

# Settings read from the environment, with the type each must have.
ENV_SETTINGS: dict[str, type] = {
    "KM_WATCH_INTERVAL": float,
    "KM_BUILD_ON_START": bool,
    "KM_SITE_NAME": str,
    "KM_SECRET_KEY": str,
    "KM_PER_PAGE": int,
    "KM_REQUIRE_LOGIN": bool,
    "KM_MAX_ATTACHMENT_MB": float,
    "KM_LOGIN_MAX_FAILURES": int,
    "KM_LOGIN_LOCK_SECONDS": int,
    "KM_TRUSTED_PROXIES": int,
}
PATH_SETTINGS = ("KM_KNOWLEDGE_DIR", "KM_INDEX_DIR", "KM_INSTANCE_DIR", "KM_VOCABULARY_FILE", "KM_GLOSSARY_FILE")


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Read typed KM_* settings; a bad value fails with its name, expectation and value."""
    values: dict[str, Any] = {}
    for name, kind in ENV_SETTINGS.items():
        raw = environ.get(name)
        if raw is None or raw == "":
            continue
        values[name] = _convert(name, raw, kind)
    return values


def _convert(name: str, raw: str, kind: type) -> Any:
    if kind is bool:
        lowered = raw.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise SettingsError(f"{name}: expected true or false, got {raw!r}")
    try:
        value = kind(raw)
    except ValueError:
        raise SettingsError(f"{name}: expected {'a number' if kind is not str else 'text'}, got {raw!r}") from None
    if kind in (int, float) and value < 0:
        raise SettingsError(f"{name}: expected 0 or more, got {raw!r}")
    return value


def settings_for(config: Mapping[str, Any], environ: Mapping[str, str], instance_path: str) -> Settings:
    """Build the indexer settings the CLI would build, letting app config override paths."""
    env = dict(environ)
    env.setdefault("KM_INSTANCE_DIR", instance_path)
    for name in PATH_SETTINGS:
        if config.get(name):
            env[name] = str(config[name])
    settings = Settings.from_env(env)
    settings.check()
    return settings


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
