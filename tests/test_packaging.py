"""The project installs as one package with its data files, and pyproject agrees with requirements.txt."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

from indexer.cli import main

REPO = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _runtime_requirements() -> list[str]:
    """The pinned lines of requirements.txt before '# Tests and lint'."""
    text = (REPO / "requirements.txt").read_text(encoding="utf-8").split("# Tests and lint")[0]
    return [line.split("#")[0].strip() for line in text.splitlines() if line.split("#")[0].strip()]


def test_dependencies_are_the_runtime_requirements():
    assert PROJECT["project"]["dependencies"] == _runtime_requirements()
    assert len(_runtime_requirements()) >= 18 and all("==" in line for line in _runtime_requirements())


def test_the_console_script_is_the_indexer_cli():
    assert PROJECT["project"]["scripts"] == {"km-indexer": "indexer.cli:main"}
    assert callable(main)


def test_every_package_and_data_file_is_shipped():
    setuptools = PROJECT["tool"]["setuptools"]
    include = setuptools["packages"]["find"]["include"]
    packages = {".".join(p.parent.relative_to(REPO).parts) for p in REPO.glob("*/**/__init__.py")}
    shipped = {name for name in packages if any(fnmatch(name, pattern) for pattern in include)}
    assert shipped == {name for name in packages if name.split(".")[0] in ("app", "indexer")}
    assert {"app.publish", "app.reports", "indexer.content", "indexer.search"} <= shipped
    for package, folder in (("app", "templates"), ("app", "static"), ("indexer", "data")):
        shipped = {p for pattern in setuptools["package-data"][package] for p in (REPO / package).glob(pattern)}
        files = {p for p in (REPO / package / folder).rglob("*") if p.is_file()}
        assert files and files <= shipped  # (setuptools reads ** in these patterns as glob does)


def test_an_installed_package_keeps_its_data_where_it_is_started_not_in_site_packages(tmp_path):
    """From a checkout ./knowledge is the code folder's; installed with pip, the folder a command starts in."""
    import shutil
    import subprocess
    import sys

    site = tmp_path / "site-packages"
    shutil.copytree(REPO / "indexer", site / "indexer", ignore=shutil.ignore_patterns("__pycache__"))
    work = tmp_path / "office"
    work.mkdir()
    show = ("from indexer.settings import SETTINGS_BY_NAME as s; "
            "print(s['KM_KNOWLEDGE_DIR'].default); print(s['KM_INSTANCE_DIR'].default)")

    def defaults(code: Path) -> list[str]:
        return subprocess.run([sys.executable, "-c", show], cwd=work, env={"PYTHONPATH": str(code), "PATH": "/usr/bin"},
                              capture_output=True, text=True, timeout=120, check=True).stdout.split()

    assert defaults(site) == [str(work / "knowledge"), str(work / "instance")]
    assert defaults(REPO) == [str(REPO / "knowledge"), str(REPO / "instance")]


def test_an_installed_site_keeps_its_instance_where_the_cli_does(tmp_path):
    """Installed with pip and KM_INSTANCE_DIR unset, the site used Flask's <venv>/var/app-instance while the CLI
    used ./instance: `km-indexer build` wrote an index the site never read (maintainer review F3)."""
    import shutil
    import subprocess
    import sys

    site = tmp_path / "site-packages"
    for package in ("app", "indexer"):
        shutil.copytree(REPO / package, site / package, ignore=shutil.ignore_patterns("__pycache__"))
    work = tmp_path / "office"
    (work / "knowledge").mkdir(parents=True)
    show = ("from app import create_app; from indexer.settings import SETTINGS_BY_NAME as s; a = create_app(); "
            "print(s['KM_INSTANCE_DIR'].default); print(a.instance_path); "
            "print(a.extensions['km'].kb.settings.instance_dir)")
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin", "KM_SEMANTIC": "false", "KM_BUILD_ON_START": "false"}
    shown = subprocess.run([sys.executable, "-c", show], cwd=work, env=env, capture_output=True, text=True,
                           timeout=300, check=True).stdout.split()
    assert shown == [str(work / "instance")] * 3
    assert (work / "instance" / "secret_key").is_file() and not (site / "instance").exists()
