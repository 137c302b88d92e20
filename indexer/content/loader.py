"""Read and validate Markdown assets; every problem names file, field, line and expectation."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import frontmatter
import yaml

from .asset import Asset, DisseminationRecord, Problem
from ..dates import DateFormatError, parse_date
from .schema import DISSEMINATION_KEYS, FIELDS, FIELDS_BY_NAME, FieldSpec
from .vocabulary import Vocabulary

SLUG_PATTERN = re.compile(r"^[\w][\w-]*$", re.UNICODE)
_HANDLER = frontmatter.YAMLHandler()


_NO_TIMESTAMPS = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe loader (libyaml when present) that leaves dates as text, so BE years and bad
    dates get our own messages."""


class _LineLoader(yaml.SafeLoader):
    """Pure-Python safe loader used only to find line numbers for error messages."""


_Loader.yaml_implicit_resolvers = _NO_TIMESTAMPS
_LineLoader.yaml_implicit_resolvers = _NO_TIMESTAMPS


class _Lines:
    """Line numbers of front-matter keys, worked out only when a problem needs one."""

    def __init__(self, raw: str):
        self._raw = raw
        self._lines: dict[str, int] | None = None

    def get(self, key: str, default: int | None = None) -> int | None:
        if self._lines is None:
            self._lines = _key_lines(self._raw)
        return self._lines.get(key, default)


class _LazyLine:
    """A line number looked up only if a Problem is actually made with it."""

    def __init__(self, lines: _Lines, key: str):
        self.lines, self.key = lines, key

    def resolve(self) -> int | None:
        return self.lines.get(self.key)


