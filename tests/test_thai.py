"""Thai normalisation and segmentation, identical at index and query time."""

import unicodedata
from pathlib import Path

import pytest

from indexer.thai.clusters import cluster_boundaries, clusters
from indexer.thai.segment import Segmenter
from indexer.thai.text import normalize, normalize_with_offsets


def test_thai_digits_become_arabic_and_latin_is_lowercased():
    assert normalize("คำสั่งที่ ๙๕๑/๒๕๖๗ เรื่อง KM") == "คำสั่งที่ 951/2567 เรื่อง km"


def test_sara_am_survives_because_nfc_not_nfkc_is_used():
    text = "คำสั่ง"
    assert unicodedata.normalize("NFKC", text) != text  # what we must avoid
    assert normalize(text) == "คำสั่ง"


def test_nikhahit_plus_sara_aa_becomes_sara_am():
    assert normalize("ค\u0e4d\u0e32สั่ง") == "คำสั่ง"


def test_zero_width_characters_are_removed():
    assert normalize("ลา\u200bป่วย\ufeff") == "ลาป่วย"


def test_double_sara_e_becomes_sara_ae_and_repeated_tone_marks_collapse():
    assert normalize("เเบบฟอร์ม") == "แบบฟอร์ม"
    assert normalize("ป่่วย") == "ป่วย"


def test_offsets_point_back_at_the_original_characters():
    original = "เเบบ ที่ ๙๕๑"
    norm, offsets = normalize_with_offsets(original)
    assert norm == "แบบ ที่ 951"
    start = norm.index("951")
    assert original[offsets[start]:offsets[start + 2] + 1] == "๙๕๑"
    assert original[offsets[0]:offsets[2] + 1] == "เเบบ"


def test_the_glossary_is_read_by_libyaml_and_reads_the_same_as_by_pure_python():
    """The site reads the glossary and the vocabulary before it answers: libyaml (shipped in
    PyYAML's wheels) reads them ten times faster than the pure-Python loader, to the same data."""
    import yaml

    from indexer import yamlsafe

    assert yaml.__with_libyaml__ and issubclass(yamlsafe.SafeLoader, yaml.CSafeLoader)
    for name in ("glossary.yaml", "vocabulary.yaml"):
        text = (Path(__file__).parents[1] / "indexer" / "data" / name).read_text(encoding="utf-8")
        assert yamlsafe.safe_load(text) == yaml.safe_load(text)


def test_glossary_words_stay_whole_and_punctuation_is_dropped():
    segmenter = Segmenter(["ลาป่วย", "ค่าเล่าเรียนบุตร"])
    assert segmenter.words(normalize("ลาป่วยต้องทำอย่างไร?")) == ["ลาป่วย", "ต้อง", "ทำ", "อย่างไร"]
    assert segmenter.words(normalize("เบิกค่าเล่าเรียนบุตร")) == ["เบิก", "ค่าเล่าเรียนบุตร"]


def test_said_that_is_said_that_not_crazy_more_than():
    # newmm ties บอก + ว่า with บอ + กว่า and picked the second; บอ is left out of the dictionary
    segmenter = Segmenter()
    assert segmenter.words("หัวหน้าบอกว่าต้องส่ง") == ["หัวหน้า", "บอก", "ว่า", "ต้อง", "ส่ง"]
    assert segmenter.words("บ้าบอ") == ["บ้าบอ"]


def test_a_particle_leaves_the_word_before_it_whole():
    """นคะ, มละ and ตรละ are Pali or archaic entries of pythainlp's list; newmm took them and cut
    วันไหนคะ as วัน + ไห + นคะ. Both segmenters (the search's and the build's) now keep the word."""
    from indexer.thai.fast import FastSegmenter

    for segmenter in (Segmenter(), FastSegmenter()):
        assert segmenter.words("ธนาคารเลือดเปิดวันไหนคะ") == ["ธนาคารเลือด", "เปิด", "วัน", "ไหน", "คะ"]
        assert segmenter.words("ส่งงานก่อนคะ") == ["ส่ง", "งาน", "ก่อน", "คะ"]
        assert segmenter.words("ได้ไหมละ") == ["ได้", "ไหม", "ละ"]
        assert segmenter.words(normalize("ตารางเมตรละ ๒ บาท")) == ["ตารางเมตร", "ละ", "2", "บาท"]
        assert segmenter.words("สัดส่วนคะแนน") == ["สัดส่วน", "คะแนน"]


