"""Analysing asset files for the index: in-process for a few, on every core for many."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from multiprocessing import get_context
from multiprocessing.pool import Pool
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path

from .documents import Analysed, analyse_file, analyse_path, default_workers, init_worker

# Forked workers start with the parent's modules already imported (spawn would pay
# pythainlp's import again in each); init_worker then loads the segmenter once per worker.
_PROCESSES = get_context("fork")


class Analyser:
    """Runs file analysis in-process for small batches and on all cores for big ones."""

    PARALLEL_THRESHOLD = 64

    def __init__(self, knowledge_dir: Path, vocab, segmenter, workers: int = 0, text_cache: Path | None = None):
        self.knowledge_dir = Path(knowledge_dir)
        self.text_cache = text_cache  # where attachment texts are kept (see content/extraction.py)
        self.vocab = vocab
        self.segmenter = segmenter
        self.workers = default_workers(workers)

    def parallel(self, count: int) -> bool:
        """Whether `count` files are worth spreading over worker processes."""
        return self.workers >= 2 and count >= self.PARALLEL_THRESHOLD

    def run(self, paths: list[Path], progress: Callable[[int, int], None] | None) -> Iterator[Analysed]:
        total = len(paths)
        if not self.parallel(total):
            results: Iterable[Analysed] = (analyse_file(p, self.knowledge_dir, self.vocab, self.segmenter,
                                                        self.text_cache) for p in paths)
            yield from _with_progress(results, total, progress)
            return
        with self.pool(self.workers) as pool:
            results = pool.imap(analyse_path, [str(p) for p in paths], chunksize=16)
            yield from _with_progress(results, total, progress)

    def pool(self, processes: int) -> Pool:
        """Worker processes ready to analyse files: vocabulary and dictionary loaded once in each."""
        return _PROCESSES.Pool(processes, initializer=init_worker,
                               initargs=(str(self.knowledge_dir), self.vocab, self.segmenter.extra_words,
                                         self.text_cache))

    @staticmethod
    def counter() -> Synchronized:
        """An integer the pool's workers can all add to (progress of a parallel build)."""
        return _PROCESSES.Value("i", 0)


def _with_progress(results: Iterable[Analysed], total: int, progress) -> Iterator[Analysed]:
    for done, result in enumerate(results, start=1):
        if progress:
            progress(done, total)
        yield result
