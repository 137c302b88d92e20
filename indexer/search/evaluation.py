"""Relevance evaluation: MRR@10 of a list of queries with expected assets, by query kind."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from .requests import SearchRequest


@dataclass(frozen=True)
class QueryOutcome:
    """How one query did: the rank of its first acceptable answer (None if not in the top 10)."""

    query: str
    kind: str
    expected: tuple[str, ...]
    rank: int | None
    top: tuple[str, ...]

    @property
    def reciprocal_rank(self) -> float:
        return 1.0 / self.rank if self.rank else 0.0


def load_queries(path: Path) -> list[dict]:
    """Read `- {q, expect: [slug…], kind}` entries."""
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("q") or not entry.get("expect"):
            raise ValueError(f"{path}: entry {number}: expected {{q, expect: [slug, …], kind}}, got {entry!r}")
    return entries


def evaluate(kb, entries: list[dict], k: int = 10) -> list[QueryOutcome]:
    """Run every query and record where its first expected asset ranked."""
    outcomes = []
    for entry in entries:
        hits = kb.search(SearchRequest(q=str(entry["q"]), per_page=k)).hits
        slugs = tuple(h.slug for h in hits)
        expected = tuple(entry["expect"])
        rank = next((i for i, slug in enumerate(slugs, start=1) if slug in expected), None)
        outcomes.append(QueryOutcome(str(entry["q"]), str(entry.get("kind", "other")), expected, rank, slugs[:3]))
    return outcomes


def mrr(outcomes: list[QueryOutcome]) -> float:
    return sum(o.reciprocal_rank for o in outcomes) / len(outcomes) if outcomes else 0.0


def report(outcomes: list[QueryOutcome]) -> str:
    """A table of MRR@10 and hits@1 per query kind, then every query that missed rank 1."""
    kinds: dict[str, list[QueryOutcome]] = defaultdict(list)
    for outcome in outcomes:
        kinds[outcome.kind].append(outcome)
    lines = [f"{'kind':<10} {'queries':>7} {'MRR@10':>7} {'hit@1':>6}"]
    for kind, group in sorted(kinds.items()):
        at1 = sum(1 for o in group if o.rank == 1)
        lines.append(f"{kind:<10} {len(group):>7} {mrr(group):>7.3f} {at1:>3}/{len(group):<3}")
    at1 = sum(1 for o in outcomes if o.rank == 1)
    lines.append(f"{'all':<10} {len(outcomes):>7} {mrr(outcomes):>7.3f} {at1:>3}/{len(outcomes):<3}")
    for o in outcomes:
        if o.rank != 1:
            lines.append(f"  rank {o.rank or '-'}: {o.query!r} ({o.kind}) "
                         f"expected {list(o.expected)}, got {list(o.top)}")
    return "\n".join(lines)
