"""The Ansible collection's copy of the client is generated, never edited: it must match the source."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "vendor_client.py"


def test_the_vendored_client_is_the_generated_one():
    run = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr


def test_a_rewrite_that_no_longer_matches_fails(monkeypatch):
    spec = importlib.util.spec_from_file_location("vendor_client", SCRIPT)
    assert spec and spec.loader
    vendor = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(vendor)
    monkeypatch.setattr(vendor, "REWRITES", [*vendor.REWRITES, ("import nothing_like_this\n", "")])
    with pytest.raises(SystemExit, match="no longer matches"):
        vendor.generated()
