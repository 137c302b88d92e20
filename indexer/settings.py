"""Every KM_* setting, declared once: name, type, default and help.

The CLI reads them from the environment; the site reads the same table from its
defaults, `instance/config.py`, the environment and `test_config`, in that order.
A bad value fails at start-up with the setting's name, what was expected and what
was given. The README's configuration table is checked against `SETTINGS` by a test.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .dates import DEFAULT_TIMEZONE, time_zone
from .errors import SettingsError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Where ./knowledge and ./instance are: the code folder of a checkout (it holds knowledge/), else the
# folder a command is started in, so a package installed with pip never keeps its data in site-packages.
HOME = PROJECT_ROOT if (PROJECT_ROOT / "knowledge").is_dir() else Path.cwd()
DATA_DIR = Path(__file__).resolve().parent / "data"
PREFIX = "KM_"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Setting:
    """One KM_* setting: its type ("path", "int", "float", "bool", "str", "regex", "timezone"),
    its default (None = derived or unset), its bounds and what it means."""

    name: str
    kind: str
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None
    used_by: str = "site and CLI"

    def parse(self, raw: Any) -> Any:
        """Convert a raw value (text from the environment, or a Python value from a config file)."""
        if self.kind == "bool":
            return _to_bool(self.name, raw)
        if self.kind == "path":
            return Path(raw).expanduser()
        if self.kind == "timezone":
            return time_zone(str(raw)).key  # checked now: an unknown zone stops start-up, naming the setting
        if self.kind in ("str", "regex"):
            text = str(raw)
            if self.kind == "regex":
                try:
                    re.compile(text)
                except re.error as exc:
                    raise SettingsError(f"{self.name}: expected a regular expression, got {text!r} ({exc})") from None
            return text
        return self._number(raw)

    def _number(self, raw: Any) -> int | float:
        kind = int if self.kind == "int" else float
        what = "a whole number" if kind is int else "a number"
        if isinstance(raw, bool) or (isinstance(raw, float) and kind is int and not raw.is_integer()):
            raise SettingsError(f"{self.name}: expected {what}, got {raw!r}")
        try:
            value = kind(str(raw).strip()) if isinstance(raw, str) else kind(raw)
        except (TypeError, ValueError):
            raise SettingsError(f"{self.name}: expected {what}, got {raw!r}") from None
        low, high = self.minimum, self.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"{low:g} or more" if high is None else f"{low:g} to {high:g}"
            raise SettingsError(f"{self.name}: expected {bounds}, got {raw!r}")
        return value


SETTINGS: tuple[Setting, ...] = (
    Setting("KM_KNOWLEDGE_DIR", "path", HOME / "knowledge", "the Markdown files (the source of truth)"),
    Setting("KM_INSTANCE_DIR", "path", HOME / "instance",
            "runtime data: the SQLite file, the secret key, the index by default"),
    Setting("KM_INDEX_DIR", "path", None, "the Whoosh index (builds + `current` symlink); default `<instance>/index`"),
    Setting("KM_DATABASE", "path", None, "the SQLite file; default `<instance>/km.sqlite3`", used_by="site"),
    Setting("KM_VOCABULARY_FILE", "path", DATA_DIR / "vocabulary.yaml",
            "departments, KM stages, types, channels, indicator thresholds"),
    Setting("KM_GLOSSARY_FILE", "path", DATA_DIR / "glossary.yaml",
            "extra dictionary words and synonym groups for Thai search"),
    Setting("KM_BUILD_WORKERS", "int", 0, "processes used by a full build (0 = one per core)", minimum=0,
            maximum=64),  # 999 forked 999 processes
    Setting("KM_SEMANTIC", "bool", True,
            "semantic search: passages encoded by a bundled multilingual model, fused with word search"),
    Setting("KM_WATCH_INTERVAL", "float", 3.0,
            "seconds between checks for hand-edited files (0 = off)", minimum=0, used_by="site"),
    Setting("KM_BUILD_ON_START", "bool", True,
            "build the index at start-up if it is missing, corrupt or outdated", used_by="site"),
    Setting("KM_SECRET_KEY", "str", None,
            "signs sessions; otherwise generated once in `<instance>/secret_key` (mode 600)", used_by="site"),
    Setting("KM_SITE_NAME", "str", "ขุมความรู้", "shown in the header", used_by="site"),
    Setting("KM_PER_PAGE", "int", 10, "results per page on the search and browse pages",
            minimum=1, maximum=50, used_by="site"),
    Setting("KM_REQUIRE_LOGIN", "bool", False, "every page except sign-in needs an account", used_by="site"),
    Setting("KM_MAX_ATTACHMENT_MB", "float", 20.0, "largest attachment accepted, in megabytes",
            minimum=0.001, used_by="site"),  # 0 refused every file, with a message saying "up to 0 MB"
    Setting("KM_LOGIN_MAX_FAILURES", "int", 5, "failed sign-ins per name and client before a pause",
            minimum=1, used_by="site"),
    Setting("KM_LOGIN_LOCK_SECONDS", "int", 300, "length of that pause, in seconds", minimum=0, used_by="site"),
    Setting("KM_TRUSTED_PROXIES", "int", 0,
            "reverse proxies in front of the site whose `X-Forwarded-For`/`-Proto` are believed "
            "(1 behind the nginx of docs/DEPLOY.md; 0 when readers reach gunicorn directly)",
            minimum=0, maximum=5, used_by="site"),
    Setting("KM_BOT_PATTERN", "regex", None,
            "User-Agent pattern of robots whose visits are not counted (default: a built-in list)",
            used_by="site"),
    Setting("KM_TIMEZONE", "timezone", DEFAULT_TIMEZONE,
            "time zone of every date and time shown (audit log, history, reports, \"today\"); an IANA name"),
    Setting("KM_CHROMIUM", "str", "chromium",
            "the headless Chromium that makes the reports' PDFs: a path, or a name looked up on the PATH",
            used_by="site"),
    Setting("KM_HOST", "str", "127.0.0.1", "address `scripts/serve` listens on", used_by="scripts/serve"),
    Setting("KM_PORT", "int", 5000, "port `scripts/serve` listens on", minimum=1, maximum=65535,
            used_by="scripts/serve"),
    Setting("KM_SKIP_APT", "bool", False,
            "`scripts/setup` goes on without the Debian packages when not root", used_by="scripts/setup"),
)
SETTINGS_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def read_settings(sources: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Every declared setting's value: its default, overridden by each source in turn.

    Names a source holds that are not declared are ignored here (see `undeclared`);
    an empty text value counts as unset.
    """
    values = {s.name: s.default for s in SETTINGS}
    for source in sources:
        for setting in SETTINGS:
            raw = source.get(setting.name)
            if raw is None or (isinstance(raw, str) and raw.strip() == ""):
                continue
            values[setting.name] = setting.parse(raw)
    return values


