"""The words of each segment, kept beside it so a new process need not read Whoosh's term table.

The search's lexicon (search/lexicon.py) holds every word of the text fields. Reading
them from Whoosh walks the term tables of every segment in Python: 1.3-1.5 s at 10,000
assets, in every worker that starts, before its first answer. A build therefore writes
each segment's words into `<segment>.kmwords` beside the segment's own files, and a
process reads that (a few milliseconds) instead.

The file is named like a segment file, so it travels with its segment: an update's new
build links it with the others (index/update.py), the damage check covers it once it
is in a build's inventory, and Whoosh deletes it with its segment after a merge. It is
only ever a copy: a file that is missing, unreadable or not what its header says is
ignored and written again from the term table, so the index stays the one source.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from .leaves import leaf_readers
from .schema import WORD_FIELDS

log = logging.getLogger(__name__)

SUFFIX = ".kmwords"
_FORMAT = "kmwords 1"


def segment_words(leaf, fields: tuple[str, ...]) -> set[str]:
    """The words of `fields` in one segment: from its words file, else from its term table
    (and the file is then written, when the folder allows)."""
    path = _path(leaf)
    words = _read(path, fields) if path is not None else None
    if words is None:
        words = _from_terms(leaf, fields)
        if path is not None:
            _write(path, fields, words)
    return words


def write_segment_words(build: Path, fields: tuple[str, ...] = WORD_FIELDS) -> None:
    """Write the words file of every segment of the index at `build` that lacks one (an
    update's new segment; the others' files were linked from the build before)."""
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(build))
    with ix.reader() as reader:
        if reader.doc_count_all():
            for leaf, _ in leaf_readers(reader):
                path = _path(leaf)
                if path is not None and not path.exists():
                    _write(path, fields, _from_terms(leaf, fields))


def _path(leaf) -> Path | None:
    folder = getattr(leaf.storage(), "folder", None)
    segment = leaf.segment()
    if folder is None or segment is None:
        return None  # a segment in a compound file or in memory: no folder of its own
    return Path(folder) / f"{segment.segment_id()}{SUFFIX}"  # MAIN_<id>.kmwords, as Whoosh names its files


def _from_terms(leaf, fields: tuple[str, ...]) -> set[str]:
    words: set[str] = set()
    for name in fields:
        if name in leaf.schema:
            for raw in leaf.lexicon(name):
                words.add(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
    return words


def _read(path: Path, fields: tuple[str, ...]) -> set[str] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    header, _, body = text.partition("\n")
    parts = header.rsplit(" ", 2)
    if len(parts) != 3 or parts[0] != _FORMAT or parts[1] != ",".join(fields) or not parts[2].isdigit():
        return None
    words = set(body.split("\n")) if body else set()
    if len(words) != int(parts[2]):
        log.warning("words file %s holds %d words, not the %s its header says: read from the index",
                    path, len(words), parts[2])
        return None
    return words


def _write(path: Path, fields: tuple[str, ...], words: set[str]) -> None:
    if any("\n" in word for word in words):
        return  # never happens with space-separated tokens; the term table stays the source
    content = f"{_FORMAT} {','.join(fields)} {len(words)}\n" + "\n".join(sorted(words))
    try:
        handle, temporary = tempfile.mkstemp(prefix=".kmwords-", dir=path.parent)  # a dot: no index file
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(content)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as exc:
        log.info("could not keep the words of %s (%s): they are read from the index each time", path.name, exc)
