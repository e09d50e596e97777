"""The schema-based provider's translation layer, called directly with the engine's messages (the engine tests run
it end to end). What the engine sends is written by Pulumi's own classes; what the provider answers is read back
with them."""

from __future__ import annotations

import asyncio

from google.protobuf import struct_pb2
from pulumi.provider.experimental import provider as p
from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2 as pb

from pulumi_alaya.plugin.alaya_provider import AlayaProvider

URN = "urn:pulumi:dev::demo::alaya:index:LoraDeployment::bot"
STATE = {"baseServiceId": "base-qwen2-7b", "modelId": "lora-v3", "servedNames": ["bot"], "name": "bot-1a2b3c4d",
         "autoNamed": True, "waitUntilRunning": True, "waitTimeout": 600.0, "offlineUpdate": False,
         "serviceId": "sid-1", "apiKey": "sk-x"}


def run(call):
    """Run one provider call on a loop of its own: asyncio.run() would leave the main thread without the event
    loop that later pulumi tests (set_mocks) take."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(call)
    finally:
        loop.close()


def wire(values: dict) -> struct_pb2.Struct:
    """A property map as the engine sends it, written by Pulumi's classes (an unknown value: ``Computed()``)."""
    def one(value):
        if isinstance(value, Computed):
            return PropertyValue(rpc.UNKNOWN)
        if isinstance(value, list):
            return PropertyValue([one(item) for item in value])
        return value if isinstance(value, PropertyValue) else PropertyValue(value)
    return PropertyValue.marshal_map({key: one(value) for key, value in values.items()})


def read(struct: struct_pb2.Struct) -> dict[str, PropertyValue]:
    """An answer's property map as Pulumi's classes read it."""
    return PropertyValue.unmarshal_map(struct)


def diff(news: dict) -> pb.DiffResponse:
    return run(AlayaProvider().diff(pb.DiffRequest(urn=URN, id="sid-1", olds=wire(STATE), news=wire(news))))


INPUTS = {"baseServiceId": "base-qwen2-7b", "modelId": "lora-v3", "servedNames": ["bot"]}


def test_an_unchanged_program_is_no_change():
    response = diff(INPUTS)
    assert response.changes == pb.DiffResponse.DIFF_NONE and list(response.replaces) == []
    assert response.hasDetailedDiff


def test_an_unknown_spec_input_may_replace_but_an_unknown_setting_never_does():
    assert list(diff({**INPUTS, "modelId": Computed()}).replaces) == ["modelId"]
    setting = diff({**INPUTS, "waitUntilRunning": Computed()})
    assert setting.changes == pb.DiffResponse.DIFF_SOME and list(setting.replaces) == []
    assert setting.detailedDiff["waitUntilRunning"] == pb.PropertyDiff(kind=pb.PropertyDiff.UPDATE, inputDiff=True)


def test_check_leaves_unknown_inputs_for_later_and_names_the_bad_known_one():
    request = pb.CheckRequest(urn=URN, news=wire({"baseServiceId": Computed(), "modelId": "lora-v3",
                                                  "servedNames": ["no spaces"]}))
    response = run(AlayaProvider().check(request))
    assert [failure.property for failure in response.failures] == ["servedNames"]
    inputs = read(response.inputs)
    assert inputs["baseServiceId"].value == rpc.UNKNOWN  # handed back unknown, for the engine to fill in
    assert inputs["waitTimeout"].value == 600.0  # defaults filled in


def test_a_secret_input_stays_secret_in_the_checked_inputs():
    secret_model = PropertyValue("lora-v3").with_secret(True)
    response = run(AlayaProvider().check(pb.CheckRequest(urn=URN, news=wire({**INPUTS, "modelId": secret_model}))))
    inputs = read(response.inputs)
    assert inputs["modelId"].is_secret and inputs["modelId"].value == "lora-v3"
    assert not inputs["baseServiceId"].is_secret


def test_a_preview_create_has_unknown_outputs_and_a_secret_api_key():
    checked = run(AlayaProvider().check(pb.CheckRequest(urn=URN, news=wire(INPUTS)))).inputs
    response = run(AlayaProvider().create(pb.CreateRequest(urn=URN, properties=checked, preview=True)))
    properties = read(response.properties)
    assert properties["serviceUrl"].value == rpc.UNKNOWN and response.id == ""
    assert properties["apiKey"].is_secret


def test_diff_config_is_what_pulumis_servicer_answers_for_a_provider_that_leaves_it_to_the_engine():
    from pulumi.provider.experimental.server import ProviderServicer

    request = pb.DiffRequest(urn="urn:pulumi:dev::demo::pulumi:providers:alaya::default", olds=wire({"retries": 1.0}),
                             news=wire({"retries": 2.0}))
    pulumis = run(ProviderServicer([], "0", p.Provider(), "").DiffConfig(request, None))
    assert run(AlayaProvider().diff_config(request)) == pulumis