def test_numbers_with_slashes_split_into_digit_runs():
    segmenter = Segmenter()
    assert segmenter.words(normalize("ที่ ๙๕๑/๒๕๖๗")) == ["ที่", "951", "2567"]


def test_the_repetition_mark_is_read_as_a_space_however_it_is_written():
    """ง่ายๆ (a reader's) and ง่าย ๆ (an asset's, as the Royal Institute writes it) were two
    words the segmenter kept apart, and only ง่ายๆ was a stop word."""
    segmenter = Segmenter()
    for written in ("ขั้นตอนง่ายๆที่ทำได้", "ขั้นตอนง่าย ๆ ที่ทำได้", "ขั้นตอนง่ายๆ ที่ทำได้", "ขั้นตอนง่าย ๆๆ ที่ทำได้"):
        assert segmenter.words(normalize(written)) == ["ขั้นตอน", "ง่าย", "ที่", "ทำได้"], written
        text, offsets = normalize_with_offsets(written)
        assert text == normalize(written) and len(offsets) == len(written) + 1  # one to one


def test_compound_keeps_one_word_but_its_part_is_a_cluster_subsequence():
    segmenter = Segmenter()
    assert segmenter.words("ให้ความเป็นธรรม") == ["ให้ความเป็นธรรม"]  # why words alone fail
    whole, part = clusters("ให้ความเป็นธรรม"), clusters("ความเป็นธรรม")
    assert any(whole[i:i + len(part)] == part for i in range(len(whole)))


def test_cluster_boundaries_never_split_a_cluster():
    text = "ให้ความเป็นธรรม"
    bounds = cluster_boundaries(text)
    assert text.index("ความ") in bounds
    # เป็น is one cluster: no boundary between its vowel, consonant and tone mark
    start = text.index("เป็น")
    assert {start + 1, start + 2, start + 3}.isdisjoint(bounds)
    assert start + 4 in bounds


def test_fast_normalisation_path_gives_the_same_text_as_pythainlp():
    from pathlib import Path

    from indexer.thai.text import needs_thai_fix, normalize_slowly

    samples = [p.read_text(encoding="utf-8") for p in Path(__file__).resolve().parent.parent.glob("knowledge/*/*.md")]
    samples += ["ฤๅษี", "ฦๅ", "นาๅ", "เเม่", "ก ุ", "ดีีี", "น้ำ", "ก้ำ", "คำ", "ป่่วย", "ค\u0e4d\u0e32", "ต่าง ๆ", "ต่างๆ"]
    for text in samples:
        assert normalize(text) == normalize_slowly(text), text[:40]
    assert not needs_thai_fix("ฤๅษี")  # correct text takes the fast path


def test_the_quick_check_for_text_to_fix_finds_what_one_regex_of_all_its_patterns_finds():
    import random
    import re

    from indexer.thai.text import _THAI_FIXES, needs_thai_fix

    one = re.compile("|".join(pattern or re.escape(needle) for needle, pattern in _THAI_FIXES))
    rng = random.Random(3)
    alphabet = "กขฤฦคลาป ะาำๅเแโใไัิีึืํ็ุู่้๊๋์ฺ๎ \n1a"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(20_000)]
    texts += [path.read_text(encoding="utf-8") for path in (Path(__file__).parent.parent / "knowledge").rglob("*.md")]
    found = [needs_thai_fix(text) for text in texts]
    assert found == [one.search(text) is not None for text in texts]
    assert 1_000 < sum(found) < len(texts) - 1_000  # both answers are exercised


