"""The plugin's BaseModelDeployment and its customTimeouts, called directly against the emulator (the engine
tests run the provider end to end)."""

from __future__ import annotations

import pytest
from pulumi.provider.experimental import provider as p
from pulumi.provider.experimental.property_value import Computed, PropertyValue
from test_plugin import run, wire

from pulumi_alaya.plugin.alaya_provider import AlayaProvider
from pulumi_alaya.plugin.partial import PartialFailure

URN = "urn:pulumi:dev::demo::alaya:index:BaseModelDeployment::base"
LORA_URN = "urn:pulumi:dev::demo::alaya:index:LoraDeployment::bot"
INPUTS = {"vksId": "vks-1", "namespace": "ns-a", "name": "qwen-base", "servedNames": ["qwen"], "modelId": "qwen2-7b",
          "backend": "vllm", "backendVersion": "0.6.3", "cpu": "8", "mem": "32Gi", "gpuType": "A100", "gpuCount": 1.0}


@pytest.fixture
def provider(emulator):
    provider = AlayaProvider()
    args = {"accessKey": emulator.access_key, "secretKey": emulator.secret_key, "baseUrl": emulator.url}
    run(provider.configure(p.ConfigureRequest({}, {k: PropertyValue(v) for k, v in args.items()}, True, True)))
    return provider


def checked(provider, inputs):
    return run(provider.check(p.CheckRequest(URN, {}, wire(inputs), b"")))


def test_check_names_bad_base_inputs_and_fills_defaults(provider):
    response = checked(provider, {**INPUTS, "gpuCount": 0.5, "backend": "tgi"})
    assert sorted(f.property for f in response.failures) == ["backend", "gpuCount"]
    good = checked(provider, INPUTS)
    assert good.failures == [] and good.inputs["workers"].value == 1.0 and good.inputs["waitTimeout"].value == 600.0
    assert checked(provider, {**INPUTS, "vksId": Computed()}).failures == []


def test_create_read_and_the_replacement_rules_per_input(provider, emulator):
    emulator.set_timing(0.0, 0.0, base_startup_seconds=0.0)
    inputs = checked(provider, INPUTS).inputs
    created = run(provider.create(p.CreateRequest(URN, inputs, 0, False)))
    state = created.properties
    assert state["status"].value == "running" and state["gpuCount"].value == 1.0 and state["apiKey"].is_secret
    diff = run(provider.diff(p.DiffRequest(URN, created.resource_id, state,
                                           wire({**INPUTS, "backendVersion": "0.7.0", "namespace": "ns-b"}), [])))
    assert diff.replaces == ["namespace"] and set(diff.detailed_diff) == {"backendVersion", "namespace"}
    assert not diff.delete_before_replace
    same = run(provider.diff(p.DiffRequest(URN, created.resource_id, state, wire(INPUTS), [])))
    assert same.changes is False
    imported = run(provider.read(p.ReadRequest(URN, created.resource_id, {}, {})))
    assert imported.inputs["backend"].value == "vllm" and "waitTimeout" not in imported.inputs
    got = run(provider.invoke(p.InvokeRequest("alaya:index:getBaseModelDeployment",
                                              {"serviceId": PropertyValue(created.resource_id)})))
    assert got.return_value["gpuType"].value == "A100" and got.return_value["apiKey"].is_secret


def test_custom_timeouts_bound_the_wait_and_keep_the_deployment_as_a_partial_create(provider, emulator):
    emulator.set_timing(600.0, 0.0, base_startup_seconds=600.0)
    inputs = checked(provider, INPUTS).inputs
    with pytest.raises(PartialFailure, match=r"create timeout \(0.3s") as base:
        run(provider.create(p.CreateRequest(URN, inputs, 0.3, False)))
    lora = run(provider.check(p.CheckRequest(LORA_URN, {}, wire(
        {"baseServiceId": "base-qwen2-7b", "modelId": "m", "servedNames": ["s"]}), b""))).inputs
    with pytest.raises(PartialFailure, match=r"create timeout \(0.3s") as made:
        run(provider.create(p.CreateRequest(LORA_URN, lora, 0.3, False)))
    # What the engine records: the deployment's ID and its outputs, the apiKey a secret.
    for partial in (base.value, made.value):
        assert partial.properties["serviceId"].value == partial.resource_id
        assert partial.properties["status"].value == "starting" and partial.properties["apiKey"].is_secret
    left = {d["name"].split("-")[0]: d["status"] for d in emulator.deployments()
            if d["name"].startswith(("qwen-", "bot-"))}
    assert left == {"qwen": "starting", "bot": "starting"}  # both left as they are, neither deleted
