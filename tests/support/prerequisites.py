"""The one rule for a test whose prerequisite (a tool, an engine, git history) is missing: skip it here, fail
it in CI (``CI`` set), where everything a test needs is built or present and a skip would hide a gap."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

__all__ = ["missing"]


def missing(what: str) -> NoReturn:
    """Stop the test because ``what`` (one line: what is missing and what provides it) is not here."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} (CI is set: every test must run there)")
    pytest.skip(what)