def test_the_compact_dictionary_answers_as_pythainlps_trie_does():
    """CompactTrie (a third of the memory) must segment exactly as pythainlp's own Trie."""
    from pathlib import Path

    from pythainlp.corpus import thai_words
    from pythainlp.tokenize import word_tokenize
    from pythainlp.util import Trie

    from indexer.thai.trie import CompactTrie

    words = sorted(thai_words())[::7] + ["ลาป่วย", "ห่มผ้าเหลือง", "KM", "e-Office", " ขุมความรู้ "]
    compact, reference = CompactTrie(words), Trie(words)
    assert len(compact) == len(reference) and sorted(compact) == sorted(reference)
    for probe in ["ลาป่วยได้กี่วัน", "ห่มผ้าเหลือง", "ขุมความรู้", "ขุม", "KM", "", "กขค"]:
        assert compact.prefixes(probe) == reference.prefixes(probe)
        assert compact.prefixes(probe, 2) == reference.prefixes(probe, 2)
        assert (probe in compact) == (probe in reference)
    compact.remove("ลาป่วย")
    reference.remove("ลาป่วย")
    assert "ลาป่วย" not in compact and compact.prefixes("ลาป่วย") == reference.prefixes("ลาป่วย")
    assert len(compact) == len(reference)
    compact.add("ลาป่วย")
    assert "ลาป่วย" in compact and compact.prefixes("ลาป่วยนาน")[-1] == "ลาป่วย"
    texts = [path.read_text(encoding="utf-8") for path in (Path(__file__).parent.parent / "knowledge").rglob("*.md")]
    full, full_reference = CompactTrie(thai_words()), Trie(thai_words())
    for text in texts:
        assert word_tokenize(text, custom_dict=full, engine="newmm") == word_tokenize(
            text, custom_dict=full_reference, engine="newmm")
    assert len(texts) > 40


def test_the_build_s_rust_segmenter_gives_pythainlps_tokens():
    """FastSegmenter (nlpO3 for Thai runs) must give exactly pythainlp's newmm tokens: the
    index is written with it and searched with pythainlp. Checked on every shipped asset and
    KM-plan section, raw and normalised, and on text mixing what nlpO3 cuts otherwise:
    abbreviations with dots, ๆ after a space, Latin glossary words, numbers, brackets."""
    import random

    from indexer.thai import fast as fast_module
    from indexer.thai.fast import FastSegmenter

    assert fast_module.AVAILABLE  # else it only hands everything to pythainlp
    root = Path(__file__).parent
    extra = ["ลาป่วย", "km", "ขุมความรู้", "ขออนุญาติ"]
    fast, reference = FastSegmenter(extra), Segmenter(extra)
    texts = [path.read_text(encoding="utf-8") for folder in (root.parent / "knowledge", root / "relevance")
             for path in sorted(folder.rglob("*.md"))]
    assert len(texts) > 80
    texts += [normalize(text) for text in texts]
    rng = random.Random(3)
    pieces = ["ลาป่วย", " ", "\n", "\r\n", "\t", "พ.ศ.", "(กบท.)", "ต่าง ๆ", "ๆ", "km", "kms", "KM", "e-Office",
              "1,234.50", "๒๕๖๘", "951/2567", "/ว", "ได้กี่วัน", "อสม.)", "ขุมความรู้", "ขออนุญาติ", "_x:", "ก", "."]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(500)]
    # windows cut anywhere, so words are cut too: where nlpO3 treats unknown words and clusters
    # otherwise (เทียร์ is เทียร + ์ to it; เหนี่ยวน is เห + นี่ + ยวน, across a cluster)
    whole = texts[:200]
    texts += [text[i:i + rng.randint(1, 80)]
              for text in whole for i in rng.sample(range(len(text)), min(15, len(text)))]
    texts += ["เทียร์สากษินจำนวนช่องทาง", "ห่อตัวมาการเหนี่ยวน"]
    for text in texts:
        assert fast.segments(text) == reference.segments(text), text[:80]
    assert fast.words_and_ends(texts[0], 500) == reference.words_and_ends(texts[0], 500)
    assert FastSegmenter(extra).dictionary_name == fast.dictionary_name  # loaded once per word set
    assert FastSegmenter(["อื่น"]).dictionary_name != fast.dictionary_name


