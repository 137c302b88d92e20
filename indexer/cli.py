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

# argparse's own words, as the rest of the command line says them (wording review, verification review)
_ARGPARSE_THAI = (("the following arguments are required:", "ต้องระบุ:"), ("unrecognized arguments:", "ไม่รู้จัก:"),
                  ("argument คำสั่ง: invalid choice:", "ไม่มีคำสั่ง"), ("invalid choice:", "ไม่มีตัวเลือก"),
                  ("(choose from", "(เลือกจาก"), ("expected one argument", "ต้องตามด้วยค่าหนึ่งค่า"), ("argument ", ""))


class ThaiParser(argparse.ArgumentParser):
    """argparse speaking Thai where it speaks to the user: usage, section titles, -h, errors."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._positionals.title, self._optionals.title = "คำสั่งและค่าที่ต้องระบุ", "ตัวเลือก"
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = "แสดงวิธีใช้นี้"

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "วิธีใช้:", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage:", "วิธีใช้:", 1)

    def error(self, message: str):
        for english, thai in _ARGPARSE_THAI:
            message = message.replace(english, thai)
        self.print_usage(sys.stderr)
        self.exit(2, f"{SEVERITY['error']}: {message}\n")


def make_parser() -> argparse.ArgumentParser:
    # --knowledge and --index are accepted before or after the command; SUPPRESS keeps a
    # subcommand's unset copy from overwriting a value given before the command.
    parser = ThaiParser(prog="python -m indexer", parents=[_folder_flags(None)],
                                     description="ขุมความรู้: สร้าง ตรวจ และค้นดัชนีค้นหา แสดงตัวชี้วัดและผลตามแผน")
    parser.add_argument("--version", action="version", version=f"ขุมความรู้ {__version__}", help="แสดงรุ่นของโปรแกรม")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ThaiParser, metavar="คำสั่ง")
    sub.add_parser = _with_folder_flags(sub.add_parser)
    build = sub.add_parser("build", help="สร้างดัชนีใหม่ทั้งหมด แล้วสลับเข้าใช้ในครั้งเดียว")
    build.add_argument("--workers", type=int, help="จำนวนโปรเซสที่ตัดคำภาษาไทย (ค่าเริ่มต้น: เท่าจำนวนคอร์)")
    build.add_argument("--quiet", action="store_true", help="ไม่แสดงแถบความคืบหน้า")
    build.add_argument("--words-only", action="store_true",
                       help="ยังไม่ประมวลผลสำหรับการค้นหาตามความหมาย ให้เว็บไซต์ทำเองเบื้องหลัง")
    sub.add_parser("update", help="จัดทำดัชนีเฉพาะไฟล์ที่เพิ่ม แก้ไข หรือลบ")
    sub.add_parser("check", help="ตรวจทุกไฟล์ จบด้วยรหัส 1 เมื่อมีข้อผิดพลาด")
    search = sub.add_parser("search", help='แสดงผลการค้นหาเรียงตามความตรง (คำค้นว่าง "" แสดงเรื่องล่าสุด)')
    search.add_argument("query", help="คำถามหรือคำค้น อย่างที่ผู้อ่านพิมพ์")
    search.add_argument("--limit", type=_results, default=10, help="จำนวนผลที่แสดง 1 ถึง 50 (ค่าเริ่มต้น 10)")
    for name, what in (("department", "หน่วยงาน รหัสหรือชื่อ (palad, กองคลัง)"),
                       ("km_stage", "ขั้นการจัดการความรู้ รหัสหรือชื่อ (codification)"),
                       ("asset_type", "ประเภท รหัสหรือชื่อ (procedure)"), ("tag", "แท็กหนึ่งคำ"),
                       ("fy", "ปีงบประมาณ พ.ศ. หรือ ค.ศ. (2568)"),
                       ("sort", "relevance (ตามความตรง ค่าเริ่มต้น) หรือ newest (ล่าสุดก่อน)")):
        search.add_argument(f"--{name.replace('_', '-')}", dest=name, help=what)
    for name, what in (("indicators", "แสดงตัวชี้วัดการจัดการความรู้ของปีงบประมาณ"),
                       ("km-report", "แสดงผลตามแผนการจัดการความรู้ของปีงบประมาณ (กิจกรรม คะแนน)")):
        yearly = sub.add_parser(name, help=what)
        yearly.add_argument("--fy", help="ปีงบประมาณ พ.ศ. (2568) หรือ ค.ศ. (2025) ค่าเริ่มต้น: ปีปัจจุบัน")
        # `indicators 2568` is what the KM secretary types first: it was "unrecognized arguments"
        yearly.add_argument("year", nargs="?", metavar="ปี", help="ปีงบประมาณแบบไม่ต้องพิมพ์ --fy")
    evaluate = sub.add_parser("eval", help="(สำหรับผู้พัฒนา) relevance per query kind, beside an FTS5 + newmm baseline")
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
        value = 0
    if not 1 <= value <= 50:
        raise argparse.ArgumentTypeError(f"ต้องเป็นจำนวนเต็ม 1 ถึง 50 แต่พบ {raw!r}")
    return value


def _folder_flags(default) -> argparse.ArgumentParser:
    """--knowledge and --index (a new parser each time: parents share their action objects)."""
    flags = argparse.ArgumentParser(add_help=False)
    flags.add_argument("--knowledge", metavar="DIR", default=default,
                       help="โฟลเดอร์ขุมความรู้ (ค่าเริ่มต้น: KM_KNOWLEDGE_DIR หรือ ./knowledge)")
    flags.add_argument("--index", metavar="DIR", default=default,
                       help="โฟลเดอร์ดัชนี (ค่าเริ่มต้น: KM_INDEX_DIR หรือ instance/index)")
    return flags


def _with_folder_flags(add_parser):
    def add(name: str, **kwargs) -> argparse.ArgumentParser:
        return add_parser(name, parents=[_folder_flags(argparse.SUPPRESS)], **kwargs)
    return add


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # `… | head`: the reader has gone, and that is no error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit flush does not fail again
        return 0


def _main(argv: list[str] | None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if getattr(args, "year", None):
        if args.fy and args.fy != args.year:
            parser.error(f"ระบุปีงบประมาณสองปี ({args.year} และ --fy {args.fy}) ให้ระบุปีเดียว")
        args.fy = args.year
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
        print(f"{SEVERITY['error']}: {exc}", file=sys.stderr)
        return 2


WRITES_INDEX = ("build", "update")
SEVERITY = {"error": "ข้อผิดพลาด", "warning": "คำเตือน"}  # what the status page calls them too
SEMANTIC = "ค้นหาตามความหมาย"


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
    print(f"จัดทำดัชนี {report.indexed:,} เรื่อง (ข้อความ {mb:.2f} MB) ใน {report.seconds:.2f} วินาที"
          f" = {mb / max(report.seconds, 1e-9):.2f} MB/วินาที · ข้าม {report.skipped:,} ไฟล์")
    _print_problems(report.problems)
    if args.words_only:
        if kb.semantic.enabled:
            print(f"{SEMANTIC}: ยังไม่ประมวลผล เว็บไซต์จะประมวลผลเองเบื้องหลัง (ดูได้ที่หน้าสถานะ)")
        return 0
    _encode(kb, show)
    return 0


def _encode(kb: KnowledgeBase, show: bool, wait: bool = True) -> None:
    """Encode the passages that have no vector yet (the site would do it in the background);
    without `wait`, none while another process encodes (it may take hours at 10,000 assets)."""
    if not kb.semantic.enabled:
        return
    figures = kb.encode_passages(progress=_progress_bar("ช่วง") if show else None, waiting=_waiting_for_turn,
                                 wait=wait)
    if figures is None:
        print(f"{SEMANTIC}: อีกโปรเซสหนึ่ง (เว็บไซต์?) กำลังประมวลผลอยู่ เมื่อเสร็จแล้วเว็บไซต์จะประมวลผล"
              "ส่วนที่แก้ครั้งนี้ต่อเอง (ดูได้ที่หน้าสถานะ)")
        return
    if show:
        print(file=sys.stderr)
    rate = f" = {figures['passages_per_s']} ช่วง/วินาที" if figures["passages_per_s"] else ""
    dropped = (f" · ลบผลของช่วงข้อความที่ถูกแก้ออกไป {figures['dropped']:,} ช่วง" if figures.get("dropped")
               else "")
    print(f"{SEMANTIC}: {figures['passages']:,} ช่วงข้อความ ประมวลผลใหม่ {figures['encoded']:,} ช่วง"
          f" ใน {figures['seconds']:.2f} วินาที{rate}{dropped}")


def _waiting_for_turn() -> None:
    print(f"{SEMANTIC}: อีกโปรเซสหนึ่ง (เว็บไซต์?) กำลังประมวลผลอยู่ รอให้เสร็จก่อน แล้วจึงประมวลผลส่วนที่เหลือ",
          file=sys.stderr, flush=True)


def _update(kb: KnowledgeBase, args) -> int:
    if kb.store.exists() and not kb.store.is_compatible():
        # made by another version (or damaged): an update would leave it so, and say all is well
        print("ดัชนีนี้สร้างด้วยโปรแกรมรุ่นอื่นหรือเสียหาย จึงสร้างใหม่ทั้งหมด")
        args.quiet, args.words_only = True, False
        return _build(kb, args)
    report = kb.update()
    print(f"จัดทำดัชนีใหม่ {report.indexed:,} เรื่อง · นำออก {report.removed:,} · ข้าม {report.skipped:,} ไฟล์"
          f" ใน {report.seconds:.2f} วินาที")
    _print_problems(report.problems)
    _encode(kb, show=False, wait=False)  # an update is seconds; another's encoding, hours
    return 0


def _check(kb: KnowledgeBase, args) -> int:
    from .plans.schema import RECORDS_FOLDER
    from .plans.text_report import check_km_folder

    report = kb.check()
    km = check_km_folder(kb, report.assets)  # plans, events, people… (knowledge/_km/)
    problems = (report.problems + kb.shown_warnings(report.assets) + list(km.problems)
                + kb.across_files(report.assets, km))
    _print_problems(problems)
    errors = len(report.errors) + len(km.errors)
    folder = kb.settings.knowledge_dir / RECORDS_FOLDER  # the folder read, which KM_KNOWLEDGE_DIR may move
    print(f"{folder}: แผน {len(km.plans):,} ปี · แบบฟอร์มที่ 1 {len(km.needs):,} ปี · กิจกรรม {len(km.events):,} ครั้ง"
          f" · บุคคล {len(km.people.people):,} คน")
    print(f"ขุมความรู้ที่ถูกต้อง {len(report.assets):,} เรื่อง · ข้อผิดพลาด {errors:,} · คำเตือน {len(problems) - errors:,}")
    return 1 if errors else 0


def _km_report(kb: KnowledgeBase, args) -> int:
    from .indicators.table import report_for
    from .plans.text_report import report_lines, results_for

    year = report_for(kb, args.fy).fiscal_year  # the same --fy checks and message as `indicators`
    results = results_for(kb, kb.check().assets, year)
    if results is None:
        print(f"{SEVERITY['error']}: ไม่มีแผนการจัดการความรู้ของปีงบประมาณ {year} ใน "
              f"{kb.settings.knowledge_dir / '_km' / 'plans'}/", file=sys.stderr)
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
    print(f"พบ {response.total:,} เรื่อง ใน {elapsed:.1f} ms" + (" (ล่าสุดก่อน)" if listed else ""))
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
        print(f"{SEVERITY[problem.severity]}: {problem}")


def _progress_bar(unit: str = "ไฟล์"):
    started = time.monotonic()

    def show(done: int, total: int) -> None:
        if done % 25 and done != total:
            return
        width = 30
        filled = int(width * done / max(total, 1))
        rate = done / max(time.monotonic() - started, 1e-9)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {unit} {rate:.0f}/วินาที")
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
