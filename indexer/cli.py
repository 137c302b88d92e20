"""Command line: python -m indexer build | update | check | search "คำค้น" | indicators --fy 2568."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from . import __version__
from .dates import use_timezone
from .errors import KnowledgeError, SettingsError
from .files import user_name
from .kb import KnowledgeBase
from .search.requests import SearchRequest, parse_search_params
from .settings import Settings


def make_parser() -> argparse.ArgumentParser:
    # --knowledge and --index are accepted before or after the command; SUPPRESS keeps a
    # subcommand's unset copy from overwriting a value given before the command.
    parser = argparse.ArgumentParser(prog="python -m indexer", parents=[_folder_flags(None)],
                                     description="ขุมความรู้: build, check and query the search index")
    parser.add_argument("--version", action="version", version=f"ขุมความรู้ {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser = _with_folder_flags(sub.add_parser)
    build = sub.add_parser("build", help="rebuild the whole index and swap it in atomically")
    build.add_argument("--workers", type=int, help="processes for Thai segmentation (default: one per core)")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    build.add_argument("--words-only", action="store_true",
                       help="do not encode passages now: the site encodes them in the background")
    sub.add_parser("update", help="index only added, changed and removed files")
    sub.add_parser("check", help="validate every file; exit 1 when any has an error")
    search = sub.add_parser("search", help="print ranked results for a query (an empty one lists the newest)")
    search.add_argument("query", help="the question or words, as a reader types them")
    search.add_argument("--limit", type=_results, default=10, help="results to print, 1 to 50 (default 10)")
    for name, what in (("department", "a department key or Thai label (palad, กองคลัง)"),
                       ("km_stage", "a KM step key or label (codification)"),
                       ("asset_type", "an asset type key or label (procedure)"), ("tag", "one tag"),
                       ("fy", "a fiscal year, BE or CE (2568)"), ("sort", "relevance (default) or newest")):
        search.add_argument(f"--{name.replace('_', '-')}", dest=name, help=what)
    indicators = sub.add_parser("indicators", help="print the KM indicators of a fiscal year")
    indicators.add_argument("--fy", help="fiscal year in BE (2568) or CE (2025); default: the current one")
    km_report = sub.add_parser("km-report", help="print the KM plan's results of a fiscal year (activities, score)")
    km_report.add_argument("--fy", help="fiscal year in BE (2568) or CE (2025); default: the current one")
    evaluate = sub.add_parser("eval", help="relevance per query kind, beside an FTS5 + newmm baseline")
    evaluate.add_argument("queries", nargs="?",
                          help="YAML list of {q, expect, kind} or {id, kind, split, query, relevant}")
    evaluate.add_argument("--typos", action="store_true",
                          help="instead of a query file: phone typos made from the assets' own tags (typos.py)")
    evaluate.add_argument("--slips", action="store_true",
                          help="with a query file: its questions typed again, one phone slip in one word each")
    evaluate.add_argument("--variants", action="store_true",
                          help="with a query file: its questions with a polite particle, framed as a request, "
                               "spaced between words and without spaces (variants.py)")
    evaluate.add_argument("--split", choices=("dev", "test", "all"), default="all",
                          help="which part of a dev/test set to run (tune on dev only)")
    evaluate.add_argument("--no-baseline", action="store_true", help="skip the FTS5 baseline")
    return parser


def _results(raw: str) -> int:
    """--limit: a whole number from 1 to 50 (-1 was taken as it was)."""
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to 50, got {raw!r}") from None
    if not 1 <= value <= 50:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to 50, got {raw!r}")
    return value


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
        use_timezone(settings.timezone)  # "today" of the reports and plan states is the municipality's
        if args.command in WRITES_INDEX:
            _refuse_another_users_index(settings.index_dir, args.command)
        kb = KnowledgeBase(settings)
        return COMMANDS[args.command](kb, args)
    except KnowledgeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


WRITES_INDEX = ("build", "update")


def _refuse_another_users_index(index_dir: Path, command: str) -> None:
    """Root writing into the index of a site that runs as another user leaves builds the site
    cannot write to: every save and hand edit then failed to reach search, with no sign but
    an error in the log every few seconds. Refused, naming the user to run it as."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return
    folder = Path(index_dir)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    owner = folder.stat().st_uid
    if owner == 0:
        return
    name = user_name(owner)
    raise SettingsError(f"{folder} belongs to the user {name}, who runs the site: run this as {name} "
                        f"(deploy/km-cli python -m indexer {command}), or the site can no longer update "
                        "an index written as root")


