"""Adopting what exists (tofu import, import blocks, data sources), keys out of state and logs, and failures as
one diagnostic: a 401, and a create whose wait runs out (kept in state, tainted: never lost, never made twice)."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess

import pytest

from pulumi_alaya.client import AlayaClient

from support.doc_blocks import block
from support.tofu import BASE, Tofu, lora_block

pytestmark = pytest.mark.xdist_group("terraform")

SEEDED = "38fbfc3d-6a88-4c35-b8b6-9efc83949d47"  # the emulator seed's running support-bot-lora
SEEDED_CONFIG = f"""resource "alaya_lora_deployment" "support" {{
  base_service_id = "{BASE}"
  model_id        = "lora-support-v3"
  served_names    = ["support-bot"]
}}
"""


def _api_key(emulator, service_id: str) -> str:
    with AlayaClient(emulator.access_key, emulator.secret_key, emulator.url) as client:
        return client.get_deployment(service_id).api_key


def _creates(emulator) -> list[dict]:
    return [r for r in emulator.requests(method="POST") if r["path"].endswith("/deployment/lora")]


def test_tofu_import_and_an_import_block_adopt_without_a_create(workspace: Tofu, fast_emulator):
    workspace.write(SEEDED_CONFIG)
    env = {**workspace.env, "SERVICE_ID": SEEDED, "PATH": f"{workspace.tofu.parent}:{workspace.env['PATH']}",
           "TF_CLI_ARGS_import": "-no-color -input=false"}
    imported = subprocess.run(["bash", "-euo", "pipefail", "-c", block("terraform-import")], cwd=workspace.dir,
                              env=env, capture_output=True, text=True, timeout=240)
    assert imported.returncode == 0 and "Import successful" in imported.stdout, imported.stdout + imported.stderr
    assert workspace.resource("alaya_lora_deployment.support")["name"] == "support-bot-lora"
    assert workspace.plan_code()[0] == 0
    workspace.run("state", "rm", "alaya_lora_deployment.support")
    workspace.write(SEEDED_CONFIG + block("terraform-import-block"))
    code, shown = workspace.plan_code()
    assert code == 2 and "1 to import, 0 to add, 0 to change, 0 to destroy" in shown, shown
    workspace.apply()
    assert workspace.resource("alaya_lora_deployment.support")["id"] == SEEDED
    assert _creates(fast_emulator) == []


def test_a_data_source_reads_an_existing_deployment(workspace: Tofu, fast_emulator):
    workspace.write(f'data "alaya_lora_deployment" "support" {{\n  service_id = "{SEEDED}"\n}}\n'
                    'output "model" {\n  value = data.alaya_lora_deployment.support.model\n}\n'
                    'data "alaya_base_model_deployment" "base" {\n'
                    '  service_id = data.alaya_lora_deployment.support.base_service_id\n}\n'
                    'output "base_status" {\n  value = data.alaya_base_model_deployment.base.status\n}\n')
    workspace.apply()
    outputs = json.loads(workspace.run("output", "-json").stdout)
    assert outputs["model"]["value"] == "support-bot" and outputs["base_status"]["value"] == "running"


def test_a_create_whose_wait_runs_out_is_kept_tainted_and_never_created_twice(workspace: Tofu, fast_emulator):
    fast_emulator.set_timing(startup_seconds=120, delete_seconds=0.2)
    workspace.write(lora_block(extra='  timeouts {\n    create = "1s"\n  }\n'))
    failed = workspace.apply(expect=1)
    shown = failed.stdout + failed.stderr
    assert shown.count("Error:") == 1 and "create failed" in shown, shown
    kept = workspace.state()["values"]["root_module"]["resources"][0]
    service_id = kept["values"]["id"]
    assert kept["tainted"] is True and service_id
    assert len(_creates(fast_emulator)) == 1
    code, planned = workspace.plan_code()
    assert code == 2 and "is tainted, so it must be replaced" in planned, planned
    fast_emulator.set_timing(startup_seconds=0.3, delete_seconds=0.2)
    workspace.write(lora_block())  # the usual wait: the replacement runs
    workspace.apply()
    assert len(_creates(fast_emulator)) == 2
    assert service_id not in {d["serviceId"] for d in fast_emulator.deployments()}


def test_a_401_is_one_diagnostic_naming_the_deployment(workspace: Tofu, fast_emulator):
    workspace.write(lora_block(extra='  name = "named-lora"\n'))
    refused = workspace.run("apply", "-auto-approve", expect=1, env={"ALAYA_SECRET_KEY": "wrong-secret-4f1c"})
    shown = refused.stdout + refused.stderr
    assert shown.count("Error:") == 1 and "named-lora" in shown and "401" in shown, shown
    assert "wrong-secret-4f1c" not in shown and "Traceback" not in shown


def test_no_key_in_state_or_trace_log_with_store_api_key_false_and_the_ephemeral_key(workspace: Tofu,
                                                                                      fast_emulator):
    workspace.write(block("terraform-keys-out-of-state"))  # manual/terraform.md's, as written
    applied = workspace.run("apply", "-auto-approve", env={"TF_LOG": "trace"})
    planned = workspace.run("plan", env={"TF_LOG": "trace"})
    service_id = workspace.resource("alaya_lora_deployment.x")["id"]
    key = _api_key(fast_emulator, service_id)
    assert workspace.resource("alaya_lora_deployment.x")["api_key"] is None
    handed = (workspace.dir / "handed-over.sha256").read_text().split()[0]
    assert handed == hashlib.sha256(key.encode()).hexdigest(), "the ephemeral key reached the provisioner"
    logged = applied.stdout + applied.stderr + planned.stdout + planned.stderr
    assert "ApplyResourceChange" in logged, "the trace log is on"
    for secret in (key, fast_emulator.secret_key):
        assert secret not in logged
        assert secret not in (workspace.dir / "terraform.tfstate").read_text()


def test_a_lost_create_answer_is_one_diagnostic_naming_the_deployment_or_found_and_kept(workspace: Tofu,
                                                                                       fast_emulator):
    """The API created it but the answer was lost: never a second one; either the client finds it by its name
    and tofu records it, or tofu shows one error naming it."""
    fast_emulator.set_faults({"lora:create": {"lost_after_create": True}})
    workspace.write(lora_block(extra='  name = "lost-answer-lora"\n'))
    run = workspace.apply(expect=None)
    shown = run.stdout + run.stderr
    named = [d for d in fast_emulator.deployments() if d.get("name") == "lost-answer-lora"]
    assert len(named) == 1 and len(_creates(fast_emulator)) == 1, shown
    if run.returncode:
        assert shown.count("Error:") == 1 and "lost-answer-lora" in shown and "Traceback" not in shown, shown
    else:
        assert workspace.resource("alaya_lora_deployment.x")["id"] == named[0]["serviceId"]


def test_an_error_that_is_none_of_ours_is_one_diagnostic_without_its_text():
    """A bug's text could hold anything (a key): tofu is shown its type and the call, never the text or a stack."""
    from pulumi_alaya.terraform import provider, tfplugin6_pb2

    def read_resource(request):
        raise RuntimeError("sk-not-to-be-shown")

    handler = provider._handler(read_resource, tfplugin6_pb2.ReadResource)
    answer = handler.unary_unary(tfplugin6_pb2.ReadResource.Request(), None)
    [shown] = answer.diagnostics
    assert shown.summary == "terraform-provider-alaya failed unexpectedly"
    # The last line of ours it passed names where to look (here the handler's call), never the text.
    assert re.fullmatch(r"RuntimeError in read_resource at pulumi_alaya/terraform/provider\.py:\d+: a bug; report "
                        r"it with the command that showed it\.", shown.detail), shown.detail
