"""Postings spilled to run files in chunks come back sorted and whole, and an index built
with spills holds exactly the postings of one built without."""

import random

from conftest import make_settings, write_asset
from whoosh.filedb.filestore import FileStorage

from indexer import KnowledgeBase, SearchRequest
from indexer.index import build as build_module
from indexer.index import parallel as parallel_module
from indexer.index import runs


def postings(kb) -> dict:
    """Every term of every field with the (document, value) pairs of its postings."""
    reader = kb.store.open().reader()
    try:
        found = {}
        for field, text in reader.all_terms():
            matcher = reader.postings(field, text)
            pairs = []
            while matcher.is_active():
                pairs.append((matcher.id(), matcher.value()))
                matcher.next()
            found[(field, text)] = pairs
        return found
    finally:
        reader.close()


def test_runs_are_merged_back_in_order_across_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(runs, "RUN_CHUNK", 100)
    written = []
    original = runs.ChunkedPostingPool._write_run

    def counting(self, f, items):
        written.append(1)
        return original(self, f, items)
    monkeypatch.setattr(runs.ChunkedPostingPool, "_write_run", counting)
    rng = random.Random(5)
    items = [(rng.choice(["body", "title"]), f"คำ{rng.randrange(3000)}".encode(), rng.randrange(500), 1.0,
              bytes(rng.randrange(256) for _ in range(rng.randrange(4)))) for _ in range(20_000)]
    storage = FileStorage(str(tmp_path)).create()
    pool = runs.ChunkedPostingPool(storage, None, limitmb=0.5)  # spills every ~2,500 postings
    for item in items:
        pool.add(item)
    merged = list(pool.items())
    assert len(written) >= 6  # several runs, each of many chunks
    assert merged == sorted(items)
    assert not list(tmp_path.glob("*.run"))  # every run file removed once read


def test_an_index_built_with_spills_holds_the_same_postings(tmp_path, knowledge_dir, monkeypatch):
    rng = random.Random(3)
    words = ["ลาป่วย", "ใบรับรองแพทย์", "เบิกค่ารักษา", "พนักงาน", "เทศบาล", "ยื่น", "หัวหน้า", "ภายใน", "วัน", "คู่มือ"]
    for i in range(70):
        body = "\n\n".join(" ".join(rng.choice(words) for _ in range(12)) for _ in range(6))
        write_asset(knowledge_dir, f"bulk/item-{i}.md", title=f"เรื่องที่ {i} {rng.choice(words)}", body=body)

    def built(name, workers, postings_mb):
        monkeypatch.setattr(build_module, "POSTINGS_MB", postings_mb)
        monkeypatch.setattr(parallel_module, "POSTINGS_MB", postings_mb)  # forked workers inherit it
        kb = KnowledgeBase(make_settings(tmp_path / name, knowledge_dir).with_overrides(build_workers=workers))
        assert kb.build().indexed == 73
        return kb

    spilled = []
    original = runs.ChunkedPostingPool.save

    def counting(self):
        spilled.append(len(self.current))
        return original(self)
    monkeypatch.setattr(runs.ChunkedPostingPool, "save", counting)
    for workers in (1, 2):
        whole, split = built(f"whole{workers}", workers, 256), built(f"split{workers}", workers, 0.05)
        assert postings(split) == postings(whole)
        request = SearchRequest(q="ใบรับรองแพทย์ ลาป่วย", per_page=50)
        assert [(h.slug, round(h.score, 6)) for h in split.search(request).hits] == \
            [(h.slug, round(h.score, 6)) for h in whole.search(request).hits]
    assert len([n for n in spilled if n]) >= 4  # the serial build with the small budget spilled runs