def _build(kb: KnowledgeBase, args) -> int:
    show = not args.quiet and sys.stderr.isatty()
    report = kb.build(progress=_progress_bar() if show else None)
    if show:
        print(file=sys.stderr)
    mb = report.text_bytes / 1e6
    print(f"indexed {report.indexed} assets ({mb:.2f} MB of text) in {report.seconds:.2f} s"
          f" = {mb / max(report.seconds, 1e-9):.2f} MB/s; skipped {report.skipped} files")
    _print_problems(report.problems)
    if args.words_only:
        if kb.semantic.enabled:
            print("semantic search: passages left for the site to encode in the background")
        return 0
    _encode(kb, show)
    return 0


def _encode(kb: KnowledgeBase, show: bool, wait: bool = True) -> None:
    """Encode the passages that have no vector yet (the site would do it in the background);
    without `wait`, none while another process encodes (it may take hours at 10,000 assets)."""
    if not kb.semantic.enabled:
        return
    figures = kb.encode_passages(progress=_progress_bar("passages") if show else None, waiting=_waiting_for_turn,
                                 wait=wait)
    if figures is None:
        print("semantic search: another process (a site worker?) is encoding passages now; a site worker"
              " encodes this update's passages too when it is done (the status page shows it)")
        return
    if show:
        print(file=sys.stderr)
    rate = f" = {figures['passages_per_s']} passages/s" if figures["passages_per_s"] else ""
    dropped = f"; {figures['dropped']} vectors of edited-away passages dropped" if figures.get("dropped") else ""
    print(f"semantic search: {figures['passages']} passages, {figures['encoded']} newly encoded"
          f" in {figures['seconds']:.2f} s{rate}{dropped}")


def _waiting_for_turn() -> None:
    print("semantic search: another process (a site worker?) is encoding passages;"
          " waiting for it to finish, then encoding what it left", file=sys.stderr, flush=True)


def _update(kb: KnowledgeBase, args) -> int:
    if kb.store.exists() and not kb.store.is_compatible():
        # made by another version (or damaged): an update would leave it so, and say all is well
        print("the index was made by another version of the code or is damaged: building it anew")
        args.quiet, args.words_only = True, False
        return _build(kb, args)
    report = kb.update()
    print(f"re-indexed {report.indexed}, removed {report.removed}, skipped {report.skipped} in {report.seconds:.2f} s")
    _print_problems(report.problems)
    _encode(kb, show=False, wait=False)  # an update is seconds; another's encoding, hours
    return 0


def _check(kb: KnowledgeBase, args) -> int:
    from . import dates
    from .content.links import broken_links
    from .plans import dated_ahead
    from .plans.text_report import check_km_folder

    report = kb.check()
    km = check_km_folder(kb, report.assets)  # plans, events, people… (knowledge/_km/)
    problems = (report.problems + list(km.problems) + dated_ahead(report.assets, km, dates.today(), kb.vocab)
                + broken_links(report.assets))
    _print_problems(problems)
    errors = len(report.errors) + len(km.errors)
    print(f"knowledge/_km: {len(km.plans)} plans, {len(km.events)} events, {len(km.people.people)} people")
    print(f"{len(report.assets)} valid assets, {errors} errors, {len(problems) - errors} warnings")
    return 1 if errors else 0


def _km_report(kb: KnowledgeBase, args) -> int:
    from .indicators.table import report_for
    from .plans.text_report import report_lines, results_for

    year = report_for(kb, args.fy).fiscal_year  # the same --fy checks and message as `indicators`
    results = results_for(kb, kb.check().assets, year)
    if results is None:
        print(f"error: ไม่มีแผนการจัดการความรู้ของปีงบประมาณ {year} ใน knowledge/_km/plans/", file=sys.stderr)
        return 1
    print("\n".join(report_lines(results)))
    return 0


