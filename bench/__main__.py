"""python -m bench --assets 10000 --json results.json

Generates N seeded Thai assets, builds the index on all cores, serves it with
gunicorn (2 workers) over loopback and measures: build speed, publish-to-
searchable through the editor's save path, /api/search latency at concurrency
1 and 8, /api/suggest latency, worker memory, cold start, and the SQLite FTS5
peer on the same texts.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import quote

from indexer import KnowledgeBase, Settings
from indexer.content.loader import iter_asset_files

from .generate import GENERATOR_VERSION, generate
from .load import get, run_load
from .peer import build_fts5, fts5_latencies, percentile
from .queries import QUERY_MIX, SUGGEST_MIX, new_questions
from .server import Server


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=600, help="requests per concurrency level")
    parser.add_argument("--max-seconds", type=float, default=120, help="time limit per load run")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--work", type=Path, default=Path("bench/data"), help="where data and index go")
    parser.add_argument("--semantic", choices=("on", "off"), default="on",
                        help="semantic search in the served site (KM_SEMANTIC)")
    parser.add_argument("--keep-vectors", action="store_true",
                        help="reuse the vectors an earlier run left in --work (only search changed): "
                             "semantic_build_s then times only the passages not yet encoded")
    args = parser.parse_args()
    figures = run(args.assets, args.work / str(args.assets), args.requests, args.max_seconds,
                  args.semantic == "on", args.keep_vectors)
    print(table(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


def run(count: int, work: Path, requests: int, max_seconds: float, semantic: bool = True,
        keep_vectors: bool = False) -> dict:
    knowledge = work / "knowledge"
    marker = work / "generated.json"
    wanted = {"assets": count, "generator": GENERATOR_VERSION}
    if not marker.exists() or json.loads(marker.read_text()) != wanted:
        generate(knowledge, count)
        marker.write_text(json.dumps(wanted))
    settings = Settings.from_env({}, knowledge_dir=knowledge, index_dir=work / "index", instance_dir=work / "instance",
                                 semantic=semantic)
    kb = KnowledgeBase(settings)
    figures: dict = {"assets": count, "machine": machine(), "semantic": semantic}
    figures.update(measure_build(kb))
    if semantic:
        figures.update(measure_semantic_build(kb, keep_vectors))
    env = {"KM_KNOWLEDGE_DIR": str(knowledge), "KM_INDEX_DIR": str(settings.index_dir),
           "KM_INSTANCE_DIR": str(settings.instance_dir), "KM_SECRET_KEY": secrets.token_hex(16),
           "KM_SEMANTIC": "1" if semantic else "0"}
    server = Server(env)
    try:
        figures["cold_start_s"] = round(server.start(), 3)
        if semantic:
            figures["semantic_ready_s"] = wait_for_semantic(server.port)
        figures.update(measure_suggest(server.port, requests, max_seconds))
        figures.update(measure_search(server.port, requests, max_seconds))
        figures["publish_to_searchable_s"] = measure_publish(kb, env, server.port)
        memory = server.worker_memory_mb()
        figures["rss_mb"] = round(memory["peak"], 1)
        figures["rss_now_mb"] = round(memory["current"], 1)
    finally:
        server.stop()
    figures.update(measure_peer(kb, work, figures))
    return figures


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown CPU")
    mem = int(next(line for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")).split()[1])
    return f"{os.cpu_count()} cores, {cpu}, {mem / 1024 / 1024:.0f} GiB RAM, Python {sys.version.split()[0]}"


def measure_build(kb: KnowledgeBase) -> dict:
    report = kb.build()
    size = sum(f.stat().st_size for f in report.path.iterdir() if f.is_file())
    mb = report.text_bytes / 1e6
    return {"text_mb": round(mb, 2), "build_s": round(report.seconds, 2),
            "build_mb_s": round(mb / report.seconds, 3), "build_docs_s": round(report.indexed / report.seconds, 1),
            "index_mb": round(size / 1e6, 1)}


def measure_semantic_build(kb: KnowledgeBase, keep_vectors: bool = False) -> dict:
    """Encode every passage from an empty vector cache: the cost of a first semantic build. With
    keep_vectors, only those an earlier run did not leave (semantic_encoded says how many)."""
    if not keep_vectors:
        kb.semantic.cache.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(kb.semantic.cache.path) + suffix).unlink(missing_ok=True)
    figures = kb.encode_passages()
    return {"semantic_build_s": figures["seconds"], "semantic_passages": figures["passages"],
            "semantic_encoded": figures["encoded"], "semantic_passages_s": figures["passages_per_s"]}


def wait_for_semantic(port: int) -> float:
    """Seconds until every worker answers with semantic ranking (its model loaded, vectors read)."""
    return wait_until(port, "/api/search?q=" + quote("ลาป่วยต้องใช้ใบรับรองแพทย์ไหม"),
                      lambda answer: bool(answer.get("semantic")), "semantic search")


def wait_until(port: int, path: str, ready, what: str, limit: float = 600.0) -> float:
    """Seconds until `ready(answer)` holds for 8 answers of `path` in a row, so both workers are ready."""
    started = time.perf_counter()
    streak = 0
    while time.perf_counter() - started < limit:
        try:  # a worker's first search opens its index version and can outlast one timeout
            status, body = get(port, path, timeout=60)
        except TimeoutError:
            status, body = 0, b"{}"
        streak = streak + 1 if status == 200 and ready(json.loads(body)) else 0
        if streak >= 8:
            return round(time.perf_counter() - started, 2)
        time.sleep(0.2)
    raise RuntimeError(f"{what} was not ready within {limit:.0f} s")


def measure_search(port: int, requests: int, max_seconds: float) -> dict:
    queries = list(QUERY_MIX)
    run_load(port, queries, len(queries) * 2, 2, max_seconds)  # warm every worker's caches
    out: dict = {}
    for concurrency in (1, 8):
        result = run_load(port, queries, requests, concurrency, max_seconds)
        served, server_ms, client_ms = result["statuses"], result["server_ms"], result["client_ms"]
        suffix = "" if concurrency == 1 else "_c8"
        out[f"search_p50_ms{suffix}"] = round(percentile(server_ms, 50), 2)
        out[f"search_p95_ms{suffix}"] = round(percentile(server_ms, 95), 2)
        out[f"search_p99_ms{suffix}"] = round(percentile(server_ms, 99), 2)
        out[f"client_p95_ms{suffix}"] = round(percentile(client_ms, 95), 2)
        out[f"requests{suffix}"] = len(client_ms)
        out[f"errors_5xx{suffix}"] = sum(n for status, n in served.items() if status >= 500)
        out[f"throughput_rps{suffix}"] = round(len(client_ms) / result["seconds"], 1)
    # each question once, half of them one at a time and the other half eight at a time: a
    # worker keeps its recent questions' vectors, so the repeated mix above no longer pays for
    # the model; these do
    questions = new_questions()
    fresh = run_load(port, questions[0::2], len(questions[0::2]), 1, max_seconds)["server_ms"]
    out["search_new_p50_ms"] = round(percentile(fresh, 50), 2)
    out["search_new_p95_ms"] = round(percentile(fresh, 95), 2)
    loaded = run_load(port, questions[1::2], len(questions[1::2]), 8, max_seconds)
    out["search_new_p95_ms_c8"] = round(percentile(loaded["server_ms"], 95), 2)
    out["throughput_new_rps_c8"] = round(len(loaded["client_ms"]) / loaded["seconds"], 1)
    out["errors_5xx_new"] = sum(n for status, n in loaded["statuses"].items() if status >= 500)
    return out


def measure_suggest(port: int, requests: int, max_seconds: float) -> dict:
    """/api/suggest at concurrency 1, once every worker has its tables (a large segment's are made
    in the background after a worker's first answer; meanwhile suggestions leave it out), after
    the first two answers (the slower is reported: they never wait for those tables) and a warm-up."""
    cold = run_load(port, list(SUGGEST_MIX[:2]), 2, 2, max_seconds, path="/api/suggest")
    ready = wait_until(port, "/api/suggest?q=" + quote("ลาป"),
                       lambda answer: any(s["kind"] == "asset" for s in answer["suggestions"]), "search as you type")
    run_load(port, list(SUGGEST_MIX), len(SUGGEST_MIX) * 2, 2, max_seconds, path="/api/suggest")
    result = run_load(port, list(SUGGEST_MIX), requests, 1, max_seconds, path="/api/suggest")
    server_ms = result["server_ms"]
    return {"suggest_first_ms": round(max(cold["server_ms"]), 1) if cold["server_ms"] else None,
            "suggest_ready_s": ready,
            "suggest_p50_ms": round(percentile(server_ms, 50), 2),
            "suggest_p95_ms": round(percentile(server_ms, 95), 2),
            "suggest_p99_ms": round(percentile(server_ms, 99), 2),
            "suggest_client_p95_ms": round(percentile(result["client_ms"], 95), 2),
            "suggest_errors_5xx": sum(n for status, n in result["statuses"].items() if status >= 500)}


def measure_publish(kb: KnowledgeBase, env: dict, port: int) -> float:
    """Save a new asset through the editor's code path; seconds until /api/search returns it."""
    from app import create_app
    from app.db import get_db
    from app.publish.service import save_asset

    marker = "kmbench" + secrets.token_hex(4)
    app = create_app({**env, "KM_WATCH_INTERVAL": 0})
    fields = {"slug": marker, "title": f"ทดสอบการเผยแพร่ {marker}", "department": "palad", "km_stage": "access",
              "asset_type": "howto", "knowledge_type": "explicit", "tags": "ทดสอบ", "status": "published",
              "published": "2568-01-15"}
    with app.app_context():
        started = time.perf_counter()
        result = save_asset(app.extensions["km"].kb, None, fields, f"## ขั้นตอน\n\nเนื้อหาทดสอบ {marker}\n", None,
                            "bench", db=get_db())
        if result.outcome != "saved":
            raise RuntimeError(f"save failed: {result}")
        try:
            while time.perf_counter() - started < 30:
                status, body = get(port, "/api/search?q=" + quote(marker))
                if status == 200 and json.loads(body)["total"] >= 1:
                    return round(time.perf_counter() - started, 3)
                time.sleep(0.01)
        finally:  # leave the generated collection as it was for the next run
            site_kb = app.extensions["km"].kb
            path = site_kb.asset_path(marker)
            if path is not None:
                path.unlink()
                site_kb.update(only=[path])
            app.extensions["km"].stop()
    raise RuntimeError("the published asset did not become searchable within 30 s")


def measure_peer(kb: KnowledgeBase, work: Path, figures: dict) -> dict:
    paths = list(iter_asset_files(kb.settings.knowledge_dir))
    db = work / "fts5.sqlite3"
    peer, build_s = build_fts5(db, kb, paths)
    timings = fts5_latencies(peer, list(QUERY_MIX), repeat=10)
    peer.close()
    p95 = percentile(timings, 95)
    return {"peer_fts5_build_s": round(build_s, 2), "peer_fts5_p50_ms": round(percentile(timings, 50), 2),
            "peer_fts5_p95_ms": round(p95, 2),
            "ratio_p95_vs_fts5": round(figures["search_p95_ms"] / p95, 2) if p95 else None}


def table(f: dict) -> str:
    rows = [
        ("assets", f["assets"]), ("text (MB)", f["text_mb"]), ("index (MB)", f["index_mb"]),
        ("full build (s)", f["build_s"]), ("build (MB/s)", f["build_mb_s"]), ("build (docs/s)", f["build_docs_s"]),
        ("publish → searchable (s)", f["publish_to_searchable_s"]),
        ("search p50 / p95 / p99, c=1 (ms, server)",
         f"{f['search_p50_ms']} / {f['search_p95_ms']} / {f['search_p99_ms']}"),
        ("search p50 / p95 / p99, c=8 (ms, server)",
         f"{f['search_p50_ms_c8']} / {f['search_p95_ms_c8']} / {f['search_p99_ms_c8']}"),
        ("client p95 c=1 / c=8 (ms)", f"{f['client_p95_ms']} / {f['client_p95_ms_c8']}"),
        ("search p50 / p95, questions asked once (ms, server)", f"{f['search_new_p50_ms']} / {f['search_new_p95_ms']}"),
        ("search p95 / throughput, questions asked once, c=8",
         f"{f['search_new_p95_ms_c8']} ms / {f['throughput_new_rps_c8']} req/s"),
        ("suggest p50 / p95 / p99, c=1 (ms, server)",
         f"{f['suggest_p50_ms']} / {f['suggest_p95_ms']} / {f['suggest_p99_ms']}"),
        ("suggest: client p95 / slower first answer (ms)",
         f"{f['suggest_client_p95_ms']} / {f['suggest_first_ms']}"),
        ("suggest: every worker's tables ready after (s)", f["suggest_ready_s"]),
        ("throughput c=8 (req/s)", f["throughput_rps_c8"]),
        ("5xx responses", f["errors_5xx"] + f["errors_5xx_c8"] + f["errors_5xx_new"] + f["suggest_errors_5xx"]),
        ("FTS5 peer p50 / p95 (ms)", f"{f['peer_fts5_p50_ms']} / {f['peer_fts5_p95_ms']}"),
        ("our p95 / FTS5 p95", f["ratio_p95_vs_fts5"]),
        ("worker peak RSS (MB)", f["rss_mb"]), ("cold start to first search (s)", f["cold_start_s"]),
        ("semantic search", "on" if f.get("semantic") else "off"),
    ]
    if f.get("semantic"):
        rows += [("semantic: passages, encoded now / s (passages/s)",
                  f"{f['semantic_passages']}, {f['semantic_encoded']} / {f['semantic_build_s']} "
                  f"({f['semantic_passages_s']})"),
                 ("semantic: ready in the workers after start (s)", f["semantic_ready_s"])]
    width = max(len(name) for name, _ in rows)
    return f"machine: {f['machine']}\n" + "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


if __name__ == "__main__":
    raise SystemExit(main())