def _key_lines(raw: str) -> dict[str, int]:
    node = yaml.compose(raw, Loader=_LineLoader)
    lines: dict[str, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key_node, value_node in node.value:
        lines[str(key_node.value)] = key_node.start_mark.line + 1
        if key_node.value == "dissemination" and isinstance(value_node, yaml.SequenceNode):
            for i, item in enumerate(value_node.value):
                lines[f"dissemination[{i + 1}]"] = item.start_mark.line + 1
    return lines


class AssetInvalid(Exception):
    """A file could not be turned into an asset; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class LoadReport:
    """The outcome of reading a whole knowledge folder."""

    assets: list[Asset] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def iter_asset_files(knowledge_dir: Path) -> Iterator[Path]:
    """Yield every Markdown file under the folder, skipping hidden and _private folders."""
    for root, dirs, files in os.walk(knowledge_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in sorted(files):
            if name.endswith(".md") and not name.startswith((".", "_")):
                yield Path(root) / name


def scan_asset_files(knowledge_dir: Path) -> dict[str, tuple[Path, int, int, bool]]:
    """Every asset file as {relative path: (path, mtime_ns, size, has attachment folder)}.

    The same files as `iter_asset_files`, read with one directory listing per folder
    and no path resolution: the site's watcher runs this every few seconds, and the
    pathlib version cost 650 ms for 10,000 files.
    """
    found: dict[str, tuple[Path, int, int, bool]] = {}
    pending = [(str(knowledge_dir), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        names = {entry.name for entry in entries}
        for entry in entries:
            if entry.name.startswith((".", "_")):
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, prefix + entry.name + "/"))
            elif entry.name.endswith(".md"):
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                has_files = entry.name[:-3] + ".files" in names
                found[prefix + entry.name] = (Path(entry.path), stat.st_mtime_ns, stat.st_size, has_files)
    return found


def relative_path(path: Path, knowledge_dir: Path) -> str:
    return path.resolve().relative_to(knowledge_dir.resolve()).as_posix()


def load_asset(path: Path, knowledge_dir: Path, vocab: Vocabulary) -> Asset:
    """Parse one file into an Asset or raise AssetInvalid with all its problems."""
    rel = relative_path(path, knowledge_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise AssetInvalid([Problem(rel, f"ไฟล์ต้องเข้ารหัสเป็น UTF-8 (ไบต์ที่ {exc.start + 1} อ่านไม่ได้)")]) from exc
    except OSError as exc:
        raise AssetInvalid([Problem(rel, f"อ่านไฟล์ไม่ได้: {exc.strerror}")]) from exc
    return parse_asset(text, rel, vocab)


def parse_asset(text: str, rel: str, vocab: Vocabulary) -> Asset:
    """Parse the text of a file at relative path `rel` (used by files and the editor alike)."""
    slug = Path(rel).stem
    problems: list[Problem] = []
    if not SLUG_PATTERN.match(slug):
        problems.append(Problem(rel, f'ชื่อไฟล์ "{slug}" ใช้เป็น slug ไม่ได้: ใช้ได้เฉพาะตัวอักษร ตัวเลข - และ _', "slug"))
    meta, body, lines = _split(text, rel)
    values = _validate_fields(meta, lines, rel, vocab, problems)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise AssetInvalid(problems)
    return Asset(slug=slug, path=rel, body=body, warnings=tuple(problems), **values)


def _split(text: str, rel: str) -> tuple[dict, str, _Lines]:
    text = text.lstrip("\ufeff")
    try:
        raw, content = _HANDLER.split(text) if _HANDLER.detect(text) else (None, None)
    except ValueError:
        raw = None
    if raw is None:
        raise AssetInvalid([Problem(rel, "ไม่พบส่วนหัว (front matter): ไฟล์ต้องขึ้นต้นด้วยบรรทัด --- ตามด้วยฟิลด์ YAML และปิดด้วย ---", line=1)])
    try:
        metadata = yaml.load(raw, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise AssetInvalid([Problem(rel, f"YAML ในส่วนหัวไม่ถูกต้อง: {reason}", line=line)]) from exc
    if not isinstance(metadata, dict):
        raise AssetInvalid([Problem(rel, "ส่วนหัวต้องเป็นชุด ชื่อฟิลด์: ค่า (YAML mapping)", line=2)])
    return metadata, re.sub(r"\A\r?\n", "", content), _Lines(raw)


def _validate_fields(meta: dict, lines: _Lines, rel: str, vocab: Vocabulary,
                     problems: list[Problem]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for spec in FIELDS:
        raw = meta.get(spec.name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if spec.required:
                problems.append(Problem(rel, f"ต้องระบุ{spec.label} (ฟิลด์นี้จำเป็น)", spec.name, lines.get(spec.name) or 1))
            elif spec.default is not None:
                values[spec.name] = spec.default
            continue
        try:
            values[spec.name] = _CONVERTERS[spec.kind](raw, spec, vocab, rel, lines, problems)
        except ValueError as exc:
            problems.append(Problem(rel, str(exc), spec.name, lines.get(spec.name)))
    for name in meta:
        if name not in FIELDS_BY_NAME:
            known = ", ".join(FIELDS_BY_NAME)
            problems.append(Problem(rel, f"ไม่รู้จักฟิลด์นี้ (สะกดผิดหรือไม่?) ฟิลด์ที่ใช้ได้: {known}",
                                    str(name), lines.get(str(name)), "warning"))
    return values


def _text(raw: Any, spec: FieldSpec, *_: Any) -> str:
    if isinstance(raw, (dict, list)):
        raise ValueError(f"ต้องเป็นข้อความ แต่พบ{_kind_th(raw)}")
    return " ".join(str(raw).split()) if spec.name != "summary" else str(raw).strip()


def _vocab(raw: Any, spec: FieldSpec, vocab: Vocabulary, *_: Any) -> str:
    terms = vocab.list(spec.vocabulary)
    key = terms.resolve(str(raw)) if not isinstance(raw, (dict, list)) else None
    if key is None:
        raise ValueError(f"ต้องเป็นหนึ่งใน {', '.join(terms.keys)} (หรือชื่อภาษาไทย) แต่พบ \"{_show(raw)}\"")
    return key


def _tags(raw: Any, *_: Any) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [part for part in re.split(r"[,，]", raw)]
    if not isinstance(raw, list) or any(isinstance(t, (dict, list)) for t in raw):
        raise ValueError(f"ต้องเป็นรายการคำ เช่น [การลา, ลาป่วย] แต่พบ \"{_show(raw)}\"")
    seen: dict[str, None] = {}
    for tag in raw:
        tag = " ".join(str(tag).split())
        if tag:
            seen.setdefault(tag, None)
    return tuple(seen)


def _date(raw: Any, *_: Any):
    try:
        return parse_date(raw)
    except DateFormatError as exc:
        raise ValueError(f"{exc} แต่พบ \"{_show(raw)}\"") from exc


def _dissemination(raw: Any, spec: FieldSpec, vocab: Vocabulary, rel: str,
                   lines: _Lines, problems: list[Problem]) -> tuple[DisseminationRecord, ...]:
    if not isinstance(raw, list):
        raise ValueError(f"ต้องเป็นรายการของ {{channel, date, ref}} แต่พบ \"{_show(raw)}\"")
    records = []
    for i, item in enumerate(raw, start=1):
        name = f"dissemination[{i}]"
        line = _LazyLine(lines, name)
        if not isinstance(item, dict):
            problems.append(Problem(rel, f"ต้องเป็น {{channel, date, ref}} แต่พบ \"{_show(item)}\"", name, line.resolve()))
            continue
        for key in item:
            if key not in DISSEMINATION_KEYS:
                problems.append(Problem(rel, f"ไม่รู้จักคีย์ \"{key}\" (ใช้ได้: channel, date, ref)", name, line.resolve(), "warning"))
        channel = vocab.channels.resolve(str(item.get("channel") or ""))
        if channel is None:
            problems.append(Problem(rel, f"ต้องเป็นหนึ่งใน {', '.join(vocab.channels.keys)} (หรือชื่อภาษาไทย) "
                                         f"แต่พบ \"{_show(item.get('channel'))}\"", f"{name}.channel", line.resolve()))
        day = None
        if item.get("date") not in (None, ""):
            try:
                day = parse_date(item["date"])
            except DateFormatError as exc:
                problems.append(Problem(rel, f"{exc} แต่พบ \"{_show(item['date'])}\"", f"{name}.date", line.resolve()))
                continue
        if channel is None:
            continue
        records.append(DisseminationRecord(channel, day, " ".join(str(item.get("ref") or "").split())))
    return tuple(records)


_CONVERTERS = {"text": _text, "vocab": _vocab, "tags": _tags, "date": _date, "dissemination": _dissemination}


def _show(raw: Any) -> str:
    return "" if raw is None else str(raw)


def _kind_th(raw: Any) -> str:
    return "รายการ" if isinstance(raw, list) else "ชุดข้อมูล"


def load_folder(knowledge_dir: Path, vocab: Vocabulary, paths: list[Path] | None = None) -> LoadReport:
    """Load every asset of the folder; a bad file is reported and never stops the others."""
    report = LoadReport()
    seen: dict[str, str] = {}
    for path in paths if paths is not None else iter_asset_files(knowledge_dir):
        try:
            asset = load_asset(path, knowledge_dir, vocab)
        except AssetInvalid as exc:
            report.problems.extend(exc.problems)
            continue
        report.problems.extend(asset.warnings)
        if asset.slug in seen:
            report.problems.append(Problem(asset.path, f'slug "{asset.slug}" ซ้ำกับไฟล์ {seen[asset.slug]}: ชื่อไฟล์ต้องไม่ซ้ำกันทั้งคลัง', "slug"))
            continue
        seen[asset.slug] = asset.path
        report.assets.append(asset)
    return report
