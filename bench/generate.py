"""Write N realistic Thai assets deterministically (seeded), for benchmarks.

Each generated asset is about one topic, like a real one: it is modelled on one
of the shipped sample assets (department, title, tags, most of its sentences),
with a quarter of the sentences drawn from the rest of the collection and about
a quarter of the Thai words replaced by words from pythainlp's dictionary, so
the vocabulary grows with the collection instead of repeating 46 documents.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

from indexer.content.loader import iter_asset_files
from indexer.content.vocabulary import load_vocabulary
from indexer.settings import DATA_DIR, PROJECT_ROOT
from indexer.thai.segment import Segmenter
from indexer.thai.text import is_thai

SAMPLE = PROJECT_ROOT / "knowledge"
GENERATOR_VERSION = 2  # bump when the output changes, so cached benchmark data is rewritten
TOPIC_SHARE = 0.75   # sentences taken from the asset's own topic
REPLACE_SHARE = 0.25  # Thai words swapped for a dictionary word


@dataclass
class Topic:
    """What one sample asset contributes: its metadata and its segmented sentences."""

    title: str
    department: str
    tags: list[str]
    headings: list[str]
    sentences: list[list[str]]  # each sentence as its words (spaces kept as words)


def load_topics() -> list[Topic]:
    segmenter = Segmenter()
    topics = []
    for path in iter_asset_files(SAMPLE):
        _, raw, body = path.read_text(encoding="utf-8").split("---", 2)
        meta = yaml.safe_load(raw)
        headings, sentences = [], []
        for line in body.splitlines():
            line = line.strip()
            if line.startswith("#"):
                headings.append(line.lstrip("# "))
            elif len(line) > 30 and not line.startswith("|"):
                text = re.sub(r"^\d+\.\s*|^[-*]\s*", "", line)
                sentences.append(_split_keeping_spaces(segmenter, text))
        if sentences:  # an asset of short lines only (a stub, a form) gives the generator nothing to draw on
            topics.append(Topic(str(meta["title"]), str(meta["department"]),
                                [str(t) for t in meta.get("tags") or []], headings, sentences))
    if not topics:
        raise SystemExit(f"bench: no asset under {SAMPLE} has a line over 30 characters to generate from")
    return topics


def _split_keeping_spaces(segmenter: Segmenter, text: str) -> list[str]:
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(text, custom_dict=segmenter.trie, engine="newmm", keep_whitespace=True)


def generate(out: Path, count: int, seed: int = 2568) -> int:
    """Write `count` assets under `out` (replaced); return the bytes of text written."""
    from pythainlp.corpus import thai_words

    rng = random.Random(seed)
    vocab = load_vocabulary(DATA_DIR / "vocabulary.yaml")
    topics = load_topics()
    words = sorted(w for w in thai_words() if 2 <= len(w) <= 12)
    if out.exists():
        shutil.rmtree(out)
    total = 0
    for i in range(count):
        topic = rng.choice(topics)
        text = _asset_text(rng, topic, topics, words, vocab, i)
        path = out / topic.department / f"bench-{i + 1:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    return total


def _asset_text(rng: random.Random, topic: Topic, topics: list[Topic], words: list[str], vocab, i: int) -> str:
    published = date(2022, 10, 1) + timedelta(days=rng.randrange(4 * 365))
    meta = {
        "title": f"{topic.title} {' '.join(rng.sample(words, 2))} ฉบับที่ {i + 1}",
        "department": topic.department, "km_stage": rng.choice(vocab.km_stages.keys),
        "asset_type": rng.choice(vocab.asset_types.keys),
        "knowledge_type": rng.choice(["explicit", "explicit", "tacit"]),
        "tags": rng.sample(topic.tags, min(3, len(topic.tags))) + [rng.choice(words)],
        "owner": f"นาย{rng.choice(words)} {rng.choice(words)}",
        "summary": _sentence(rng, rng.choice(topic.sentences), words)[:160],
        "published": published.isoformat(),
        "dissemination": [{"channel": rng.choice(vocab.channels.keys),
                           "date": (published + timedelta(days=rng.randrange(1, 90))).isoformat(),
                           "ref": f"ที่ ชม ๕๓๑๐๑/ว {rng.randrange(1, 999)}"} for _ in range(rng.randrange(1, 4))],
    }
    body = _body(rng, topic, topics, words, target=rng.randrange(1000, 5000))
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body


def _sentence(rng: random.Random, sentence: list[str], words: list[str]) -> str:
    return "".join(rng.choice(words) if is_thai(w) and rng.random() < REPLACE_SHARE else w for w in sentence)


def _body(rng: random.Random, topic: Topic, topics: list[Topic], words: list[str], target: int) -> str:
    parts, size = [], 0
    while size < target:
        block = [f"## {rng.choice(topic.headings or ['รายละเอียด'])}", ""]
        for n in range(1, rng.randrange(3, 7)):
            source = topic if rng.random() < TOPIC_SHARE else rng.choice(topics)
            sentence = _sentence(rng, rng.choice(source.sentences), words)
            block.append(f"{n}. {sentence}" if rng.random() < 0.5 else sentence)
        if rng.random() < 0.3:
            block += ["", "| รายการ | รายละเอียด |", "|---|---|"]
            block += [f"| {rng.choice(words)} | {rng.choice(words)} {rng.randrange(1, 99)} วัน |" for _ in range(3)]
        chunk = "\n".join(block) + "\n\n"
        parts.append(chunk)
        size += len(chunk)
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description="write N seeded Thai benchmark assets")
    parser.add_argument("--assets", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=Path("bench/data/knowledge"))
    parser.add_argument("--seed", type=int, default=2568)
    args = parser.parse_args()
    written = generate(args.out, args.assets, args.seed)
    print(f"wrote {args.assets} assets, {written / 1e6:.1f} MB, to {args.out}")


if __name__ == "__main__":
    main()
