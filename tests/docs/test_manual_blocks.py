"""The manual's and the README's shell and Python blocks, run as written against the emulator.

The test only sets what a reader sets before: the keys and the endpoint (``ALAYA_*``), the serviceIds the blocks
name (``$SID``, ``$BASE``, ...), an ``app.py`` that reports the environment it sees, and ``alaya``/``python`` on
PATH. Each block runs under ``bash -euo pipefail``: every command in it must succeed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from support.doc_blocks import block

SUPPORT = "38fbfc3d-6a88-4c35-b8b6-9efc83949d47"  # a running LoRA of the emulator's seed
APP = "import json, os\njson.dump(dict(os.environ), open('seen.json', 'w'))\n"


def run_bash(emulator, tmp_path: Path, script: str, **variables: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "app.py").write_text(APP)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ALAYA_", "GITHUB_"))}
    env.update(emulator.env, GITHUB_OUTPUT=str(tmp_path / "github_output"), **variables)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"  # this venv's alaya and python
    return subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=240)


def seen(tmp_path: Path) -> dict[str, str]:
    """What the block's `python app.py` saw in its environment."""
    return dict(json.loads((tmp_path / "seen.json").read_text()))


def by_id(emulator, service_id: str) -> dict | None:
    """The emulator's listing entry (serviceId, name, status), None once it is gone."""
    return next((item for item in emulator.deployments() if item.get("serviceId") == service_id), None)


def test_the_read_block(emulator, client, tmp_path):
    run = run_bash(emulator, tmp_path, block("cli-read"), SID=SUPPORT)
    assert run.returncode == 0, run.stderr
    env = seen(tmp_path)
    assert env["ALAYA_SERVICE_ID"] == SUPPORT and env["ALAYA_API_KEY"] == client.get_deployment(SUPPORT).api_key
    assert "service_url<<ALAYA_EOF_" in (tmp_path / "github_output").read_text()
    unmasked = [line for line in run.stdout.splitlines() if env["ALAYA_API_KEY"] in line]
    assert '"apiKey": "***"' in run.stdout and unmasked == [f"::add-mask::{env['ALAYA_API_KEY']}"]


def test_the_readme_cli_block(emulator, tmp_path):
    run = run_bash(emulator, tmp_path, block("readme-cli"), SID=SUPPORT)
    assert run.returncode == 0, run.stderr
    assert seen(tmp_path)["ALAYA_OPENAI_BASE_URL"].endswith("/v1")


def test_the_many_deployments_block(emulator, tmp_path):
    (second,) = emulator.add_deployments({"serviceId": "docs-second", "name": "docs-second", "apiKey": "sk-docs-2"})
    run = run_bash(emulator, tmp_path, block("cli-many"), SID1=SUPPORT, SID2=second)
    assert run.returncode == 0, run.stderr
    env = seen(tmp_path)
    assert env["ALAYA_1_SERVICE_ID"] == SUPPORT and env["ALAYA_2_API_KEY"] == "sk-docs-2"
    assert f"at {env['ALAYA_1_OPENAI_BASE_URL']};" in run.stdout


def test_the_write_block(emulator, tmp_path):
    emulator.set_timing(0.2, 0.2)
    (target,) = emulator.add_deployments({"serviceId": "docs-write", "name": "docs-write", "apiKey": "sk-docs-w",
                                          "baseServiceId": "base-qwen2-7b"})
    run = run_bash(emulator, tmp_path, block("cli-write"), SID=target)
    assert run.returncode == 0, run.stderr
    created = json.loads(run.stdout[: run.stdout.index("}") + 1])
    assert created["name"] == "support-bot-v3" and by_id(emulator, created["serviceId"])["status"] == "running"
    assert by_id(emulator, target) is None  # updated (offline), then deleted and waited for
    assert emulator.requests(contains=f"/deployment/lora/{target}", method="PUT")


def test_the_base_model_and_rotation_block(emulator, tmp_path):
    emulator.set_timing(0.2, 0.2)
    base = json.loads(subprocess.run(
        [sys.executable, "-m", "pulumi_alaya.cli", "base-model", "create", "--vks-id", "vks-1",
         "--vks-namespace", "docs", "--name", "docs-base", "--served-name", "docs", "--model-id", "qwen2-7b",
         "--backend", "vllm", "--backend-version", "0.6.3", "--cpu", "8", "--mem", "32Gi", "--gpu-type", "A100",
         "--gpu-count", "1", "--output", "json"], env={**os.environ, **emulator.env}, capture_output=True,
        text=True, check=True, timeout=60).stdout)["serviceId"]
    run = run_bash(emulator, tmp_path, block("cli-base"), BASE=base, SID=SUPPORT)
    assert run.returncode == 0, run.stderr
    assert "export ALAYA_BACKEND=vllm" in run.stdout and by_id(emulator, base) is None
    assert by_id(emulator, SUPPORT) is None  # rotated: the old one is gone, its twin runs
    twins = [item for item in emulator.deployments() if str(item.get("name", "")).startswith("support-bot-lora-r")]
    assert len(twins) == 1 and twins[0]["status"] == "running" and twins[0]["serviceId"] in run.stdout


def run_python(emulator, tmp_path: Path, program: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("ALAYA_")}
    return subprocess.run([sys.executable, "-c", program], cwd=tmp_path, env={**env, **emulator.env},
                          capture_output=True, text=True, timeout=120)


def test_the_python_blocks(emulator, client, tmp_path):
    url = client.get_deployment(SUPPORT).service_url
    for program in (block("python-read"), block("readme-python")):
        run = run_python(emulator, tmp_path, program)
        assert run.returncode == 0, run.stderr
        assert f"{url} support-bot {url}/v1" in run.stdout, program


def test_the_owning_block(emulator, tmp_path):
    emulator.set_timing(0.2, 0.2)
    run = run_python(emulator, tmp_path, block("python-own"))
    assert run.returncode == 0, run.stderr
    service_id, model_id, status = run.stdout.split()
    assert (model_id, status) == ("lora-support-v4", "running") and by_id(emulator, service_id) is None
    assert len(emulator.requests(contains="/deployment/lora", method="POST")) == 1  # one create, never repeated
    assert emulator.requests(contains=f"/deployment/lora/{service_id}", method="PUT")