def _search(kb: KnowledgeBase, args) -> int:
    names = ("department", "km_stage", "asset_type", "tag", "fy", "sort")
    params = {k: getattr(args, k) for k in names if getattr(args, k)}
    params.update(q=args.query, per_page=str(args.limit))
    request: SearchRequest = parse_search_params(params, kb.vocab)
    kb.ensure_index()
    if kb.semantic.enabled:
        kb.encode_passages()
    started = time.perf_counter()
    response = kb.search(request)
    elapsed = (time.perf_counter() - started) * 1000
    if response.corrected_from:
        print(f"แสดงผลของ \"{response.suggestion}\" (ค้นหา \"{response.corrected_from}\" ไม่พบ)")
    elif response.suggestion:
        print(f"หรือคุณหมายถึง: {response.suggestion}")
    listed = not request.q.strip() or request.sort == "newest"  # a list has no scores to show
    print(f"{response.total} results in {elapsed:.1f} ms" + (" (newest first)" if listed else ""))
    for rank, hit in enumerate(response.hits, start=1):
        score = "" if listed else f"{hit.score:7.2f}  "
        print(f"{rank:2}. {score}{hit.slug}  {hit.title}")
    return 0


def _indicators(kb: KnowledgeBase, args) -> int:
    from .indicators.table import report_for, report_lines

    print("\n".join(report_lines(report_for(kb, args.fy), kb.vocab)))
    return 0


def _print_problems(problems) -> None:
    for problem in problems:
        print(f"{problem.severity}: {problem}")


def _progress_bar(unit: str = "files"):
    started = time.monotonic()

    def show(done: int, total: int) -> None:
        if done % 25 and done != total:
            return
        width = 30
        filled = int(width * done / max(total, 1))
        rate = done / max(time.monotonic() - started, 1e-9)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {unit} {rate:.0f}/s")
        sys.stderr.flush()
    return show


def _eval(kb: KnowledgeBase, args) -> int:
    from .content.loader import iter_asset_files
    from .search.baseline import Fts5Baseline
    from .search.evaluation import engine_ranker, evaluate, report, side_by_side

    problem = _eval_usage_problem(args)
    if problem:
        print(f"eval: {problem}", file=sys.stderr)
        return 2
    kb.ensure_index()
    if kb.semantic.enabled:
        kb.encode_passages()
    judgements, source, note = _eval_judgements(kb, args)
    columns = {"words only": evaluate(engine_ranker(kb, semantic=False), judgements)}
    if kb.semantic.enabled:
        columns["hybrid"] = evaluate(engine_ranker(kb), judgements)
    name = list(columns)[-1]
    print(f"{name} on {source}, {len(judgements)} queries")
    print(report(columns[name]))
    if note:
        print(note)
    if not args.no_baseline:
        peer = Fts5Baseline(kb, iter_asset_files(kb.settings.knowledge_dir))
        columns["fts5+newmm"] = evaluate(peer.rank, judgements)
        peer.close()
        print()
        print(side_by_side(columns))
    return 0


def _eval_usage_problem(args) -> str | None:
    """What is wrong with `eval`'s arguments, if anything."""
    if bool(args.queries) == args.typos:
        return "give a query file or --typos (one of the two)"
    if (args.slips or args.variants) and not args.queries:
        return "--slips and --variants need a query file"
    if args.slips and args.variants:
        return "--slips or --variants (one of the two)"
    return None


def _eval_judgements(kb: KnowledgeBase, args) -> tuple[list, str, str]:
    """The judged questions `eval` asks, where they come from, and a note to print after
    the report (the original questions' figure, when they are asked another way)."""
    from .content.loader import iter_asset_files
    from .search.evaluation import engine_ranker, evaluate, load_queries, mrr, originals

    if args.typos:
        from .search.typos import typo_judgements
        judgements = typo_judgements(iter_asset_files(kb.settings.knowledge_dir), kb.settings.knowledge_dir,
                                     kb.vocab, engine_ranker(kb))
        return judgements, "phone typos of the assets' tags", ""
    asked = load_queries(args.queries, args.split)
    source = f"{args.queries} ({args.split})"
    if not (args.slips or args.variants):
        return asked, source, ""
    if args.slips:
        from .search.typos import question_slips
        from .thai.text import normalize
        judgements = question_slips(asked, engine_ranker(kb), lambda text: kb.segmenter.words(normalize(text)))
        source = f"{source}, one phone slip in each question it answers in the top three"
    else:
        from .search.variants import variant_judgements
        judgements = variant_judgements(asked, kb.segmenter.tokens)
        source = f"{source}, each question as readers also type it"
    right = evaluate(engine_ranker(kb), originals(judgements, asked))
    return judgements, source, f"the same questions as written: MRR@10 {mrr(right):.3f}"


COMMANDS = {"eval": _eval, "build": _build, "update": _update, "check": _check, "search": _search,
            "indicators": _indicators,
            "km-report": _km_report}
