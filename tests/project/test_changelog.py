"""CHANGELOG.md has this version's section, which the release workflow publishes as the release's notes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pulumi_alaya.client.version import VERSION

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "changelog_section.py"
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"


def notes(version: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), version], capture_output=True, text=True)


def test_each_release_has_its_section_and_the_tag_form_finds_it():
    for version in ("0.1.0", "0.2.0", "0.3.0", VERSION):
        run = notes(f"v{version}")
        assert run.returncode == 0 and run.stdout.startswith("### "), (version, run.stderr)
        assert "## [" not in run.stdout  # one section only: no heading, no link list of the next one
    assert "plugin installs itself" in notes(VERSION).stdout


def test_a_version_without_notes_is_one_line_and_the_workflow_uses_the_notes():
    run = notes("9.9.9")
    assert run.returncode == 1 and run.stdout == "" and run.stderr.count("\n") == 1
    assert "no notes under '## [9.9.9]'" in run.stderr
    workflow = WORKFLOW.read_text()
    assert "scripts/changelog_section.py" in workflow and "--notes-file notes/release-notes.md" in workflow
    assert "--generate-notes" not in workflow
