"""Relevance evaluation: per-kind MRR@10 and recall@10, false corrections and empty results.

Two file formats are read:
- the regression list `- {q, expect: [slug…], kind}`;
- the blind, frozen sets `- {id, kind, split, query, relevant: [slug…], partial: […]}`,
  split into dev (to tune on) and test (what the gate asserts).

Any engine that maps a query to a `Ranking` can be evaluated, so the site's engine
and the FTS5 baseline (baseline.py) are judged on the same queries the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import KnowledgeError
from .requests import SearchRequest

NO_ANSWER = "no-answer"
TYPO_KINDS = frozenset({"typo"})  # queries whose words are misspelt on purpose


def misspelt(kind: str) -> bool:
    """Whether queries of `kind` are misspelt on purpose: "typo", or a slip of typos.py ("typo:…")."""
    return kind in TYPO_KINDS or kind.startswith("typo:")


@dataclass(frozen=True)
class Judgement:
    """One query with the assets that answer it (empty for a query nothing answers)."""

    id: str
    query: str
    kind: str
    split: str
    relevant: tuple[str, ...]
    partial: tuple[str, ...] = ()


DERIVED = "~"  # a question made from another (typos.py, variants.py): its id, this, and how it was made


def derived(judgement: Judgement, query: str, kind: str, how: str) -> Judgement:
    """A question made from `judgement` (typed with a slip, framed politely…), judged the same."""
    return Judgement(f"{judgement.id}{DERIVED}{how}", query, kind, judgement.split, judgement.relevant,
                     judgement.partial)


def originals(made: Iterable[Judgement], judgements: Iterable[Judgement]) -> list[Judgement]:
    """The question each of `made` was derived from, in the same order."""
    by_id = {judgement.id: judgement for judgement in judgements}
    return [by_id[judgement.id.rpartition(DERIVED)[0]] for judgement in made]


@dataclass(frozen=True)
class Ranking:
    """What an engine answered: slugs best first, and how it treated the words."""

    slugs: tuple[str, ...]
    total: int
    corrected: bool = False      # a suggestion or correction was offered
    confident: bool = True       # the engine stands behind its first result


@dataclass(frozen=True)
class QueryOutcome:
    """How one query did: the rank of its first relevant answer (None if not in the top k)."""

    judgement: Judgement
    rank: int | None
    ranking: Ranking

    @property
    def reciprocal_rank(self) -> float:
        return 1.0 / self.rank if self.rank else 0.0

    @property
    def query(self) -> str:
        return self.judgement.query

    @property
    def kind(self) -> str:
        return self.judgement.kind

    @property
    def answerable(self) -> bool:
        return bool(self.judgement.relevant)

    @property
    def false_correction(self) -> bool:
        """A correctly spelled query that was given a correction or a suggestion."""
        return self.ranking.corrected and not misspelt(self.kind)

    @property
    def empty(self) -> bool:
        """An answerable query that found nothing."""
        return self.answerable and self.ranking.total == 0


class QueryFileError(KnowledgeError):
    """A query file cannot be read, or an entry is in neither format; the message names the file."""


def load_queries(path: Path, split: str | None = None) -> list[Judgement]:
    """Read a query file (either format); keep only `split` when given ("dev", "test")."""
    try:
        entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise QueryFileError(f"{path}: cannot read the query file: {exc}") from exc
    if not isinstance(entries, list):
        raise QueryFileError(f"{path}: expected a YAML list of queries, got {type(entries).__name__}")
    judgements = []
    for number, entry in enumerate(entries, start=1):
        judgements.append(_judgement(path, number, entry))
    return [j for j in judgements if split in (None, "all", j.split)]


def _judgement(path: Path, number: int, entry) -> Judgement:
    if isinstance(entry, dict) and entry.get("q") and isinstance(entry.get("expect"), list) and entry["expect"]:
        return Judgement(f"r{number:03d}", str(entry["q"]), str(entry.get("kind", "other")), "regression",
                         tuple(map(str, entry["expect"])))
    if (isinstance(entry, dict) and entry.get("query") and "relevant" in entry
            and isinstance(entry["relevant"] or [], list) and isinstance(entry.get("partial") or [], list)):
        return Judgement(str(entry.get("id", number)), str(entry["query"]), str(entry.get("kind", "other")),
                         str(entry.get("split", "dev")), tuple(map(str, entry.get("relevant") or ())),
                         tuple(map(str, entry.get("partial") or ())))
    raise QueryFileError(f"{path}: entry {number}: expected {{q, expect: [slug, …], kind}} or "
                         f"{{id, kind, split, query, relevant: [slug, …]}}, got {repr(entry)[:200]}")


def engine_ranker(kb, k: int = 10, **request_fields) -> Callable[[str], Ranking]:
    """Rank with the knowledge base's own search, as a reader's first page would show it."""
    def rank(query: str) -> Ranking:
        response = kb.search(SearchRequest(q=query, per_page=k, **request_fields))
        return Ranking(tuple(h.slug for h in response.hits), response.total,
                       corrected=bool(response.suggestion or response.corrected_from),
                       confident=getattr(response, "confident", True))
    return rank


def evaluate(rank: Callable[[str], Ranking] | object, judgements: Iterable[Judgement],
             k: int = 10) -> list[QueryOutcome]:
    """Run every query and record where its first relevant asset ranked.

    `rank` is a ranking function, or a knowledge base (ranked by its own search).
    """
    ranker = rank if callable(rank) else engine_ranker(rank, k)
    outcomes = []
    for judgement in judgements:
        ranking = ranker(judgement.query)
        top = ranking.slugs[:k]
        position = next((i for i, slug in enumerate(top, start=1) if slug in judgement.relevant), None)
        outcomes.append(QueryOutcome(judgement, position, ranking))
    return outcomes


def mrr(outcomes: list[QueryOutcome]) -> float:
    """Mean reciprocal rank over the answerable queries."""
    answerable = [o for o in outcomes if o.answerable]
    return sum(o.reciprocal_rank for o in answerable) / len(answerable) if answerable else 0.0


def recall(outcomes: list[QueryOutcome]) -> float:
    """Share of answerable queries with a relevant asset in the top k."""
    answerable = [o for o in outcomes if o.answerable]
    return sum(1 for o in answerable if o.rank) / len(answerable) if answerable else 0.0


def rejected(outcomes: list[QueryOutcome]) -> float:
    """Share of unanswerable queries the engine did not answer confidently."""
    unanswerable = [o for o in outcomes if not o.answerable]
    ok = sum(1 for o in unanswerable if not o.ranking.confident or not o.ranking.slugs)
    return ok / len(unanswerable) if unanswerable else 1.0


@dataclass(frozen=True)
class KindFigures:
    """The figures of one kind of query (or of all of them)."""

    kind: str
    queries: int
    mrr: float
    recall: float
    false_corrections: int
    empty: int
    unsure: int  # answerable queries whose first result was flagged as not confident


def figures(outcomes: list[QueryOutcome]) -> list[KindFigures]:
    """Figures per kind, then for all queries (kind "all")."""
    kinds: dict[str, list[QueryOutcome]] = defaultdict(list)
    for outcome in outcomes:
        kinds[outcome.kind].append(outcome)
    groups = sorted(kinds.items()) + [("all", outcomes)]
    return [KindFigures(kind, len(group), mrr(group) if kind != NO_ANSWER else rejected(group), recall(group),
                        sum(o.false_correction for o in group), sum(o.empty for o in group),
                        sum(1 for o in group if o.answerable and not o.ranking.confident))
            for kind, group in groups]


def report(outcomes: list[QueryOutcome], misses: bool = True) -> str:
    """A table of MRR@10, recall@10, false corrections and empty results per kind, then
    every answerable query that missed rank 1. For the no-answer kind the MRR column
    holds the share of queries answered with low confidence or nothing."""
    lines = [f"{'kind':<15} {'queries':>7} {'MRR@10':>7} {'R@10':>6} {'false-corr':>10} {'empty':>5} {'unsure':>6}"]
    for row in figures(outcomes):
        lines.append(f"{row.kind:<15} {row.queries:>7} {row.mrr:>7.3f} {row.recall:>6.3f} "
                     f"{row.false_corrections:>10} {row.empty:>5} {row.unsure:>6}")
    if misses:
        for o in outcomes:
            if o.answerable and o.rank != 1:
                lines.append(f"  rank {o.rank or '-'}: {o.query!r} ({o.kind}) expected {list(o.judgement.relevant)},"
                             f" got {list(o.ranking.slugs[:3])}")
            elif o.false_correction:
                lines.append(f"  false correction: {o.query!r} ({o.kind})")
            elif not o.answerable and o.ranking.confident and o.ranking.slugs:
                lines.append(f"  confident junk: {o.query!r} → {list(o.ranking.slugs[:3])}")
    return "\n".join(lines)


def side_by_side(columns: dict[str, list[QueryOutcome]]) -> str:
    """Per-kind MRR@10 of several engines on the same queries, one column each."""
    tables = {name: {row.kind: row for row in figures(outcomes)} for name, outcomes in columns.items()}
    kinds = list(next(iter(tables.values())))
    header = f"{'kind':<15} {'queries':>7} " + " ".join(f"{name:>14}" for name in tables)
    lines = [header]
    for kind in kinds:
        first = next(iter(tables.values()))[kind]
        cells = " ".join(f"{t[kind].mrr:>6.3f}/{t[kind].recall:<7.3f}" for t in tables.values())
        lines.append(f"{kind:<15} {first.queries:>7} {cells}")
    lines.append("(each cell: MRR@10 / recall@10; no-answer: share not answered confidently)")
    return "\n".join(lines)
