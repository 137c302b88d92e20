"""Command line: python -m indexer build | update | check | search "คำค้น" | indicators --fy 2568."""

from __future__ import annotations

import argparse
import logging
import sys
import time

from .errors import KnowledgeError
from .kb import KnowledgeBase
from .search.requests import SearchRequest, parse_search_params
from .settings import Settings


def make_parser() -> argparse.ArgumentParser:
    # --knowledge and --index are accepted before or after the command; SUPPRESS keeps a
    # subcommand's unset copy from overwriting a value given before the command.
    parser = argparse.ArgumentParser(prog="python -m indexer", parents=[_folder_flags(None)],
                                     description="ขุมความรู้: build, check and query the search index")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser = _with_folder_flags(sub.add_parser)
    build = sub.add_parser("build", help="rebuild the whole index and swap it in atomically")
    build.add_argument("--workers", type=int, help="processes for Thai segmentation (default: one per core)")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    sub.add_parser("update", help="index only added, changed and removed files")
    sub.add_parser("check", help="validate every file; exit 1 when any has an error")
    search = sub.add_parser("search", help="print ranked results for a query")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=10)
    for name in ("department", "km_stage", "asset_type", "tag", "fy", "sort"):
        search.add_argument(f"--{name.replace('_', '-')}", dest=name)
    indicators = sub.add_parser("indicators", help="print the KM indicators of a fiscal year")
    indicators.add_argument("--fy", help="fiscal year in BE (2568) or CE (2025); default: the current one")
    evaluate = sub.add_parser("eval", help="relevance: MRR@10 of a YAML file of queries with expected assets")
    evaluate.add_argument("queries", help="YAML list of {q, expect: [slug…], kind}")
    return parser


def _folder_flags(default) -> argparse.ArgumentParser:
    """--knowledge and --index (a new parser each time: parents share their action objects)."""
    flags = argparse.ArgumentParser(add_help=False)
    flags.add_argument("--knowledge", metavar="DIR", default=default,
                       help="knowledge folder (default: KM_KNOWLEDGE_DIR or ./knowledge)")
    flags.add_argument("--index", metavar="DIR", default=default,
                       help="index folder (default: KM_INDEX_DIR or instance/index)")
    return flags


def _with_folder_flags(add_parser):
    def add(name: str, **kwargs) -> argparse.ArgumentParser:
        return add_parser(name, parents=[_folder_flags(argparse.SUPPRESS)], **kwargs)
    return add


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    try:
        settings = Settings.from_env(knowledge_dir=args.knowledge, index_dir=args.index,
                                     build_workers=getattr(args, "workers", None))
        settings.check()
        kb = KnowledgeBase(settings)
        return COMMANDS[args.command](kb, args)
    except KnowledgeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _build(kb: KnowledgeBase, args) -> int:
    show = not args.quiet and sys.stderr.isatty()
    report = kb.build(progress=_progress_bar() if show else None)
    if show:
        print(file=sys.stderr)
    mb = report.text_bytes / 1e6
    print(f"indexed {report.indexed} assets ({mb:.2f} MB of text) in {report.seconds:.2f} s"
          f" = {mb / max(report.seconds, 1e-9):.2f} MB/s; skipped {report.skipped} files")
    _print_problems(report.problems)
    return 0


def _update(kb: KnowledgeBase, args) -> int:
    report = kb.update()
    print(f"re-indexed {report.indexed}, removed {report.removed}, skipped {report.skipped} in {report.seconds:.2f} s")
    _print_problems(report.problems)
    return 0


def _check(kb: KnowledgeBase, args) -> int:
    report = kb.check()
    _print_problems(report.problems)
    errors = len(report.errors)
    print(f"{len(report.assets)} valid assets, {errors} errors, {len(report.problems) - errors} warnings")
    return 1 if errors else 0


def _search(kb: KnowledgeBase, args) -> int:
    names = ("department", "km_stage", "asset_type", "tag", "fy", "sort")
    params = {k: getattr(args, k) for k in names if getattr(args, k)}
    params.update(q=args.query, per_page=str(max(1, min(args.limit, 50))))
    request: SearchRequest = parse_search_params(params, kb.vocab)
    kb.ensure_index()
    started = time.perf_counter()
    response = kb.search(request)
    elapsed = (time.perf_counter() - started) * 1000
    if response.corrected_from:
        print(f"แสดงผลของ \"{response.suggestion}\" (ค้นหา \"{response.corrected_from}\" ไม่พบ)")
    elif response.suggestion:
        print(f"หรือคุณหมายถึง: {response.suggestion}")
    print(f"{response.total} results in {elapsed:.1f} ms")
    for rank, hit in enumerate(response.hits, start=1):
        print(f"{rank:2}. {hit.score:7.2f}  {hit.slug}  {hit.title}")
    return 0


def _indicators(kb: KnowledgeBase, args) -> int:
    from .indicators.table import report_for, report_lines

    print("\n".join(report_lines(report_for(kb, args.fy), kb.vocab)))
    return 0


def _print_problems(problems) -> None:
    for problem in problems:
        print(f"{problem.severity}: {problem}")


def _progress_bar():
    started = time.monotonic()

    def show(done: int, total: int) -> None:
        if done % 25 and done != total:
            return
        width = 30
        filled = int(width * done / max(total, 1))
        rate = done / max(time.monotonic() - started, 1e-9)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files {rate:.0f}/s")
        sys.stderr.flush()
    return show


def _eval(kb: KnowledgeBase, args) -> int:
    from .search.evaluation import evaluate, load_queries, report

    kb.ensure_index()
    print(report(evaluate(kb, load_queries(args.queries))))
    return 0


COMMANDS = {"eval": _eval, "build": _build, "update": _update, "check": _check, "search": _search,
            "indicators": _indicators}
