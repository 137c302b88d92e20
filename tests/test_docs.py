"""The README stays true to the code it describes."""

import re
from pathlib import Path

from indexer.content.schema import FIELDS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_front_matter_field_is_documented():
    missing = [spec.name for spec in FIELDS if f"`{spec.name}`" not in README]
    assert not missing, f"fields missing from README: {missing}"


def test_every_cli_command_is_documented():
    from indexer.cli import COMMANDS

    missing = [name for name in COMMANDS if f"python -m indexer {name}" not in README]
    assert not missing, f"commands missing from README: {missing}"


def test_every_setting_is_documented_and_every_documented_one_exists():
    from indexer.settings import SETTINGS

    documented = set(re.findall(r"^\| `(KM_[A-Z_]+)`", README, flags=re.M))
    declared = {s.name for s in SETTINGS}
    assert declared - documented == set(), "settings missing from the README's table"
    assert documented - declared == set(), "README lists settings that do not exist"


def test_every_km_name_the_code_reads_is_declared():
    from indexer.settings import SETTINGS

    root = Path(__file__).resolve().parent.parent
    sources = [*root.glob("app/**/*.py"), *root.glob("indexer/**/*.py"), *root.glob("bench/*.py"),
               *(root / "scripts").iterdir(), root / ".ci" / "run"]
    used = {name for path in sources if path.is_file()
            for name in re.findall(r"\b(KM_[A-Z][A-Z_]*[A-Z])\b", path.read_text(encoding="utf-8"))}
    assert used - {s.name for s in SETTINGS} == set()
