"""python -m bench.backup --assets 2000 --attachments 200

Backup size and time (`flask km backup`'s code path) and restore time, on the
shipped sample content and on N generated assets, each site with a database
holding one stored revision per asset (as if every asset had been saved once in
the editor) and, optionally, attachments of incompressible bytes (like the PDFs
and photos towns attach). Also reports how long saves had to wait for the
snapshot. Each figure is the median of --runs runs.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from .generate import GENERATOR_VERSION, PROJECT_ROOT, generate

ATTACHMENT_BYTES = 256 * 1024  # a typical scanned page or photo, already compressed


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.backup", description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=2000, help="generated assets (0: only the sample content)")
    parser.add_argument("--attachments", type=int, default=0, help="attachments added to the generated assets")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("bench/data"), help="where generated data goes")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    figures = {"sample": measure_site(PROJECT_ROOT / "knowledge", args.runs)}
    if args.assets:
        knowledge = generated(args.work / str(args.assets), args.assets)
        figures[f"generated_{args.assets}"] = measure_site(knowledge, args.runs)
        if args.attachments:
            with tempfile.TemporaryDirectory(prefix="km-bench-") as scratch:
                copy = Path(scratch) / "knowledge"
                shutil.copytree(knowledge, copy)
                add_attachments(copy, args.attachments)
                key = f"generated_{args.assets}_with_{args.attachments}_attachments"
                figures[key] = measure_site(copy, args.runs)
    for name, row in figures.items():
        print(f"{name:42} {row['files']:>6} files  {row['input_mb']:>7.1f} MB → {row['archive_mb']:>6.1f} MB  "
              f"backup {row['backup_s']:>5.2f} s (CPU {row['backup_cpu_s']:.2f} s, "
              f"saves wait {row['locked_s']:.2f} s)  "
              f"restore {row['restore_s']:>5.2f} s (CPU {row['restore_cpu_s']:.2f} s)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


def generated(work: Path, count: int) -> Path:
    """The benchmark's seeded assets, generated once and reused (same marker as python -m bench)."""
    knowledge, marker = work / "knowledge", work / "generated.json"
    wanted = {"assets": count, "generator": GENERATOR_VERSION}
    if not marker.exists() or json.loads(marker.read_text()) != wanted:
        work.mkdir(parents=True, exist_ok=True)
        generate(knowledge, count)
        marker.write_text(json.dumps(wanted))
    return knowledge


def add_attachments(knowledge: Path, count: int, seed: int = 2568) -> None:
    rng = random.Random(seed)
    assets = sorted(knowledge.rglob("*.md"))
    for i in range(count):
        asset = assets[i * len(assets) // count]
        folder = asset.with_name(asset.stem + ".files")
        folder.mkdir(exist_ok=True)
        (folder / f"เอกสารแนบ-{i + 1}.pdf").write_bytes(rng.randbytes(ATTACHMENT_BYTES))


def measure_site(knowledge: Path, runs: int) -> dict:
    """Median backup and restore figures of a site over `knowledge` with one revision per asset."""
    from app.backup import create_backup
    from app.restore import restore_backup

    rows = []
    with tempfile.TemporaryDirectory(prefix="km-bench-") as scratch:
        root = Path(scratch)
        settings, database = site_with_revisions(knowledge, root / "instance")
        for run in range(runs):
            cpu = time.process_time()
            backup = create_backup(settings, database, root / f"backup-{run}.tar.gz")
            backup_cpu, cpu = time.process_time() - cpu, time.process_time()
            target = root / f"restored-{run}"
            restored = restore_backup(backup.path, target / "instance", target / "knowledge")
            restore_cpu = time.process_time() - cpu
            rows.append({"files": restored.files, "input_mb": backup.bytes_in / 1e6,
                         "archive_mb": backup.bytes_out / 1e6, "backup_s": backup.seconds,
                         "backup_cpu_s": backup_cpu, "locked_s": backup.locked_seconds,
                         "restore_s": restored.seconds, "restore_cpu_s": restore_cpu,
                         "database_mb": (target / "instance" / "km.sqlite3").stat().st_size / 1e6})
            shutil.rmtree(target)
            backup.path.unlink()
    return {key: round(statistics.median(row[key] for row in rows), 3) for key in rows[0]}


def site_with_revisions(knowledge: Path, instance: Path):
    """Create the site's database (as the site would) and store one revision of every asset in it."""
    from app import create_app, revisions
    from app.db import database_path, get_db

    app = create_app({"KM_KNOWLEDGE_DIR": str(knowledge), "KM_INSTANCE_DIR": str(instance),
                      "KM_INDEX_DIR": str(instance / "index"), "KM_BUILD_ON_START": False,
                      "KM_WATCH_INTERVAL": 0, "KM_SECRET_KEY": secrets.token_hex(32)})
    try:
        with app.app_context():
            db = get_db()
            for path in sorted(knowledge.rglob("*.md")):
                rel = path.relative_to(knowledge).as_posix()
                revisions.add(db, path.stem, rel, path.read_text(encoding="utf-8"), "bench", "edit")
            db.commit()
        return app.extensions["km"].kb.settings, database_path(app)
    finally:
        app.extensions["km"].stop()


if __name__ == "__main__":
    raise SystemExit(main())
