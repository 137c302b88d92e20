"""One table of KM_* settings, read the same way by the CLI and the site."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO, app_config

from indexer import Settings, SettingsError
from indexer.cli import make_parser
from indexer.settings import SETTINGS_BY_NAME, read_settings


def test_the_cli_and_the_site_read_the_same_values(tmp_path, knowledge_dir, monkeypatch):
    from app import create_app

    monkeypatch.setenv("KM_BUILD_WORKERS", "3")
    cli = Settings.from_env()
    application = create_app(app_config(tmp_path, knowledge_dir))
    assert cli.build_workers == 3
    assert application.extensions["km"].kb.settings.build_workers == 3
    application.extensions["km"].stop()


def test_relative_folders_are_taken_from_the_folder_started_in(tmp_path, knowledge_dir, monkeypatch):
    """A relative KM_INSTANCE_DIR stopped the site with Flask's English "must be absolute", naming no
    setting, while a relative KM_KNOWLEDGE_DIR worked (outside review, onboarding)."""
    from app import create_app

    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "config.py").write_text("KM_PER_PAGE = 7\n", encoding="utf-8")
    config = app_config(tmp_path, knowledge_dir) | {"KM_INSTANCE_DIR": "mine", "KM_KNOWLEDGE_DIR": "knowledge"}
    application = create_app(config)
    try:
        assert application.instance_path == str(tmp_path / "mine") and application.config["KM_PER_PAGE"] == 7
        assert application.test_client().get("/").status_code == 200
        assert application.extensions["km"].kb.settings.instance_dir.resolve() == tmp_path / "mine"
    finally:
        application.extensions["km"].stop()


def test_instance_config_file_is_read_and_the_environment_wins(tmp_path, knowledge_dir, monkeypatch):
    from app import create_app

    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text("KM_BUILD_WORKERS = 2\nKM_PER_PAGE = 7\n", encoding="utf-8")
    monkeypatch.setenv("KM_PER_PAGE", "9")
    application = create_app(app_config(tmp_path, knowledge_dir))
    assert application.extensions["km"].kb.settings.build_workers == 2  # was silently ignored before
    assert application.config["KM_PER_PAGE"] == 9
    application.extensions["km"].stop()


def test_a_bad_value_in_the_instance_config_names_the_setting(tmp_path, knowledge_dir):
    from app import create_app

    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text("KM_BUILD_WORKERS = 'many'\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="^KM_BUILD_WORKERS: expected a whole number, got 'many'$"):
        create_app(app_config(tmp_path, knowledge_dir))


@pytest.mark.parametrize("name, raw, message", [
    ("KM_PER_PAGE", "0", "KM_PER_PAGE: expected 1 to 50, got '0'"),
    ("KM_PER_PAGE", "2.5", "KM_PER_PAGE: expected a whole number, got '2.5'"),
    ("KM_BUILD_WORKERS", "-1", "KM_BUILD_WORKERS: expected 0 to 64, got '-1'"),
    ("KM_REQUIRE_LOGIN", "maybe", "KM_REQUIRE_LOGIN: expected true or false, got 'maybe'"),
    ("KM_BOT_PATTERN", "(bot", "KM_BOT_PATTERN: expected a regular expression, got '(bot' "
                               "(missing ), unterminated subpattern at position 0)"),
    ("KM_PORT", "70000", "KM_PORT: expected 1 to 65535, got '70000'"),
    ("KM_BUILD_WORKERS", "999", "KM_BUILD_WORKERS: expected 0 to 64, got '999'"),  # forked 999 processes
    ("KM_MAX_ATTACHMENT_MB", "0", "KM_MAX_ATTACHMENT_MB: expected 0.001 or more, got '0'"),  # every file refused
])
def test_bad_values_fail_with_name_expectation_and_value(name, raw, message):
    with pytest.raises(SettingsError) as info:
        read_settings([{name: raw}])
    assert str(info.value) == message


def test_empty_text_counts_as_unset():
    assert read_settings([{"KM_PER_PAGE": " "}])["KM_PER_PAGE"] == SETTINGS_BY_NAME["KM_PER_PAGE"].default


def test_an_unknown_km_name_is_logged(tmp_path, knowledge_dir, monkeypatch, caplog):
    from app import create_app

    monkeypatch.setenv("KM_PERPAGE", "5")
    application = create_app(app_config(tmp_path, knowledge_dir))
    assert "KM_PERPAGE is not a setting and is ignored" in caplog.text
    application.extensions["km"].stop()


def test_an_unknown_km_name_is_logged_by_the_cli_too(knowledge_dir, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "KM_KNOWLEDGE_DIR": str(knowledge_dir), "KM_INSTANCE_DIR": str(tmp_path / "i"),
           "KM_SEMANTIC": "false", "KM_PERPAGE": "5"}
    checked = subprocess.run([sys.executable, "-m", "indexer", "check"], cwd=REPO, env=env, capture_output=True,
                             text=True, timeout=300)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr.splitlines() == [
        "WARNING KM_PERPAGE is not a setting and is ignored (see the README's configuration table)"]


@pytest.mark.parametrize("argv", [
    ["--knowledge", "K", "--index", "I", "build"],
    ["build", "--knowledge", "K", "--index", "I"],
    ["--knowledge", "K", "build", "--index", "I"],
])
def test_folder_flags_work_before_and_after_the_command(argv):
    args = make_parser().parse_args(argv)
    assert (args.knowledge, args.index) == ("K", "I")


def test_folder_flags_default_to_none():
    args = make_parser().parse_args(["check"])
    assert (args.knowledge, args.index) == (None, None)
