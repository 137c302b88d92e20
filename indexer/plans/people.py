"""The people directory: find a person from how assets and plans name them, and suggest whom to ask.

Assets write owners as free text, e.g. "นางสาวพิมพ์ชนก ใจดี (นักทรัพยากรบุคคล)";
plans and events may use a person's key ("pimchanok-jaidee"). Both resolve here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..thai.text import normalize
from .model import Person

# Longest first: นางสาว must be removed before นาง.
TITLES = ("ว่าที่ร้อยตรีหญิง", "ว่าที่ร้อยตรี", "ว่าที่ ร.ต.", "นางสาว", "น.ส.", "นาง", "นาย", "ดร.", "คุณ")
_BRACKETS = re.compile(r"\(.*?\)|（.*?）")
MAX_QUERY = 200


def name_key(text: str) -> str:
    """The comparable form of a person's name: no title, no bracketed position, spaces folded.

    >>> name_key("นางสาวพิมพ์ชนก ใจดี (นักทรัพยากรบุคคล)")
    'พิมพ์ชนก ใจดี'
    """
    text = " ".join(_BRACKETS.sub(" ", normalize(text or "")).split())
    changed = True
    while changed:
        changed = False
        for title in TITLES:
            if text.startswith(title) and len(text) > len(title):
                text = text[len(title):].lstrip()
                changed = True
    return text


class PeopleIndex:
    """People by key, by name and by alias."""

    def __init__(self, people: Iterable[Person]):
        self.people = tuple(sorted(people, key=lambda p: name_key(p.name)))
        self.by_key = {p.key: p for p in self.people}
        self._by_name: dict[str, Person] = {}
        for person in self.people:
            for spelling in (person.name, *person.aliases):
                self._by_name.setdefault(name_key(spelling), person)

    def find(self, text: str | None) -> Person | None:
        """The person a key, a name or an owner text means; None for a division or an unknown name."""
        if not text:
            return None
        text = str(text).strip()
        if text in self.by_key:
            return self.by_key[text]
        return self._by_name.get(name_key(text))

    def with_role(self, role: str) -> tuple[Person, ...]:
        return tuple(p for p in self.people if role in p.roles)


@dataclass(frozen=True)
class Expert:
    """A person suggested beside search results, and why."""

    person: Person
    reasons: tuple[str, ...]
    score: float


# Owners of the first two results only: the third to fifth of a confident question are often
# another topic sharing one word (ลาป่วยได้กี่วัน → dengue control through ป่วย), whose owner the
# box then offered as someone who knows about sick leave (seen on 2026-12-07).
OWNER_RANKS = 2


def experts_for(query: str, owners: Sequence[str], people: PeopleIndex, limit: int = 2) -> list[Expert]:
    """People to ask about `query`: owners of the top results, and people whose expertise matches.

    `owners` are the owner texts of the results in rank order. An expertise phrase
    counts when it appears in the query, or the query (3+ characters) in it, so
    "จัดซื้อจัดจ้างวิธีเฉพาะเจาะจง" finds the person who lists "จัดซื้อจัดจ้าง".
    """
    q = normalize(query[:MAX_QUERY]).replace(" ", "")
    scores: dict[str, float] = {}
    reasons: dict[str, list[str]] = {}
    for rank, owner in enumerate(owners[:OWNER_RANKS]):
        person = people.find(owner)
        if person is not None:
            scores[person.key] = scores.get(person.key, 0.0) + 1.0 / (rank + 1)
            reasons.setdefault(person.key, []).append("เจ้าของเรื่องที่ตรงกับคำค้น")
    if len(q) >= 2:
        for person in people.people:
            for phrase in person.expertise:
                p = normalize(phrase).replace(" ", "")
                if len(p) >= 2 and (p in q or (len(q) >= 3 and q in p)):
                    scores[person.key] = scores.get(person.key, 0.0) + 1.5
                    reasons.setdefault(person.key, []).append(f"ผู้รู้เรื่อง{phrase}")
                    break
    ranked = sorted(scores, key=lambda k: (-scores[k], name_key(people.by_key[k].name)))
    return [Expert(people.by_key[k], tuple(dict.fromkeys(reasons[k])), round(scores[k], 3)) for k in ranked[:limit]]