def undeclared(names: Iterable[str]) -> list[str]:
    """The KM_* names among `names` that are no setting (a typo, or a setting that was removed)."""
    return sorted(n for n in names if n.startswith(PREFIX) and n not in SETTINGS_BY_NAME)


def log_undeclared(names: Iterable[str]) -> list[str]:
    """Log each KM_* name among `names` that is no setting as ignored (the site and the CLI alike); return them."""
    unknown = undeclared(names)
    for name in unknown:
        log.warning("%s is not a setting and is ignored (see the README's configuration table)", name)
    return unknown


@dataclass(frozen=True)
class Settings:
    """What the indexer needs: where the knowledge, the index and the vocabularies live."""

    knowledge_dir: Path
    index_dir: Path
    instance_dir: Path
    vocabulary_file: Path
    glossary_file: Path
    build_workers: int = 0  # 0 = one per CPU core
    semantic: bool = True   # encode passages and fuse semantic ranking in (KM_SEMANTIC)
    timezone: str = "Asia/Bangkok"  # KM_TIMEZONE, already checked by read_settings

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> Settings:
        """Build from `read_settings` output (the site's path)."""
        instance = Path(values["KM_INSTANCE_DIR"])
        return cls(
            knowledge_dir=_resolved(values["KM_KNOWLEDGE_DIR"]),
            instance_dir=_resolved(instance),
            index_dir=_resolved(values["KM_INDEX_DIR"] or instance / "index"),
            vocabulary_file=_resolved(values["KM_VOCABULARY_FILE"]),
            glossary_file=_resolved(values["KM_GLOSSARY_FILE"]),
            build_workers=int(values["KM_BUILD_WORKERS"]),
            semantic=bool(values["KM_SEMANTIC"]),
            timezone=str(values["KM_TIMEZONE"]),
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> Settings:
        """Read the KM_* environment (the CLI's path), logging unknown KM_ names; keyword overrides win."""
        env = os.environ if environ is None else environ
        log_undeclared(env)
        return cls.from_values(read_settings([env])).with_overrides(**overrides)

    def with_overrides(self, **overrides) -> Settings:
        """Return a copy with the given fields replaced (None leaves a field alone)."""
        clean = {k: (_resolved(v) if k.endswith(("_dir", "_file")) else v)
                 for k, v in overrides.items() if v is not None}
        return replace(self, **clean)

    def check(self) -> None:
        """Fail with the setting's name when a required path does not exist."""
        if not self.knowledge_dir.is_dir():
            raise SettingsError(f"KM_KNOWLEDGE_DIR: expected an existing folder, got {str(self.knowledge_dir)!r}")
        for name, path in (("KM_VOCABULARY_FILE", self.vocabulary_file),
                           ("KM_GLOSSARY_FILE", self.glossary_file)):
            if not path.is_file():
                raise SettingsError(f"{name}: expected an existing YAML file, got {str(path)!r}")


def _resolved(path: Any) -> Path:
    return Path(path).expanduser().resolve()


def _to_bool(name: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    lowered = str(raw).strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name}: expected true or false, got {raw!r}")
