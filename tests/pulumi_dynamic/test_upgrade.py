"""A stack made with pulumi-alaya 0.2 keeps working with this version (pulumi-random's TestProviderUpgrade idea).

The 0.2 package is taken from this repository's history (the last 0.2 commit) and put first on PYTHONPATH, so
the program and the dynamic provider process both run it: `up` writes a 0.2 state (its provider pickled into
`__provider`, settings under 0.2's `alaya:timeout`). Then, with this checkout's package: preview shows no
change, `up` changes nothing, `refresh` keeps the resource, and `destroy` deletes the deployment.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
from pathlib import Path

from pulumi_alaya.client import AlayaNotFoundError

from support.prerequisites import missing
from support.project import PulumiProject, engine_or_skip

ROOT = Path(__file__).resolve().parents[2]
LAST_0_2 = "f1ada5b4d2c79a869337bfeea9a662c76dfc793c"
PROGRAM = """import pulumi
import pulumi_alaya as alaya

lora = alaya.LoraDeployment("bot", base_service_id="base-qwen2-7b", model_id="lora-support-v3",
                            served_names=["bot"])
pulumi.export("version", alaya.__version__)
pulumi.export("apiKey", lora.api_key)
"""


def old_package(folder: Path) -> Path:
    if subprocess.run(["git", "cat-file", "-e", f"{LAST_0_2}^{{commit}}"], cwd=ROOT, capture_output=True).returncode:
        missing(f"the 0.2 commit {LAST_0_2[:12]} is not in this clone's history (a shallow clone: clone it "
                "whole, or git fetch --unshallow)")
    archive = subprocess.run(["git", "archive", "--format=tar", LAST_0_2, "pulumi_alaya"], cwd=ROOT,
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def test_a_stack_made_with_0_2_keeps_working(emulator, client, tmp_path):
    cli_dir = engine_or_skip("python")
    source = tmp_path / "alaya-upgrade"
    source.mkdir()
    (source / "Pulumi.yaml").write_text(
        f"name: alaya-upgrade\nruntime:\n  name: python\n  options:\n    virtualenv: {sys.prefix}\n")
    (source / "__main__.py").write_text(PROGRAM)
    old = old_package(tmp_path / "pulumi-alaya-0.2")
    project = PulumiProject(source, tmp_path / "run", cli_dir,
                            env={"PULUMI_PYTHON_CMD": sys.executable, "PYTHONPATH": str(old)})
    project.use_emulator(emulator, {"alaya:timeout": "20"})  # 0.2's name for alaya:requestTimeout
    project.up()
    assert project.stack_output()["version"] == "0.2.0"
    (resource,) = [r for r in project.resources() if r["type"].endswith("dynamic/alaya:LoraDeployment")]

    project.env.pop("PYTHONPATH")  # from here on, this checkout's pulumi_alaya
    emulator.clear_requests()
    project.preview("--expect-no-changes")
    project.up()
    assert project.stack_output()["version"] != "0.2.0"
    assert emulator.requests(method="POST") == [] and emulator.requests(method="DELETE") == []
    project.run("refresh", "--yes", "--skip-preview")
    (kept,) = [r for r in project.resources() if r["type"].endswith("dynamic/alaya:LoraDeployment")]
    assert kept["id"] == resource["id"]
    project.destroy()
    try:
        client.get_deployment(resource["id"])
    except AlayaNotFoundError:
        return
    raise AssertionError("destroy with the new version left the 0.2 deployment behind")
