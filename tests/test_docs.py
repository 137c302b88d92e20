"""The README stays true to the code it describes."""

import re
from pathlib import Path

from indexer.content.schema import FIELDS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def front_matter_table() -> set[str]:
    """The names in the first column of the README's field table (`published`, `updated` is two)."""
    table = README.split("\n| field | required | what it holds |\n|---|---|---|\n", 1)[1].split("\n\n", 1)[0]
    return {name for row in table.splitlines() for name in re.findall(r"`(\w+)`", row.split("|")[1])}


def test_every_front_matter_field_is_in_the_readme_table_and_every_row_exists():
    documented, declared = front_matter_table(), {spec.name for spec in FIELDS}
    assert sorted(declared - documented) == [], "fields missing from the README's field table"
    assert sorted(documented - declared) == [], "README's field table lists fields that do not exist"


def test_the_readme_lists_the_sites_blueprints(app):
    listed = README.split("one blueprint per area (", 1)[1].split(");", 1)[0]
    assert sorted(re.findall(r"\w+", listed)) == sorted(app.blueprints)


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
            # a name in quotes or after $ / ${ is a setting read from somewhere; RECORDS_FOLDER = … is a constant
            for name in re.findall(r"[\"'${](KM_[A-Z][A-Z_]*[A-Z])\b", path.read_text(encoding="utf-8"))}
    assert used - {s.name for s in SETTINGS} == set()


def test_the_upgrade_steps_name_this_release_and_its_changes_are_written_down():
    """DEPLOY told the IT officer to check out a tag that did not exist, and what an upgrade changes was
    only in commit messages (upgrade review U1, U11)."""
    from app.migrations import SCHEMA_VERSION
    from indexer import __version__

    docs = Path(__file__).resolve().parent.parent / "docs"
    deploy = (docs / "DEPLOY.md").read_text(encoding="utf-8")
    assert f"git checkout v{__version__} " in deploy
    assert f"to {SCHEMA_VERSION}: …" in deploy and f"upgrading to schema {SCHEMA_VERSION} failed" in deploy
    assert f"\n## {__version__} (" in (docs / "CHANGES.md").read_text(encoding="utf-8")
