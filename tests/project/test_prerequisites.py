"""The "skip here, fail in CI" rule is one helper (tests/support/prerequisites.py), used wherever a test may lack
a prerequisite; and CI's clone holds the history the upgrade test needs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from support.prerequisites import missing

ROOT = Path(__file__).resolve().parents[2]


def test_missing_skips_here_and_fails_in_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no widget"):
        missing("no widget")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no widget .CI is set"):
        missing("no widget")


def test_no_test_writes_the_rule_by_hand():
    by_hand = re.compile(r"""environ(\.get\(|\[)["']CI["']""")
    helper = ROOT / "tests" / "support" / "prerequisites.py"
    found = [str(path.relative_to(ROOT)) for path in (ROOT / "tests").rglob("*.py")
             if path != helper and by_hand.search(path.read_text(encoding="utf-8"))]
    assert found == []


def test_ci_clones_the_whole_history_where_the_tests_run():
    jobs = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())["jobs"]
    for name in ("test", "matrix"):
        checkout = next(step for step in jobs[name]["steps"] if step.get("uses", "").startswith("actions/checkout@"))
        assert checkout["with"]["fetch-depth"] == 0, name
