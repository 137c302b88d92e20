"""Settings shared by the CLI and the site, read from KM_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping

from .errors import SettingsError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(__file__).resolve().parent / "data"
PREFIX = "KM_"


@dataclass(frozen=True)
class Settings:
    """Where the knowledge, the index and the vocabularies live."""

    knowledge_dir: Path
    index_dir: Path
    instance_dir: Path
    vocabulary_file: Path
    glossary_file: Path
    build_workers: int = 0  # 0 = one per CPU core

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> "Settings":
        """Read KM_KNOWLEDGE_DIR, KM_INDEX_DIR, KM_INSTANCE_DIR, KM_VOCABULARY_FILE,
        KM_GLOSSARY_FILE and KM_BUILD_WORKERS; keyword overrides win."""
        env = os.environ if environ is None else environ
        instance = Path(env.get(PREFIX + "INSTANCE_DIR") or PROJECT_ROOT / "instance")
        values = {
            "knowledge_dir": Path(env.get(PREFIX + "KNOWLEDGE_DIR") or PROJECT_ROOT / "knowledge"),
            "instance_dir": instance,
            "index_dir": Path(env.get(PREFIX + "INDEX_DIR") or instance / "index"),
            "vocabulary_file": Path(env.get(PREFIX + "VOCABULARY_FILE") or DATA_DIR / "vocabulary.yaml"),
            "glossary_file": Path(env.get(PREFIX + "GLOSSARY_FILE") or DATA_DIR / "glossary.yaml"),
            "build_workers": _int_setting(env, "BUILD_WORKERS", 0),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("knowledge_dir", "index_dir", "instance_dir", "vocabulary_file", "glossary_file"):
            values[key] = Path(values[key]).expanduser().resolve()
        return cls(**values)

    def with_overrides(self, **overrides) -> "Settings":
        """Return a copy with the given fields replaced (None leaves a field alone)."""
        clean = {k: (Path(v).resolve() if k.endswith(("_dir", "_file")) else v)
                 for k, v in overrides.items() if v is not None}
        return replace(self, **clean)

    def check(self) -> None:
        """Fail with the setting's name when a required path does not exist."""
        for name, path in (("KM_KNOWLEDGE_DIR", self.knowledge_dir),):
            if not path.is_dir():
                raise SettingsError(f"{name}: expected an existing folder, got {str(path)!r}")
        for name, path in (("KM_VOCABULARY_FILE", self.vocabulary_file),
                           ("KM_GLOSSARY_FILE", self.glossary_file)):
            if not path.is_file():
                raise SettingsError(f"{name}: expected an existing YAML file, got {str(path)!r}")


def _int_setting(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(PREFIX + name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{PREFIX}{name}: expected a whole number, got {raw!r}") from None
    if value < 0:
        raise SettingsError(f"{PREFIX}{name}: expected 0 or more, got {raw!r}")
    return value