def test_build_workers_segment_with_the_rust_segmenter():
    from indexer.content.vocabulary import load_vocabulary
    from indexer.index import documents
    from indexer.thai.fast import FastSegmenter

    vocab = load_vocabulary(Path(__file__).parent.parent / "indexer" / "data" / "vocabulary.yaml")
    saved = dict(documents._WORKER)
    try:
        documents.init_worker(str(Path(__file__).parent.parent / "knowledge"), vocab, ("ลาป่วย",))
        assert isinstance(documents._WORKER["segmenter"], FastSegmenter)
        assert documents._WORKER["segmenter"].extra_words == ("ลาป่วย",)
    finally:
        documents._WORKER.clear()
        documents._WORKER.update(saved)


def test_cluster_boundaries_are_those_of_pythainlps_tcc(monkeypatch):
    """cluster_boundaries matches pythainlp's cluster pattern in place instead of calling
    tcc_pos; both must give the same clusters on every shipped asset, whole and in windows."""
    import random

    from pythainlp.tokenize.tcc import tcc_pos

    from indexer.thai import clusters as thai_text

    def reference(text):
        bounds = {0, len(text)}
        for run in thai_text._RUNS.finditer(text):
            bounds.update(run.span())
            if thai_text.is_thai(run.group()):
                bounds.update(run.start() + p for p in tcc_pos(run.group()))
        return bounds

    assert thai_text._TCC_PATTERN is not None  # else the fallback below is all there is
    texts = [normalize(path.read_text(encoding="utf-8"))
             for path in sorted((Path(__file__).parent.parent / "knowledge").rglob("*.md"))]
    rng = random.Random(5)
    windows = [t[i:i + rng.randint(1, 40)] for t in texts for i in rng.sample(range(len(t)), min(len(t), 60))]
    for sample in texts + windows + ["เกาะ", "เเละ", "ก็", "ฯลฯ", "ทุก ๆ", "A1ก่อน"]:
        assert cluster_boundaries(sample) == reference(sample), sample
    monkeypatch.setattr(thai_text, "_TCC_PATTERN", None)
    assert all(cluster_boundaries(sample) == reference(sample) for sample in texts[:5] + windows[:200])


def test_arabic_digits_equals_the_translation_table_on_any_text():
    import random

    from indexer.thai.digits import TO_ARABIC, arabic_digits

    rng = random.Random(7)
    alphabet = "๐๑๒๓๔๕๖๗๘๙0123456789กขคลาป่วย ./-"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert arabic_digits(text) == text.translate(TO_ARABIC)
    assert arabic_digits("ที่ ๙๕๑/๒๕๖๗") == "ที่ 951/2567"


def test_one_segmentation_gives_the_words_and_where_the_tokens_end():
    """The index segments an asset's text once for its words and the token ends it stores for
    snippets: the words are those words() gives, on every shipped asset and on text with runs
    of spaces, line breaks, formatted numbers and Latin words, and the ends are newmm's."""
    import random

    from pythainlp.tokenize import word_tokenize

    segmenter = Segmenter(["ลาป่วย"])
    texts = [normalize(path.read_text(encoding="utf-8"))
             for path in sorted((Path(__file__).parent.parent / "knowledge").rglob("*.md"))]
    rng = random.Random(11)
    pieces = ["ลาป่วย", " ", "  ", "\n", "1,234.50", "951/2567", "e-Office", "KM", "ได้กี่วัน", "ๆ", "\t", "ค่า"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(300)]
    for text in texts:
        limit = rng.randint(0, len(text))
        words, ends = segmenter.words_and_ends(text, limit)
        assert words == segmenter.words(text), text[:60]
        tokens = word_tokenize(text, custom_dict=segmenter.trie, engine="newmm", join_broken_num=False)
        positions = [sum(map(len, tokens[:i + 1])) for i in range(len(tokens))]
        assert ends == [p for i, p in enumerate(positions) if (positions[i - 1] if i else 0) < limit]
        assert (ends[-1] if ends else 0) >= limit  # they reach the limit


