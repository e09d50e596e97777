"""``pulumi import`` of a base-model deployment made with the CLI, through the real engine (YAML: no SDK needed):
the program code the engine writes for it matches it exactly, and the stack then owns it."""

from __future__ import annotations

import json
import os
import subprocess

from test_native_provider import YAML_HEADER, yaml_project

SPEC = ["--vks-id", "vks-1", "--vks-namespace", "ns-a", "--name", "qwen-base", "--served-name", "qwen",
        "--model-id", "qwen2-7b", "--backend", "vllm", "--backend-version", "0.6.3", "--cpu", "8", "--mem", "32Gi",
        "--gpu-type", "A100", "--gpu-count", "1"]
URN = "urn:pulumi:dev::alaya-import::alaya:index:BaseModelDeployment::qwen"


def test_pulumi_import_of_a_base_model_made_with_the_cli(emulator, client, tmp_path):
    emulator.set_timing(0.0, 0.0, base_startup_seconds=0.0)
    made = subprocess.run(["alaya", "base", "create", *SPEC, "--wait", "--output", "json"], capture_output=True,
                          text=True, env={**os.environ, **emulator.env}, timeout=120)
    assert made.returncode == 0, made.stderr
    service_id = json.loads(made.stdout)["serviceId"]
    (tmp_path / "run").mkdir()
    project = yaml_project(tmp_path, emulator, "")
    code = tmp_path / "imported.yaml"
    project.run("import", "alaya:index:BaseModelDeployment", "qwen", service_id, "--yes", "--out", str(code))
    generated = code.read_text()
    assert "gpuCount: 1" in generated and "backend: vllm" in generated and "waitTimeout" not in generated
    (project.dir / "Pulumi.yaml").write_text(YAML_HEADER + generated)
    project.preview("--expect-no-changes")
    project.run("state", "unprotect", URN, "--yes")
    project.destroy()
    assert all(d["name"] != "qwen-base" for d in emulator.deployments())
