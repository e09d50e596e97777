"""What is shipped says its licence: reuse lint (https://reuse.software) and galaxy.yml agree, file by file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COLLECTION = ROOT / "ansible_collections" / "alayanew" / "serverless"
REUSE = Path(sys.executable).parent / "reuse"


def lint(root: Path) -> dict:
    run = subprocess.run([str(REUSE), "--root", str(root), "lint", "--json"], capture_output=True, text=True,
                         timeout=300)
    return json.loads(run.stdout)


def test_the_collection_is_reuse_compliant_and_galaxy_yml_declares_every_licence_it_ships():
    report = lint(COLLECTION)
    assert report["summary"]["compliant"], report["non_compliant"]
    declared = yaml.safe_load((COLLECTION / "galaxy.yml").read_text())["license"]
    assert sorted(declared) == sorted(report["summary"]["used_licenses"]) == ["Apache-2.0", "GPL-3.0-or-later"]


def test_the_vendored_client_is_apache_and_the_collections_own_files_gpl():
    licences = {entry["path"]: {e["value"] for e in entry["spdx_expressions"]} for entry in lint(COLLECTION)["files"]}
    # plugins/module_utils/_vendor/ holds only generated third-party code (reuse skips its empty __init__.py).
    vendored = {path for path in licences if path.startswith("plugins/module_utils/_vendor/")}
    shipped = [path for path in (COLLECTION / "plugins/module_utils/_vendor").rglob("*.py") if path.stat().st_size]
    assert len(vendored) == len(shipped)
    assert all(licences[path] == {"Apache-2.0"} for path in vendored)
    assert all(licences[path] == {"GPL-3.0-or-later"} for path in set(licences) - vendored)


def test_the_repository_is_reuse_compliant():
    report = lint(ROOT)
    assert report["summary"]["compliant"], report["non_compliant"]
