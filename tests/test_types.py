"""What type checkers see through ``import pulumi_alaya as alaya``: real types, so typos are caught."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent / "typing"


def test_pyright_strict_accepts_the_readme_program_and_flags_only_the_planted_typo():
    pyright = Path(sys.executable).parent / "pyright"
    run = subprocess.run([str(pyright), "--pythonpath", sys.executable, "-p", str(HERE / "pyrightconfig.json")],
                         capture_output=True, text=True, cwd=HERE, timeout=600)
    errors = [line for line in run.stdout.splitlines() if " - error: " in line]
    planted = next(n for n, line in enumerate((HERE / "readme_program.py").read_text().splitlines(), 1)
                   if "# PLANTED" in line)
    assert len(errors) == 1, run.stdout
    assert f"readme_program.py:{planted}:" in errors[0] and 'No parameter named "base_service_idd"' in errors[0]


def test_importing_the_client_does_not_import_pulumi():
    code = "import sys, pulumi_alaya, pulumi_alaya.client; print('pulumi' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
