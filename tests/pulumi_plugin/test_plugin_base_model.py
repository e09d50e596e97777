"""The plugin's BaseModelDeployment and its customTimeouts, called directly against the emulator (the engine
tests run the provider end to end)."""

from __future__ import annotations

import pytest
from google.protobuf import struct_pb2
from pulumi.provider.experimental.property_value import Computed
from pulumi.runtime.proto import provider_pb2 as pb
from test_plugin import read, run, wire

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
    run(provider.configure(pb.ConfigureRequest(args=wire(args), acceptSecrets=True, acceptResources=True)))
    return provider


def checked(provider, inputs):
    return run(provider.check(pb.CheckRequest(urn=URN, news=wire(inputs))))


def test_check_names_bad_base_inputs_and_fills_defaults(provider):
    response = checked(provider, {**INPUTS, "gpuCount": 0.5, "backend": "tgi"})
    assert sorted(f.property for f in response.failures) == ["backend", "gpuCount"]
    good = checked(provider, INPUTS)
    inputs = read(good.inputs)
    assert list(good.failures) == [] and inputs["workers"].value == 1.0 and inputs["waitTimeout"].value == 600.0
    assert list(checked(provider, {**INPUTS, "vksId": Computed()}).failures) == []


def test_create_read_and_the_replacement_rules_per_input(provider, emulator):
    emulator.set_timing(0.0, 0.0, base_startup_seconds=0.0)
    inputs = checked(provider, INPUTS).inputs
    created = run(provider.create(pb.CreateRequest(urn=URN, properties=inputs)))
    state = read(created.properties)
    assert state["status"].value == "running" and state["gpuCount"].value == 1.0 and state["apiKey"].is_secret
    diff = run(provider.diff(pb.DiffRequest(urn=URN, id=created.id, olds=created.properties,
                                            news=wire({**INPUTS, "backendVersion": "0.7.0", "namespace": "ns-b"}))))
    assert list(diff.replaces) == ["namespace"] and set(diff.detailedDiff) == {"backendVersion", "namespace"}
    assert not diff.deleteBeforeReplace
    same = run(provider.diff(pb.DiffRequest(urn=URN, id=created.id, olds=created.properties, news=wire(INPUTS))))
    assert same.changes == pb.DiffResponse.DIFF_NONE
    imported = run(provider.read(pb.ReadRequest(urn=URN, id=created.id, properties=struct_pb2.Struct(),
                                                inputs=struct_pb2.Struct())))
    assert read(imported.inputs)["backend"].value == "vllm" and "waitTimeout" not in imported.inputs.fields
    got = run(provider.invoke(pb.InvokeRequest(tok="alaya:index:getBaseModelDeployment",
                                               args=wire({"serviceId": created.id}))))
    returned = read(getattr(got, "return"))
    assert returned["gpuType"].value == "A100" and returned["apiKey"].is_secret


def test_custom_timeouts_bound_the_wait_and_keep_the_deployment_as_a_partial_create(provider, emulator):
    emulator.set_timing(600.0, 0.0, base_startup_seconds=600.0)
    inputs = checked(provider, INPUTS).inputs
    with pytest.raises(PartialFailure, match=r"create timeout \(0.3s") as base:
        run(provider.create(pb.CreateRequest(urn=URN, properties=inputs, timeout=0.3)))
    lora = run(provider.check(pb.CheckRequest(urn=LORA_URN, news=wire(
        {"baseServiceId": "base-qwen2-7b", "modelId": "m", "servedNames": ["s"]})))).inputs
    with pytest.raises(PartialFailure, match=r"create timeout \(0.3s") as made:
        run(provider.create(pb.CreateRequest(urn=LORA_URN, properties=lora, timeout=0.3)))
    # What the engine records: the deployment's ID and its outputs, the apiKey a secret.
    for partial in (base.value, made.value):
        properties = read(partial.properties)
        assert properties["serviceId"].value == partial.resource_id
        assert properties["status"].value == "starting" and properties["apiKey"].is_secret
    left = {d["name"].split("-")[0]: d["status"] for d in emulator.deployments()
            if d["name"].startswith(("qwen-", "bot-"))}
    assert left == {"qwen": "starting", "bot": "starting"}  # both left as they are, neither deleted
