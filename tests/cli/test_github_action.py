"""The composite action run the way the GitHub runner runs it, against the emulator; and the linters' word.

The runner evaluates ``${{ ... }}`` in each step's ``env`` (never inside ``run``, which is what keeps inputs
out of the script text), runs ``run`` with bash, and turns the lines each step appended to its
``$GITHUB_OUTPUT`` into step outputs, from which the action's ``outputs`` are evaluated.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pulumi_alaya.client.settings import (
    DEFAULT_BASE_URL,
    DEFAULT_WAIT_TIMEOUT,
    ENV_ACCESS_KEY,
    ENV_BASE_URL,
    ENV_SECRET_KEY,
)

from support.build_lock import SOURCE_TREE, build_lock
from support.prerequisites import missing
from support.seed import SUMMARY, SUPPORT_KEY

ROOT = Path(__file__).resolve().parents[2]
ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / "examples" / "github-actions" / "lora-outputs.yml"
REPO_WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))  # this repository's CI and release
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def evaluate(text: str, context: dict[str, str]) -> str:
    return EXPRESSION.sub(lambda m: context[m.group(1)], text)


def read_outputs(path: Path) -> dict[str, str]:
    """Parse a GITHUB_OUTPUT file: ``name=value`` and ``name<<DELIMITER`` blocks."""
    outputs, lines = {}, path.read_text().splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if "<<" in line:
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, index + 1)
            outputs[name] = "\n".join(lines[index + 1:end])
            index = end + 1
        else:
            name, _, value = line.partition("=")
            outputs[name] = value
            index += 1
    return outputs


def run_action(tmp: Path, emulator, inputs: dict[str, str]) -> tuple[dict[str, str], str, str]:
    action = yaml.safe_load(ACTION.read_text())
    declared = action["inputs"]
    context = {f"inputs.{name}": inputs.get(name, spec.get("default", "")) for name, spec in declared.items()}
    context.update({"github.action_path": str(ROOT), "runner.temp": str(tmp / "runner-temp")})
    (tmp / "runner-temp").mkdir()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("ALAYA_", "GITHUB_", "VIRTUAL_ENV"))}
    base_env["PATH"] = os.pathsep.join(p for p in base_env["PATH"].split(os.pathsep) if ".venv" not in p)
    base_env.update(ALAYA_ACCESS_KEY=emulator.access_key, ALAYA_SECRET_KEY=emulator.secret_key,
                    GITHUB_ACTION_PATH=str(ROOT), RUNNER_TEMP=str(tmp / "runner-temp"),
                    GITHUB_ENV=str(tmp / "github-env"), PYTHONDONTWRITEBYTECODE="1")
    logs, files = "", ""
    for number, step in enumerate(action["runs"]["steps"]):
        assert "${{" not in step["run"], "inputs must reach scripts through env, never inside run:"
        output_file = tmp / f"output-{number}"
        output_file.touch()
        env = {**base_env, "GITHUB_OUTPUT": str(output_file),
               **{k: evaluate(str(v), context) for k, v in step.get("env", {}).items()}}
        with build_lock(SOURCE_TREE):  # the install step builds this checkout (pip install "$GITHUB_ACTION_PATH")
            run = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], env=env,
                                 capture_output=True, text=True, timeout=600)
        logs += run.stdout + run.stderr
        assert run.returncode == 0, logs[-3000:]
        files += output_file.read_text()
        for name, value in read_outputs(output_file).items():
            context[f"steps.{step.get('id', number)}.outputs.{name}"] = value
    outputs = {name: evaluate(spec["value"], context) for name, spec in action["outputs"].items()}
    return outputs, logs, files


def test_the_action_outputs_everything_and_shows_the_key_only_masked(tmp_path, emulator):
    outputs, logs, files = run_action(tmp_path, emulator, {"service-id": SUMMARY, "base-url": emulator.url,
                                                           "wait-timeout": "60", "smoke": "true"})
    url = f"{emulator.url}/svc/{SUMMARY}"
    assert outputs == {"service-url": url, "openai-base-url": url + "/v1", "model": "summariser",
                       "served-name": json.dumps(["summariser", "summariser-v1"]), "status": "running",
                       "api-key": "sk-emu-summary-3b7f09d1e6a4"}
    key = outputs["api-key"]
    assert [line for line in logs.splitlines() if key in line] == [f"::add-mask::{key}"]
    assert key in files and SUPPORT_KEY not in logs


def test_the_names_and_defaults_are_the_clients_own():
    """action.yml cannot import settings.py, so this holds it to them: env names, base URL, wait default."""
    action, text = yaml.safe_load(ACTION.read_text()), ACTION.read_text()
    assert action["inputs"]["wait-timeout"]["default"] == f"{DEFAULT_WAIT_TIMEOUT:g}"
    assert f"default {DEFAULT_BASE_URL}, or {ENV_BASE_URL}" in action["inputs"]["base-url"]["description"]
    assert ENV_ACCESS_KEY in text and ENV_SECRET_KEY in text
    old = action["inputs"]["timeout"]
    assert "wait-timeout" in old["deprecationMessage"] and old["default"] == ""
    assert '--wait-timeout "${INPUT_TIMEOUT:-$INPUT_WAIT_TIMEOUT}"' in text  # the old input, when set, still wins


def test_an_input_cannot_inject_into_the_script(tmp_path, emulator):
    hostile = '$(touch pwned) "; touch pwned2; echo "'
    with pytest.raises(AssertionError, match="invalid"):
        run_action(tmp_path, emulator, {"service-id": hostile, "base-url": emulator.url})
    assert not list(Path.cwd().glob("pwned*")) and not list(tmp_path.glob("pwned*"))


def test_actionlint_and_zizmor_are_clean():
    built = subprocess.run([str(ROOT / "scripts" / "actionlint.sh")], capture_output=True, text=True, timeout=900)
    if built.returncode != 0:
        missing("actionlint could not be built here (needs Go): " + built.stderr.strip()[-500:])
    workflows = [str(path) for path in [WORKFLOW, *REPO_WORKFLOWS]]
    assert len(workflows) == 3, workflows  # the example, ci.yml and release.yml
    lint = subprocess.run([built.stdout.strip(), "-shellcheck=", *workflows], capture_output=True, text=True,
                          cwd=ROOT)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    zizmor = Path(sys.executable).parent / "zizmor"
    # auditor: every audit at every confidence, the persona for reviewing one's own workflows.
    audit = subprocess.run([str(zizmor), "--offline", "--no-progress", "--persona", "auditor", str(ACTION),
                            *workflows], capture_output=True, text=True, cwd=ROOT)
    assert audit.returncode == 0 and "No findings to report" in audit.stdout + audit.stderr, audit.stdout
