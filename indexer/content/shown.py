"""Warnings about what one asset shows its readers, found in its own text and attachments: pictures
without a description, personal data in the text or an attached file.

Each reads the whole text: over 3,000 generated assets (27 MB) they took 2.7 s of a core, and the
status page used to take them at every view. A build or an update now finds them once per version
of a file (in its workers) and keeps them with the file's problems, where the status page reads
them; `python -m indexer check`, which builds nothing, finds them with the same function.
"""

from __future__ import annotations

from pathlib import Path

from .asset import Asset, Problem
from .personal import attachment_warnings, personal_data_warnings
from .pictures import picture_warnings


def shown_warnings(asset: Asset, knowledge_dir: Path, text_cache: Path | None) -> list[Problem]:
    """The warnings about what readers of `asset` see (none for what reaches no reader: a draft's
    personal data, a retired asset's pictures)."""
    return (picture_warnings([asset]) + personal_data_warnings([asset])
            + attachment_warnings([asset], knowledge_dir, text_cache))
