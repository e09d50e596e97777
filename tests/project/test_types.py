"""What type checkers see through ``import pulumi_alaya as alaya``: real types, so typos are caught."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[1] / "typing"
PROGRAM = HERE / "readme_program.py"
BIN = Path(sys.executable).parent


def planted_lines() -> set[int]:
    lines = {n for n, line in enumerate(PROGRAM.read_text().splitlines(), 1) if line.endswith("# PLANTED")}
    assert len(lines) == 7  # the misspelt input, class and function, no inputs, a missing one, 0.1's service_id, a verb
    return lines


def lines_with_errors(output: str, pattern: str) -> set[int]:
    return {int(match) for match in re.findall(pattern, output, re.MULTILINE)}


def test_pyright_strict_accepts_the_readme_program_and_flags_each_planted_mistake():
    run = subprocess.run([str(BIN / "pyright"), "--pythonpath", sys.executable, "-p", str(HERE / "pyrightconfig.json")],
                         capture_output=True, text=True, cwd=HERE, timeout=600)
    assert lines_with_errors(run.stdout, r"readme_program\.py:(\d+):\d+ - error: ") == planted_lines(), run.stdout
    assert '"LoraDeploymentt" is not a known attribute' in run.stdout


def test_mypy_strict_accepts_the_readme_program_and_flags_each_planted_mistake(tmp_path):
    run = subprocess.run([str(BIN / "mypy"), "--config-file", str(HERE / "mypy.ini"), "--python-executable",
                          sys.executable, "--cache-dir", str(tmp_path), str(PROGRAM)],
                         capture_output=True, text=True, cwd=HERE, timeout=600)
    assert lines_with_errors(run.stdout, r"readme_program\.py:(\d+): error: ") == planted_lines(), run.stdout
    assert 'Module has no attribute "get_lora_deployment_outputt"' in run.stdout


@pytest.mark.parametrize("name", ["LoraDeployment", "get_lora_deployment_output", "AlayaClient"])
def test_public_names_still_resolve_lazily_at_run_time(name):
    code = f"import pulumi_alaya; print(pulumi_alaya.{name}.__name__)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == name


def test_importing_the_client_does_not_import_pulumi():
    code = "import sys, pulumi_alaya, pulumi_alaya.client; print('pulumi' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
