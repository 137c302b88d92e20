"""Turn assets into index documents (pure Python: no Whoosh here, so workers stay light)."""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from pathlib import Path

from ..content.asset import Asset, Problem
from ..content.attachments import MATCH_CHARS, AttachmentText, attachments_signature, read_attachments
from ..content.loader import AssetInvalid, load_asset, relative_path, unforeseen_problem
from ..content.render import render_body
from ..content.shown import shown_warnings
from ..content.sources import outside_link, source_stat
from ..content.vocabulary import Vocabulary
from ..search.snippets import SCAN_LIMIT
from ..thai.ends import pack_ends
from ..thai.fast import FastSegmenter
from ..thai.segment import Segmenter
from ..thai.starts import word_starts
from ..thai.text import normalize


@dataclass(frozen=True)
class Analysed:
    """The outcome of analysing one file: a document, or the problems that stopped it."""

    path: str
    signature: str
    slug: str | None
    document: dict | None
    problems: tuple[Problem, ...]


def file_signature(path: Path, knowledge_dir: Path | None = None) -> str:
    """Identify a file version by modification time and size (cheap to compare on update).

    Adding or replacing an attachment changes the signature too, so its text is re-indexed.
    A symlink leading out of `knowledge_dir` is identified by the link itself, never its target.
    """
    stat = source_stat(path, knowledge_dir)
    if knowledge_dir is not None and outside_link(path, knowledge_dir):
        return f"{stat.st_mtime_ns}:{stat.st_size}"
    attachments = attachments_signature(path)
    return f"{stat.st_mtime_ns}:{stat.st_size}" + (f":{attachments}" if attachments else "")


def suggest_key(text: str) -> str:
    """Text as suggestions match it: normalised, runs of spaces made one ("ลา  ป่วย " → "ลา ป่วย")."""
    return " ".join(normalize(text).split())


def to_document(asset: Asset, segmenter: Segmenter, signature: str,
                attachments: tuple[AttachmentText, ...] = ()) -> dict:
    """Build the fields the index stores for one asset; text fields are space-joined tokens.

    The text of PDF and DOCX attachments is indexed with the body and their names kept in
    `meta`; `files` keeps the start of each text, from which the engine tells a reader
    which attachment holds the words (and quotes it)."""
    rendered = render_body(asset.body, toc=False)  # the text readers see on the page, never the Markdown
    text = rendered.text
    norm_text = normalize(text)
    norm_files = normalize("\n".join(a.text for a in attachments if a.text))
    body_words, ends = segmenter.words_and_ends(norm_text + "\n" + normalize(asset.summary) + "\n" + norm_files,
                                                min(len(norm_text), SCAN_LIMIT))
    return {
        "slug": asset.slug,
        "path": asset.path,
        "signature": signature,
        "title": _segmented(segmenter, asset.title),
        "headings": _segmented(segmenter, " \n".join(rendered.headings)),
        "tags_text": _segmented(segmenter, " \n".join(asset.tags)),
        "owner_text": _segmented(segmenter, asset.owner),
        # the evidence numbers of its dissemination (หนังสือเวียน ที่ ชม ๕๓๑๐๑/ว ๘๘), shown on its
        # page: an auditor or a reader holding the circular looks the asset up by them
        "refs_text": _segmented(segmenter, " \n".join(record.ref for record in asset.dissemination if record.ref)),
        "body": " ".join(body_words),
        "department": asset.department,
        "km_stage": asset.km_stage,
        "asset_type": asset.asset_type,
        "knowledge_type": asset.knowledge_type,
        "status": asset.status,
        "tags": ",".join(asset.tags),
        "fy": str(asset.fiscal_year or ""),
        "published": asset.published.toordinal() if asset.published else 0,
        "newest": asset.newest_date.toordinal() if asset.newest_date else 0,
        "list_key": f"{asset.slug}\x1f{asset.title.strip()}".encode(),  # see search/ordering.py
        "meta": _meta(asset, segmenter, attachments),
        "text": text,
        # where the words of the text's start end, from this segmentation: a snippet finds its
        # word boundaries here instead of segmenting its window again (search/snippets.py)
        "word_ends": pack_ends(sorted({min(end, len(norm_text)) for end in ends})),
        "files": [(a.name, a.text[:MATCH_CHARS]) for a in attachments if a.text],
    }



