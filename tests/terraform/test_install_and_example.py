"""Installed as Terraform users install providers (tofu init from a packed filesystem mirror, checked against
SHA256SUMS and the lock file), never written into once installed, and examples/terraform as a user runs it:
base model -> LoRA -> outputs into another resource, destroyed LoRA first."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from pulumi_alaya.client.version import VERSION

from support.tofu import ROOT, Tofu

pytestmark = pytest.mark.xdist_group("terraform")

INSTALLED = Path(".terraform/providers/registry.opentofu.org/alayanew/alaya") / VERSION


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_init_records_the_zip_hash_a_second_init_passes_the_lock_and_nothing_is_written_where_installed(
        workspace: Tofu, mirror: Path):
    digest, name = (mirror / f"terraform-provider-alaya_{VERSION}_SHA256SUMS").read_text().split()
    assert hashlib.sha256(next(mirror.rglob(name)).read_bytes()).hexdigest() == digest
    lock = (workspace.dir / ".terraform.lock.hcl").read_text()
    assert f'version = "{VERSION}"' in lock and '"h1:' in lock, lock  # the installed folder's hash
    installed = workspace.dir / INSTALLED
    before = _tree(installed)
    assert any(name.endswith(".pyc") for name in before), "shipped precompiled"
    workspace.write('resource "alaya_lora_deployment" "x" {\n  base_service_id = "base-qwen2-7b"\n'
                    '  model_id = "lora-x"\n  served_names = ["x-one"]\n}\n')
    workspace.apply()
    workspace.run("destroy", "-auto-approve")
    assert _tree(installed) == before, "the provider wrote into its installed folder"
    again = workspace.run("init")
    assert "Using previously-installed alayanew/alaya v" + VERSION in again.stdout, again.stdout
    workspace.run("providers", "lock", "-fs-mirror=" + str(mirror), "-platform=linux_amd64")


def test_without_the_python_it_was_built_for_the_launcher_says_so_in_one_line(mirror: Path, tmp_path: Path):
    package = next(mirror.rglob("*.zip"))
    with zipfile.ZipFile(package) as archive:
        archive.extractall(tmp_path)
    launcher = tmp_path / f"terraform-provider-alaya_v{VERSION}"
    launcher.chmod(0o755)
    tools = tmp_path / "bin"
    tools.mkdir()
    os.symlink(shutil.which("dirname"), tools / "dirname")  # a PATH with no python at all
    run = subprocess.run([str(launcher)], env={"PATH": str(tools)}, capture_output=True, text=True, timeout=30)
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and "needs Python 3." in run.stderr
    by_hand = subprocess.run([str(launcher)], env={"PATH": os.environ["PATH"]}, capture_output=True, text=True,
                             timeout=60)
    assert by_hand.returncode == 1 and "plugin for OpenTofu/Terraform" in by_hand.stderr
    assert by_hand.stderr.count("\n") == 1


def test_the_example_configuration_runs_and_its_outputs_flow_into_another_resource(workspace: Tofu,
                                                                                   fast_emulator):
    workspace.copy_from(ROOT / "examples" / "terraform")
    (workspace.dir / "providers.tf").unlink()  # the example declares its own
    workspace.write("""resource "terraform_data" "chat_client" {
  input = {
    base_url = alaya_lora_deployment.support.openai_base_url
    model    = alaya_lora_deployment.support.model
  }
}

output "chat_client" {
  value = terraform_data.chat_client.output
}
""", "consumer.tf")
    workspace.init()
    workspace.apply()
    outputs = json.loads(workspace.run("output", "-json").stdout)
    lora = workspace.resource("alaya_lora_deployment.support")
    assert outputs["chat_client"]["value"] == {"base_url": lora["openai_base_url"], "model": "support-bot-terraform"}
    assert outputs["api_key"]["sensitive"] is True and outputs["api_key"]["value"] == lora["api_key"]
    assert workspace.plan_code()[0] == 0
    base = workspace.resource("alaya_base_model_deployment.qwen")["id"]
    fast_emulator.clear_requests()
    workspace.run("destroy", "-auto-approve")
    deleted = [r["path"].rsplit("/", 1)[1] for r in fast_emulator.requests(method="DELETE")]
    assert deleted == [lora["id"], base], "the LoRA goes before its base"

