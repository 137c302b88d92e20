"""Updates are copy-on-write: a build that a searcher reads is never changed, and never
deleted while any searcher (in any process) still reads it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import REPO, write_asset

from indexer import KnowledgeBase, SearchRequest


def files_of(build: Path) -> dict[str, tuple[int, int, int]]:
    """Every file of a build folder with (inode, size, mtime_ns)."""
    return {p.name: (p.stat().st_ino, p.stat().st_size, p.stat().st_mtime_ns) for p in build.iterdir() if p.is_file()}


def edit(path: Path, n: int) -> Path:
    path.write_text(path.read_text(encoding="utf-8") + f"\nบันทึกครั้งที่ {n}\n", encoding="utf-8")
    return path


def every_stored_slug(searcher) -> list[str]:
    return sorted(fields["slug"] for fields in searcher.all_stored_fields())


def test_an_update_never_changes_or_deletes_a_file_of_the_build_being_read(kb, knowledge_dir):
    build = kb.store.current_path()
    before = files_of(build)
    searcher = kb.engine.searcher()
    for n in range(6):  # enough commits for Whoosh to merge segments and clean up files
        kb.update(only=[edit(knowledge_dir / "palad" / "sick-leave.md", n)])
        write_asset(knowledge_dir, f"education/extra-{n}.md", title=f"ตารางเรียน {n}", department="education",
                    km_stage="access", body="ตารางเรียนภาคฤดูร้อน\n")
        kb.update()
    assert files_of(build) == before  # the build being read is exactly as it was
    assert kb.store.current_path() != build  # each update swapped in a new one
    assert every_stored_slug(searcher) == ["complaint", "procurement-checklist", "sick-leave"]
    assert len(kb.search(SearchRequest(q="ตารางเรียน", per_page=50)).hits) == 6


def test_an_update_shares_the_unchanged_segment_files_instead_of_copying_them(kb, knowledge_dir):
    old = kb.store.current_path()
    kb.update(only=[edit(knowledge_dir / "palad" / "complaint.md", 1)])
    new = kb.store.current_path()
    shared = {name for name, (inode, _, _) in files_of(new).items()
              if name in files_of(old) and files_of(old)[name][0] == inode}
    assert any(name.endswith(".pst") for name in shared), sorted(files_of(new))
    assert "state.json" not in shared


def test_a_build_read_by_a_searcher_is_kept_until_the_searcher_moves_on(kb, knowledge_dir):
    first = kb.store.current_path()
    kb.search(SearchRequest(q="ลาป่วย"))  # this thread's searcher now reads `first`
    for n in range(4):
        kb.update(only=[edit(knowledge_dir / "palad" / "complaint.md", n)])
    assert first.is_dir()  # four newer builds, but a searcher still holds this one
    builds = kb.settings.index_dir / "builds"
    kb.search(SearchRequest(q="ลาป่วย"))  # the searcher reopens on the newest build and lets `first` go
    kb.update(only=[edit(knowledge_dir / "palad" / "complaint.md", 9)])
    assert not first.exists()
    assert len(list(builds.iterdir())) == 2  # the live build and one spare


def test_a_build_read_by_another_process_is_not_pruned(kb, knowledge_dir, tmp_path):
    """A gunicorn worker reading an old build keeps it, whichever process prunes."""
    script = textwrap.dedent(f"""
        import sys
        from indexer import KnowledgeBase, SearchRequest, Settings
        settings = Settings.from_env({{}}, knowledge_dir={str(knowledge_dir)!r},
                                     index_dir={str(kb.settings.index_dir)!r},
                                     instance_dir={str(tmp_path / "other")!r}, build_workers=1)
        kb = KnowledgeBase(settings)
        print(kb.search(SearchRequest(q="ลาป่วย")).hits[0].slug, flush=True)
        sys.stdin.readline()  # hold the searcher until told to go
        print(kb.search(SearchRequest(q="ลาป่วย")).hits[0].slug, flush=True)
    """)
    reader = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, env={k: v for k, v in os.environ.items() if not k.startswith("KM_")})
    try:
        assert reader.stdout.readline().strip() == "sick-leave"
        held = kb.store.current_path()
        for n in range(4):
            kb.update(only=[edit(knowledge_dir / "palad" / "sick-leave.md", n)])
        assert (held / "state.json").is_file()
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "sick-leave"
    finally:
        reader.stdin.close()
        reader.wait(timeout=60)
        reader.stdout.close()
    assert reader.returncode == 0
    kb.update(only=[edit(knowledge_dir / "palad" / "sick-leave.md", 5)])
    assert not held.exists()


def test_the_lexicon_is_extended_across_copy_on_write_builds(kb, knowledge_dir, monkeypatch):
    from indexer.search import lexicon as lexicon_module

    engine = kb.engine
    engine.lexicon(engine.searcher())
    full_builds = []
    monkeypatch.setattr(lexicon_module, "_words_of", lambda readers, real=lexicon_module._words_of:
                        full_builds.append(len(readers)) or real(readers))
    for n in range(3):
        write_asset(knowledge_dir, f"palad/probation-{n}.md", title=f"การทดลองงานรอบที่ {n}",
                    body="ผู้บังคับบัญชาประเมินผลการทดลองงาน\n")
        kb.update()
        engine.lexicon(engine.searcher())
    assert full_builds == [1, 1, 1]  # one new one-document segment read each time, never the whole index
    kb.build()  # a full rebuild shares no segment: the lexicon is built afresh
    engine.lexicon(engine.searcher())
    assert full_builds[-1] >= 1 and len(full_builds) == 4


def test_a_reused_knowledge_base_sees_every_update_of_another_one(kb, knowledge_dir):
    other = KnowledgeBase(kb.settings)
    try:
        assert other.search(SearchRequest(q="ทดลองงาน")).total == 0
        write_asset(knowledge_dir, "palad/probation.md", title="การทดลองงาน", body="การทดลองงานของพนักงานใหม่\n")
        kb.update()
        assert [h.slug for h in other.search(SearchRequest(q="ทดลองงาน")).hits] == ["probation"]
    finally:
        other.close()


def test_what_changed_while_a_full_build_ran_is_in_the_build_it_swaps_in(kb, knowledge_dir):
    """A full build swapped in the files as they were when it started: assets saved or created
    meanwhile left search until the watcher saw them again, and with the watcher off for good
    (outside review, load: 13 saves vanished for 8 s during a two-minute build)."""
    edited, gone = knowledge_dir / "palad" / "sick-leave.md", knowledge_dir / "palad" / "complaint.md"
    calls = []

    def meanwhile(done: int, total: int) -> None:
        if not calls:  # once every file was read, as a colleague saves
            edit(edited, 7)
            write_asset(knowledge_dir, "palad/written-meanwhile.md", title="เรื่องที่เขียนระหว่างสร้างดัชนี")
            gone.unlink()
        calls.append(done)

    kb.build(progress=meanwhile)
    assert calls
    found = {h.slug for h in kb.search(SearchRequest(q="บันทึกครั้งที่ 7")).hits}
    assert "sick-leave" in found
    slugs = {h.slug for h in kb.search(SearchRequest(per_page=50)).hits}
    assert "written-meanwhile" in slugs and "complaint" not in slugs
    assert kb.update().indexed == 0  # nothing left for the watcher


def test_a_save_is_analysed_before_the_write_lock_and_a_newer_version_is_analysed_again(kb, knowledge_dir,
                                                                                          monkeypatch):
    """A 2 MB asset took minutes to analyse under load, holding the write lock: another editor's save
    waited 60 s and gave up, and the watcher with it (outside review, load)."""
    from indexer.index import update as update_module

    path = edit(knowledge_dir / "palad" / "sick-leave.md", 1)
    real = update_module._analysed_now
    seen = []

    def analysed_now(paths, analyse):
        with kb.store.layout.write_lock(timeout=0.5):  # another save takes the lock meanwhile
            seen.append("free")
        results = real(paths, analyse)
        edit(path, 2)  # and the file changes again before this one takes the lock
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
        return results

    monkeypatch.setattr(update_module, "_analysed_now", analysed_now)
    assert kb.update(only=[path]).indexed == 1
    assert seen == ["free"]
    assert {h.slug for h in kb.search(SearchRequest(q="บันทึกครั้งที่ 2")).hits} == {"sick-leave"}


def test_a_file_still_as_it_was_analysed_is_not_analysed_again_under_the_lock(kb, knowledge_dir, monkeypatch):
    from indexer.index.analyser import Analyser

    path = edit(knowledge_dir / "palad" / "sick-leave.md", 3)
    runs = []
    real = Analyser.run

    def run(self, paths, progress):
        runs.append([p.name for p in paths])
        yield from real(self, paths, progress)

    monkeypatch.setattr(Analyser, "run", run)
    assert kb.update(only=[path]).indexed == 1
    assert runs == [["sick-leave.md"]]
    assert {h.slug for h in kb.search(SearchRequest(q="บันทึกครั้งที่ 3")).hits} == {"sick-leave"}
