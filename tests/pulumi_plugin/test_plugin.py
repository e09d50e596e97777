"""The schema-based provider's translation layer, called directly (the engine tests run it end to end)."""

from __future__ import annotations

import asyncio

from pulumi.provider.experimental import provider as p
from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.runtime import rpc

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


def wire(values: dict) -> dict[str, PropertyValue]:
    def one(value):
        if isinstance(value, Computed):
            return PropertyValue(value)
        if isinstance(value, list):
            return PropertyValue([one(item) for item in value])
        return PropertyValue(value)
    return {key: one(value) for key, value in values.items()}


def diff(news: dict) -> p.DiffResponse:
    request = p.DiffRequest(URN, "sid-1", wire(STATE), wire(news), [])
    return run(AlayaProvider().diff(request))


INPUTS = {"baseServiceId": "base-qwen2-7b", "modelId": "lora-v3", "servedNames": ["bot"]}


def test_an_unchanged_program_is_no_change():
    response = diff(INPUTS)
    assert response.changes is False and response.replaces == []


def test_an_unknown_spec_input_may_replace_but_an_unknown_setting_never_does():
    assert diff({**INPUTS, "modelId": Computed()}).replaces == ["modelId"]
    setting = diff({**INPUTS, "waitUntilRunning": Computed()})
    assert setting.changes is True and setting.replaces == []


def test_check_leaves_unknown_inputs_for_later_and_names_the_bad_known_one():
    request = p.CheckRequest(URN, {}, wire({"baseServiceId": Computed(), "modelId": "lora-v3",
                                            "servedNames": ["no spaces"]}), b"")
    response = run(AlayaProvider().check(request))
    assert [failure.property for failure in response.failures] == ["servedNames"]
    assert response.inputs["baseServiceId"].value == rpc.UNKNOWN  # marshallable, unlike PropertyValue.computed()
    assert response.inputs["waitTimeout"].value == 600.0  # defaults filled in


def test_a_preview_create_has_unknown_outputs_and_a_secret_api_key():
    checked = run(AlayaProvider().check(p.CheckRequest(URN, {}, wire(INPUTS), b""))).inputs
    response = run(AlayaProvider().create(p.CreateRequest(URN, checked, 0, True)))
    assert response.properties["serviceUrl"].value == rpc.UNKNOWN
    assert response.properties["apiKey"].is_secret
    assert {key: value.marshal() for key, value in response.properties.items()}  # the engine can take them
