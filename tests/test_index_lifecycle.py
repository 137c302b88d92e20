"""Full builds swap in atomically, updates touch only what changed, bad files never stop the rest."""

import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import make_settings, write_asset

from indexer import KnowledgeBase, SearchRequest
from indexer.cli import main as cli_main
from indexer.content.loader import load_folder
from indexer.content.sources import iter_asset_files, relative_path
from indexer.index.state import listing_key


def slugs(kb, q="", **kw):
    return [h.slug for h in kb.search(SearchRequest(q=q, per_page=50, **kw)).hits]


def test_build_indexes_every_valid_file_and_records_the_bad_one(tmp_path, knowledge_dir):
    (knowledge_dir / "palad" / "broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    kb = KnowledgeBase(make_settings(tmp_path, knowledge_dir))
    report = kb.build()
    assert (report.indexed, report.skipped) == (3, 1)
    assert sorted(slugs(kb)) == ["complaint", "procurement-checklist", "sick-leave"]
    assert [p.path for p in kb.problems()] == ["palad/broken.md"]


def test_rebuild_swaps_the_current_link_and_keeps_one_spare(kb):
    first = kb.store.current_path()
    kb.build()
    second = kb.store.current_path()
    kb.build()
    third = kb.store.current_path()
    assert len({first, second, third}) == 3
    remaining = sorted(p.name for p in (kb.settings.index_dir / "builds").iterdir())
    assert remaining == sorted([second.name, third.name])
    assert os.path.islink(kb.settings.index_dir / "current")


def test_a_searcher_opened_before_a_rebuild_keeps_working(kb):
    before = kb.search(SearchRequest(q="ลาป่วย"))
    kb.build()
    after = kb.search(SearchRequest(q="ลาป่วย"))
    assert before.hits[0].slug == after.hits[0].slug == "sick-leave"


def test_update_adds_changes_and_removes_only_what_changed(kb, knowledge_dir):
    write_asset(knowledge_dir, "education/lunch.md", title="อาหารกลางวันเด็กเล็ก", department="education",
                km_stage="access", body="เมนูอาหารกลางวันของศูนย์พัฒนาเด็กเล็ก\n")
    (knowledge_dir / "finance" / "procurement-checklist.md").unlink()
    path = knowledge_dir / "palad" / "complaint.md"
    path.write_text(path.read_text(encoding="utf-8").replace("การร้องทุกข์", "การร้องเรียนและร้องทุกข์"), encoding="utf-8")
    report = kb.update()
    assert (report.indexed, report.removed, report.skipped) == (2, 1, 0)
    assert sorted(slugs(kb)) == ["complaint", "lunch", "sick-leave"]
    assert kb.search(SearchRequest(q="ร้องเรียน")).hits[0].slug == "complaint"
    assert kb.update().indexed == 0  # nothing changed since


def test_update_that_breaks_a_file_removes_it_and_reports_why(kb, knowledge_dir):
    path = knowledge_dir / "palad" / "sick-leave.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("km_stage: codification", "km_stage: oops"), encoding="utf-8")
    report = kb.update()
    assert report.skipped == 1
    assert "sick-leave" not in slugs(kb)
    assert [(p.path, p.field) for p in kb.problems()] == [("palad/sick-leave.md", "km_stage")]


def test_duplicate_slug_added_later_is_refused(kb, knowledge_dir):
    write_asset(knowledge_dir, "finance/sick-leave.md", title="ซ้ำ", department="finance")
    kb.update()
    assert slugs(kb).count("sick-leave") == 1
    assert [p.field for p in kb.problems()] == ["slug"]


def titled(kb, slug):
    return [h.title for h in kb.search(SearchRequest(q="", per_page=50)).hits if h.slug == slug]


def test_updates_give_a_slug_to_the_same_file_a_full_build_and_the_reports_do(kb, knowledge_dir, tmp_path):
    """The index kept a slug with the file that had it first while the loader and the reports' catalogue
    gave it to the file listed first: search showed one file and the auditor's count another; and a
    file refused for a slug stayed out of search after the other file was deleted, until a full build."""
    write_asset(knowledge_dir, "finance/sick-leave.md", title="สำเนาในกองคลัง", department="finance")
    kb.update()
    listed = load_folder(knowledge_dir, kb.vocab)
    assert [a.title for a in listed.assets if a.slug == "sick-leave"] == titled(kb, "sick-leave") == ["สำเนาในกองคลัง"]
    assert [(p.path, p.field) for p in kb.problems()] == [(p.path, p.field) for p in listed.problems] == [
        ("palad/sick-leave.md", "slug")]
    fresh = KnowledgeBase(make_settings(tmp_path / "other", knowledge_dir))
    fresh.build()
    assert titled(fresh, "sick-leave") == ["สำเนาในกองคลัง"]

    (knowledge_dir / "finance" / "sick-leave.md").unlink()  # the copy goes: the original is back at once
    kb.update()
    assert titled(kb, "sick-leave") == ["การลาป่วยของพนักงานเทศบาล"] and kb.problems() == []

    write_asset(knowledge_dir, "palad/sub/sick-leave.md", title="ในโฟลเดอร์ย่อย")  # listed after: refused
    write_asset(knowledge_dir, "zz/sick-leave.md", title="ท้ายสุด")
    kb.update()
    assert titled(kb, "sick-leave") == ["การลาป่วยของพนักงานเทศบาล"]
    assert sorted(p.path for p in kb.problems()) == ["palad/sub/sick-leave.md", "zz/sick-leave.md"]
    (knowledge_dir / "palad" / "sick-leave.md").unlink()  # the next in line takes it, the last still waits
    kb.update()
    assert titled(kb, "sick-leave") == ["ในโฟลเดอร์ย่อย"]
    assert [p.message for p in kb.problems()] == ['slug "sick-leave" ซ้ำกับไฟล์ palad/sub/sick-leave.md: '
                                                  "ชื่อไฟล์ต้องไม่ซ้ำกันทั้งคลัง"]


def test_the_listing_key_orders_paths_as_the_folder_is_listed(tmp_path):
    for rel in ("b.md", "a/z.md", "a/b/c.md", "a/a.md", "a_b.md", "a-b/x.md", "A/y.md", "ก/ข.md"):
        write_asset(tmp_path, rel)
    listed = [relative_path(p, tmp_path) for p in iter_asset_files(tmp_path)]
    assert listed == sorted(listed, key=listing_key)
    assert listed.index("a/z.md") < listed.index("a/b/c.md")  # a folder's own files come before its subfolders


def test_missing_or_corrupt_index_is_rebuilt(kb, caplog):
    current = kb.store.current_path()
    for name in os.listdir(current):
        if name.endswith(".seg") or name.startswith("_MAIN"):
            (current / name).write_bytes(b"garbage")
    assert not kb.store.is_compatible()
    assert kb.ensure_index() is not None
    assert "sick-leave" in slugs(kb)
    shutil.rmtree(kb.settings.index_dir)
    fresh = KnowledgeBase(kb.settings)
    assert fresh.ensure_index().indexed == 3
    assert any("rebuilding" in r.message for r in caplog.records)


def test_changed_glossary_forces_a_rebuild(kb, tmp_path):
    glossary = tmp_path / "glossary.yaml"
    glossary.write_text("words: [ใบรับรองแพทย์]\nsynonyms: []\n", encoding="utf-8")
    other = KnowledgeBase(kb.settings.with_overrides(glossary_file=glossary))
    assert not other.store.is_compatible()
    assert other.ensure_index() is not None and other.store.is_compatible()


def test_parallel_build_gives_the_same_documents(tmp_path, knowledge_dir):
    for i in range(70):
        write_asset(knowledge_dir, f"bulk/item-{i}.md", title=f"เรื่องที่ {i} การลาพักผ่อน", body="ลาพักผ่อนประจำปี\n")
    serial = KnowledgeBase(make_settings(tmp_path / "a", knowledge_dir))
    parallel = KnowledgeBase(make_settings(tmp_path / "b", knowledge_dir).with_overrides(build_workers=2))
    assert serial.build().indexed == parallel.build().indexed == 73
    assert len(parallel.store.open()._segments()) == 2  # one segment per worker

    def found(kb):  # 70 identical documents tie; which of them come first depends on segment order
        pages = [kb.search(SearchRequest(q="ลาพักผ่อนประจำปี", per_page=50, page=n)) for n in (1, 2)]
        hits = [h for page in pages for h in page.hits]
        return pages[0].total, round(hits[0].score, 3), sorted(h.slug for h in hits)
    assert found(serial) == found(parallel)


def test_cli_build_check_update_and_search(tmp_path, knowledge_dir, capsys):
    args = ["--knowledge", str(knowledge_dir), "--index", str(tmp_path / "ix")]
    assert cli_main(args + ["build", "--quiet"]) == 0
    assert "จัดทำดัชนี 3 เรื่อง" in capsys.readouterr().out
    assert cli_main(args + ["search", "๙๕๑/๒๕๖๗"]) == 0
    out = capsys.readouterr().out
    assert " 1. " in out and "complaint" in out.splitlines()[1]
    assert cli_main(args + ["check"]) == 0
    (knowledge_dir / "bad.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    assert cli_main(args + ["check"]) == 1
    out = capsys.readouterr().out
    assert "ข้อผิดพลาด: bad.md:1: department: กรุณาระบุหน่วยงาน" in out
    assert "ขุมความรู้ที่ถูกต้อง 3 เรื่อง · ข้อผิดพลาด 2 · คำเตือน 0" in out
    assert cli_main(args + ["update"]) == 0
    assert "จัดทำดัชนีใหม่ 0 เรื่อง · นำออก 0 · ข้าม 1 ไฟล์" in capsys.readouterr().out


def test_cli_reads_km_environment_variables(tmp_path, knowledge_dir, monkeypatch, capsys):
    monkeypatch.setenv("KM_KNOWLEDGE_DIR", str(knowledge_dir))
    monkeypatch.setenv("KM_INDEX_DIR", str(tmp_path / "env-index"))
    assert cli_main(["build", "--quiet"]) == 0
    assert (tmp_path / "env-index" / "current").is_symlink()


def test_cli_bad_setting_names_the_variable(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("KM_KNOWLEDGE_DIR", str(tmp_path / "missing"))
    assert cli_main(["check"]) == 2
    expected = f"ข้อผิดพลาด: KM_KNOWLEDGE_DIR: expected an existing folder, got '{tmp_path / 'missing'}'"
    assert expected in capsys.readouterr().err


def test_cli_prints_the_product_version_the_backups_and_health_check_carry(capsys):
    """An IT officer checking an upgrade had no --version (outside review, operations)."""
    import tomllib
    from pathlib import Path

    from indexer import __version__

    with pytest.raises(SystemExit) as stopped:
        cli_main(["--version"])
    assert stopped.value.code == 0 and capsys.readouterr().out.strip() == f"ขุมความรู้ {__version__}"
    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "indexer.__version__"}


def test_cli_search_says_what_its_options_take_and_lists_without_scores(tmp_path, knowledge_dir, capsys):
    """--limit -1 was taken, the options had no help, and an empty query printed ten scores of 0.00
    (outside review, operations)."""
    args = ["--knowledge", str(knowledge_dir), "--index", str(tmp_path / "ix")]
    with pytest.raises(SystemExit) as refused:
        cli_main(args + ["search", "ลา", "--limit", "-1"])
    assert refused.value.code == 2 and "ต้องเป็นจำนวนเต็ม 1 ถึง 50 แต่พบ '-1'" in capsys.readouterr().err
    assert cli_main(args + ["search", "", "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert "พบ 3 เรื่อง" in out and "(ล่าสุดก่อน)" in out and "0.00" not in out and " 2. " in out


def test_cli_bad_filter_is_reported(tmp_path, knowledge_dir, capsys):
    args = ["--knowledge", str(knowledge_dir), "--index", str(tmp_path / "ix")]
    assert cli_main(args + ["search", "ลา", "--fy", "25x8"]) == 2
    assert "fy: ปีงบประมาณต้องเป็นเลขสี่หลัก" in capsys.readouterr().err


def test_facets_stay_aligned_after_updates_add_segments(kb, knowledge_dir):
    # Each update adds a segment (and deletes the replaced document): facet values must
    # still belong to the right document numbers.
    for n in range(4):
        write_asset(knowledge_dir, f"education/extra-{n}.md", title=f"ตารางเรียนภาคฤดูร้อน {n}",
                    department="education", km_stage="access", tags=[f"ภาคฤดูร้อน{n}"], body="ตารางเรียน\n")
        kb.update()
        path = knowledge_dir / "palad" / "sick-leave.md"
        path.write_text(path.read_text(encoding="utf-8") + f"\nแก้ไขครั้งที่ {n}\n", encoding="utf-8")
        kb.update()
    response = kb.search(SearchRequest(q="ตารางเรียน"))
    assert dict(response.facets["department"]) == {"education": 4}
    assert response.total == 4
    everything = kb.search(SearchRequest(per_page=50))
    assert dict(everything.facets["department"]) == {"palad": 2, "finance": 1, "education": 4}


def test_a_segment_whose_documents_have_no_tags_still_counts_facets(kb, knowledge_dir):
    # The update writes a one-document segment with no tag at all: Whoosh then writes
    # no tag column for it.
    write_asset(knowledge_dir, "education/untagged.md", title="ตารางสอนภาคฤดูร้อน", department="education",
                km_stage="access", body="ตารางสอน\n")
    kb.update()
    response = kb.search(SearchRequest(q="ตารางสอน"))
    assert response.hits[0].slug == "untagged"
    assert dict(response.facets["department"]) == {"education": 1}
    assert response.facets["tags"] == []
    assert dict(kb.search(SearchRequest(per_page=50)).facets["tags"])["ลาป่วย"] == 1


def test_searches_during_updates_never_fail_or_repeat_an_asset(kb, knowledge_dir):
    # Regression: reopening through Whoosh's Searcher.refresh() brought back segments that
    # a merge had removed (their files deleted): searches failed or listed an asset twice.
    import random
    import threading

    errors, stop = [], threading.Event()

    def reader():
        while not stop.is_set():
            try:
                hits = kb.search(SearchRequest(q=random.choice(["ลาป่วย", "จัดซื้อ", "ความเป็นธรรม"]), per_page=50)).hits
                slugs = [h.slug for h in hits]
                assert len(slugs) == len(set(slugs)), slugs
            except Exception as exc:  # collected and reported below
                errors.append(repr(exc))

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        for n in range(25):
            path = knowledge_dir / random.choice(["palad/sick-leave.md", "palad/complaint.md"])
            path.write_text(path.read_text(encoding="utf-8") + f"\nบันทึกครั้งที่ {n}\n", encoding="utf-8")
            kb.update(only=[path])
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert errors == []


def test_lexicon_is_extended_after_a_small_update(kb, knowledge_dir, monkeypatch):
    from indexer.search import lexicon as lexicon_module

    engine = kb.engine
    before = engine.lexicon(engine.searcher())
    write_asset(knowledge_dir, "palad/probation.md", title="การทดลองปฏิบัติหน้าที่ราชการ",
                body="ผู้บังคับบัญชาประเมินการทดลองปฏิบัติหน้าที่ราชการ\n")
    full_builds = []
    monkeypatch.setattr(lexicon_module, "_words_of", lambda readers, real=lexicon_module._words_of:
                        full_builds.append(len(readers)) or real(readers))
    kb.update()
    after = engine.lexicon(engine.searcher())
    assert full_builds == [1]  # only the new one-document segment was read
    assert "การทดลอง" in after and "การทดลอง" not in before
    assert set(before.words) <= set(after.words)
    assert kb.search(SearchRequest(q="ทดลอง")).hits[0].slug == "probation"  # via the extended lexicon


def test_the_fast_scan_sees_the_same_files_and_signatures(kb, knowledge_dir):
    from indexer.content.loader import iter_asset_files, relative_path, scan_asset_files
    from indexer.index.documents import file_signature
    from indexer.index.update import _signature

    (knowledge_dir / "palad" / "sick-leave.files").mkdir()
    (knowledge_dir / "palad" / "sick-leave.files" / "form.pdf").write_bytes(b"%PDF-1.4 test")
    write_asset(knowledge_dir, "_drafts/hidden.md")
    scanned = scan_asset_files(knowledge_dir)
    expected = {relative_path(p, knowledge_dir): p for p in iter_asset_files(knowledge_dir)}
    assert set(scanned) == set(expected) == {"palad/sick-leave.md", "palad/complaint.md",
                                             "finance/procurement-checklist.md"}
    for rel, (path, mtime, size, has_files) in scanned.items():
        assert _signature(path, mtime, size, has_files) == file_signature(expected[rel])
    assert scanned["palad/sick-leave.md"][3] is True


def test_the_live_state_is_parsed_once_per_build_for_looking_and_afresh_for_writing(kb, knowledge_dir):
    from indexer.index import state as state_module

    live = kb.store.current_path()
    peeked = state_module.peek_state(live)
    assert state_module.peek_state(live) is peeked  # the watcher's look every few seconds
    assert state_module.read_state(live) is not peeked  # an update changes its own copy
    write_asset(knowledge_dir, "palad/new.md", title="การลากิจ", body="ลากิจ\n")
    kb.update()
    newer = state_module.peek_state(kb.store.current_path())
    assert newer is not peeked and "palad/new.md" in newer.files and "palad/new.md" not in peeked.files


def _words_files(build):
    return sorted(p.name for p in build.iterdir() if p.name.endswith(".kmwords"))


def test_builds_keep_each_segment_s_words_beside_it_and_a_new_process_reads_them(kb, knowledge_dir, monkeypatch):
    """A starting worker reads the lexicon's words from the files the build wrote (a few ms)
    instead of walking Whoosh's term tables (1.3 s at 10,000 assets); the words are the same."""
    from indexer.index import words as words_module
    from indexer.index.leaves import leaf_readers
    from indexer.index.state import read_state
    from indexer.search.lexicon import FIELDS

    build = kb.store.current_path()
    files = _words_files(build)
    assert len(files) >= 1 and set(files) <= set(read_state(build).inventory)  # damage checks cover them
    with kb.engine.searcher() as searcher:
        reader = searcher.reader()
        from_terms = set().union(*(words_module._from_terms(leaf, FIELDS) for leaf, _ in leaf_readers(reader)))
    read_terms = []
    monkeypatch.setattr(words_module, "_from_terms", lambda *a: read_terms.append(a) or set())
    fresh = KnowledgeBase(kb.settings)  # a new worker
    lexicon = fresh.engine.lexicon(fresh.engine.searcher())
    assert read_terms == [] and set(lexicon.words) == from_terms and "ลาป่วย" in lexicon

    monkeypatch.undo()
    write_asset(knowledge_dir, "palad/probation.md", title="การทดลองปฏิบัติหน้าที่ราชการ",
                body="ผู้บังคับบัญชาประเมินการทดลองปฏิบัติหน้าที่ราชการ\n")
    kb.update()
    child = kb.store.current_path()
    assert set(files) < set(_words_files(child))  # the old segments' files linked, the new one's written
    later = KnowledgeBase(kb.settings)
    assert "การทดลอง" in later.engine.lexicon(later.engine.searcher())


def test_a_damaged_or_missing_words_file_is_read_again_from_the_index(kb, caplog):
    from indexer.index import words as words_module

    build = kb.store.current_path()
    name = _words_files(build)[0]
    text = (build / name).read_text(encoding="utf-8")
    header, _, body = text.partition("\n")
    (build / name).write_text(header + "\n" + "\n".join(body.split("\n")[:-5]), encoding="utf-8")  # words lost
    fresh = KnowledgeBase(kb.settings)
    assert "ลาป่วย" in fresh.engine.lexicon(fresh.engine.searcher()) and "read from the index" in caplog.text
    assert (build / name).read_text(encoding="utf-8") == text  # written again, whole
    (build / name).unlink()
    fresh = KnowledgeBase(kb.settings)
    assert "ลาป่วย" in fresh.engine.lexicon(fresh.engine.searcher())
    assert (build / name).read_text(encoding="utf-8") == text
    (build / name).write_text("kmwords 1 title 1\nลาป่วย", encoding="utf-8")  # other fields: not this lexicon's
    assert words_module._read(build / name, ("title", "headings", "tags_text", "body")) is None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can write another's index")
def test_root_is_told_to_run_index_writes_as_the_sites_user(tmp_path, knowledge_dir, capsys):
    """A root-run build left builds the site's user could not write: saves and hand edits then never
    reached search, with no sign but the log (outside review, operations)."""
    index = tmp_path / "ix"
    index.mkdir()
    os.chown(index, 65534, 65534)  # nobody, as the site's own user
    args = ["--knowledge", str(knowledge_dir), "--index", str(index)]
    for command in ("build", "update"):
        assert cli_main(args + [command]) == 2
        assert "belongs to the user nobody" in capsys.readouterr().err
    assert list(index.iterdir()) == []
    assert cli_main(args + ["check"]) == 0  # reading is fine


def test_update_builds_anew_an_index_made_by_another_version(tmp_path, knowledge_dir, monkeypatch, capsys):
    """Run after new code arrived, `update` said "re-indexed 0" and left the old format in place."""
    args = ["--knowledge", str(knowledge_dir), "--index", str(tmp_path / "ix")]
    assert cli_main(args + ["build", "--quiet"]) == 0
    glossary = tmp_path / "glossary.yaml"
    glossary.write_text("words: [ใบรับรองแพทย์]\nsynonyms: []\n", encoding="utf-8")
    monkeypatch.setenv("KM_GLOSSARY_FILE", str(glossary))  # another fingerprint, as a new schema gives
    capsys.readouterr()
    assert cli_main(args + ["update"]) == 0
    out = capsys.readouterr().out
    assert "สร้างใหม่ทั้งหมด" in out and "จัดทำดัชนี 3 เรื่อง" in out
    assert "สร้างใหม่ทั้งหมด" not in (cli_main(args + ["update"]), capsys.readouterr().out)[1]


def test_a_new_municipality_starts_with_an_empty_knowledge_folder(tmp_path):
    """Every page that reads the index was a 500 (and /healthz too) until the first asset existed: an
    index without a document has no segment, and its id was asked for (outside review, onboarding)."""
    from conftest import app_config

    from app import create_app

    empty = tmp_path / "knowledge"
    empty.mkdir()
    application = create_app(app_config(tmp_path, empty))
    try:
        client = application.test_client()
        for url in ("/", "/browse/", "/browse/all", "/search?q=ลาป่วย", "/api/search?q=ลาป่วย", "/api/suggest?q=ลา",
                    "/status", "/healthz", "/feeds/all.atom", "/reports/"):
            assert client.get(url).status_code == 200, url
        assert client.get("/api/search?q=ลาป่วย").get_json()["total"] == 0
        assert "ยังไม่มีขุมความรู้ในคลัง" in client.get("/").get_data(as_text=True)
    finally:
        application.extensions["km"].stop()


def test_the_home_page_offers_the_municipalitys_own_searches_or_its_most_used_tags(app, client, tmp_path,
                                                                                   knowledge_dir):
    """The searches under the home page's search box were the sample town's HR topics, fixed in the
    template: at another municipality they all found nothing (outside review, onboarding)."""
    from conftest import app_config

    from app import create_app
    from indexer.settings import DATA_DIR

    def offered(application) -> list[str]:
        page = application.test_client().get("/").get_data(as_text=True)
        quick = page.split('class="quick"', 1)[1].split("</p>", 1)[0] if 'class="quick"' in page else ""
        return re.findall(r'q=[^"]*">([^<]+)</a>', quick)

    assert offered(app) == ["ลาป่วย", "ลาพักผ่อน", "เลื่อนขั้นเงินเดือน", "ค่ารักษาพยาบาล", "ค่าเล่าเรียนบุตร", "เกษียณอายุ"]
    own = tmp_path / "vocabulary.yaml"
    own.write_text(re.sub(r"(?m)^frequent_searches:.*\n", "", (DATA_DIR / "vocabulary.yaml").read_text(
        encoding="utf-8")), encoding="utf-8")
    for folder, expected in ((knowledge_dir, ["การลา", "ลาป่วย"]), (tmp_path / "empty", [])):
        folder.mkdir(exist_ok=True)
        application = create_app(app_config(tmp_path / folder.name, folder, KM_VOCABULARY_FILE=str(own)))
        try:
            assert offered(application) == expected  # its own tags, most used first; none on an empty site
        finally:
            application.extensions["km"].stop()


def test_a_department_added_to_the_vocabulary_is_taken_up_at_the_next_start(tmp_path, knowledge_dir):
    """A file refused for an unknown department stayed refused after the department was added and the site
    restarted: the index was not made again, so the stored refusal named the old list (outside review,
    onboarding)."""
    from indexer.settings import DATA_DIR

    write_asset(knowledge_dir, "waterworks/pipe-repair.md", title="การซ่อมท่อประปา", department="กองการประปา")
    own = tmp_path / "vocabulary.yaml"
    own.write_bytes((DATA_DIR / "vocabulary.yaml").read_bytes())
    settings = make_settings(tmp_path, knowledge_dir).with_overrides(vocabulary_file=own)
    first = KnowledgeBase(settings)
    first.ensure_index()
    assert first.asset("pipe-repair") is None
    assert any("กองการประปา" in str(p) for p in first.problems())
    first.close()
    own.write_text(own.read_text(encoding="utf-8").replace(
        "departments:\n", "departments:\n  - {key: waterworks, label: กองการประปา}\n", 1), encoding="utf-8")
    again = KnowledgeBase(settings)
    try:
        assert again.store.diagnose() and "vocabulary" in again.store.diagnose()
        again.ensure_index()
        assert again.asset("pipe-repair").department == "waterworks"
        assert not any("กองการประปา" in str(p) for p in again.problems())
    finally:
        again.close()


def test_a_build_of_an_older_version_is_named_as_such_not_as_swapped_too_often(tmp_path, knowledge_dir):
    """An index made by a version before build leases was rebuilt with the reason "swapped too many times in
    a row", which reads as a concurrency fault on the first start after an upgrade (upgrade review U7)."""
    kb = KnowledgeBase(make_settings(tmp_path, knowledge_dir))
    kb.build()
    kb.close()
    live = kb.store.layout.live_path()
    (live / "readers.lock").unlink()
    again = KnowledgeBase(make_settings(tmp_path, knowledge_dir))
    try:
        reason = again.store.diagnose()
        assert "สร้างด้วยรุ่นก่อน (ไม่มีไฟล์ readers.lock)" in reason and "สลับรุ่น" not in reason, reason
        again.ensure_index()
        assert again.store.diagnose() is None and again.asset("sick-leave") is not None
    finally:
        again.close()


def test_the_command_line_s_own_errors_are_thai_and_a_closed_pipe_is_no_error(knowledge_dir, tmp_path, capsys):
    """argparse said "error: unrecognized arguments" and `indicators | head` ended in a BrokenPipeError
    traceback (verification review L3)."""
    import subprocess
    import sys

    with pytest.raises(SystemExit):
        cli_main(["build", "--bogus"])
    assert capsys.readouterr().err.endswith("ข้อผิดพลาด: ไม่รู้จัก: --bogus\n")
    with pytest.raises(SystemExit):
        cli_main(["bogus"])
    assert "ข้อผิดพลาด: ไม่มีคำสั่ง 'bogus' (เลือกจาก 'build'," in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli_main(["--help"])
    assert capsys.readouterr().out.startswith("วิธีใช้: python -m indexer")
    reader_gone = subprocess.Popen(
        [sys.executable, "-m", "indexer", "--knowledge", str(knowledge_dir), "--index", str(tmp_path / "ix"),
         "search", "", "--limit", "50"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parent.parent, env={**os.environ, "KM_SEMANTIC": "0"})
    reader_gone.stdout.close()  # as `| head` does once it has its lines
    with reader_gone.stderr as said:
        assert reader_gone.wait(120) == 0 and b"Traceback" not in said.read()
