"""A create whose wait runs out is never lost (issue 28), through the real engine and the YAML host.

The emulator starts new deployments slowly. The first ``up`` fails (customTimeouts, waitTimeout, or a deployment
that goes ``failed``), yet the stack's state holds each deployment the API accepted (Pulumi's partial create:
"initErrors"); the next ``up`` resumes it (no second POST) or, when it failed, replaces it; ``destroy`` deletes
it. Every scenario counts the POSTs: exactly one per deployment meant.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from support.project import PulumiProject, engine_or_skip

BASE_PROPERTIES = """      vksId: vks-1
      namespace: ns-a
      name: qwen-base
      servedNames: [qwen]
      modelId: qwen2-7b
      backend: vllm
      backendVersion: 0.6.3
      cpu: "8"
      mem: 32Gi
      gpuType: A100
      gpuCount: 2
"""


def program(options: str = "", wait_timeout: str = "") -> str:
    wait = f"      waitTimeout: {wait_timeout}\n" if wait_timeout else ""
    return (f"name: alaya-partial\nruntime: yaml\nconfig:\n  waitTimeout:\n    type: integer\n    default: 600\n"
            f"resources:\n  base:\n    type: alaya:BaseModelDeployment\n    properties:\n{BASE_PROPERTIES}{wait}"
            f"{options}"
            f"  bot:\n    type: alaya:LoraDeployment\n    properties:\n      baseServiceId: base-qwen2-7b\n"
            f"      modelId: lora-v3\n      servedNames: [bot]\n{wait}{options}"
            "outputs:\n  botStatus: ${bot.status}\n  baseStatus: ${base.status}\n")


def _project(tmp_path: Path, emulator, text: str) -> PulumiProject:
    cli_dir = engine_or_skip("yaml")
    source = tmp_path / "alaya-partial"
    source.mkdir()
    (source / "Pulumi.yaml").write_text(text)
    plugin_dir = str(Path(sys.executable).parent)  # pulumi-resource-alaya as pip installs it
    project = PulumiProject(source, tmp_path / "run", cli_dir,
                            env={"PATH": os.pathsep.join([cli_dir, plugin_dir, os.environ["PATH"]])})
    project.use_emulator(emulator)
    return project


def _creates(emulator) -> list[dict]:
    return [r for r in emulator.requests(method="POST") if not r["path"].endswith("/cancel")]


def _ours(project: PulumiProject) -> dict[str, dict]:
    return {r["urn"].rsplit("::", 1)[1]: r for r in project.resources() if r["type"].startswith("alaya:index:")}


def _statuses(emulator) -> dict[str, str]:
    return {d["name"]: d["status"] for d in emulator.deployments() if d["name"] == "qwen-base"
            or d["name"].startswith("bot-")}


def test_past_custom_timeouts_the_state_keeps_both_and_the_next_up_resumes_them(emulator, tmp_path):
    emulator.set_timing(6.0, 0.0, base_startup_seconds=6.0)
    project = _project(tmp_path, emulator, program("    options:\n      customTimeouts:\n        create: 1s\n"))
    emulator.clear_requests()
    first = project.up(check=False)
    assert first.returncode != 0 and "was created and is kept" in first.stdout + first.stderr
    # Every deployment the API accepted is in the state. (The engine starts no new create once one has failed, so
    # under load the second resource may not have been created yet: then it is created once, on the next up.)
    kept = _ours(project)
    accepted = {d["serviceId"] for d in emulator.deployments() if d["name"] == "qwen-base" or
                d["name"].startswith("bot-")}
    assert accepted and {item["id"] for item in kept.values()} == accepted
    assert all(item.get("initErrors") for item in kept.values())
    assert len(_creates(emulator)) == len(accepted)
    # The next up resumes both: no second create, each ends running.
    project.up()
    assert len(_creates(emulator)) == 2
    assert project.stack_output() == {"botStatus": "running", "baseStatus": "running"}
    assert not any(item.get("initErrors") for item in _ours(project).values())
    project.destroy()
    assert _statuses(emulator) == {} and len(emulator.requests(method="DELETE")) == 2


def test_past_wait_timeout_the_next_up_with_a_longer_one_resumes_without_a_second_create(emulator, tmp_path):
    emulator.set_timing(4.0, 0.0, base_startup_seconds=4.0)
    project = _project(tmp_path, emulator, program(wait_timeout="${waitTimeout}"))
    project.config_set("waitTimeout", "1")
    emulator.clear_requests()
    first = project.up(check=False)
    assert first.returncode != 0 and "waitTimeout (1s) passed" in first.stdout + first.stderr
    assert _ours(project) and len(_ours(project)) == len(_creates(emulator))
    project.config_set("waitTimeout", "120")
    project.up()
    assert len(_creates(emulator)) == 2 and project.stack_output()["baseStatus"] == "running"
    project.destroy()
    assert _statuses(emulator) == {}


def test_a_deployment_that_failed_is_replaced_on_the_next_up_never_duplicated(emulator, tmp_path):
    emulator.set_timing(0.0, 0.0, base_startup_seconds=0.0, gpu_capacity=1)  # gpuCount 2 fails while starting
    project = _project(tmp_path, emulator, program())
    emulator.clear_requests()
    first = project.up(check=False)
    assert first.returncode != 0 and "is failed" in first.stdout + first.stderr
    failed_id = _ours(project)["base"]["id"]
    assert _ours(project)["base"]["outputs"]["status"] == "failed"
    emulator.set_timing(0.0, 0.0, base_startup_seconds=0.0, gpu_capacity=8)  # capacity found
    project.up()
    base = _ours(project)["base"]
    assert base["id"] != failed_id and base["outputs"]["status"] == "running"
    assert len(_creates(emulator)) == 3  # base, bot, and the base's one replacement
    assert failed_id not in {d["serviceId"] for d in emulator.deployments()}
    project.destroy()
    assert _statuses(emulator) == {}


@pytest.fixture(autouse=True)
def _bounded(emulator):
    yield
    emulator.set_timing(0.0, 0.0)
