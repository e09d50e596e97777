"""What a Terraform user expects of alayanew/alaya, each through a real tofu against the emulator: apply creates
and waits, a plan right after apply is empty for every answer the API may give, changes replace or update
offline as Pulumi's do (the plan says which), refresh sees drift, a deployment gone behind tofu's back is
planned again, bad input stops the plan at its attribute."""

from __future__ import annotations

import re

import pytest

from pulumi_alaya.client import AlayaClient

from support.tofu import BASE, ROOT, Tofu, lora_block

pytestmark = pytest.mark.xdist_group("terraform")

# Every way the emulator can spell the same deployment (tests/contract/cases.py's answer variants).
ANSWER_VARIANTS = {
    "bare": {"style": "bare"},
    "code-string": {"code_string": True},
    "apikey-spelling": {"key_spelling": "apikey"},
    "servedName-string": {"served_name_string": True},
    "bare-apikey-servedName-string": {"style": "bare", "key_spelling": "apikey", "served_name_string": True},
}


def test_apply_creates_and_waits_then_a_plan_is_empty_for_every_answer_variant(workspace: Tofu, fast_emulator):
    workspace.write(lora_block())
    workspace.apply()
    state = workspace.resource("alaya_lora_deployment.x")
    service_id = state["id"]
    assert state["status"] == "running" and state["service_id"] == service_id
    assert state["base_service_id"] == BASE and state["model"] == "x-one"
    assert [d["status"] for d in fast_emulator.deployments() if d["serviceId"] == service_id] == ["running"]
    for name, fault in ANSWER_VARIANTS.items():
        fast_emulator.set_faults({service_id: fault})
        code, shown = workspace.plan_code()
        assert code == 0, f"{name}: {shown}"


def test_a_lora_change_replaces_unless_offline_update_and_the_plan_says_which(workspace: Tofu, fast_emulator):
    workspace.write(lora_block())
    workspace.apply()
    first = workspace.resource("alaya_lora_deployment.x")["id"]
    workspace.write(lora_block(model="lora-y"))
    code, shown = workspace.plan_code()
    assert code == 2 and "must be replaced" in shown and "# forces replacement" in shown
    workspace.write(lora_block(model="lora-y", extra="  offline_update = true\n"))
    code, shown = workspace.plan_code()
    assert code == 2 and "updated in-place" in shown and "forces replacement" not in shown, shown
    workspace.apply()
    after = workspace.resource("alaya_lora_deployment.x")
    assert after["id"] == first and after["model_id"] == "lora-y" and after["status"] == "running"
    assert fast_emulator.requests(contains=first, method="PUT"), "the offline update is the API's PUT"
    assert workspace.plan_code()[0] == 0


def test_refresh_sees_drift_and_a_deployment_gone_behind_its_back_is_planned_again(workspace: Tofu, fast_emulator):
    workspace.write(lora_block(extra="  offline_update = true\n"))
    workspace.apply()
    service_id = workspace.resource("alaya_lora_deployment.x")["id"]
    with AlayaClient(fast_emulator.access_key, fast_emulator.secret_key, fast_emulator.url) as client:
        client.update_lora_deployment(service_id, base_service_id=BASE, model_id="lora-changed-by-hand",
                                      name=workspace.resource("alaya_lora_deployment.x")["name"],
                                      served_name=["x-one"], restart=True, wait_timeout=30)
        code, shown = workspace.plan_code()
        assert code == 2 and '"lora-changed-by-hand" -> "lora-x"' in shown, shown
        client.delete_deployment(service_id)
        client.wait_until_deleted(service_id, 30)
    code, shown = workspace.plan_code()
    assert code == 2 and "will be created" in shown and "Error" not in shown, shown
    workspace.apply()
    assert workspace.resource("alaya_lora_deployment.x")["id"] != service_id


@pytest.mark.parametrize(("attribute", "value"), [("served_names", '["has space"]'), ("model_id", '"bad model id!"'),
                                                  ("wait_timeout", "-5")])
def test_bad_input_is_refused_at_plan_naming_the_attribute(workspace: Tofu, fast_emulator, attribute, value):
    text = lora_block(extra=f"  {attribute} = {value}\n" if attribute == "wait_timeout" else "")
    line = next((row for row in text.splitlines() if row.strip().startswith(attribute + " ")), "")
    workspace.write(text.replace(line, f"  {attribute} = {value}"))
    fast_emulator.clear_requests()
    code, shown = workspace.plan_code()
    assert code == 1 and f"Invalid {attribute}" in shown and f"{attribute} = {value}" in shown, shown
    assert shown.count("Error:") == 1
    assert fast_emulator.requests(method="POST") == []


def test_base_model_moves_replace_and_other_changes_update_offline(workspace: Tofu, fast_emulator):
    example = (ROOT / "examples" / "terraform" / "main.tf").read_text()
    resource = re.search(r'resource "alaya_base_model_deployment".*?\n}\n', example, re.S)
    assert resource, "examples/terraform declares a base model"

    def base(namespace: str, gpus: int) -> str:
        return resource.group(0).replace('namespace       = "vks-demo"', f'namespace       = "{namespace}"') \
            .replace("gpu_count       = 1", f"gpu_count       = {gpus}")

    workspace.write(base(namespace="vks-demo", gpus=1))
    workspace.apply()
    workspace.write(base(namespace="vks-demo", gpus=2))
    code, shown = workspace.plan_code()
    assert code == 2 and "updated in-place" in shown and "forces replacement" not in shown, shown
    workspace.write(base(namespace="vks-other", gpus=1))
    code, shown = workspace.plan_code()
    assert code == 2 and "must be replaced" in shown and 'namespace = "vks-demo" -> "vks-other" # forces' in \
        " ".join(shown.split()), shown
