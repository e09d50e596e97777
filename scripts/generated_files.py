"""The one ``main`` of a generator that writes files from a declaration: write what drifted, or with ``--check``
name each drifted file and fail (tests run every generator's ``--check``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_or_check(description: str, wanted: Callable[[], dict[Path, str]], source: str, script: str) -> int:
    """``wanted()`` maps each file to its text; ``source`` names what it is generated from."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="fail when a written file differs; write nothing")
    args = parser.parse_args()
    texts = wanted()
    drift = [path for path, text in texts.items() if not path.exists() or path.read_text() != text]
    if args.check:
        for path in drift:
            print(f"{path.relative_to(ROOT)} differs from what {source} gives: run python scripts/{script}",
                  file=sys.stderr)
        return 1 if drift else 0
    for path in drift:
        path.write_text(texts[path])
        print(f"wrote {path.relative_to(ROOT)}")
    return 0