def test_stored_token_ends_survive_packing_with_tokens_of_any_length():
    from hypothesis import given
    from hypothesis import strategies as st

    from indexer.thai.ends import pack_ends, unpack_ends

    @given(st.lists(st.integers(min_value=1, max_value=40_000), max_size=60))
    def roundtrip(lengths):
        ends = [sum(lengths[:i + 1]) for i in range(len(lengths))]
        packed = pack_ends(ends)
        assert unpack_ends(packed) == ends
        assert len(packed) == sum(1 if n < 255 else 3 for n in lengths)  # a byte a usual token

    roundtrip()
    assert unpack_ends(pack_ends([3, 70_003, 70_010])) == [3]  # a run with no break ends what is kept


def test_stored_ends_give_a_window_the_boundaries_of_the_whole_texts_segmentation():
    """StoredEnds.window: every token start and end inside the window, compound parts on their
    dictionary split points (ลาป่วย has one after ลา, ศาลา none), both window ends, and None
    for a window the stored ends do not reach."""
    from indexer.thai.ends import StoredEnds

    segmenter = Segmenter(["ลาป่วย"])
    text = normalize("ไปศาลาประชาคมแล้วยื่นใบลาป่วย 3 วัน")
    _, ends = segmenter.words_and_ends(text, len(text))
    stored = StoredEnds(ends, segmenter.part_boundaries)
    whole = stored.window(text, 0, len(text))
    assert whole == frozenset(segmenter.word_bounds(text))  # the whole text: exactly the segmenter's
    sala, leave = text.index("ศาลา"), text.index("ลาป่วย")
    assert sala + 2 not in whole  # ลา is not a word inside ศาลา
    assert leave + 2 in whole     # but it is the first part of ลาป่วย
    low, high = leave - 3, leave + 9
    window = stored.window(text, low, high)
    assert window == frozenset({0, high - low} | {b - low for b in whole if low <= b <= high})
    for low in range(len(text)):  # asked offset by offset, the same boundaries
        for high in (low, low + 7, len(text)):
            lazy, full = stored.holds(text, low, high), stored.window(text, low, high)
            assert [o for o in range(-1, len(text) + 2) if o in lazy] == sorted(full)
    short = StoredEnds(ends[:3], segmenter.part_boundaries)
    assert short.window(text, 0, 5) is not None and short.window(text, 0, len(text)) is None
    assert short.holds(text, 0, 5) is not None and short.holds(text, 0, len(text)) is None


# Compounds in pythainlp's dictionary that carry one of the glossary's misspellings
# themselves (โดยกระทันหัน); every other dictionary word must be free of them.
_MISSPELT_IN_THE_DICTIONARY = {"ศรีษะเกษ", "เมโยคลินิค", "โพลีคลินิค", "โดยกระทันหัน", "แก็สซิฟิเคชั่น",
                               "จีโอกราฟฟิก", "กราฟิคส์", "ระบบดิจิตอล", "ดิจิตัลลิส", "บุคคลิกภาพ"}


def test_no_known_misspelling_is_a_piece_of_a_right_word():
    from pythainlp.corpus import thai_words

    from indexer.thai.glossary import load_glossary
    glossary = load_glossary(Path(__file__).parents[1] / "indexer/data/glossary.yaml")
    assert len(glossary.misspelled) >= 50
    right = set(thai_words()) | set(glossary.dictionary_words)
    right -= set(glossary.misspelled) | _MISSPELT_IN_THE_DICTIONARY
    pieces = {wrong: sorted(w for w in right if wrong in w) for wrong in glossary.misspelled}
    assert {wrong: hosts for wrong, hosts in pieces.items() if hosts} == {}
    segmenter = Segmenter(glossary.dictionary_words)
    for wrong, meant in glossary.misspelled.items():
        assert segmenter.words(wrong) == [wrong], wrong  # kept whole, so it can be respelled
        assert meant not in glossary.misspelled


