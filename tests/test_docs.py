"""The README stays true to the code it describes."""

from pathlib import Path

from indexer.schema import FIELDS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_front_matter_field_is_documented():
    missing = [spec.name for spec in FIELDS if f"`{spec.name}`" not in README]
    assert not missing, f"fields missing from README: {missing}"


def test_every_cli_command_is_documented():
    from indexer.cli import COMMANDS

    missing = [name for name in COMMANDS if f"python -m indexer {name}" not in README]
    assert not missing, f"commands missing from README: {missing}"


def test_every_setting_is_documented():
    from app.config import ENV_SETTINGS, PATH_SETTINGS

    missing = [name for name in (*ENV_SETTINGS, *PATH_SETTINGS) if name not in README]
    assert not missing, f"settings missing from README: {missing}"
