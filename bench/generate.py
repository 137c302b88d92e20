"""Write N realistic Thai assets deterministically (seeded), for benchmarks.

Vocabulary comes from the shipped sample assets (their sentences, headings,
tags and titles) and pythainlp's word list, so the segmenter sees real Thai.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import yaml

from indexer.loader import iter_asset_files
from indexer.settings import DATA_DIR, PROJECT_ROOT
from indexer.vocabulary import load_vocabulary

SAMPLE = PROJECT_ROOT / "knowledge"
_SENTENCE_SPLIT = re.compile(r"(?<=[\s])(?=\S)")


def _corpus() -> tuple[list[str], list[str], list[str], list[str]]:
    """Sentences, headings, titles and tags of the shipped sample content."""
    sentences, headings, titles, tags = [], [], [], []
    for path in iter_asset_files(SAMPLE):
        text = path.read_text(encoding="utf-8")
        _, raw, body = text.split("---", 2)
        meta = yaml.safe_load(raw)
        titles.append(str(meta["title"]))
        tags.extend(str(t) for t in meta.get("tags") or [])
        for line in body.splitlines():
            line = line.strip()
            if line.startswith("#"):
                headings.append(line.lstrip("# "))
            elif len(line) > 30 and not line.startswith("|"):
                sentences.append(re.sub(r"^\d+\.\s*|^[-*]\s*", "", line))
    return sentences, headings, titles, sorted(set(tags))


def generate(out: Path, count: int, seed: int = 2568) -> int:
    """Write `count` assets under `out` (replaced); return the bytes of text written."""
    from pythainlp.corpus import thai_words

    rng = random.Random(seed)
    vocab = load_vocabulary(DATA_DIR / "vocabulary.yaml")
    sentences, headings, titles, tags = _corpus()
    words = sorted(w for w in thai_words() if 2 <= len(w) <= 12)
    channels, departments = vocab.channels.keys, vocab.departments.keys
    stages, types = vocab.km_stages.keys, vocab.asset_types.keys
    if out.exists():
        shutil.rmtree(out)
    total = 0
    start = date(2022, 10, 1)
    for i in range(count):
        dept = departments[i % len(departments)]
        published = start + timedelta(days=rng.randrange(4 * 365))
        title = f"{rng.choice(titles)} {' '.join(rng.sample(words, 2))} ฉบับที่ {i + 1}"
        meta = {
            "title": title, "department": dept, "km_stage": rng.choice(stages), "asset_type": rng.choice(types),
            "knowledge_type": rng.choice(["explicit", "explicit", "tacit"]),
            "tags": rng.sample(tags, 3) + [rng.choice(words)],
            "owner": f"นาย{rng.choice(words)} {rng.choice(words)}", "summary": rng.choice(sentences)[:160],
            "published": published.isoformat(),
            "dissemination": [{"channel": rng.choice(channels),
                               "date": (published + timedelta(days=rng.randrange(1, 90))).isoformat(),
                               "ref": f"ที่ ชม ๕๓๑๐๑/ว {rng.randrange(1, 999)}"} for _ in range(rng.randrange(1, 4))],
        }
        body = _body(rng, sentences, headings, words, target=rng.randrange(1000, 5000))
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body
        path = out / dept / f"bench-{i + 1:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    return total


def _body(rng: random.Random, sentences, headings, words, target: int) -> str:
    parts, size = [], 0
    while size < target:
        block = [f"## {rng.choice(headings)}", ""]
        for n in range(1, rng.randrange(3, 7)):
            sentence = rng.choice(sentences)
            if rng.random() < 0.3:
                sentence += " " + "".join(rng.sample(words, 3))
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
