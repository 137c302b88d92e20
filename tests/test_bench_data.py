"""The benchmark's generator draws on whatever knowledge/ holds, a stub asset included."""

from __future__ import annotations

import pytest
from conftest import REPO, write_asset


def test_the_generator_passes_over_an_asset_of_short_lines(tmp_path, monkeypatch):
    """A stub published in the editor ("ดูไฟล์แนบ") made random.choice fail on its empty list of sentences."""
    import sys

    sys.path.insert(0, str(REPO))
    from bench import generate as generator

    sample = tmp_path / "sample"
    write_asset(sample, "palad/stub.md", title="แบบฟอร์มลา", body="ดูไฟล์แนบ\n")
    write_asset(sample, "palad/leave.md", title="การลาป่วย",
                body="ยื่นใบลาป่วยต่อผู้บังคับบัญชาภายในวันที่กลับมาปฏิบัติราชการตามระเบียบ\n" * 3)
    monkeypatch.setattr(generator, "SAMPLE", sample)
    assert [t.title for t in generator.load_topics()] == ["การลาป่วย"]
    assert generator.generate(tmp_path / "out", 5, seed=1) > 0
    assert len(list((tmp_path / "out").rglob("*.md"))) == 5
    (sample / "palad" / "leave.md").unlink()
    with pytest.raises(SystemExit, match="no asset under .* has a line over 30 characters"):
        generator.load_topics()
