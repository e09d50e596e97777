"""One builder at a time for a shared build in ``.cache/`` (an engine, an SDK tarball, a program's
dependencies), across the processes of one test run: pytest-xdist's workers would otherwise build the same
entry side by side and delete each other's half-made folders. The others wait, then find it done."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCKS = Path(__file__).resolve().parents[2] / ".cache" / "locks"
# Building the checkout itself (pip wheel, uv build, the Action's pip install) writes setuptools' build/ and
# egg-info folders inside it: two at once break each other ("File exists: build/bdist..."). One at a time.
SOURCE_TREE = "source-tree-build"


@contextmanager
def build_lock(name: str) -> Iterator[None]:
    LOCKS.mkdir(parents=True, exist_ok=True)
    with open(LOCKS / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes, also if this process dies
        yield