def test_a_misspelling_listed_wrongly_is_refused_with_the_file_and_the_words(tmp_path):
    from indexer.errors import SettingsError
    from indexer.thai.glossary import load_glossary
    cases = {"misspellings: [อนุญาติ]": "must map each right spelling",
             "misspellings: {อนุญาต: [อนุญาต]}": "two different spellings",
             "misspellings: {อนุญาต: [อนุญาติ], ญาติ: [อนุญาติ]}": "listed for both",
             "misspellings: {อนุญาต: [อนุญาติ], อนุญาติ: [อนุยาติ]}": "both as a right spelling and as a misspelling"}
    for text, reason in cases.items():
        path = tmp_path / "glossary.yaml"
        path.write_text(text + "\n", encoding="utf-8")
        with pytest.raises(SettingsError, match=reason) as caught:
            load_glossary(path)
        assert str(path) in str(caught.value)


def test_an_english_word_leads_to_its_thai_words_but_those_do_not_widen_each_other(tmp_path):
    """`english` groups: "knowledge" typed among Thai words finds ความรู้ and องค์ความรู้ (and an
    `everyday` group of its Thai word), while a Thai question keeps its own words: องค์ความรู้
    does not bring in ความรู้, which is on every page of a KM plan."""
    from indexer.errors import SettingsError
    from indexer.thai.glossary import load_glossary
    path = tmp_path / "glossary.yaml"
    path.write_text("everyday:\n  - [ลาป่วย, ป่วย, ไม่สบาย]\nenglish:\n  - [ลาป่วย, sick leave]\n"
                    "  - [ความรู้, องค์ความรู้, Knowledge]\n", encoding="utf-8")
    glossary = load_glossary(path)
    assert set(glossary.synonyms_of("sick leave")) == {"ลาป่วย", "ป่วย", "ไม่สบาย"}
    assert set(glossary.synonyms_of("knowledge")) == {"ความรู้", "องค์ความรู้"}
    assert glossary.synonyms_of("องค์ความรู้") == ()
    assert set(glossary.synonyms_of("ลาป่วย")) == {"ป่วย", "ไม่สบาย"}
    path.write_text("english: [upload]\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="`english` lists of lists"):
        load_glossary(path)
    shipped = load_glossary(Path(__file__).parents[1] / "indexer/data/glossary.yaml")
    assert "นำขึ้นเว็บไซต์" in shipped.synonyms_of("upload") and "กำหนดส่ง" in shipped.synonyms_of("deadline")


def test_an_abbreviation_without_dots_that_is_inside_words_does_not_cut_them():
    """The short months made มีค, กค and พย dictionary words (their spellings without dots), and
    newmm then found มีค in "ต้องมีความรู้" and กค in "ทุกครั้ง": a question about knowledge asked
    for March. Such a spelling is kept out of the dictionary and out of the terms looked for
    inside words; typed alone it still finds its group, and one no word holds (ศพด) stays a word."""
    from indexer.thai.glossary import load_glossary
    glossary = load_glossary(Path(__file__).parents[1] / "indexer/data/glossary.yaml")
    segmenter = Segmenter(glossary.dictionary_words)
    for text in ("กองการศึกษาต้องมีความรู้เรื่องอะไร", "ต้องผ่านท่านทุกครั้ง", "ทรัพย์สินของเทศบาล"):
        assert glossary.terms_in(text, segmenter.word_bounds(text)) == [], text
    assert {"มีค", "กค", "พย", "สถ"}.isdisjoint(glossary.dictionary_words)
    assert "ศพด" in glossary.dictionary_words and segmenter.words("เด็ก ศพด") == ["เด็ก", "ศพด"]
    assert "มีนาคม" in glossary.synonyms_of("มีค") and "กรมส่งเสริมการปกครองท้องถิ่น" in glossary.synonyms_of("สถ")
