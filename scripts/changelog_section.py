#!/usr/bin/env python3
"""Print one release's section of CHANGELOG.md (its text under ``## [VERSION]``), the release's GitHub notes.

    changelog_section.py VERSION    # e.g. 0.4.0 (a leading v, as in a tag, is dropped)

A version with no section, or an empty one, is one line on stderr and exit 1: a release is not published
without its notes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

CHANGELOG = Path(__file__).resolve().parent.parent / "CHANGELOG.md"


def section(version: str, text: str) -> str | None:
    """The lines under ``## [version]`` up to the next ``## `` heading or link list, stripped; None if absent."""
    match = re.search(rf"^## \[{re.escape(version)}\][^\n]*\n(.*?)(?=^## |^\[[^\]]+\]: |\Z)", text,
                      flags=re.MULTILINE | re.DOTALL)
    return match.group(1).strip() if match else None


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: changelog_section.py VERSION")
    wanted = sys.argv[1].removeprefix("v")
    notes = section(wanted, CHANGELOG.read_text())
    if not notes:
        sys.exit(f"changelog_section: CHANGELOG.md has no notes under '## [{wanted}]': add them before releasing")
    print(notes)