def _segmented(segmenter: Segmenter, text: str) -> str:
    """`text` normalised, as space-joined words."""
    return " ".join(segmenter.words(normalize(text)))


def _meta(asset: Asset, segmenter: Segmenter, attachments: tuple[AttachmentText, ...]) -> dict:
    """What a result shows of an asset without reading its file again."""
    return {
        "title": asset.title, "summary": asset.summary, "tags": list(asset.tags),
        # where the words of the title start, for suggestions (search/suggest.py): segmenting
        # 10,000 titles again for every index version would cost seconds
        "title_starts": sorted(word_starts(suggest_key(asset.title), segmenter)),
        "owner": asset.owner, "attachments": [a.name for a in attachments],
        "refs": [record.ref for record in asset.dissemination if record.ref],  # confidence.holds_reference
        "published": asset.published.isoformat() if asset.published else None,
        "updated": asset.updated.isoformat() if asset.updated else None,
    }

# Per-process state for parallel builds (set by `init_worker`).
_WORKER: dict = {}


def init_worker(knowledge_dir: str, vocab: Vocabulary, extra_words: tuple[str, ...],
                text_cache: Path | None = None) -> None:
    """Prepare a build worker process: vocabulary and segmenter are loaded once."""
    _WORKER["knowledge_dir"] = Path(knowledge_dir)
    _WORKER["text_cache"] = text_cache
    _WORKER["vocab"] = vocab
    # segments in Rust, with the same tokens (thai/fast.py); its dictionary stays in this process
    _WORKER["segmenter"] = FastSegmenter(extra_words)
    _ = _WORKER["segmenter"].dictionary_name  # load both dictionaries now, then keep the collector off
    gc.collect()               # the Python one: its ~300k objects would be re-scanned on every full collection
    gc.freeze()


def analyse_path(path: str) -> Analysed:
    """Parse, validate and segment one file in a worker (see `init_worker`)."""
    return analyse_file(Path(path), _WORKER["knowledge_dir"], _WORKER["vocab"], _WORKER["segmenter"],
                        _WORKER.get("text_cache"))


def analyse_file(path: Path, knowledge_dir: Path, vocab: Vocabulary, segmenter: Segmenter,
                 text_cache: Path | None = None) -> Analysed:
    """Parse, validate and segment one file; problems are returned, never raised.

    Whatever the file holds, the outcome is an Analysed: a failure nobody foresaw is
    logged with its traceback and reported as this file's problem, so one file never
    stops a build, an update or the site's watcher. Attachment texts are read from (and
    kept in) `text_cache`, see content/extraction.py.
    """
    rel = relative_path(path, knowledge_dir)
    try:
        return _analyse(path, rel, knowledge_dir, vocab, segmenter, text_cache)
    except Exception as exc:  # noqa: BLE001 - reported as this file's problem, with the traceback logged
        return Analysed(rel, _safe_signature(path, knowledge_dir), None, None, (unforeseen_problem(rel, exc),))


def _analyse(path: Path, rel: str, knowledge_dir: Path, vocab: Vocabulary, segmenter: Segmenter,
             text_cache: Path | None) -> Analysed:
    try:
        signature = file_signature(path, knowledge_dir)
        asset = load_asset(path, knowledge_dir, vocab)
    except AssetInvalid as exc:
        return Analysed(rel, _safe_signature(path, knowledge_dir), None, None, tuple(exc.problems))
    except OSError as exc:
        return Analysed(rel, "", None, None, (Problem(rel, f"อ่านไฟล์ไม่ได้: {exc.strerror}"),))
    try:
        attachments = read_attachments(path, text_cache)
    except OSError as exc:
        return Analysed(rel, "", None, None, (Problem(rel, f"อ่านไฟล์แนบไม่ได้: {exc.strerror}"),))
    document = to_document(asset, segmenter, signature, attachments)
    return Analysed(rel, signature, asset.slug, document,
                    asset.warnings + tuple(shown_warnings(asset, knowledge_dir, text_cache)))


def _safe_signature(path: Path, knowledge_dir: Path) -> str:
    try:
        return file_signature(path, knowledge_dir)
    except OSError:
        return ""


def default_workers(configured: int) -> int:
    return configured or max(1, os.cpu_count() or 1)
