"""newmm segmentation in Rust for full builds: the same tokens as pythainlp's, in about
half the time.

nlpO3 (PyThaiNLP's own Rust port of newmm, the `nlpo3` package) segments Thai words
as pythainlp's newmm does, but it differs at the edges: it does not stop a word at a
Latin letter, a digit or a punctuation mark ("(กบท.)" is one token to it, "(", "กบ",
"ท", ".)" to pythainlp; "1,234๒๕" is one number to pythainlp), it handles words it does
not know otherwise, and its character clusters follow older rules. So its tokens are
kept only for a stretch between two spaces whose tokens are all Thai and end where
pythainlp's clusters end (an unknown word nlpO3 cuts otherwise is cut inside a cluster
too: เทียร์ is เทียร + ์ to it); any other stretch is segmented again by
pythainlp (or, when it holds no Thai and no dictionary word, cut by newmm's own
pattern for such text).

On the shipped assets, the KM-plan sections and 400 generated assets, raw and
normalised (3.5 million characters), and on 150,000 windows cut from them at random,
the tokens are identical (tests/test_thai.py checks the first and mixed text), and
segmenting takes 4.9 CPU-seconds instead of 10.0. A full build of 2,000 generated
assets on two workers took 31.6 s instead of 38.2.

Only the build's worker processes use it (index/documents.py: init_worker): a
dictionary costs about 50 MB in the process that loads it and nlpO3 cannot unload
one, so the site's workers, which segment only questions, snippet windows and single
assets, keep pythainlp and their memory. Should a later pythainlp rename the two
patterns borrowed below, FastSegmenter segments as pythainlp does (slower, never wrong).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading

import nlpo3
import numpy as np
from pythainlp.tokenize.newmm import segment as _newmm

try:  # newmm's patterns for what is not Thai and for character clusters
    from pythainlp.tokenize.newmm import _PAT_NONTHAI as _NEWMM_OTHER
    from pythainlp.tokenize.tcc_p import _PAT_TCC as _NEWMM_CLUSTER
    AVAILABLE = True
except ImportError:
    AVAILABLE = False

from .segment import Segmenter
from .text import is_thai

# anything but Thai letters and signs: Thai digits too, which pythainlp joins to other digits
_OTHER_THAN_THAI = re.compile("[^\u0e00-\u0e4f\u0e5a-\u0e7f]")
# a token pythainlp would give whole as well: spaces, a line break, a Latin word, a number
_WHOLE = re.compile(r"[ \t]+|\r?\n|[-a-zA-Z]+|[0-9]+")
_LOADED: set[str] = set()
_LOADING = threading.Lock()


class FastSegmenter(Segmenter):
    """A Segmenter whose newmm runs in nlpO3 for Thai text (the dictionary is the same)."""

    def __init__(self, extra_words=()) -> None:
        super().__init__(extra_words)
        self._name: str | None = None
        self._latin: tuple[str, ...] | None = None  # dictionary words without Thai ("km")

    @property
    def dictionary_name(self) -> str:
        """The name nlpO3 knows this segmenter's dictionary by (loaded on first use)."""
        if self._name is None:
            self._name = _load(list(self.trie))
        return self._name

    def _segments(self, text: str) -> list[str]:
        if not AVAILABLE:
            return super()._segments(text)
        if not text:
            return []
        out: list[str] = []
        chunk: list[str] = []  # tokens between two spaces or line breaks
        mixed = False  # the chunk needs pythainlp (see the module's notes)
        valid, position = _cluster_ends(text), 0
        for token in nlpo3.segment(text, self.dictionary_name):
            position += len(token)
            if token.isspace():
                self._chunk(chunk, mixed, out)
                self._chunk([token], True, out)  # the space itself, as pythainlp cuts spaces
                chunk, mixed = [], False
                continue
            chunk.append(token)
            mixed = mixed or not valid[position] or _OTHER_THAN_THAI.search(token) is not None
        self._chunk(chunk, mixed, out)
        return out

    def _chunk(self, chunk: list[str], mixed: bool, out: list[str]) -> None:
        if not mixed:
            out.extend(chunk)
        elif len(chunk) == 1 and _WHOLE.fullmatch(chunk[0]):
            out.append(chunk[0])
        else:
            joined = "".join(chunk)
            if self._without_words(joined):  # "1.", "(2568)", "|---|": newmm's own pattern gives its tokens
                out.extend(m.group() for m in _NEWMM_OTHER.finditer(joined))
            else:
                out.extend(_newmm(joined, self.trie))

    def _without_words(self, text: str) -> bool:
        """True when newmm would cut `text` by its pattern for what is not Thai alone: it has
        no Thai, no dictionary word, and no lone carriage return (which the pattern skips)."""
        if is_thai(text) or "\r" in text:
            return False
        if self._latin is None:
            self._latin = tuple(w for w in self.trie if not is_thai(w))
        return not any(word in text for word in self._latin)


def _cluster_ends(text: str) -> bytes:
    """Where newmm may end a word: pythainlp's tcc_pos_array (which matches its cluster
    pattern against a copy of the rest of the text at every cluster). Matching from left
    to right finds the same clusters, and every character outside them is one: so every
    position is an end except those inside a cluster of two characters or more."""
    inside = np.zeros(len(text) + 2, dtype=np.int8)
    spans = np.array([m.span() for m in _NEWMM_CLUSTER.finditer(text)], dtype=np.int64).reshape(-1, 2)
    spans = spans[spans[:, 1] - spans[:, 0] > 1]
    inside[spans[:, 0] + 1] = 1   # clusters never overlap, so no index is written twice
    inside[spans[:, 1]] = -1
    return (np.cumsum(inside[:-1]) == 0).tobytes()


def _load(words: list[str]) -> str:
    """Load `words` into nlpO3 once per process under a name made from them."""
    words = sorted(w for w in words if "\n" not in w and "\r" not in w)
    content = "\n".join(words)
    name = "km-" + hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]
    with _LOADING:
        if name in _LOADED:
            return name
        handle, path = tempfile.mkstemp(prefix="km-dictionary-", suffix=".txt")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(content)
            message, ok = nlpo3.load_dict(path, name)
        finally:
            os.unlink(path)
        if not ok:
            raise RuntimeError(f"nlpO3 did not load the segmentation dictionary: {message}")
        _LOADED.add(name)
    return name
